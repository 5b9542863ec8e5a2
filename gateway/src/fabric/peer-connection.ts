import { createHash, X509Certificate } from 'node:crypto';
import { credentials, Client } from '@grpc/grpc-js';

/** A TLS client key pair (PEM text). */
export interface TlsKeyPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** Options of {@link connectPeer}: where one agency's peer listens and the mutual-TLS material to reach it. */
export interface PeerConnectionOptions {
  /** `host:port` of the peer's gRPC listener. */
  readonly endpoint: string;
  /** TLS server name of the peer when the endpoint is an IP (`grpc.ssl_target_name_override`). */
  readonly hostAlias?: string;
  /** TLS root that verifies the peer's certificate (PEM). */
  readonly tlsRootCertPem: string;
  /** The client's TLS key pair: every Fabric listener requires client certificates. */
  readonly tlsClient: TlsKeyPair;
  /** gRPC keepalive ping interval. */
  readonly keepaliveMs?: number;
}

/**
 * One mutual-TLS gRPC connection to a peer and the hash that binds requests to it. Every fabric-gateway
 * `connect()` over this client must pass {@link tlsClientCertificateHash}: with client authentication on,
 * the peer's deliver service (block events) refuses a request whose channel header lacks the hash of the
 * TLS certificate the connection was opened with (status 400 BAD_REQUEST).
 */
export interface PeerConnection {
  readonly client: Client;
  readonly tlsClientCertificateHash: Uint8Array;
}

/** SHA-256 over the DER encoding of a certificate (the first one in `certificatePem`), as Fabric computes it. */
export function tlsCertificateHash(certificatePem: string): Uint8Array {
  return createHash('sha256').update(new X509Certificate(certificatePem).raw).digest();
}

/** Opens the gRPC client to a peer over mutual TLS. The caller closes `client` when done. */
export function connectPeer(o: PeerConnectionOptions): PeerConnection {
  const tls = credentials.createSsl(Buffer.from(o.tlsRootCertPem), Buffer.from(o.tlsClient.privateKeyPem), Buffer.from(o.tlsClient.certificatePem));
  const client = new Client(o.endpoint, tls, {
    ...(o.hostAlias === undefined ? {} : { 'grpc.ssl_target_name_override': o.hostAlias }),
    ...(o.keepaliveMs === undefined ? {} : { 'grpc.keepalive_time_ms': o.keepaliveMs }),
  });
  return { client, tlsClientCertificateHash: tlsCertificateHash(o.tlsClient.certificatePem) };
}
