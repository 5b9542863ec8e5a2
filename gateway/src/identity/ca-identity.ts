import { randomBytes } from 'node:crypto';
import type { Role } from '@asl/chaincode/domain';
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import type { Enrolment, IdentityService } from '../ports/identity-service';

/** Where the agency's Fabric CA is and who registers with it. */
export interface FabricCaOptions {
  /** `https://host:port`. */
  readonly url: string;
  readonly caName: string;
  /** PEM of the CA's TLS root (`<ca home>/ca-cert.pem`). */
  readonly tlsRootPem: string;
  readonly mspId: string;
  /** Affiliation new identities get (the org's key, e.g. `bamf`). */
  readonly affiliation: string;
  /** The registrar (bootstrap admin with `hf.Registrar.*`, `hf.Revoker`). */
  readonly registrar: { readonly enrollmentId: string; readonly secret: string };
}

/**
 * The agency's Fabric CA through `fabric-ca-client` 2.2.20: registers a person or system with its `role`
 * as an enrolment-certificate attribute (`role=<role>:ecert`, read by the chaincode with
 * `getAttributeValue('role')`), enrols it, and revokes it (the identity and every certificate the CA
 * issued to it, so the next CRL lists them). The one-time enrolment secret is random and never stored.
 */
export class FabricCaIdentityService implements IdentityService {
  readonly #ca: FabricCAServices;
  #registrar: Promise<User> | undefined;

  constructor(private readonly o: FabricCaOptions) {
    this.#ca = new FabricCAServices(o.url, { trustedRoots: [o.tlsRootPem], verify: true }, o.caName);
  }

  /** The underlying client (tests use it to read the CRL). */
  get client(): FabricCAServices {
    return this.#ca;
  }

  /** The registrar as a signing user, enrolled once per process. */
  registrar(): Promise<User> {
    this.#registrar ??= (async () => {
      const { enrollmentId, secret } = this.o.registrar;
      const e = await this.#ca.enroll({ enrollmentID: enrollmentId, enrollmentSecret: secret });
      return User.createUser(enrollmentId, '', this.o.mspId, e.certificate, e.key.toBytes());
    })();
    this.#registrar.catch(() => (this.#registrar = undefined));
    return this.#registrar;
  }

  async registerAndEnrol(request: { enrollmentId: string; role: Role }): Promise<Enrolment> {
    const registrar = await this.registrar();
    const secret = randomBytes(24).toString('base64url');
    await this.#ca.register(
      {
        enrollmentID: request.enrollmentId,
        enrollmentSecret: secret,
        role: 'client',
        affiliation: this.o.affiliation,
        maxEnrollments: 1,
        attrs: [{ name: 'role', value: request.role, ecert: true }],
      },
      registrar,
    );
    const enrolment = await this.#ca.enroll({ enrollmentID: request.enrollmentId, enrollmentSecret: secret });
    return { certificatePem: enrolment.certificate, privateKeyPem: enrolment.key.toBytes() };
  }

  async revoke(enrollmentId: string): Promise<void> {
    await this.#ca.revoke({ enrollmentID: enrollmentId, reason: 'cessationofoperation' }, await this.registrar());
  }
}
