import { AUDIT_CODE_LIST } from '../../src/audit/audit-codes';
import { compareReceipt, parseVerifyForm, summarise, type AuditReport, type DerivedReceipt } from '../../ui/src/logic/audit';
import { codesOf, dictionary, LANGUAGES, translator } from '../../ui/src/logic/i18n';

const HASH = 'ab'.repeat(32);
const empty = { from: '', to: '', checkpointBlock: '', checkpointHash: '' };

describe('audit codes in the UI dictionaries', () => {
  test('every code of the registry (src/audit/audit-codes.ts) has a German and an English text, and no other code has one', () => {
    expect(AUDIT_CODE_LIST.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const lang of LANGUAGES) {
      const dict = dictionary(lang);
      for (const code of AUDIT_CODE_LIST) if ((dict[`auditCode.${code}`] ?? '').trim() === '') missing.push(`${lang}:${code}`);
    }
    expect(missing).toEqual([]);
    expect([...codesOf('auditCode')].sort()).toEqual([...AUDIT_CODE_LIST].sort());
  });

  test('the texts differ between the languages and an unknown code shows itself', () => {
    const de = translator('de');
    const en = translator('en');
    expect(de.code('auditCode', 'PREVIOUS_HASH_MISMATCH')).toContain('Hash-Kette');
    expect(en.code('auditCode', 'PREVIOUS_HASH_MISMATCH')).toContain('hash chain');
    expect(de.code('auditCode', 'NOT_A_CODE')).toBe('NOT_A_CODE');
  });
});

describe('verify form', () => {
  test('empty fields verify the whole ledger', () => {
    expect(parseVerifyForm(empty)).toEqual({ request: {} });
  });

  test('a range and a checkpoint become the request (hash lower-cased, number kept as a string)', () => {
    expect(parseVerifyForm({ from: ' 2 ', to: '5', checkpointBlock: '1', checkpointHash: HASH.toUpperCase() })).toEqual({
      request: { fromBlock: 2, toBlock: 5, checkpoint: { blockNumber: '1', blockHash: HASH } },
    });
  });

  test('refuses non-numbers, a reversed range, a bad hash and half a checkpoint, naming the field', () => {
    expect(parseVerifyForm({ ...empty, from: '-1', to: 'x' })).toEqual({ errors: [{ field: 'from', reason: 'errorNumber' }, { field: 'to', reason: 'errorNumber' }] });
    expect(parseVerifyForm({ ...empty, from: '5', to: '2' })).toEqual({ errors: [{ field: 'to', reason: 'errorRange' }] });
    expect(parseVerifyForm({ ...empty, checkpointBlock: '1', checkpointHash: 'abc' })).toEqual({ errors: [{ field: 'checkpointHash', reason: 'errorHash' }] });
    expect(parseVerifyForm({ ...empty, checkpointBlock: '1' })).toEqual({ errors: [{ field: 'checkpointHash', reason: 'errorCheckpointPair' }] });
    expect(parseVerifyForm({ ...empty, checkpointHash: HASH })).toEqual({ errors: [{ field: 'checkpointBlock', reason: 'errorCheckpointPair' }] });
  });
});

describe('report summary', () => {
  test('counts valid and invalid blocks and all errors', () => {
    const report: AuditReport = {
      valid: false,
      channelId: 'asylum',
      firstBlock: 0,
      lastBlock: 2,
      blocks: [
        { blockNumber: 0, blockHash: HASH, valid: false, errors: [{ code: 'DATA_HASH_MISMATCH', detail: '' }], notices: [] },
        { blockNumber: 1, blockHash: HASH, valid: false, errors: [{ code: 'PREVIOUS_HASH_MISMATCH', detail: '' }, { code: 'CREATOR_SIGNATURE_INVALID', detail: '', txIndex: 0 }], notices: [] },
        { blockNumber: 2, blockHash: HASH, valid: true, errors: [], notices: [{ code: 'UNSUPPORTED_TX_TYPE', detail: '' }] },
      ],
      errors: [{ code: 'CHAIN_TRUNCATED', detail: '' }],
      nextCheckpoint: null,
    };
    expect(summarise(report)).toEqual({ total: 3, valid: 1, invalid: 2, errors: 4 });
  });
});

describe('re-derived receipt', () => {
  const timeline = { blockNumber: '7', txIndex: 1, validationCode: 'VALID', endorsers: ['ZabSachsenMSP', 'BamfMSP'], writer: { mspId: 'BamfMSP', enrollmentId: 'bamf-adapter', role: 'adapter' as const } };
  const derived: DerivedReceipt = { txId: 'a'.repeat(64), blockNumber: '7', txIndex: 1, validationCode: 'VALID', endorsers: ['BamfMSP', 'ZabSachsenMSP'], creatorMspId: 'BamfMSP', verified: true, findings: [] };

  test('matches when block, index, validation, endorser set and writer agree and the chain verified', () => {
    expect(compareReceipt(timeline, derived)).toEqual([]);
  });

  test('names every field that differs', () => {
    expect(compareReceipt(timeline, { ...derived, blockNumber: '8', txIndex: 0, validationCode: 'MVCC_READ_CONFLICT', endorsers: ['BamfMSP'], creatorMspId: 'ZabSachsenMSP', verified: false })).toEqual([
      { field: 'blockNumber', timeline: '7', ledger: '8' },
      { field: 'txIndex', timeline: '1', ledger: '0' },
      { field: 'validationCode', timeline: 'VALID', ledger: 'MVCC_READ_CONFLICT' },
      { field: 'endorsers', timeline: 'BamfMSP, ZabSachsenMSP', ledger: 'BamfMSP' },
      { field: 'writer', timeline: 'BamfMSP', ledger: 'ZabSachsenMSP' },
      { field: 'verified', timeline: 'true', ledger: 'false' },
    ]);
  });

  test('every field it can name has a label in both languages', () => {
    for (const lang of LANGUAGES) for (const f of ['blockNumber', 'txIndex', 'validationCode', 'endorsers', 'writer', 'verified']) expect(`audit.field.${f}` in dictionary(lang)).toBe(true);
  });
});
