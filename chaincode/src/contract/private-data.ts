import type { z } from 'zod';
import { invalidInput } from './invalid-input';
import type { Keys } from './keys';
import { COLLECTIONS, type CollectionName } from './names';
import { COLLECTION_MEMBERS } from './org-directory';
import {
  CaseDetailsInputSchema,
  CaseDetailsRecordSchema,
  EnforcementInputSchema,
  EnforcementRecordSchema,
  type CaseDetailsInput,
  type CaseDetailsRecord,
  type EnforcementInput,
  type EnforcementRecord,
  type Actor,
} from '../domain';
import { decodeState, decodeUtf8, encodeState, parseJsonText } from './state-codec';

/** The stub calls private data handling needs. */
export interface PrivateDataStub {
  getTransient(): Map<string, Uint8Array>;
  getPrivateData(collection: string, key: string): Promise<Uint8Array>;
  getPrivateDataHash(collection: string, key: string): Promise<Uint8Array>;
  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void>;
  purgePrivateData(collection: string, key: string): Promise<void>;
}

/** Who writes a record, when, in which transaction. */
export interface RecordStamp {
  readonly txId: string;
  readonly recordedAt: string;
  readonly writer: Actor;
}

/** Maximum size of one transient document. */
const MAX_TRANSIENT_BYTES = 16 * 1024;

/**
 * Reads a transient document: undefined when the key is absent, `INVALID_INPUT` (naming only the key)
 * when it is too large, not UTF-8, not JSON or not valid for the schema.
 */
export function readTransient<S extends z.ZodType>(stub: PrivateDataStub, key: string, schema: S): z.infer<S> | undefined {
  const bytes = stub.getTransient().get(key);
  if (bytes === undefined) return undefined;
  const where = `transient.${key}`;
  if (bytes.length > MAX_TRANSIENT_BYTES) throw invalidInput(where);
  const text = decodeUtf8(bytes);
  const json = text === undefined ? { ok: false as const } : parseJsonText(text);
  if (!json.ok) throw invalidInput(where);
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) throw invalidInput(where, parsed.error);
  return parsed.data;
}

/** The `caseDetails` transient document, if the client sent one. */
export function readCaseDetailsInput(stub: PrivateDataStub, key: string): CaseDetailsInput | undefined {
  return readTransient(stub, key, CaseDetailsInputSchema);
}

/** The `zabEnforcement` transient document, if the client sent one. */
export function readEnforcementInput(stub: PrivateDataStub, key: string): EnforcementInput | undefined {
  return readTransient(stub, key, EnforcementInputSchema);
}

/** Reads and writes the private records of the two collections (domain.md §2). */
export class PrivateRecords {
  private readonly stub: PrivateDataStub;
  private readonly keys: Keys;

  constructor(stub: PrivateDataStub, keys: Keys) {
    this.stub = stub;
    this.keys = keys;
  }

  /** Writes the writing agency's `caseDetails` record for a case, replacing its previous one. */
  async putCaseDetails(caseId: string, input: CaseDetailsInput, stamp: RecordStamp): Promise<void> {
    const { salt, ...details } = input;
    const record: CaseDetailsRecord = { caseId, agency: stamp.writer.mspId, details, salt, ...stamp };
    await this.stub.putPrivateData(COLLECTIONS.caseDetails, this.keys.caseDetails(caseId, stamp.writer.mspId), encodeState(record));
  }

  /** An agency's `caseDetails` record for a case, if present. */
  async getCaseDetails(caseId: string, agency: string): Promise<CaseDetailsRecord | undefined> {
    const bytes = await this.stub.getPrivateData(COLLECTIONS.caseDetails, this.keys.caseDetails(caseId, agency));
    return decodeState(bytes, CaseDetailsRecordSchema);
  }

  /** Writes the `zabEnforcement` record for a case, replacing the previous one. */
  async putEnforcement(caseId: string, input: EnforcementInput, stamp: RecordStamp): Promise<void> {
    const { salt, ...enforcement } = input;
    const record: EnforcementRecord = { caseId, enforcement, salt, ...stamp };
    await this.stub.putPrivateData(COLLECTIONS.zabEnforcement, this.keys.enforcement(caseId), encodeState(record));
  }

  /** The `zabEnforcement` record for a case, if present. */
  async getEnforcement(caseId: string): Promise<EnforcementRecord | undefined> {
    const bytes = await this.stub.getPrivateData(COLLECTIONS.zabEnforcement, this.keys.enforcement(caseId));
    return decodeState(bytes, EnforcementRecordSchema);
  }

  /**
   * Purges every record of a case in a collection: for `caseDetails` each member agency's record,
   * for `zabEnforcement` the one record. Presence is judged by the private data hash, which every
   * peer of the channel holds, so members and non-members endorse the same write set. Returns how
   * many records were purged.
   */
  async purge(collection: CollectionName, caseId: string): Promise<number> {
    const keys =
      collection === COLLECTIONS.caseDetails
        ? COLLECTION_MEMBERS.caseDetails.map((msp) => this.keys.caseDetails(caseId, msp))
        : [this.keys.enforcement(caseId)];
    let purged = 0;
    for (const key of keys) {
      const hash = await this.stub.getPrivateDataHash(collection, key);
      if (hash.length === 0) continue;
      await this.stub.purgePrivateData(collection, key);
      purged += 1;
    }
    return purged;
  }
}

/** A `caseDetails` record as a reader sees it: everything but the salt (which only protects the on-chain hash). */
export function visibleCaseDetails(r: CaseDetailsRecord): Omit<CaseDetailsRecord, 'salt'> {
  return { caseId: r.caseId, agency: r.agency, details: r.details, txId: r.txId, recordedAt: r.recordedAt, writer: r.writer };
}

/** A `zabEnforcement` record as a reader sees it: everything but the salt. */
export function visibleEnforcement(r: EnforcementRecord): Omit<EnforcementRecord, 'salt'> {
  return { caseId: r.caseId, enforcement: r.enforcement, txId: r.txId, recordedAt: r.recordedAt, writer: r.writer };
}
