/**
 * Live: one of the three Raft orderers stops during a stream of writes (a follower, then the leader). Writes go
 * on and all of them commit; the stopped orderer is brought back with `network/src/cli.ts up`; afterwards both
 * agencies' peers hold the same chain and applied the same state updates (equal height, block hash and commit
 * hash, domain.md §8).
 */
import type { EventInput } from '@asl/chaincode/domain';
import { committedTransaction } from './support/committed-transaction';
import { caseRegistered, CODES, eventOf, newCaseId } from './support/cases';
import { LiveNetwork } from './support/live-network';
import { NetworkOperator } from './support/network-operator';
import type { Committed, RetryPolicy } from './support/procedure';

jest.setTimeout(5 * 60_000);

const live = new LiveNetwork();
let operator: NetworkOperator;

/** Streams of writes run side by side, each on its own case, one write after the other. */
const STREAMS = 3;
const WRITES_PER_STREAM = 8;
/** The outage starts once this many writes of the stream have committed. */
const STOP_AFTER_COMMITS = 4;

/**
 * How the streams ride out the outage: a lost transaction shows as a missing commit status, so the commit wait
 * is one election timeout (10 s here: well above a commit's normal second, well below the gateway's 60 s); and
 * submits refused while the survivors elect a leader are tried again for up to three election timeouts.
 */
let retry: RetryPolicy;
const RETRY_PAUSE_MS = 1_000;

beforeAll(async () => {
  operator = await NetworkOperator.open(live.connection);
  const election = operator.raftElectionTimeoutMs();
  retry = { commitWaitMs: election, pauseMs: RETRY_PAUSE_MS, maxAttempts: Math.ceil((3 * election) / RETRY_PAUSE_MS) };
});

afterAll(() => {
  // Whatever happened, leave the network whole for the other suites.
  if (operator !== undefined && operator.orderers().some((o) => !operator.isRunning(o))) operator.up();
  live.close();
});

/** One stream: registers a fresh case, then records reception assignments on it, `WRITES_PER_STREAM` writes in all. */
async function stream(onCommit: () => void): Promise<Committed<unknown>[]> {
  const zab = live.procedure({ agency: 'zab', role: 'adapter' });
  const caseId = newCaseId();
  const writes: EventInput[] = [caseRegistered(caseId)];
  for (let i = 1; i < WRITES_PER_STREAM; i++) writes.push(eventOf(caseId, 'RECEPTION_ASSIGNED', { facility: CODES.facility }));
  const committed: Committed<unknown>[] = [];
  for (const write of writes) {
    committed.push(await zab.recordEvent(write, { retry }));
    onCommit();
  }
  const view = await zab.getCase(caseId);
  expect(view.eventCount).toBe(WRITES_PER_STREAM);
  return committed;
}

/** What a stream of writes through an outage came to. */
interface Outage {
  readonly stopped: string;
  readonly writes: Committed<unknown>[];
  /** Writes that committed after the orderer's process had exited. */
  readonly committedWhileDown: number;
  /** Whether the orderer was still down when the last write committed. */
  readonly downUntilEnd: boolean;
}

/**
 * Runs the streams, stops `victim()` once {@link STOP_AFTER_COMMITS} writes committed, and lets the streams
 * finish while it is down.
 */
async function streamThroughOutage(victim: () => Promise<string>): Promise<Outage> {
  let commits = 0;
  let startOutage: () => void = () => undefined;
  const outageDue = new Promise<void>((resolve) => (startOutage = resolve));
  const streams = Promise.all(
    Array.from({ length: STREAMS }, () =>
      stream(() => {
        commits += 1;
        if (commits === STOP_AFTER_COMMITS) startOutage();
      }),
    ),
  );
  await Promise.race([outageDue, streams]);
  const stopped = await victim();
  await operator.stop(stopped);
  const commitsBeforeDown = commits;
  const writes = (await streams).flat();
  return { stopped, writes, committedWhileDown: writes.length - commitsBeforeDown, downUntilEnd: !operator.isRunning(stopped) };
}

/**
 * Brings the stopped orderer back with `up` and expects exit 0. When `up` fails it runs once more, so the network
 * is whole for the other suites, and the test still fails with the first run's output.
 */
function expectUpBringsItBack(): void {
  const first = operator.up();
  const second = first.status === 0 ? undefined : operator.up();
  if (second !== undefined) {
    throw new Error(`network/src/cli.ts up exited ${String(first.status)} (a second run exited ${String(second.status)}):\n${first.output}`);
  }
  expect(operator.orderers().filter((o) => !operator.isRunning(o))).toEqual([]);
}

async function expectAllValid(writes: readonly Committed<unknown>[]): Promise<void> {
  expect(writes).toHaveLength(STREAMS * WRITES_PER_STREAM);
  const network = live.network({ agency: 'bamf', role: 'auditor' });
  for (const w of writes) expect((await committedTransaction(network, w.txId)).validationCode).toBe('VALID');
}

describe('an orderer outage during a stream of writes', () => {
  it('a stopped Raft follower: the writes go on, and every one commits at its first submission', async () => {
    const leader = await operator.raftLeader();
    const outage = await streamThroughOutage(() => Promise.resolve(operator.orderers().find((o) => o !== leader) ?? ''));
    expect(outage.downUntilEnd).toBe(true);
    expect(outage.committedWhileDown).toBeGreaterThan(0);
    await expectAllValid(outage.writes);
    expect(outage.writes.map((w) => w.submissions)).toEqual(outage.writes.map(() => 1));
  });

  it('`up` brings the stopped follower back (exit 0)', () => {
    expectUpBringsItBack();
  });

  it('a stopped Raft leader: a new leader is elected, the writes go on, and every one commits (what the old leader had accepted but not ordered once submitted again)', async () => {
    const outage = await streamThroughOutage(() => operator.raftLeader());
    expect(outage.downUntilEnd).toBe(true);
    expect(outage.committedWhileDown).toBeGreaterThan(0);
    const survivors = operator.orderers().filter((o) => o !== outage.stopped);
    expect(survivors).toContain(await operator.waitForLeaderAmong(survivors));
    await expectAllValid(outage.writes);
  });

  it('`up` brings the stopped leader back (exit 0)', () => {
    expectUpBringsItBack();
  });

  it('afterwards both peers report the same height, block hash and commit hash', async () => {
    const infos = [...(await operator.peerLedgersAtEqualHeight()).values()];
    expect(infos).toHaveLength(2);
    const [bamfPeer, zabPeer] = infos;
    expect(bamfPeer?.commitHash).toBeDefined();
    expect(zabPeer).toEqual(bamfPeer);
  });
});
