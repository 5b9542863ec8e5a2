import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** A TCP port a Fabric process listens on. */
const Port = z.number().int().min(1024).max(65535);
/** A Go duration as Fabric reads it (`250ms`, `10s`, `2m`). */
const Duration = z.string().regex(/^\d+(ms|s|m|h)$/, 'a Go duration such as 250ms, 10s or 2m');
/** A byte size as configtxgen reads it (`10 MB`, `512 KB`). */
const ByteSize = z.string().regex(/^\d+ (KB|MB)$/, 'a size such as 512 KB or 10 MB');
/** Names used in file paths, hostnames and Fabric IDs: no path separators, no spaces. */
const Name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');
const MspId = z.string().regex(/^[A-Za-z][A-Za-z0-9]*MSP$/, 'an MSP ID ending in MSP');
const EnrollmentId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a staff or system number, never a name');

/**
 * The role OUs of an MSP with NodeOUs (generators/msp.ts). fabric-ca writes an identity's type *and* its
 * affiliation (here: the org's `key`) as OUs into the certificate; the MSP refuses an identity with more
 * than one role OU (fabric msp/mspimplvalidate.go, validateIdentityOUsV142). So no org key may be one of them.
 */
export const NODE_OU_ROLES = ['client', 'peer', 'admin', 'orderer'] as const;

/** Roles a client certificate carries in its `role` attribute (domain.md §1). */
export const CLIENT_ROLES = ['adapter', 'caseworker', 'auditor', 'admin'] as const;
/** One of {@link CLIENT_ROLES}. */
export type ClientRole = (typeof CLIENT_ROLES)[number];

const CaSchema = z.strictObject({ name: Name, port: Port, operationsPort: Port });

const OrgSchema = z.strictObject({
  mspId: MspId,
  key: Name,
  kind: z.enum(['ordering-service', 'federal-office', 'state-authority']),
  /** Multi-host mode: the organisation's own address; defaults to the topology's `host`. */
  host: z.string().min(1).optional(),
  ca: CaSchema,
  admins: z.array(EnrollmentId).default([]),
  clients: z.array(z.strictObject({ enrollmentId: EnrollmentId, role: z.enum(CLIENT_ROLES) })).default([]),
});

const OrdererSchema = z.strictObject({
  name: Name,
  org: MspId,
  port: Port,
  adminPort: Port,
  operationsPort: Port,
});

const PeerSchema = z.strictObject({
  name: Name,
  org: MspId,
  profile: z.enum(['base', 'second-peer']),
  port: Port,
  chaincodePort: Port,
  operationsPort: Port,
  chaincodeServerPort: Port,
});

const CollectionSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
  members: z.array(MspId).min(1),
  requiredPeerCount: z.number().int().min(0),
  maxPeerCount: z.number().int().min(0),
  blockToLive: z.number().int().min(0),
  memberOnlyRead: z.boolean(),
  memberOnlyWrite: z.boolean(),
  endorsementPolicy: z.string().min(1).optional(),
});

