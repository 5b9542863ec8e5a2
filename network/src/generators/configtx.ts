import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Layout } from '../layout';
import { activePeers, hostOf, nodeHost, orgOf, ordererOrg, peerOrgs, type Org, type Topology } from '../topology';

/** Name of the configtxgen profile that describes the channel. */
export const CHANNEL_PROFILE = 'ChannelGenesis';

type Policy = { Type: 'Signature' | 'ImplicitMeta'; Rule: string };
const sig = (rule: string): Policy => ({ Type: 'Signature', Rule: rule });
const meta = (rule: string): Policy => ({ Type: 'ImplicitMeta', Rule: rule });

function orgSection(t: Topology, layout: Layout, org: Org): Record<string, unknown> {
  const m = (role: string): string => `'${org.mspId}.${role}'`;
  const base = { Name: org.mspId, ID: org.mspId, MSPDir: layout.orgMsp(org) };
  if (org.kind === 'ordering-service') {
    return {
      ...base,
      Policies: { Readers: sig(`OR(${m('member')})`), Writers: sig(`OR(${m('member')})`), Admins: sig(`OR(${m('admin')})`) },
      OrdererEndpoints: t.orderers.filter((o) => o.org === org.mspId).map((o) => `${hostOf(t, org)}:${o.port}`),
    };
  }
  return {
    ...base,
    Policies: {
      Readers: sig(`OR(${m('admin')}, ${m('peer')}, ${m('client')})`),
      Writers: sig(`OR(${m('admin')}, ${m('client')})`),
      Admins: sig(`OR(${m('admin')})`),
      Endorsement: sig(`OR(${m('peer')})`),
    },
    AnchorPeers: activePeers(t, { secondPeer: false })
      .filter((p) => p.org === org.mspId)
      .map((p) => ({ Host: hostOf(t, org), Port: p.port })),
  };
}

/**
 * configtx.yaml for the channel: Raft ordering without a system channel, v3 channel capability,
 * NodeOUs-based org policies, the batch settings of the topology. All paths absolute (configtxgen
 * resolves relative ones against the file's folder, which would tie the file to one location).
 */
export function configtx(t: Topology, layout: Layout): Record<string, unknown> {
  const ord = ordererOrg(t);
  const apps = peerOrgs(t);
  const caps = t.channel.capabilities;
  const b = t.channel.batch;
  const r = t.channel.raft;
  return {
    Organizations: [ord, ...apps].map((o) => orgSection(t, layout, o)),
    Profiles: {
      [CHANNEL_PROFILE]: {
        Policies: {
          Readers: meta('ANY Readers'),
          Writers: meta('ANY Writers'),
          Admins: meta('MAJORITY Admins'),
        },
        Capabilities: { [caps.channel]: true },
        Orderer: {
          OrdererType: 'etcdraft',
          BatchTimeout: b.timeout,
          BatchSize: { MaxMessageCount: b.maxMessageCount, AbsoluteMaxBytes: b.absoluteMaxBytes, PreferredMaxBytes: b.preferredMaxBytes },
          EtcdRaft: {
            Consenters: t.orderers.map((o) => {
              const tls = join(layout.nodeOf(o).tls, 'server.crt');
              return { Host: hostOf(t, orgOf(t, o.org)), Port: o.port, ClientTLSCert: tls, ServerTLSCert: tls };
            }),
            Options: {
              TickInterval: r.tickInterval,
              ElectionTick: r.electionTick,
              HeartbeatTick: r.heartbeatTick,
              MaxInflightBlocks: r.maxInflightBlocks,
              SnapshotIntervalSize: r.snapshotIntervalSize,
            },
          },
          Organizations: [orgSection(t, layout, ord)],
          Policies: {
            Readers: meta('ANY Readers'),
            Writers: meta('ANY Writers'),
            Admins: meta('MAJORITY Admins'),
            BlockValidation: meta('ANY Writers'),
          },
          Capabilities: { [caps.orderer]: true },
        },
        Application: {
          Organizations: apps.map((o) => orgSection(t, layout, o)),
          Policies: {
            Readers: meta('ANY Readers'),
            Writers: meta('ANY Writers'),
            Admins: meta('MAJORITY Admins'),
            LifecycleEndorsement: meta('MAJORITY Endorsement'),
            Endorsement: meta('MAJORITY Endorsement'),
          },
          Capabilities: { [caps.application]: true },
        },
      },
    },
  };
}

/** {@link configtx} as YAML text. */
export function configtxYaml(t: Topology, layout: Layout): string {
  return stringify(configtx(t, layout), { aliasDuplicateObjects: false });
}

/** The peer host names that anchor each org in the genesis block (for docs and status). */
export function anchorPeers(t: Topology): string[] {
  return activePeers(t, { secondPeer: false }).map((p) => nodeHost(t, p));
}
