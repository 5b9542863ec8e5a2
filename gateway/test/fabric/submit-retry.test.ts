import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, formatError } from '@asl/chaincode/domain';
import { CommitStatusError, EndorseError, GatewayError as FabricGatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { isEndorsementMismatch, translateFabricError } from '../../src/fabric/fabric-errors';
import { backoffMs, submitWithRetries, type CommitStatusLike, type ProposalLike, type RetryEvent, type SubmitPolicy, type TransactionLike } from '../../src/fabric/submit-retry';
import { GatewayError, toProblem } from '../../src/http/problem';

const cause = Object.assign(new Error('grpc'), { code: 10, details: '', metadata: undefined as never });
const peer = (message: string) => ({ address: 'peer0.zab:7051', mspId: 'ZabSachsenMSP', message });

/** What fabric-gateway throws when the two endorsers answered from different heights. */
const mismatch = (): EndorseError =>
  new EndorseError({
    code: GrpcStatus.ABORTED,
    details: [peer('ProposalResponsePayloads do not match')],
    cause,
    message: '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    transactionId: 'tx',
  });
const refusal = (): EndorseError =>
  new EndorseError({ code: GrpcStatus.ABORTED, details: [peer(`chaincode response 500, ${formatError('CASE_NOT_FOUND', {})}`)], cause, message: '10 ABORTED: failed to endorse transaction', transactionId: 'tx' });
const peerDown = (): EndorseError => new EndorseError({ code: GrpcStatus.UNAVAILABLE, details: [peer('connection refused')], cause, message: '14 UNAVAILABLE', transactionId: 'tx' });
/** fabric-gateway's SubmitError is exported as a type only; it is a GatewayError with a transaction ID. */
const broadcastRefused = (): FabricGatewayError =>
  Object.assign(new FabricGatewayError({ code: GrpcStatus.UNAVAILABLE, details: [peer('orderer unavailable')], cause, message: '14 UNAVAILABLE: no orderers could successfully process transaction' }), { transactionId: 'tx' });
const commitStatusLost = (): CommitStatusError => new CommitStatusError({ code: GrpcStatus.UNAVAILABLE, details: [], cause, message: '14 UNAVAILABLE', transactionId: 'tx' });

function statusOf(code: number, n: number): CommitStatusLike {
  return { successful: code === StatusCode.VALID, code, blockNumber: BigInt(100 + n), transactionId: `tx${n}` };
}

/**
 * A scripted peer: each proposal's endorsements answer from `endorsements` (an error or ok) in turn, then its
 * submit, then the commit status from `statuses` (one per proposal that got that far).
 */
function scripted(script: { endorsements?: (Error | 'ok')[]; submit?: Error; commit?: Error; statuses?: number[] }) {
  const endorsements = [...(script.endorsements ?? [])];
  const statuses = [...(script.statuses ?? [StatusCode.VALID])];
  let proposals = 0;
  let endorseCalls = 0;
  let submits = 0;
  const newProposal = (): ProposalLike => {
    const n = ++proposals;
    const transaction: TransactionLike = {
      getResult: () => new TextEncoder().encode(`result${n}`),
      submit: () => {
        submits += 1;
        if (script.submit) return Promise.reject(script.submit);
        return Promise.resolve({
          getStatus: () => {
            if (script.commit) return Promise.reject(script.commit);
            return Promise.resolve(statusOf(statuses.shift() ?? StatusCode.VALID, n));
          },
        });
      },
    };
    return {
      getTransactionId: () => `tx${n}`,
      endorse: () => {
        endorseCalls += 1;
        const next = endorsements.shift() ?? 'ok';
        return next === 'ok' ? Promise.resolve(transaction) : Promise.reject(next);
      },
    };
  };
  return { newProposal, counts: () => ({ proposals, endorseCalls, submits }) };
}

function policy(retries: RetryEvent[], over: Partial<SubmitPolicy> = {}): SubmitPolicy {
  return { mvccRetries: 3, endorseRetries: 2, pause: () => Promise.resolve(), onRetry: (e) => retries.push(e), ...over };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (error) {
    return toProblem(error).code;
  }
}

describe('translateFabricError: 503 only before anything was submitted, 504 once submit() was called', () => {
  it.each([
    ['an endorsement the peer could not give (peer down)', peerDown(), 'endorse', 503],
    ['an endorsement deadline', new EndorseError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause, message: '4 DEADLINE_EXCEEDED', transactionId: 'tx' }), 'endorse', 503],
    ['an evaluation that failed', peerDown(), 'evaluate', 503],
    ['a broadcast the orderer refused or that broke (the orderer may have accepted it)', broadcastRefused(), 'submit', 504],
    ['a submit deadline', new FabricGatewayError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause, message: '4 DEADLINE_EXCEEDED' }), 'submit', 504],
    ['a commit-status stream that broke', commitStatusLost(), 'commit', 504],
    ['a commit-status deadline', new CommitStatusError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause, message: '4 DEADLINE_EXCEEDED', transactionId: 'tx' }), 'commit', 504],
  ] as const)('%s → %s', (_what, error, phase, status) => {
    const mapped = toProblem(translateFabricError(error, phase));
    expect(mapped.status).toBe(status);
    expect(mapped.code).toBe(status === 503 ? 'LEDGER_UNAVAILABLE' : 'LEDGER_TIMEOUT');
    expect(mapped.headers['retry-after']).toBe('5');
    expect(JSON.stringify(mapped.body)).not.toMatch(/peer0|ZabSachsenMSP|7051|orderer/);
  });

  it('a chaincode refusal keeps its code in every phase', () => {
    expect(translateFabricError(refusal(), 'endorse')).toMatchObject({ code: 'CASE_NOT_FOUND' });
    expect(translateFabricError(refusal(), 'submit')).toBeInstanceOf(DomainError);
  });

  it('recognises an endorsement mismatch (peers at different heights) and nothing else as one', () => {
    expect(isEndorsementMismatch(mismatch())).toBe(true);
    expect(isEndorsementMismatch(refusal())).toBe(false);
    expect(isEndorsementMismatch(peerDown())).toBe(false);
    expect(isEndorsementMismatch(new Error('ProposalResponsePayloads do not match'))).toBe(false);
  });
});

