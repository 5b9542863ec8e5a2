/**
 * The `procedure` contract in this process, over the contract tests' in-memory ledger (`FakeLedger`, the
 * value lists seeded as the test network seeds them): writes committed like a valid transaction, probes
 * endorsed and thrown away (a probe reads only committed state, so every probe of a size sees the same case).
 */
import { seedValueLists } from '../../../chaincode/test/contract/support/harness';
import { FakeLedger, fakeContext, type FakeIdentitySpec, type FakeStub } from '../../../chaincode/test/contract/support/fake-stub';
import { fakeCaseId } from '../../../chaincode/test/contract/support/fixtures';
import { ProcedureContract } from '../../../chaincode/src/contract/procedure-contract';
import { CaseLedger } from '../../../chaincode/src/contract/case-ledger';
import { KEY_TYPES } from '../../../chaincode/src/contract/keys';
import { ValueListLedger } from '../../../chaincode/src/contract/value-list-ledger';
import { ORG_DIRECTORY } from '../../../chaincode/src/contract/org-directory';
import { listsUsedBy, parseEventInput, type DecideRequest, type EventType, type IsoDate, type StoredEvent } from '../../../chaincode/src/domain';
import type { ScenarioLedger, Step } from './scenario';

/** An event to write: who, what, and the envelope's data. */
export interface Write {
  readonly who: FakeIdentitySpec;
  readonly type: EventType;
  readonly data: unknown;
}

/** One case on a fake ledger, driven through `ProcedureContract.RecordEvent`. */
export class ContractDriver implements ScenarioLedger {
  readonly ledger = new FakeLedger('2026-01-05T10:00:00.000Z');
  readonly contract = new ProcedureContract();
  readonly caseId = fakeCaseId(19);
  readonly #labels = new Map<string, string>();
  #day: IsoDate = '2026-01-05';
  #messages = 0;

  constructor() {
    seedValueLists(this.ledger);
  }

  /** The txId of the last step written with `label`. */
  txOf(label: string): string {
    const txId = this.#labels.get(label);
    if (txId === undefined) throw new Error(`no step labelled ${label} yet`);
    return txId;
  }

  /** Writes a scenario step and commits it; a refusal stops the benchmark with the chaincode's message. */
  async write(s: Step): Promise<void> {
    if (s.date !== this.#day) {
      this.#day = s.date;
      this.ledger.setTime(`${s.date}T10:00:00.000Z`);
    }
    const stub = this.ledger.begin();
    try {
      await this.recordEvent(stub, s);
    } catch (error) {
      throw new Error(`scenario step ${s.type} on ${s.date} refused: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.ledger.commit(stub);
    if (s.label !== undefined) this.#labels.set(s.label, stub.getTxID());
  }

  /** A stub for a transaction at `instant` that will never be committed. */
  probeStub(instant: string): FakeStub {
    this.ledger.setTime(instant);
    return this.ledger.begin();
  }

  /** `RecordEvent` as the peer runs it for an endorsement: the contract's whole work for one write. */
  async recordEvent(stub: FakeStub, w: Write): Promise<string> {
    this.#messages += 1;
    const envelope = {
      caseId: this.caseId,
      type: w.type,
      occurredAt: new Date(stub.getDateTimestamp()).toISOString(),
      sourceMessageId: `growth-${String(this.#messages).padStart(6, '0')}`,
      data: w.data,
    };
    return this.contract.RecordEvent(fakeContext(stub, w.who), JSON.stringify(envelope));
  }

  /** The case's events as the contract loads them (`CaseLedger.loadCase`: range scan, JSON, schema). */
  async history(stub: FakeStub): Promise<readonly StoredEvent[]> {
    return (await new CaseLedger(stub).loadCase(this.caseId)).history;
  }

  /** The fake ledger's range scan alone (no decoding): its cost is the fake's, not Fabric's. */
  async scanOnly(stub: FakeStub): Promise<number> {
    const iterator = await stub.getStateByPartialCompositeKey(KEY_TYPES.event, [this.caseId]);
    let n = 0;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) n += r.value.value.length > 0 ? 1 : 0;
    await iterator.close();
    return n;
  }

  /** The request the contract hands the domain for `w` on `stub` (history and value lists loaded as it does). */
  async decideRequest(stub: FakeStub, w: Write, history: readonly StoredEvent[]): Promise<DecideRequest> {
    const input = {
      caseId: this.caseId,
      type: w.type,
      occurredAt: new Date(stub.getDateTimestamp()).toISOString(),
      sourceMessageId: 'growth-decide-only',
      data: w.data,
    };
    const txTime = new Date(stub.getDateTimestamp()).toISOString();
    const valueLists = await new ValueListLedger(stub).loadInForce(listsUsedBy(parseEventInput(input)), txTime);
    const { mspId, enrollmentId } = w.who;
    return {
      input,
      actor: { mspId, enrollmentId, role: w.who.role ?? '' },
      txId: stub.getTxID(),
      txTime,
      orgs: ORG_DIRECTORY,
      history,
      idempotency: undefined,
      valueLists,
    };
  }
}
