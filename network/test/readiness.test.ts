import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { commitHashOf, parseGetinfo } from '../src/ledger-info';
import { metricValue } from '../src/processes';
import { chaincodeBuildStale, chaincodeProbeArgs, raftLeader } from '../src/steps';
import { loadTopology } from '../src/topology';

const METRICS = `# HELP consensus_etcdraft_is_leader The leadership status of the current node: 1 if it is the leader else 0.
# TYPE consensus_etcdraft_is_leader gauge
consensus_etcdraft_is_leader{channel="other"} 1
consensus_etcdraft_is_leader{channel="ankerdresden"} 0
consensus_etcdraft_leader_changes{channel="ankerdresden"} 2
`;

describe('Raft readiness', () => {
  it('reads one Prometheus sample by name and labels', () => {
    expect(metricValue(METRICS, 'consensus_etcdraft_is_leader', { channel: 'ankerdresden' })).toBe(0);
    expect(metricValue(METRICS, 'consensus_etcdraft_is_leader', { channel: 'other' })).toBe(1);
    expect(metricValue(METRICS, 'consensus_etcdraft_leader_changes', { channel: 'ankerdresden' })).toBe(2);
    expect(metricValue(METRICS, 'consensus_etcdraft_cluster_size', { channel: 'ankerdresden' })).toBeUndefined();
    expect(metricValue('', 'consensus_etcdraft_is_leader')).toBeUndefined();
  });

  const view = (orderer: string, isLeader?: number, leaderChanges?: number) => ({ orderer, isLeader, leaderChanges });

  it('is ready only when exactly one orderer leads and every orderer has learned a leader', () => {
    expect(raftLeader([view('o1', 0, 1), view('o2', 1, 1), view('o3', 0, 1)])).toBe('o2');
    // right after the join: nobody leads yet ("no Raft leader" on submit)
    expect(raftLeader([view('o1', 0, 0), view('o2', 0, 0), view('o3', 0, 0)])).toBeUndefined();
    // a leader, but one follower has not heard of it yet: a submit to that follower would fail
    expect(raftLeader([view('o1', 1, 1), view('o2', 0, 1), view('o3', 0, 0)])).toBeUndefined();
    // an orderer that does not answer its metrics endpoint
    expect(raftLeader([view('o1', 1, 1), view('o2', 0, 1), view('o3')])).toBeUndefined();
    // two nodes claiming leadership (a stale leader during an election)
    expect(raftLeader([view('o1', 1, 1), view('o2', 1, 2), view('o3', 0, 2)])).toBeUndefined();
  });
});

describe('chaincode readiness', () => {
  it('probes with a real query that every contract answers (fabric-contract-api metadata)', () => {
    expect(chaincodeProbeArgs(loadTopology())).toEqual([
      'chaincode', 'query', '-C', 'ankerdresden', '-n', 'procedure', '-c', '{"Args":["org.hyperledger.fabric:GetMetadata"]}',
    ]);
  });
});

describe('ledger info', () => {
  it('takes the COMMIT_HASH metadata of a block, and nothing from a block without one', () => {
    const block = (commit?: Uint8Array): Uint8Array => {
      const md = new common.BlockMetadata();
      const entries: Uint8Array[] = [new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array()];
      if (commit !== undefined) {
        const m = new common.Metadata();
        m.setValue(commit);
        entries.push(m.serializeBinary());
      }
      md.setMetadataList(entries);
      const b = new common.Block();
      b.setMetadata(md);
      return b.serializeBinary();
    };
    expect(commitHashOf(block(Uint8Array.from([0xab, 0xcd, 0x01])))).toBe('abcd01');
    expect(commitHashOf(block())).toBeUndefined();
  });

  it('parses `peer channel getinfo` into height and hex block hash', () => {
    const out = '2026-12-02 13:40:00.000 UTC 0001 INFO [channelCmd] InitCmdFactory -> Endorser and orderer connections initialized\n' +
      'Blockchain info: {"height":14,"currentBlockHash":"jxsOGQc+5kKyE46nAhNYior5km/VwLX3X/mfYMaPIV0=","previousBlockHash":"AA=="}';
    expect(parseGetinfo(out)).toEqual({ height: 14, currentBlockHash: '8f1b0e19073ee642b2138ea70213588a8af9926fd5c0b5f75ff99f60c68f215d' });
  });
});

describe('chaincode build', () => {
  it('is stale when dist/ is missing or older than a source file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-cc-'));
    try {
      mkdirSync(join(dir, 'src', 'domain'), { recursive: true });
      writeFileSync(join(dir, 'src', 'domain', 'a.ts'), 'x');
      expect(chaincodeBuildStale(dir)).toBe(true);
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'index.js'), 'x');
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(dir, 'src', 'domain', 'a.ts'), past, past);
      expect(chaincodeBuildStale(dir)).toBe(false);
      writeFileSync(join(dir, 'src', 'domain', 'a.ts'), 'changed');
      const future = new Date(Date.now() + 60_000);
      utimesSync(join(dir, 'src', 'domain', 'a.ts'), future, future);
      expect(chaincodeBuildStale(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
