/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- these tests walk untyped generated YAML/JSON on purpose */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { nodeOusConfigYaml } from '../src/generators/msp';
import { activePeers, allPorts, DEFAULT_TOPOLOGY_FILE, loadTopology, NODE_OU_ROLES, parseTopology } from '../src/topology';

type Raw = Record<string, any>;
const raw = (): Raw => parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8')) as Raw;
const problems = (mutate: (t: Raw) => void): string => {
  const t = raw();
  mutate(t);
  try {
    parseTopology(t);
    return '';
  } catch (e) {
    return String(e);
  }
};

describe('topology.yaml', () => {
  const t = loadTopology();

  it('is valid and describes the network of architecture.md', () => {
    expect(t.orgs.map((o) => o.mspId)).toEqual(['OrdererMSP', 'BamfMSP', 'ZabSachsenMSP']);
    expect(t.orderers).toHaveLength(3);
    expect(t.channel.name).toBe('ankerdresden');
    expect(t.chaincode.name).toBe('procedure');
    expect(t.chaincode.endorsementPolicy).toBe("AND('BamfMSP.peer','ZabSachsenMSP.peer')");
    expect(t.chaincode.collections.map((c) => c.name)).toEqual(['caseDetails', 'zabEnforcement']);
    expect(t.ledger.purgeInterval).toBe(1);
    expect(t.channel.batch.timeout).toBe('250ms');
  });

  it('guards exactly the role OUs that the MSP config.yaml declares', () => {
    const ous = (parse(nodeOusConfigYaml()) as Raw).NodeOUs as Raw;
    const declared = ['ClientOUIdentifier', 'PeerOUIdentifier', 'AdminOUIdentifier', 'OrdererOUIdentifier'].map((k) => (ous[k] as Raw).OrganizationalUnitIdentifier as string);
    expect(declared.sort()).toEqual([...NODE_OU_ROLES].sort());
  });

  it('runs one peer per agency by default and two with the second-peer flag', () => {
    expect(activePeers(t, { secondPeer: false }).map((p) => p.org)).toEqual(['BamfMSP', 'ZabSachsenMSP']);
    expect(activePeers(t, { secondPeer: true })).toHaveLength(4);
  });

  it('binds everything to 127.0.0.1 on distinct ports, none of them a colliding Fabric default', () => {
    const ports = allPorts(t);
    expect(new Set(ports.map((p) => p.port)).size).toBe(ports.length);
    expect(ports.every((p) => p.host === '127.0.0.1')).toBe(true);
    for (const fabricDefault of [7050, 7051, 7052, 7053, 7054, 9443, 3001, 3002, 3101, 3102, 3201, 3202]) {
      expect(ports.map((p) => p.port)).not.toContain(fabricDefault);
    }
  });

  it.each<[string, (t: Raw) => void, RegExp]>([
    ['a port used twice', (x) => (x.peers[0].operationsPort = x.orderers[0].port), /port used twice: 127\.0\.0\.1:7010/],
    ['a peer of an unknown org', (x) => (x.peers[0].org = 'NoSuchMSP'), /unknown org NoSuchMSP/],
    ['a peer in the ordering org', (x) => (x.peers[0].org = 'OrdererMSP'), /OrdererMSP runs no peers/],
    ['an orderer of a peer org', (x) => (x.orderers[0].org = 'BamfMSP'), /BamfMSP is not an ordering service/],
    ['fewer than 3 orderers', (x) => x.orderers.pop(), /at least 3 orderers/],
    ['a collection member that does not exist', (x) => x.chaincode.collections[0].members.push('GhostMSP'), /unknown org GhostMSP/],
    ['a policy naming an unknown org', (x) => (x.chaincode.endorsementPolicy = "AND('BamfMSP.peer','GhostMSP.peer')"), /policy names unknown org GhostMSP/],
    ['a collection policy naming an unknown org', (x) => (x.chaincode.collections[1].endorsementPolicy = "OR('Ghost2MSP.peer')"), /unknown org Ghost2MSP/],
    ['an org without an admin', (x) => (x.orgs[1].admins = []), /BamfMSP needs an admin/],
    ['an agency without a base peer', (x) => (x.peers = x.peers.filter((p: Raw) => !(p.org === 'ZabSachsenMSP' && p.profile === 'base'))), /ZabSachsenMSP has no base peer/],
    ['a duplicate MSP ID', (x) => (x.orgs[2].mspId = 'BamfMSP'), /duplicate MSP ID BamfMSP/],
    ['an unknown role', (x) => (x.orgs[1].clients[0].role = 'superuser'), /role/],
    ['a name as enrollment ID', (x) => (x.orgs[1].clients[0].enrollmentId = 'Erika Mustermann'), /never a name/],
    ['a batch timeout that is no duration', (x) => (x.channel.batch.timeout = 'quick'), /Go duration/],
    ['an unknown key', (x) => (x.channel.extra = 1), /extra/],
    ...NODE_OU_ROLES.map((role): [string, (x: Raw) => void, RegExp] => [
      `an org key equal to the NodeOU role ${role} (it is also the CA affiliation, an OU in every certificate)`,
      (x) => (x.orgs[0].key = role),
      new RegExp(`org key ${role} .*collide with the NodeOU role`),
    ]),
    ['maxPeerCount below requiredPeerCount', (x) => (x.chaincode.collections[0].requiredPeerCount = 2), /maxPeerCount < requiredPeerCount/],
  ])('rejects %s', (_name, mutate, expected) => {
    expect(problems(mutate)).toMatch(expected);
  });
});
