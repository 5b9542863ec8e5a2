import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away certificate authority that is not a member of the channel, made with openssl: an ECDSA P-256 root
 * and one client certificate that looks like a real enrolment — NodeOU `client`, a staff-number-like CN and the
 * Fabric CA attribute extension (OID 1.2.3.4.5.6.7.8.1, `{"attrs":{"role":"admin"}}`, what fabric-ca-server
 * writes for `role=admin:ecert`), so the chaincode would read it as an admin if it ever got that far. Laid out as
 * a local MSP folder for the `peer` CLI, with the same NodeOUs config.yaml the members' MSP folders have.
 */
export interface RogueCa {
  /** The local MSP folder (signcerts, keystore, cacerts, config.yaml). */
  readonly msp: string;
  /** A TLS client pair issued by the same rogue CA (peers must refuse it at the handshake). */
  readonly tls: { readonly certificate: string; readonly privateKey: string };
  /** Deletes the folder. */
  remove(): void;
}

/** The attribute extension value fabric-ca-server writes: the raw JSON bytes, as hex for openssl's `DER:`. */
const ROLE_ADMIN_ATTRS_HEX = Buffer.from(JSON.stringify({ attrs: { role: 'admin' } })).toString('hex');

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = rogue-ca
O = Not a channel member
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.2.3.4.5.6.7.8.1 = DER:${ROLE_ADMIN_ATTRS_HEX}
[tls]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
`;

const NODE_OUS = ['client', 'peer', 'admin', 'orderer']
  .map((ou) => `  ${ou[0]?.toUpperCase()}${ou.slice(1)}OUIdentifier:\n    Certificate: cacerts/ca.pem\n    OrganizationalUnitIdentifier: ${ou}`)
  .join('\n');

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes the rogue CA and its client identity in a fresh temporary folder. */
export function makeRogueCa(): RogueCa {
  const dir = mkdtempSync(join(tmpdir(), 'asl-rogue-ca-'));
  writeFileSync(join(dir, 'openssl.cnf'), OPENSSL_CONFIG);
  const key = (file: string) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], dir);
  const issue = (name: string, subject: string, section: string) => {
    key(`${name}.key`);
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'openssl.cnf', '-extensions', section, '-out', `${name}.pem`], dir);
  };
  key('ca.key');
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-config', 'openssl.cnf', '-extensions', 'ca', '-days', '1', '-out', 'ca.pem'], dir);
  issue('client', '/O=Not a channel member/OU=client/CN=rogue-adm-0001', 'client');
  issue('tls', '/O=Not a channel member/CN=rogue-adm-0001', 'tls');
  const msp = join(dir, 'msp');
  for (const sub of ['signcerts', 'keystore', 'cacerts']) mkdirSync(join(msp, sub), { recursive: true });
  execFileSync('cp', [join(dir, 'client.pem'), join(msp, 'signcerts', 'cert.pem')]);
  execFileSync('cp', [join(dir, 'client.key'), join(msp, 'keystore', 'rogue_sk')]);
  execFileSync('cp', [join(dir, 'ca.pem'), join(msp, 'cacerts', 'ca.pem')]);
  writeFileSync(join(msp, 'config.yaml'), `NodeOUs:\n  Enable: true\n${NODE_OUS}\n`);
  for (const k of ['ca.key', 'client.key', 'tls.key', join('msp', 'keystore', 'rogue_sk')]) chmodSync(join(dir, k), 0o600);
  return {
    msp,
    tls: { certificate: join(dir, 'tls.pem'), privateKey: join(dir, 'tls.key') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
