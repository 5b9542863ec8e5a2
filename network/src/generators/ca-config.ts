import { stringify } from 'yaml';
import { VERSIONS } from '../versions';
import { hostOf, type Org, type Topology } from '../topology';

/** Enrolment ID of each CA's bootstrap admin (the registrar; its secret is generated per data dir). */
export const REGISTRAR_ID = 'registrar';

/**
 * fabric-ca-server-config.yaml of one org (keys as in fabric-ca v1.5.21's default template): TLS on,
 * listening on the org's address only, one affiliation per org, sqlite registry, the `tls` signing
 * profile used for node TLS certificates, operations endpoint on its own port (the default 9443
 * collides with peers and orderers).
 */
export function caServerConfig(t: Topology, org: Org, registrarSecret: string): Record<string, unknown> {
  const host = hostOf(t, org);
  return {
    version: VERSIONS.fabricCa,
    port: org.ca.port,
    address: host,
    debug: false,
    crlsizelimit: 512000,
    tls: { enabled: true, clientauth: { type: 'noclientcert', certfiles: [] } },
    ca: { name: org.ca.name, reenrollIgnoreCertExpiry: false },
    crl: { expiry: '24h' },
    registry: {
      maxenrollments: -1,
      identities: [
        {
          name: REGISTRAR_ID,
          pass: registrarSecret,
          type: 'client',
          affiliation: '',
          attrs: {
            'hf.Registrar.Roles': '*',
            'hf.Registrar.DelegateRoles': '*',
            'hf.Revoker': true,
            'hf.IntermediateCA': false,
            'hf.GenCRL': true,
            'hf.Registrar.Attributes': '*',
            'hf.AffiliationMgr': true,
          },
        },
      ],
    },
    db: { type: 'sqlite3', datasource: 'fabric-ca-server.db', tls: { enabled: false } },
    ldap: { enabled: false },
    affiliations: { [org.key]: [] },
    signing: {
      default: { usage: ['digital signature'], expiry: '8760h' },
      profiles: {
        ca: { usage: ['cert sign', 'crl sign'], expiry: '43800h', caconstraint: { isca: true, maxpathlen: 0 } },
        tls: { usage: ['signing', 'key encipherment', 'server auth', 'client auth', 'key agreement'], expiry: '8760h' },
      },
    },
    csr: {
      cn: org.ca.name,
      keyrequest: { algo: 'ecdsa', size: 256 },
      names: [{ C: 'DE', ST: 'Sachsen', L: 'Dresden', O: org.mspId }],
      hosts: [...new Set([host, 'localhost', org.ca.name])],
      ca: { expiry: '131400h', pathlength: 1 },
    },
    bccsp: { default: 'SW', sw: { hash: 'SHA2', security: 256, filekeystore: { keystore: 'msp/keystore' } } },
    cfg: { identities: { passwordattempts: 10 } },
    operations: { listenAddress: `${host}:${org.ca.operationsPort}`, tls: { enabled: false } },
    metrics: { provider: 'prometheus' },
  };
}

/** {@link caServerConfig} as YAML text. */
export function caServerConfigYaml(t: Topology, org: Org, registrarSecret: string): string {
  return stringify(caServerConfig(t, org, registrarSecret));
}
