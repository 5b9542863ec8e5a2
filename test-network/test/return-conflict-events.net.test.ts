/**
 * Live: the lost-fax case of domain.md §5. A return is scheduled on a case whose decision was served long ago;
 * then an urgent application reaches BAMF: the write leaves the scheduled return with a BLOCKING rule
 * (RET_URGENT_APPLICATION) that was not firing before, so the chaincode emits `ReturnConflict`. ZAB's listener
 * on fabric-gateway's checkpointed chaincode-event API receives it; after closing and resuming from the
 * checkpoint it receives the next conflict and nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointers, type ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { ChaincodeEventPayloadSchema, CONTRACT_EVENTS, type ChaincodeEventPayload } from '@asl/chaincode/domain';
import { ChaincodeEventSession } from './support/chaincode-events';
import { applicationFiled, caseRegistered, CODES, eventOf, newCaseId, newCourtRef } from './support/cases';
import { LiveNetwork } from './support/live-network';

/** The partner's event must arrive within seconds (architecture.md asks for one second at low load). */
const DELIVERY_MS = 30_000;

const live = new LiveNetwork();
const checkpointDir = mkdtempSync(join(tmpdir(), 'asl-checkpoint-'));
const sessions: ChaincodeEventSession[] = [];

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  live.close();
  rmSync(checkpointDir, { recursive: true, force: true });
});

function payloadOf(event: ChaincodeEvent): ChaincodeEventPayload {
  return ChaincodeEventPayloadSchema.parse(JSON.parse(new TextDecoder().decode(event.payload)));
}

/** A ZAB adapter's listening session, checkpointed in a file as a restarted adapter would find it. */
async function zabSession(startBlock: bigint): Promise<ChaincodeEventSession> {
  const checkpointer = await checkpointers.file(join(checkpointDir, 'zab-adapter.json'));
  const session = await ChaincodeEventSession.open(live.network({ agency: 'zab', role: 'adapter' }), live.connection.chaincode, checkpointer, startBlock);
  sessions.push(session);
  return session;
}

describe('ReturnConflict on the checkpointed chaincode-event stream', () => {
  const caseId = newCaseId();
  const bamf = live.procedure({ agency: 'bamf', role: 'adapter' });
  const zab = live.procedure({ agency: 'zab', role: 'adapter' });
  const conflictOf = (txId: string) => (e: ChaincodeEvent) => e.transactionId === txId;
  let startBlock = 0n;

  beforeAll(async () => {
    startBlock = (await zab.recordEvent(caseRegistered(caseId))).blockNumber;
    await bamf.recordEvent(applicationFiled(caseId));
    await bamf.recordEvent(eventOf(caseId, 'DECISION_ISSUED', { outcome: 'INADMISSIBLE_OTHER', decidedOn: '2026-02-02' }));
    await bamf.recordEvent(eventOf(caseId, 'DECISION_SERVED', { servedOn: '2026-02-04' }));
    const scheduled = await zab.recordEvent(eventOf(caseId, 'RETURN_SCHEDULED', { kind: 'DEPORTATION' }));
    expect(scheduled.answer.blocked).toBe(false);
  });

  it('reaches the listener, and resuming from the checkpoint delivers the next conflict and no event twice', async () => {
    const first = await zabSession(startBlock);
    const urgent = await bamf.recordEvent(eventOf(caseId, 'URGENT_APPLICATION_FILED', { court: CODES.court, courtRef: newCourtRef(CODES.court), filedOn: '2026-12-01' }));
    const conflict = await first.first(conflictOf(urgent.txId), DELIVERY_MS);
    expect(conflict.eventName).toBe(CONTRACT_EVENTS.ReturnConflict);
    const payload = payloadOf(conflict);
    expect(payload).toMatchObject({ txId: urgent.txId, event: { caseId, type: 'URGENT_APPLICATION_FILED' } });
    expect(payload.warnings.map((w) => w.code)).toContain('RET_URGENT_APPLICATION');
    // Every earlier write of the case came through as an ordinary CaseEventRecorded.
    const earlier = first.received.filter((e) => e.eventName === CONTRACT_EVENTS.CaseEventRecorded && payloadOf(e).event.caseId === caseId);
    expect(earlier.map((e) => payloadOf(e).event.type)).toEqual(['CASE_REGISTERED', 'APPLICATION_FILED', 'DECISION_ISSUED', 'DECISION_SERVED', 'RETURN_SCHEDULED']);
    await first.close();

    const stay = await bamf.recordEvent(eventOf(caseId, 'DEPORTATION_STAY_NOTIFIED', { courtRef: newCourtRef(CODES.court) }));
    const resumed = await zabSession(0n);
    const second = await resumed.first(conflictOf(stay.txId), DELIVERY_MS);
    expect(second.eventName).toBe(CONTRACT_EVENTS.ReturnConflict);
    expect(payloadOf(second).warnings.map((w) => w.code)).toContain('RET_DEPORTATION_STAY');
    await resumed.close();

    const delivered = [...first.received, ...resumed.received].map((e) => e.transactionId);
    expect(delivered).toEqual([...new Set(delivered)]);
    expect(resumed.received.map((e) => e.transactionId)).not.toContain(urgent.txId);
    expect(resumed.received[0]?.blockNumber ?? 0n).toBeGreaterThanOrEqual(conflict.blockNumber);
  });
});
