import type { Role } from '@asl/chaincode/domain';

/** An enrolled identity: the certificate the CA issued and the private key (PEM, kept encrypted at rest). */
export interface Enrolment {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** The agency's Fabric CA. */
export interface IdentityService {
  /** Registers `enrollmentId` with the `role` attribute in its enrolment certificate, and enrols it. */
  registerAndEnrol(request: { enrollmentId: string; role: Role }): Promise<Enrolment>;
  /** Revokes the identity and every certificate the CA issued to it. */
  revoke(enrollmentId: string): Promise<void>;
  /**
   * Whether the CA has revoked this certificate of `enrollmentId` (itself or with its identity), asked now. Throws when
   * the CA cannot be asked.
   */
  isRevoked(enrollmentId: string, certificatePem: string): Promise<boolean>;
}
