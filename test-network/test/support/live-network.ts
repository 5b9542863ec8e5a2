import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { connectionOrg, identityFor, readConnection, type Connection, type ConnectionIdentity } from '@asl/network/connection';
import { Procedure } from './procedure';

/** The two agencies, by their key in connection.json. */
export type Agency = 'bamf' | 'zab';

/** The application roles a client certificate carries. */
export type ClientRole = 'adapter' | 'caseworker' | 'auditor' | 'admin';

/** Who signs: one enrolled client identity of an agency. */
export interface Signer {
  readonly agency: Agency;
  readonly role: ClientRole;
}

/** Per-call deadlines: generous, the 2-core test machine runs other suites against the same network. */
const DEADLINES_MS = { evaluate: 15_000, endorse: 30_000, submit: 30_000, commitStatus: 90_000 } as const;

const deadline = (ms: number) => (): grpc.CallOptions => ({ deadline: Date.now() + ms });

/** SHA-256 of the DER of a PEM certificate: what the peer compares with the TLS certificate of the connection. */
function certificateHash(pemFile: string): Uint8Array {
  return createHash('sha256').update(new X509Certificate(readFileSync(pemFile)).raw).digest();
}

/**
 * Clients of the running network, made from connection.json alone: for each signer and each peer it is sent
 * through, one gRPC connection over mutual TLS with the signer's own TLS pair, and one fabric-gateway
 * `Gateway` that signs with the signer's enrolment key. Connections are opened on first use and all closed by
 * {@link LiveNetwork.close}.
 */
export class LiveNetwork {
  readonly connection: Connection;
  readonly #gateways = new Map<string, { client: grpc.Client; gateway: Gateway }>();

  constructor(connection: Connection = readConnection()) {
    this.connection = connection;
  }

  /** The MSP ID of an agency. */
  mspId(agency: Agency): string {
    return connectionOrg(this.connection, agency).mspId;
  }

  /** The enrolled identity a signer stands for. */
  identity(signer: Signer): ConnectionIdentity {
    return identityFor(this.connection, signer.agency, signer.role);
  }

  /** A Gateway signing as `signer`, connected to `via`'s (first) peer; by default the signer's own agency's. */
  gateway(signer: Signer, via: Agency = signer.agency): Gateway {
    const key = `${signer.agency}/${signer.role}@${via}`;
    const open = this.#gateways.get(key);
    if (open !== undefined) return open.gateway;
    const opened = this.#open(this.identity(signer), this.mspId(signer.agency), via);
    this.#gateways.set(key, opened);
    return opened.gateway;
  }

  /** The channel of connection.json, seen by `signer` through `via`'s peer. */
  network(signer: Signer, via?: Agency): Network {
    return this.gateway(signer, via).getNetwork(this.connection.channel);
  }

  /** The business chaincode of connection.json, called by `signer` through `via`'s peer. */
  contract(signer: Signer, via?: Agency): Contract {
    return this.network(signer, via).getContract(this.connection.chaincode);
  }

  /** The `procedure` contract as `signer` calls it through `via`'s peer, reads answered by that peer. */
  procedure(signer: Signer, via: Agency = signer.agency): Procedure {
    return new Procedure(this.contract(signer, via), this.mspId(via));
  }

  /** Closes every Gateway and gRPC connection opened so far. */
  close(): void {
    for (const { gateway, client } of this.#gateways.values()) {
      gateway.close();
      client.close();
    }
    this.#gateways.clear();
  }

  #open(identity: ConnectionIdentity, mspId: string, via: Agency): { client: grpc.Client; gateway: Gateway } {
    const peer = connectionOrg(this.connection, via).peers[0];
    if (peer === undefined) throw new Error(`${via} has no peer in the connection description`);
    const credentials = grpc.credentials.createSsl(
      readFileSync(peer.tlsRootCert),
      readFileSync(identity.tls.privateKey),
      readFileSync(identity.tls.certificate),
    );
    const client = new grpc.Client(peer.endpoint, credentials, { 'grpc.ssl_target_name_override': peer.hostAlias });
    const gateway = connect({
      client,
      identity: { mspId, credentials: readFileSync(identity.certificate) },
      signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(identity.privateKey))),
      hash: hash.sha256,
      // Without it the peer refuses event streams: "client didn't include its TLS cert hash".
      tlsClientCertificateHash: certificateHash(identity.tls.certificate),
      evaluateOptions: deadline(DEADLINES_MS.evaluate),
      endorseOptions: deadline(DEADLINES_MS.endorse),
      submitOptions: deadline(DEADLINES_MS.submit),
      commitStatusOptions: deadline(DEADLINES_MS.commitStatus),
    });
    return { client, gateway };
  }
}
