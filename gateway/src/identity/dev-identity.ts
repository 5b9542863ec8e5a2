import { generateKeyPairSync } from 'node:crypto';
import type { Role } from '@asl/chaincode/domain';
import type { Enrolment, IdentityService } from '../ports/identity-service';

/**
 * DEVELOPMENT ONLY: hands out fresh key pairs without a CA (the certificate is a placeholder that no
 * peer accepts). For running the gateway over the in-memory ledger (`ledger.kind: "memory"`) and for
 * unit tests; the server refuses it together with a Fabric ledger.
 */
export class DevIdentityService implements IdentityService {
  readonly registered: { enrollmentId: string; role: Role }[] = [];
  readonly revoked: string[] = [];

  registerAndEnrol(request: { enrollmentId: string; role: Role }): Promise<Enrolment> {
    this.registered.push(request);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return Promise.resolve({
      certificatePem: `-----BEGIN CERTIFICATE-----\nDEV-ONLY-${request.enrollmentId}\n-----END CERTIFICATE-----\n`,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
  }

  revoke(enrollmentId: string): Promise<void> {
    this.revoked.push(enrollmentId);
    return Promise.resolve();
  }

  isRevoked(enrollmentId: string): Promise<boolean> {
    return Promise.resolve(this.revoked.includes(enrollmentId));
  }
}