describe('submitWithRetries', () => {
  it('commits at the first attempt without retries', async () => {
    const retries: RetryEvent[] = [];
    const peer = scripted({});
    const done = await submitWithRetries(peer.newProposal, policy(retries));
    expect(done).toEqual({ result: new TextEncoder().encode('result1'), blockNumber: 101n, txId: 'tx1' });
    expect(retries).toEqual([]);
  });

  it('endorses the same proposal again when the endorsements disagreed, and reports each retry', async () => {
    const retries: RetryEvent[] = [];
    const peer = scripted({ endorsements: [mismatch(), mismatch(), 'ok'] });
    const done = await submitWithRetries(peer.newProposal, policy(retries));
    expect(done.txId).toBe('tx1');
    expect(peer.counts()).toEqual({ proposals: 1, endorseCalls: 3, submits: 1 });
    expect(retries).toEqual([
      { reason: 'endorsement_mismatch', attempt: 1, txId: 'tx1' },
      { reason: 'endorsement_mismatch', attempt: 2, txId: 'tx1' },
    ]);
  });

  it('gives up on disagreeing endorsements after the budget with 503 (nothing was submitted)', async () => {
    const peer = scripted({ endorsements: [mismatch(), mismatch(), mismatch()] });
    expect(await codeOf(submitWithRetries(peer.newProposal, policy([])))).toBe('LEDGER_UNAVAILABLE');
    expect(peer.counts()).toEqual({ proposals: 1, endorseCalls: 3, submits: 0 });
  });

  it('does not retry a chaincode refusal or an unreachable peer', async () => {
    const refused = scripted({ endorsements: [refusal()] });
    expect(await codeOf(submitWithRetries(refused.newProposal, policy([])))).toBe('CASE_NOT_FOUND');
    const down = scripted({ endorsements: [peerDown()] });
    expect(await codeOf(submitWithRetries(down.newProposal, policy([])))).toBe('LEDGER_UNAVAILABLE');
    expect(down.counts().endorseCalls).toBe(1);
  });

  it('answers 504 when the broadcast fails or the commit status does not arrive: the transaction may still commit', async () => {
    const refusedBroadcast = scripted({ submit: broadcastRefused() });
    expect(await codeOf(submitWithRetries(refusedBroadcast.newProposal, policy([])))).toBe('LEDGER_TIMEOUT');
    const lostStatus = scripted({ commit: commitStatusLost() });
    expect(await codeOf(submitWithRetries(lostStatus.newProposal, policy([])))).toBe('LEDGER_TIMEOUT');
    expect(lostStatus.counts()).toEqual({ proposals: 1, endorseCalls: 1, submits: 1 });
  });

  it('runs a write that lost an MVCC or phantom-read race again as a new proposal, and reports it', async () => {
    const retries: RetryEvent[] = [];
    const peer = scripted({ statuses: [StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT, StatusCode.VALID] });
    const done = await submitWithRetries(peer.newProposal, policy(retries));
    expect(done).toMatchObject({ txId: 'tx3', blockNumber: 103n });
    expect(new TextDecoder().decode(done.result)).toBe('result3');
    expect(retries).toEqual([
      { reason: 'mvcc_read_conflict', attempt: 1, txId: 'tx1' },
      { reason: 'phantom_read_conflict', attempt: 2, txId: 'tx2' },
    ]);
  });

  it('answers 503 when the races are lost beyond the budget or the transaction was invalid for another reason (it changed nothing)', async () => {
    const lost = scripted({ statuses: [StatusCode.MVCC_READ_CONFLICT, StatusCode.MVCC_READ_CONFLICT] });
    expect(await codeOf(submitWithRetries(lost.newProposal, policy([], { mvccRetries: 1 })))).toBe('LEDGER_UNAVAILABLE');
    expect(lost.counts().proposals).toBe(2);
    const invalid = scripted({ statuses: [StatusCode.ENDORSEMENT_POLICY_FAILURE] });
    expect(await codeOf(submitWithRetries(invalid.newProposal, policy([])))).toBe('LEDGER_UNAVAILABLE');
    expect(invalid.counts().proposals).toBe(1);
  });

  it('pauses before each retry: random and growing after a lost race, about a block after a mismatch', async () => {
    const pauses: string[] = [];
    const peer = scripted({ endorsements: [mismatch()], statuses: [StatusCode.MVCC_READ_CONFLICT, StatusCode.VALID] });
    await submitWithRetries(peer.newProposal, policy([], { pause: (reason, attempt) => (pauses.push(`${reason}#${attempt}`), Promise.resolve()) }));
    expect(pauses).toEqual(['endorsement_mismatch#1', 'mvcc_read_conflict#1']);
    expect(backoffMs('endorsement_mismatch', 2)).toBe(500);
    expect(backoffMs('mvcc_read_conflict', 1, () => 0.999)).toBe(249);
    expect(backoffMs('mvcc_read_conflict', 3, () => 0.5)).toBe(500);
    expect(backoffMs('mvcc_read_conflict', 9, () => 0.999)).toBe(1998);
  });
});

describe('GatewayError passes through', () => {
  it('keeps a gateway error thrown inside the flow', () => {
    const own = new GatewayError('LEDGER_UNAVAILABLE', { reason: 'TX_INVALID' });
    expect(translateFabricError(own, 'submit')).toBe(own);
  });
});
