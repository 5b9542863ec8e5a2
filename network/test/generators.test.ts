/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- these tests walk untyped generated YAML/JSON on purpose */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { secretFor } from '../src/ca';
import { caServerConfig } from '../src/generators/ca-config';
import { ccaasPackage, connectionJson, packageId } from '../src/generators/ccaas-package';
import { chaincodeServerEnv } from '../src/generators/chaincode-server';
import { collectionsConfig } from '../src/generators/collections';
import { composeFile, composeYaml } from '../src/generators/compose';
import { CHANNEL_PROFILE, configtx, configtxYaml } from '../src/generators/configtx';
import { deepMerge } from '../src/generators/merge';
import { nodeOusConfigYaml } from '../src/generators/msp';
import { ordererEnv, osnadminJoinArgs } from '../src/generators/orderer';
import { operationsProbe, peerAdminEnv, peerCoreYamlPatch, peerEnv } from '../src/generators/peer';
import { identityPlan } from '../src/identities';
import { Layout } from '../src/layout';
import { allPorts, loadTopology, orgOf, parseTopology, type Topology } from '../src/topology';

const HOME = '/data-home-under-test';
const CFG = '/fabric-cfg-under-test';
const BUILDER = '/builder-under-test';
const t = loadTopology();
const layout = new Layout(HOME, t);
const builder = { address: 'address-under-test', root_cert: 'R', client_cert: 'C', client_key: 'K' };
const peer = (org: string, name = 'peer0') => t.peers.find((p) => p.org === org && p.name === name)!;

