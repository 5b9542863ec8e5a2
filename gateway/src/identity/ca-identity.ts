import { randomBytes, X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Role } from '@asl/chaincode/domain';
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import { z } from 'zod';
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
  /** The registrar (bootstrap admin with `hf.Registrar.*`, `hf.Revoker`): its enrolment secret or its enrolled key pair. */
  readonly registrar: RegistrarCredentials;
}

/**
 * How the gateway acts as the CA's registrar: with its enrolment secret (enrolled once per process, each time a
 * new certificate) or with a certificate and key it was already enrolled with (no enrolment at all).
 */
export type RegistrarCredentials =
  | { readonly enrollmentId: string; readonly secret: string }
  | { readonly enrollmentId: string; readonly certificatePem: string; readonly privateKeyPem: string };

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
    oneConnectionPerRequest(this.#ca);
  }

  /** The underlying client (tests use it to read the CRL). */
  get client(): FabricCAServices {
    return this.#ca;
  }

  /** The registrar as a signing user: from its key pair, or enrolled once per process with its secret. */
  registrar(): Promise<User> {
    this.#registrar ??= (async () => {
      const r = this.o.registrar;
      if ('certificatePem' in r) return User.createUser(r.enrollmentId, '', this.o.mspId, r.certificatePem, r.privateKeyPem);
      const e = await this.#ca.enroll({ enrollmentID: r.enrollmentId, enrollmentSecret: r.secret });
      return User.createUser(r.enrollmentId, '', this.o.mspId, e.certificate, e.key.toBytes());
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

  /**
   * Asks the CA for the identity's certificates that are not revoked (`GET /certificates?id=…&notrevoked=true`, as the
   * registrar) and looks for this one among them by serial number: absent means revoked — by the gateway's own
   * revocation or by anyone else with the CA's revoker rights.
   */
  async isRevoked(enrollmentId: string, certificatePem: string): Promise<boolean> {
    const serial = new X509Certificate(certificatePem).serialNumber.toLowerCase();
    // fabric-ca-client 2.2.20 has the certificate service, but its typings do not declare it
    const newCertificateService: unknown = Reflect.get(this.#ca, 'newCertificateService');
    if (typeof newCertificateService !== 'function') throw new Error('fabric-ca-client has no newCertificateService');
    const service: unknown = newCertificateService.call(this.#ca);
    const getCertificates: unknown = typeof service === 'object' && service !== null ? Reflect.get(service, 'getCertificates') : undefined;
    if (typeof getCertificates !== 'function') throw new Error('fabric-ca-client has no getCertificates');
    const answer = CertificatesAnswerSchema.parse(await getCertificates.call(service, { id: enrollmentId, notrevoked: true }, await this.registrar()));
    return !answer.result.certs.some((c) => new X509Certificate(c.PEM).serialNumber.toLowerCase() === serial);
  }
}

/** The CA's answer to `GET /certificates`. */
const CertificatesAnswerSchema = z.object({ result: z.object({ certs: z.array(z.object({ PEM: z.string() })).nullable().transform((c) => c ?? []) }) });

/**
 * fabric-ca-client 2.2.20 sends every request through `http(s).request` with the global agent and adds a `timeout`
 * listener to the request's socket that it never removes. Since Node 19 the global agent keeps connections alive, so
 * a burst of requests (registering several users) piles listeners onto one reused socket: a
 * MaxListenersExceededWarning in the gateway's log and a leak for the socket's life. The client takes no agent
 * option, so its transport is replaced by one that opens a connection per request (`agent: false`), as Node 18 did.
 */
function oneConnectionPerRequest(ca: FabricCAServices): void {
  const client: unknown = Reflect.get(ca, '_fabricCAClient');
  if (typeof client !== 'object' || client === null) throw new Error('fabric-ca-client internals changed: review oneConnectionPerRequest');
  const transport: unknown = Reflect.get(client, '_httpClient');
  if (transport !== https && transport !== http) throw new Error('fabric-ca-client internals changed: review oneConnectionPerRequest');
  const request = (options: https.RequestOptions, callback?: (response: http.IncomingMessage) => void): http.ClientRequest =>
    transport === https ? https.request({ ...options, agent: false }, callback) : http.request({ ...options, agent: false }, callback);
  Reflect.set(client, '_httpClient', { request });
}