/** The schema of `network/topology.yaml`; {@link Topology} is inferred from it. */
export const TopologySchema = z
  .strictObject({
    name: Name,
    host: z.string().min(1),
    orgs: z.array(OrgSchema).min(1),
    orderers: z.array(OrdererSchema).min(1),
    peers: z.array(PeerSchema).min(1),
    channel: z.strictObject({
      name: z.string().regex(/^[a-z][a-z0-9.-]*$/, 'a Fabric channel name'),
      capabilities: z.strictObject({
        channel: z.enum(['V2_0', 'V3_0']),
        orderer: z.enum(['V2_0']),
        application: z.enum(['V2_0', 'V2_5']),
      }),
      batch: z.strictObject({
        timeout: Duration,
        maxMessageCount: z.number().int().min(1),
        absoluteMaxBytes: ByteSize,
        preferredMaxBytes: ByteSize,
      }),
      raft: z.strictObject({
        tickInterval: Duration,
        electionTick: z.number().int().min(2),
        heartbeatTick: z.number().int().min(1),
        maxInflightBlocks: z.number().int().min(1),
        snapshotIntervalSize: ByteSize,
      }),
    }),
    chaincode: z.strictObject({
      name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
      version: z.string().min(1),
      sequence: z.number().int().min(1),
      endorsementPolicy: z.string().min(1),
      dialTimeout: Duration,
      collections: z.array(CollectionSchema),
    }),
    ledger: z.strictObject({
      purgeInterval: z.number().int().min(1),
      stateDatabase: z.enum(['goleveldb']),
      historyDatabase: z.boolean(),
    }),
    timeouts: z.strictObject({
      chaincodeStartup: Duration,
      chaincodeExecute: Duration,
      clientConnect: Duration,
      gossipReconnect: Duration,
    }),
  })
  .superRefine((t, ctx) => {
    const issue = (message: string, path: (string | number)[]): void => {
      ctx.addIssue({ code: 'custom', message, path });
    };
    const mspIds = new Set(t.orgs.map((o) => o.mspId));
    const ordererOrgs = t.orgs.filter((o) => o.kind === 'ordering-service');
    duplicates(t.orgs.map((o) => o.mspId)).forEach((d) => issue(`duplicate MSP ID ${d}`, ['orgs']));
    duplicates(t.orgs.map((o) => o.key)).forEach((d) => issue(`duplicate org key ${d}`, ['orgs']));
    t.orgs.forEach((o, i) => {
      if ((NODE_OU_ROLES as readonly string[]).includes(o.key)) {
        issue(`org key ${o.key} is also its CA affiliation and would collide with the NodeOU role ${o.key} in every certificate`, ['orgs', i, 'key']);
      }
    });
    if (ordererOrgs.length !== 1) issue('exactly one organisation of kind ordering-service', ['orgs']);
    t.orderers.forEach((o, i) => {
      if (!mspIds.has(o.org)) issue(`unknown org ${o.org}`, ['orderers', i, 'org']);
      else if (!ordererOrgs.some((org) => org.mspId === o.org)) issue(`${o.org} is not an ordering service`, ['orderers', i, 'org']);
    });
    if (t.orderers.length < 3) issue('Raft needs at least 3 orderers to survive the loss of one', ['orderers']);
    t.peers.forEach((p, i) => {
      if (!mspIds.has(p.org)) issue(`unknown org ${p.org}`, ['peers', i, 'org']);
      else if (ordererOrgs.some((org) => org.mspId === p.org)) issue(`${p.org} runs no peers`, ['peers', i, 'org']);
    });
    duplicates(t.orderers.map((o) => o.name)).forEach((d) => issue(`duplicate orderer ${d}`, ['orderers']));
    duplicates(t.peers.map((p) => `${p.name}.${p.org}`)).forEach((d) => issue(`duplicate peer ${d}`, ['peers']));
    t.orgs.forEach((o, i) => {
      if (o.kind !== 'ordering-service' && !t.peers.some((p) => p.org === o.mspId && p.profile === 'base')) {
        issue(`${o.mspId} has no base peer`, ['orgs', i]);
      }
      if (o.admins.length === 0) issue(`${o.mspId} needs an admin`, ['orgs', i, 'admins']);
    });
    t.chaincode.collections.forEach((c, i) => {
      c.members.forEach((m) => {
        if (!mspIds.has(m)) issue(`unknown org ${m}`, ['chaincode', 'collections', i, 'members']);
      });
      if (c.maxPeerCount < c.requiredPeerCount) issue('maxPeerCount < requiredPeerCount', ['chaincode', 'collections', i]);
      if (c.endorsementPolicy !== undefined) checkPolicyOrgs(c.endorsementPolicy, mspIds, ['chaincode', 'collections', i, 'endorsementPolicy'], issue);
    });
    duplicates(t.chaincode.collections.map((c) => c.name)).forEach((d) => issue(`duplicate collection ${d}`, ['chaincode']));
    checkPolicyOrgs(t.chaincode.endorsementPolicy, mspIds, ['chaincode', 'endorsementPolicy'], issue);
    duplicates(allPorts(t).map((p) => `${p.host}:${p.port}`)).forEach((d) => issue(`port used twice: ${d}`, []));
    const ids = t.orgs.flatMap((o) => [...o.admins, ...o.clients.map((c) => c.enrollmentId)]);
    duplicates(ids).forEach((d) => issue(`enrollment ID used twice: ${d}`, ['orgs']));
  });