/** Untar a ustar archive into name → content. */
function untar(buf: Buffer): Map<string, { type: string; content: Buffer }> {
  const out = new Map<string, { type: string; content: Buffer }>();
  for (let at = 0; at + 512 <= buf.length; ) {
    const h = buf.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('ascii'), 8);
    const type = String.fromCharCode(h[156]!);
    out.set(name, { type, content: buf.subarray(at + 512, at + 512 + size) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** Every string leaf of a JSON-like value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(strings);
  return [];
}

/** Everything the generators produce for the topology, with the data dir at HOME. */
function everything(top: Topology, l: Layout): unknown[] {
  return [
    configtx(top, l),
    collectionsConfig(top),
    ...top.peers.map((p) => peerEnv(top, l, p, builder, CFG)),
    ...top.peers.map((p) => peerAdminEnv(top, l, p, orgOf(top, p.org).admins[0]!, CFG)),
    ...top.peers.map((p) => chaincodeServerEnv(top, l, p, 'procedure_1.0:abc')),
    peerCoreYamlPatch(top, l, BUILDER),
    ...top.orderers.map((o) => ordererEnv(top, l, o, CFG)),
    ...top.orderers.map((o) => osnadminJoinArgs(top, l, o, 'orderer-adm-0001')),
    ...top.orgs.map((o) => caServerConfig(top, o, 'secret')),
  ];
}

describe('configtx.yaml generator', () => {
  const c = configtx(t, layout) as any;
  const profile = c.Profiles[CHANNEL_PROFILE];

  it('describes a Raft channel without system channel, v3 channel capability, the topology batch settings', () => {
    expect(profile.Orderer.OrdererType).toBe('etcdraft');
    expect(profile.Capabilities).toEqual({ V3_0: true });
    expect(profile.Orderer.Capabilities).toEqual({ V2_0: true });
    expect(profile.Application.Capabilities).toEqual({ V2_5: true });
    expect(profile.Orderer.BatchTimeout).toBe('250ms');
    expect(profile.Orderer.BatchSize).toEqual({ MaxMessageCount: 100, AbsoluteMaxBytes: '10 MB', PreferredMaxBytes: '2 MB' });
    expect(profile.Orderer.Addresses).toBeUndefined();
    expect(profile.Consortium).toBeUndefined();
  });

  it('lists the three consenters with their TLS certificates and ports from the topology', () => {
    expect(profile.Orderer.EtcdRaft.Consenters).toEqual(
      t.orderers.map((o) => ({
        Host: '127.0.0.1',
        Port: o.port,
        ClientTLSCert: `${HOME}/network/crypto/ordering/nodes/${o.name}.ordering/tls/server.crt`,
        ServerTLSCert: `${HOME}/network/crypto/ordering/nodes/${o.name}.ordering/tls/server.crt`,
      })),
    );
    expect(profile.Orderer.EtcdRaft.Options).toMatchObject({ TickInterval: '500ms', ElectionTick: 10 });
  });

  it('uses NodeOUs roles in org policies, orderer endpoints per org and anchor peers in the block', () => {
    const bamf = profile.Application.Organizations.find((o: any) => o.ID === 'BamfMSP');
    expect(bamf.Policies.Endorsement.Rule).toBe("OR('BamfMSP.peer')");
    expect(bamf.Policies.Admins.Rule).toBe("OR('BamfMSP.admin')");
    expect(bamf.Policies.Writers.Rule).toBe("OR('BamfMSP.admin', 'BamfMSP.client')");
    expect(bamf.AnchorPeers).toEqual([{ Host: '127.0.0.1', Port: 7110 }]);
    expect(bamf.MSPDir).toBe(`${HOME}/network/crypto/bamf/msp`);
    const ord = profile.Orderer.Organizations[0];
    expect(ord.OrdererEndpoints).toEqual(['127.0.0.1:7010', '127.0.0.1:7020', '127.0.0.1:7030']);
    expect(profile.Application.Policies.LifecycleEndorsement.Rule).toBe('MAJORITY Endorsement');
  });

  it('renders as YAML without anchors (configtxgen reads plain YAML)', () => {
    const text = configtxYaml(t, layout);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual(c);
  });
});

describe('collections config', () => {
  it('has the keys peer lifecycle reads, with ZAB-only endorsement for zabEnforcement', () => {
    expect(collectionsConfig(t)).toEqual([
      {
        name: 'caseDetails',
        policy: "OR('BamfMSP.member','ZabSachsenMSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
      },
      {
        name: 'zabEnforcement',
        policy: "OR('ZabSachsenMSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 0,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
        endorsementPolicy: { signaturePolicy: "OR('ZabSachsenMSP.peer')" },
      },
    ]);
  });
});

describe('peer config', () => {
  it('sets CCaaS, gateway, TLS with client auth, its own chaincode listener and operations port', () => {
    const env = peerEnv(t, layout, peer('ZabSachsenMSP'), builder, CFG);
    expect(env).toMatchObject({
      FABRIC_CFG_PATH: CFG,
      CORE_PEER_ID: 'peer0.zab',
      CORE_PEER_LOCALMSPID: 'ZabSachsenMSP',
      CORE_PEER_LISTENADDRESS: '127.0.0.1:7210',
      CORE_PEER_CHAINCODELISTENADDRESS: '127.0.0.1:7211',
      CORE_OPERATIONS_LISTENADDRESS: '127.0.0.1:7212',
      CORE_PEER_GOSSIP_EXTERNALENDPOINT: '127.0.0.1:7210',
      CORE_PEER_GATEWAY_ENABLED: 'true',
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true',
      CORE_VM_ENDPOINT: '',
      CORE_LEDGER_PVTDATASTORE_PURGEINTERVAL: '1',
      CORE_PEER_FILESYSTEMPATH: `${HOME}/network/ledgers/peer0.zab`,
    });
    expect(JSON.parse(env.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG!)).toEqual(builder);
  });

  it('bootstraps gossip of a second peer from its org’s base peer', () => {
    expect(peerEnv(t, layout, peer('BamfMSP', 'peer1'), builder, CFG).CORE_PEER_GOSSIP_BOOTSTRAP).toBe('127.0.0.1:7110');
  });

  it('patches core.yaml with the ccaas builder, an empty vm.endpoint and all orgs’ TLS roots', () => {
    const patch = peerCoreYamlPatch(t, layout, BUILDER) as any;
    expect(patch.vm).toEqual({ endpoint: '' });
    expect(patch.chaincode.externalBuilders).toEqual([
      { name: 'ccaas_builder', path: BUILDER, propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'] },
    ]);
    expect(patch.peer.tls.clientRootCAs.files).toHaveLength(3);
    const merged = deepMerge({ vm: { endpoint: 'unix:///var/run/docker.sock', docker: { x: 1 } }, peer: { id: 'jdoe' } }, patch) as any;
    expect(merged.vm).toEqual({ endpoint: '', docker: { x: 1 } });
    expect(merged.peer.id).toBe('jdoe');
  });
});

describe('orderer env', () => {
  it('enables channel participation and the mTLS admin endpoint, on the topology ports', () => {
    const env = ordererEnv(t, layout, t.orderers[1]!, CFG);
    expect(env).toMatchObject({
      ORDERER_GENERAL_LISTENADDRESS: '127.0.0.1',
      ORDERER_GENERAL_LISTENPORT: '7020',
      ORDERER_GENERAL_LOCALMSPID: 'OrdererMSP',
      ORDERER_GENERAL_TLS_ENABLED: 'true',
      ORDERER_GENERAL_TLS_CLIENTAUTHREQUIRED: 'true',
      ORDERER_ADMIN_LISTENADDRESS: '127.0.0.1:7021',
      ORDERER_ADMIN_TLS_ENABLED: 'true',
      ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
      ORDERER_OPERATIONS_LISTENADDRESS: '127.0.0.1:7022',
      ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
    });
    expect(env.ORDERER_GENERAL_BOOTSTRAPMETHOD).toBeUndefined();
    expect(env.ORDERER_CONSENSUS_WALDIR).toBe(`${HOME}/network/ledgers/orderer2.ordering/etcdraft/wal`);
  });
});

describe('operations endpoints (issue 10: /metrics and /logspec only with a client certificate)', () => {
  // Verified against hyperledger/fabric core/operations/system.go (handlerChain: RequireCert on
  // /metrics and /logspec whenever TLS.Enabled; /healthz and /version without) and tls.go
  // (ClientAuthRequired=false -> tls.VerifyClientCertIfGiven: a presented cert is still verified).
  it('peer: CORE_OPERATIONS_TLS_* as read by core/peer/config.go (operations.tls.{enabled,cert.file,key.file,clientAuthRequired,clientRootCAs.files})', () => {
    const env = peerEnv(t, layout, peer('BamfMSP'), builder, CFG);
    expect(env).toMatchObject({
      CORE_OPERATIONS_LISTENADDRESS: '127.0.0.1:7112',
      CORE_OPERATIONS_TLS_ENABLED: 'true',
      CORE_OPERATIONS_TLS_CERT_FILE: `${HOME}/network/crypto/bamf/nodes/peer0.bamf/tls/server.crt`,
      CORE_OPERATIONS_TLS_KEY_FILE: `${HOME}/network/crypto/bamf/nodes/peer0.bamf/tls/server.key`,
      CORE_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
      CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES: `${HOME}/network/crypto/bamf/msp/tlscacerts/tlsca.pem`,
    });
    // A one-element list in env form: must not contain whitespace (viper splits string slices at whitespace).
    expect(env.CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES).not.toMatch(/\s/);
  });

  it('orderer: ORDERER_OPERATIONS_TLS_* as the localconfig TLS struct names them (Enabled, PrivateKey, Certificate, ClientAuthRequired, ClientRootCAs)', () => {
    // orderer/common/localconfig/config.go: type Operations struct { ListenAddress string; TLS TLS }
    const env = ordererEnv(t, layout, t.orderers[0]!, CFG);
    expect(env).toMatchObject({
      ORDERER_OPERATIONS_LISTENADDRESS: '127.0.0.1:7012',
      ORDERER_OPERATIONS_TLS_ENABLED: 'true',
      ORDERER_OPERATIONS_TLS_CERTIFICATE: `${HOME}/network/crypto/ordering/nodes/orderer1.ordering/tls/server.crt`,
      ORDERER_OPERATIONS_TLS_PRIVATEKEY: `${HOME}/network/crypto/ordering/nodes/orderer1.ordering/tls/server.key`,
      ORDERER_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
      ORDERER_OPERATIONS_TLS_CLIENTROOTCAS: `[${HOME}/network/crypto/ordering/msp/tlscacerts/tlsca.pem]`,
    });
  });

  it('admin endpoint keeps mutual TLS (localconfig panics on Admin.TLS.Enabled without ClientAuthRequired)', () => {
    const env = ordererEnv(t, layout, t.orderers[2]!, CFG);
    expect(env.ORDERER_ADMIN_TLS_ENABLED).toBe('true');
    expect(env.ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED).toBe('true');
    expect(env.ORDERER_ADMIN_TLS_CLIENTROOTCAS).toBe(`[${HOME}/network/crypto/ordering/nodes/orderer3.ordering/tls/ca.crt]`);
  });

  it('readiness probes use https on the operations port, verified against the node TLS CA', () => {
    expect(operationsProbe(t, layout, peer('ZabSachsenMSP'))).toEqual({
      url: 'https://127.0.0.1:7212/healthz',
      ca: `${HOME}/network/crypto/zab/nodes/peer0.zab/tls/ca.crt`,
    });
    expect(operationsProbe(t, layout, t.orderers[1]!)).toEqual({
      url: 'https://127.0.0.1:7022/healthz',
      ca: `${HOME}/network/crypto/ordering/nodes/orderer2.ordering/tls/ca.crt`,
    });
  });

  it('the compose file carries the same operations TLS settings', () => {
    const c = composeFile(t) as any;
    expect(c.services['peer0.bamf'].environment.CORE_OPERATIONS_TLS_ENABLED).toBe('true');
    expect(c.services['orderer1.ordering'].environment.ORDERER_OPERATIONS_TLS_ENABLED).toBe('true');
  });
});

describe('orderer Raft cluster TLS', () => {
  // Verified against fabric orderer/common/server/main.go initializeClusterClientConfig (uses
  // General.Cluster.ClientCertificate/ClientPrivateKey; falls back to General.TLS only when both are
  // empty) and fabric-samples test-network/compose/compose-test-net.yaml (sets both to tls/server.*).
  it('presents the node TLS certificate as cluster client certificate, the one configtx lists as ClientTLSCert', () => {
    const o = t.orderers[0]!;
    const env = ordererEnv(t, layout, o, CFG);
    const consenter = (configtx(t, layout) as any).Profiles[CHANNEL_PROFILE].Orderer.EtcdRaft.Consenters[0];
    expect(env.ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE).toBe(consenter.ClientTLSCert);
    expect(env.ORDERER_GENERAL_TLS_CERTIFICATE).toBe(consenter.ServerTLSCert);
    expect(env.ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY).toBe(env.ORDERER_GENERAL_TLS_PRIVATEKEY);
    expect(env.ORDERER_GENERAL_CLUSTER_ROOTCAS).toBe(env.ORDERER_GENERAL_TLS_ROOTCAS);
    // Cluster traffic on the main listener: none of the keys that would make the orderer open a second one.
    for (const k of ['LISTENPORT', 'LISTENADDRESS', 'SERVERCERTIFICATE', 'SERVERPRIVATEKEY']) {
      expect(env[`ORDERER_GENERAL_CLUSTER_${k}`]).toBeUndefined();
    }
  });
});

describe('Fabric CA server config', () => {
  it('listens with TLS on the org address and port, with its own operations port and a tls profile', () => {
    const c = caServerConfig(t, orgOf(t, 'BamfMSP'), 's3cret') as any;
    expect(c).toMatchObject({ port: 7100, address: '127.0.0.1', tls: { enabled: true }, ca: { name: 'ca-bamf' } });
    expect(c.operations.listenAddress).toBe('127.0.0.1:7101');
    expect(c.signing.profiles.tls.usage).toEqual(expect.arrayContaining(['server auth', 'client auth']));
    expect(c.registry.identities[0]).toMatchObject({ name: 'registrar', pass: 's3cret', attrs: { 'hf.Registrar.Attributes': '*' } });
    expect(c.affiliations).toEqual({ bamf: [] });
    expect(c.csr.hosts).toContain('127.0.0.1');
  });

  it('NodeOUs config.yaml names all four OUs against the MSP root CA', () => {
    const y = parse(nodeOusConfigYaml());
    expect(y.NodeOUs.Enable).toBe(true);
    for (const k of ['ClientOUIdentifier', 'PeerOUIdentifier', 'AdminOUIdentifier', 'OrdererOUIdentifier']) {
      expect(y.NodeOUs[k].Certificate).toBe('cacerts/ca.pem');
    }
    expect(y.NodeOUs.PeerOUIdentifier.OrganizationalUnitIdentifier).toBe('peer');
  });
});

describe('identity plan', () => {
  it('enrols nodes by type, admins as admin and every client with its role', () => {
    const plan = identityPlan(t, layout, { secondPeer: false });
    const by = (id: string) => plan.find((s) => s.enrollmentId === id)!;
    expect(by('orderer1.ordering').type).toBe('orderer');
    expect(by('peer0.bamf').type).toBe('peer');
    expect(by('bamf-adm-0001').type).toBe('admin');
    expect(by('zab-aud-0001')).toMatchObject({ type: 'client', role: 'auditor' });
    expect(plan.filter((s) => s.role !== undefined).map((s) => s.role).sort()).toEqual(
      ['adapter', 'adapter', 'admin', 'admin', 'auditor', 'auditor', 'caseworker', 'caseworker'],
    );
    expect(plan.some((s) => s.enrollmentId === 'peer1.bamf')).toBe(false);
    expect(identityPlan(t, layout, { secondPeer: true }).some((s) => s.enrollmentId === 'peer1.bamf')).toBe(true);
  });
});

describe('CCaaS package', () => {
  it('is a tar.gz of regular files metadata.json and code.tar.gz holding connection.json', () => {
    const outer = untar(gunzipSync(ccaasPackage(t)));
    expect([...outer.keys()]).toEqual(['metadata.json', 'code.tar.gz']);
    expect([...outer.values()].every((e) => e.type === '0')).toBe(true);
    expect(JSON.parse(outer.get('metadata.json')!.content.toString())).toEqual({ type: 'ccaas', label: 'procedure_1.0' });
    const inner = untar(gunzipSync(outer.get('code.tar.gz')!.content));
    const conn = JSON.parse(inner.get('connection.json')!.content.toString());
    expect(conn).toEqual(connectionJson(t));
    expect(conn.tls_required).toBe(true);
    expect(conn.client_auth_required).toBe(true);
    expect(conn.address).toBe('{{.address}}');
  });

  it('is byte-for-byte deterministic, so its package ID is stable', () => {
    const a = ccaasPackage(t);
    expect(ccaasPackage(t).equals(a)).toBe(true);
    expect(packageId(t, a)).toMatch(/^procedure_1\.0:[0-9a-f]{64}$/);
  });

  it('chaincode server env: package ID, own port, mutual TLS, MSP ID', () => {
    const env = chaincodeServerEnv(t, layout, peer('BamfMSP'), 'procedure_1.0:abc');
    expect(env).toMatchObject({
      CORE_CHAINCODE_ID: 'procedure_1.0:abc',
      CORE_CHAINCODE_ADDRESS: '127.0.0.1:7113',
      CORE_PEER_LOCALMSPID: 'BamfMSP',
      CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE: `${HOME}/network/crypto/bamf/msp/tlscacerts/tlsca.pem`,
    });
  });
});

describe('cross-checks against the real consumers', () => {
  it('chaincode server env names are fabric-shim 2.5.8 server options through yargs .env("CORE")', () => {
    // node_modules/fabric-shim/cli.js: yargs().env('CORE'); lib/cmds/serverCommand.js validOptions.
    // (Also run for real: `fabric-chaincode-node server` with exactly this env listened with TLS + client CA.)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { validOptions } = require('fabric-shim/lib/cmds/serverCommand.js') as { validOptions: Record<string, unknown> };
    const env = chaincodeServerEnv(t, layout, peer('BamfMSP'), 'procedure_1.0:abc');
    const options = Object.keys(env)
      .filter((k) => k.startsWith('CORE_CHAINCODE_') && k !== 'CORE_CHAINCODE_LOGGING_LEVEL')
      .map((k) => k.slice('CORE_'.length).toLowerCase().replace(/_/g, '-'));
    expect(options.sort()).toEqual(['chaincode-address', 'chaincode-id', 'chaincode-tls-cert-file', 'chaincode-tls-client-cacert-file', 'chaincode-tls-key-file']);
    for (const o of options) expect(Object.keys(validOptions)).toContain(o);
  });

  it('connection.json has exactly the keys of the ccaas builder struct, templated fields filled from CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG', () => {
    // fabric ccaas_builder/cmd/build/main.go: type connection struct { address, dial_timeout,
    // tls_required (bool), client_auth_required (bool), root_cert, client_key, client_cert };
    // each string field is rendered with text/template (missingkey=error) against the JSON in
    // CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG, so every {{.x}} must be a key of the peer's builder config.
    const conn = connectionJson(t);
    expect(Object.keys(conn).sort()).toEqual(['address', 'client_auth_required', 'client_cert', 'client_key', 'dial_timeout', 'root_cert', 'tls_required']);
    const cfg = JSON.parse(peerEnv(t, layout, peer('ZabSachsenMSP'), builder, CFG).CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG!) as Record<string, string>;
    for (const v of Object.values(conn)) {
      for (const m of String(v).matchAll(/\{\{\.(\w+)\}\}/g)) expect(Object.keys(cfg)).toContain(m[1]);
    }
    const patch = peerCoreYamlPatch(t, layout, BUILDER) as any;
    expect(patch.chaincode.externalBuilders[0].propagateEnvironment).toEqual(['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG']);
  });
});

describe('secrets file mode (issue 10)', () => {
  it('secretFor writes secrets/<org>.json with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-secret-'));
    try {
      const l = new Layout(dir, t);
      const org = orgOf(t, 'BamfMSP');
      const s1 = secretFor(l, org, 'bamf-cw-0001');
      expect(secretFor(l, org, 'bamf-cw-0001')).toBe(s1);
      expect((statSync(l.secrets(org)).mode & 0o777).toString(8)).toBe('600');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('derived from the topology only', () => {
  it('every port in generated config is a port of the topology', () => {
    const known = new Set(allPorts(t).map((p) => p.port));
    const mentioned = everything(t, layout)
      .flatMap(strings)
      .flatMap((s) => [...s.matchAll(/(?:127\.0\.0\.1|localhost):(\d+)/g)].map((m) => Number(m[1])));
    const numeric = [configtx(t, layout)].flatMap((c) => JSON.stringify(c).match(/"Port":(\d+)/g) ?? []).map((s) => Number(s.split(':')[1]));
    expect(mentioned.length).toBeGreaterThan(20);
    for (const p of [...mentioned, ...numeric]) expect(known).toContain(p);
  });

  it('moving every port moves it everywhere', () => {
    const shifted = parse(readFileSync(join(__dirname, '..', 'topology.yaml'), 'utf8'));
    const bump = (o: any) => {
      for (const k of Object.keys(o)) if (/port$/i.test(k) && typeof o[k] === 'number') o[k] += 20000;
    };
    shifted.orgs.forEach((o: any) => bump(o.ca));
    shifted.orderers.forEach(bump);
    shifted.peers.forEach(bump);
    const t2 = parseTopology(shifted);
    const text = JSON.stringify(everything(t2, new Layout(HOME, t2)));
    for (const p of allPorts(t)) expect(text).not.toMatch(new RegExp(`[:"]${p.port}\\b(?!\\d)`));
  });

  it('every absolute path is under the data dir or a directory passed in', () => {
    const paths = everything(t, layout)
      .flatMap(strings)
      .flatMap((s) => s.replace(/^\[|\]$/g, '').split(/[ ,]/))
      .filter((s) => s.startsWith('/'));
    expect(paths.length).toBeGreaterThan(50);
    for (const p of paths) expect([HOME, CFG, BUILDER].some((root) => p === root || p.startsWith(root + '/'))).toBe(true);
  });
});

describe('docker-compose.yaml', () => {
  it('the committed file is exactly the generator output for the topology', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'test-network', 'docker-compose.yaml'), 'utf8');
    expect(committed).toBe(composeYaml(t));
  });

  it('uses the pinned official images, host networking, and a second-peer profile', () => {
    const c = composeFile(t) as any;
    expect(c.services['ca-bamf'].image).toBe('hyperledger/fabric-ca:1.5.21');
    expect(c.services['orderer1.ordering'].image).toBe('hyperledger/fabric-orderer:3.1.5');
    expect(c.services['peer0.zab'].image).toBe('hyperledger/fabric-peer:3.1.5');
    expect(c.services['peer1.zab'].profiles).toEqual(['second-peer']);
    expect(c.services['peer0.zab'].profiles).toBeUndefined();
    expect(Object.values(c.services).every((s: any) => s.network_mode === 'host')).toBe(true);
  });
});

