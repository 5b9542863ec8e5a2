/**
 * An agency of the live network as connection.json describes it (read afresh on every call): a mutual-TLS
 * connection to its first peer opened with its auditor's TLS pair, a fabric-gateway connection signed by its
 * auditor (read-only), and its Fabric CA as the registrar sees it. Shared by the live suites and their probes.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connectionOrg, identityFor, readConnection, type Connection, type ConnectionOrg } from '@asl/network/connection';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import { z } from 'zod';
import { connectPeer, type PeerConnection } from '../../src/fabric/peer-connection';
import { FabricCaIdentityService } from '../../src/identity/ca-identity';

export type AgencyKey = 'bamf' | 'zab';

const read = (file: string): string => readFileSync(file, 'utf8');

/** The agency's first peer over mutual TLS (the auditor's TLS pair), with the description it came from. */
export function agencyPeer(orgKey: AgencyKey): { connection: Connection; org: ConnectionOrg; peer: PeerConnection } {
  const connection = readConnection();
  const org = connectionOrg(connection, orgKey);
  const first = org.peers[0];
  if (first === undefined) throw new Error(`${org.mspId} has no peer in ${connection.home}/network/connection.json`);
  const auditor = identityFor(connection, orgKey, 'auditor');
  const peer = connectPeer({
    endpoint: first.endpoint,
    hostAlias: first.hostAlias,
    tlsRootCertPem: read(first.tlsRootCert),
    tlsClient: { certificatePem: read(auditor.tls.certificate), privateKeyPem: read(auditor.tls.privateKey) },
  });
  return { connection, org, peer };
}

/** A fabric-gateway connection to the agency's first peer, signed by its enrolled auditor. Close both. */
export function auditorGateway(orgKey: AgencyKey): { connection: Connection; gateway: Gateway; peer: PeerConnection } {
  const { connection, org, peer } = agencyPeer(orgKey);
  const auditor = identityFor(connection, orgKey, 'auditor');
  const gateway = connect({
    client: peer.client,
    tlsClientCertificateHash: peer.tlsClientCertificateHash,
    identity: { mspId: org.mspId, credentials: Buffer.from(read(auditor.certificate)) },
    signer: signers.newPrivateKeySigner(createPrivateKey(read(auditor.privateKey))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
  });
  return { connection, gateway, peer };
}

/** The agency's Fabric CA as its registrar (from connection.json). */
export function registrarCa(orgKey: AgencyKey): FabricCaIdentityService {
  const org = connectionOrg(readConnection(), orgKey);
  return new FabricCaIdentityService({
    url: org.ca.url,
    caName: org.ca.name,
    tlsRootPem: read(org.ca.tlsRootCert),
    mspId: org.mspId,
    affiliation: orgKey,
    registrar: { enrollmentId: org.ca.registrar.enrollmentId, certificatePem: read(org.ca.registrar.certificate), privateKeyPem: read(org.ca.registrar.privateKey) },
  });
}

const CertificatesAnswer = z.object({ result: z.object({ certs: z.array(z.object({ PEM: z.string() })) }) });

/** The certificates the CA issued to `enrollmentId`, read from the CA itself with the registrar's identity. */
export async function certificatesInCa(ca: FabricCaIdentityService, enrollmentId: string): Promise<X509Certificate[]> {
  // fabric-ca-client 2.2.20 has the certificate service, but its typings do not declare it
  const newCertificateService: unknown = Reflect.get(ca.client, 'newCertificateService');
  if (typeof newCertificateService !== 'function') throw new Error('fabric-ca-client has no newCertificateService');
  const service = newCertificateService.call(ca.client) as { getCertificates(request: { id: string }, registrar: unknown): Promise<unknown> };
  return CertificatesAnswer.parse(await service.getCertificates({ id: enrollmentId }, await ca.registrar())).result.certs.map((c) => new X509Certificate(c.PEM));
}