/** The validated network description. */
export type Topology = z.infer<typeof TopologySchema>;
/** One organisation of the topology. */
export type Org = Topology['orgs'][number];
/** One orderer of the topology. */
export type Orderer = Topology['orderers'][number];
/** One peer of the topology. */
export type Peer = Topology['peers'][number];
/** One private data collection. */
export type Collection = Topology['chaincode']['collections'][number];

/** A port some process of the topology listens on. */
export interface PortUse {
  /** Which process and listener, e.g. `peer0.bamf chaincode`. */
  readonly owner: string;
  readonly host: string;
  readonly port: number;
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}

function checkPolicyOrgs(
  policy: string,
  mspIds: ReadonlySet<string>,
  path: (string | number)[],
  issue: (m: string, p: (string | number)[]) => void,
): void {
  for (const m of policy.matchAll(/'([^'.]+)\.(peer|member|admin|client|orderer)'/g)) {
    if (m[1] !== undefined && !mspIds.has(m[1])) issue(`policy names unknown org ${m[1]}`, path);
  }
  if (!/'[^'.]+\.(peer|member|admin|client|orderer)'/.test(policy)) issue('policy names no principal', path);
}

/** The organisation with this MSP ID (the topology has been validated, so it exists). */
export function orgOf(t: Topology, mspId: string): Org {
  const org = t.orgs.find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`unknown org ${mspId}`);
  return org;
}

/** The listen address of an organisation's processes. */
export function hostOf(t: Topology, org: Org): string {
  return org.host ?? t.host;
}

/** The ordering service organisation. */
export function ordererOrg(t: Topology): Org {
  const org = t.orgs.find((o) => o.kind === 'ordering-service');
  if (org === undefined) throw new Error('no ordering-service org');
  return org;
}

/** Organisations that run peers (the application orgs of the channel). */
export function peerOrgs(t: Topology): Org[] {
  return t.orgs.filter((o) => o.kind !== 'ordering-service');
}

/** Fully qualified node name, e.g. `peer0.bamf` / `orderer1.ordering`: CN, peer ID, compose service. */
export function nodeHost(t: Topology, node: { name: string; org: string }): string {
  return `${node.name}.${orgOf(t, node.org).key}`;
}

/** Peers that run with the given options (second peers only on request). */
export function activePeers(t: Topology, opts: { secondPeer: boolean }): Peer[] {
  return t.peers.filter((p) => p.profile === 'base' || opts.secondPeer);
}

/** Every listening port of every process in the topology (including optional second peers). */
export function allPorts(t: Topology): PortUse[] {
  const host = (mspId: string): string => t.orgs.find((o) => o.mspId === mspId)?.host ?? t.host;
  const uses: PortUse[] = [];
  for (const o of t.orgs) {
    uses.push({ owner: `${o.ca.name} listen`, host: o.host ?? t.host, port: o.ca.port });
    uses.push({ owner: `${o.ca.name} operations`, host: o.host ?? t.host, port: o.ca.operationsPort });
  }
  for (const o of t.orderers) {
    const n = `${o.name}.${o.org}`;
    uses.push({ owner: `${n} listen`, host: host(o.org), port: o.port });
    uses.push({ owner: `${n} admin`, host: host(o.org), port: o.adminPort });
    uses.push({ owner: `${n} operations`, host: host(o.org), port: o.operationsPort });
  }
  for (const p of t.peers) {
    const n = `${p.name}.${p.org}`;
    uses.push({ owner: `${n} listen`, host: host(p.org), port: p.port });
    uses.push({ owner: `${n} chaincode listener`, host: host(p.org), port: p.chaincodePort });
    uses.push({ owner: `${n} operations`, host: host(p.org), port: p.operationsPort });
    uses.push({ owner: `${n} chaincode server`, host: host(p.org), port: p.chaincodeServerPort });
  }
  return uses;
}

/** Validates a parsed topology; throws a `ZodError` listing every problem. */
export function parseTopology(data: unknown): Topology {
  return TopologySchema.parse(data);
}

/** Path of the committed topology file. */
export const DEFAULT_TOPOLOGY_FILE = join(__dirname, '..', 'topology.yaml');

/** Reads and validates a topology file (default: `network/topology.yaml`). */
export function loadTopology(file: string = DEFAULT_TOPOLOGY_FILE): Topology {
  return parseTopology(parse(readFileSync(file, 'utf8')));
}
