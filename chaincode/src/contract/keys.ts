/**
 * Every ledger key, built in this one module. All keys are composite keys
 * (`\u0000objectType\u0000attr…\u0000`), so simple keys never collide with them and every family
 * can be scanned by partial key. Attributes are pseudonyms, codes, MSP IDs and counters only.
 */

/** The part of the stub keys are built with. */
export interface KeyBuilder {
  createCompositeKey(objectType: string, attributes: string[]): string;
  splitCompositeKey(compositeKey: string): { objectType: string; attributes: string[] };
}

/** Object types of the key families. */
export const KEY_TYPES = {
  case: 'case',
  event: 'event',
  write: 'write',
  phaseIndex: 'phase',
  warningIndex: 'warning',
  caseDetails: 'caseDetails',
  enforcement: 'zabEnforcement',
  valueList: 'valueList',
  valueListHead: 'valueListHead',
} as const;

const SEQUENCE_DIGITS = 10;

/** The zero-padded position of an event in its case, so key order is ledger order. */
export function sequenceAttribute(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence >= 10 ** SEQUENCE_DIGITS) {
    throw new RangeError('event sequence out of range');
  }
  return String(sequence).padStart(SEQUENCE_DIGITS, '0');
}

/** Key builders for each family, over the stub's composite-key functions. */
export class Keys {
  private readonly stub: KeyBuilder;

  constructor(stub: KeyBuilder) {
    this.stub = stub;
  }

  /** The case record: the view cache, the open event-rule warnings and the event count. */
  case(caseId: string): string {
    return this.stub.createCompositeKey(KEY_TYPES.case, [caseId]);
  }

  /** One stored event of a case at its position. */
  event(caseId: string, sequence: number): string {
    return this.stub.createCompositeKey(KEY_TYPES.event, [caseId, sequenceAttribute(sequence)]);
  }

  /** The idempotency record of (writer MSP, sourceMessageId), across all cases (domain.md §6). */
  write(mspId: string, sourceMessageId: string): string {
    return this.stub.createCompositeKey(KEY_TYPES.write, [mspId, sourceMessageId]);
  }

  /** Index entry: the case is in this phase. */
  phaseIndex(phase: string, caseId: string): string {
    return this.stub.createCompositeKey(KEY_TYPES.phaseIndex, [phase, caseId]);
  }

  /** Index entry: this event-rule warning is open on the case. */
  warningIndex(code: string, caseId: string): string {
    return this.stub.createCompositeKey(KEY_TYPES.warningIndex, [code, caseId]);
  }

  /** An agency's `caseDetails` record for a case (private data). */
  caseDetails(caseId: string, mspId: string): string {
    return this.stub.createCompositeKey(KEY_TYPES.caseDetails, [caseId, mspId]);
  }

  /** One version of a value list (proposed or in force); key order is version order. */
  valueList(list: string, version: number): string {
    return this.stub.createCompositeKey(KEY_TYPES.valueList, [list, sequenceAttribute(version)]);
  }

  /** A value list's head: the versions in force with their start, and the pending proposal. */
  valueListHead(list: string): string {
    return this.stub.createCompositeKey(KEY_TYPES.valueListHead, [list]);
  }

  /** The `zabEnforcement` record for a case (private data). */
  enforcement(caseId: string): string {
    return this.stub.createCompositeKey(KEY_TYPES.enforcement, [caseId]);
  }
}
