import { createHash } from 'node:crypto';
import type { Topology } from '../topology';
import { tarGz } from './tar';

/**
 * connection.json of the CCaaS package. Every value the ccaas builder renders as a Go template is a
 * template here, filled from each peer's `CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG` (see
 * {@link ccaasBuilderConfig}): one package, one package ID, while every peer dials its own chaincode
 * server over mutual TLS. `tls_required` / `client_auth_required` are JSON booleans (the peer's struct
 * fields are bool; a string would fail to unmarshal).
 */
export function connectionJson(t: Topology): Record<string, string | boolean> {
  return {
    address: '{{.address}}',
    dial_timeout: t.chaincode.dialTimeout,
    tls_required: true,
    client_auth_required: true,
    root_cert: '{{.root_cert}}',
    client_cert: '{{.client_cert}}',
    client_key: '{{.client_key}}',
  };
}

/** The values a peer passes to the ccaas builder's templates. */
export interface CcaasBuilderConfig {
  /** host:port of this peer's chaincode server. */
  readonly address: string;
  /** PEM of the CA that issued the chaincode server's TLS certificate. */
  readonly root_cert: string;
  /** PEM of the TLS certificate the peer presents to the chaincode server. */
  readonly client_cert: string;
  /** PEM of that certificate's key. */
  readonly client_key: string;
}

/** The package label: `<name>_<version>` (Fabric allows `[[:alnum:]][[:alnum:]_.+-]*`). */
export function packageLabel(t: Topology): string {
  return `${t.chaincode.name}_${t.chaincode.version}`;
}

/**
 * The chaincode package as Fabric's lifecycle expects it: a tar.gz holding `metadata.json`
 * (`type: ccaas`) and `code.tar.gz` (holding `connection.json`). Deterministic bytes.
 */
export function ccaasPackage(t: Topology): Buffer {
  const code = tarGz([{ name: 'connection.json', content: JSON.stringify(connectionJson(t), null, 2) + '\n' }]);
  const metadata = JSON.stringify({ type: 'ccaas', label: packageLabel(t) }) + '\n';
  return tarGz([
    { name: 'metadata.json', content: metadata },
    { name: 'code.tar.gz', content: code },
  ]);
}

/** Package ID as the peer computes it: `<label>:<hex SHA-256 of the package bytes>`. */
export function packageId(t: Topology, pkg: Buffer): string {
  return `${packageLabel(t)}:${createHash('sha256').update(pkg).digest('hex')}`;
}
