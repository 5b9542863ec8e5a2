import { common } from '@hyperledger/fabric-protos';
import { requiredEndorsersFor, verifyReceipt, type EndorsementRequirement } from '../../src/audit/receipt';
import { decodeTransaction, writesOf, type NamespaceWrites } from '../../src/audit/transaction';
import { ANKERDRESDEN, ANKERDRESDEN_RECEIPT_14, MemoryBlockSource, codes, loadBlocks } from './ledger-fixtures';

const BAMF = 'BamfMSP';
const ZAB = 'ZabSachsenMSP';
const BOTH = [BAMF, ZAB];

/** The topology's policies: AND of both agencies for the chaincode, ZAB alone for `zabEnforcement`. */
const PROCEDURE: EndorsementRequirement = { chaincode: { namespace: 'procedure', msps: BOTH }, collections: { zabEnforcement: [ZAB] } };

const caseEvent: NamespaceWrites = { namespace: 'procedure', publicWrites: 2, collections: [] };
const enforcement: NamespaceWrites = { namespace: 'procedure', publicWrites: 0, collections: ['zabEnforcement'] };

describe('the endorsers a transaction needed follow from what it wrote', () => {
  it('a case event (public writes) needs the chaincode policy: ZAB alone is not enough', () => {
    expect(requiredEndorsersFor(PROCEDURE, [caseEvent])).toEqual(BOTH);
    expect(requiredEndorsersFor(PROCEDURE, [{ ...caseEvent, collections: ['caseDetails'] }])).toEqual(BOTH);
  });

  it('a PutEnforcement (writes only to zabEnforcement) needs only the collection policy: ZAB', () => {
    expect(requiredEndorsersFor(PROCEDURE, [enforcement])).toEqual([ZAB]);
    expect(requiredEndorsersFor(PROCEDURE, [{ namespace: '_lifecycle', publicWrites: 0, collections: [] }, enforcement])).toEqual([ZAB]);
  });

  it('a write to public state and zabEnforcement needs both policies', () => {
    expect(requiredEndorsersFor(PROCEDURE, [{ ...caseEvent, collections: ['zabEnforcement'] }])).toEqual(BOTH);
    expect(requiredEndorsersFor({ chaincode: { namespace: 'procedure', msps: [BAMF] }, collections: { zabEnforcement: [ZAB] } }, [{ ...caseEvent, collections: ['zabEnforcement'] }])).toEqual(BOTH);
  });

  it('a collection without a policy of its own, no writes at all, or undecodable writes need the chaincode policy', () => {
    expect(requiredEndorsersFor(PROCEDURE, [{ namespace: 'procedure', publicWrites: 0, collections: ['caseDetails'] }])).toEqual(BOTH);
    expect(requiredEndorsersFor(PROCEDURE, [{ namespace: 'procedure', publicWrites: 0, collections: [] }])).toEqual(BOTH);
    expect(requiredEndorsersFor(PROCEDURE, [])).toEqual(BOTH);
    expect(requiredEndorsersFor(PROCEDURE, undefined)).toEqual(BOTH);
    expect(requiredEndorsersFor({ chaincode: { namespace: 'procedure', msps: BOTH }, collections: { constructor: [ZAB] } }, [{ namespace: 'procedure', publicWrites: 0, collections: ['toString'] }])).toEqual(BOTH);
  });

  it('a fixed list applies to every transaction, as before', () => {
    expect(requiredEndorsersFor([ZAB, BAMF], [enforcement])).toEqual(BOTH);
    expect(requiredEndorsersFor(undefined, [enforcement])).toEqual([]);
  });
});

describe('receipts of the live channel’s blocks under the policies (ankerdresden fixture)', () => {
  const blocks = loadBlocks(ANKERDRESDEN);
  const source = new MemoryBlockSource(blocks);
  const envelope = (n: number): Uint8Array => blocks[n]!.getData()!.getDataList_asU8()[0]!;
  const claim = (n: number): { txId: string; blockNumber: string; txIndex: number } => ({ txId: decodeTransaction(envelope(n)).txId, blockNumber: String(n), txIndex: 0 });

  it('decodes the read-write set: block 14 wrote public state and caseDetails in procedure', () => {
    const writes = writesOf(decodeTransaction(envelope(14)).payloadData);
    expect(writes.find((w) => w.namespace === 'procedure')).toEqual({ namespace: 'procedure', publicWrites: 4, collections: ['caseDetails'] });
    expect(decodeTransaction(envelope(14)).type).toBe(common.HeaderType.ENDORSER_TRANSACTION);
  });

  it('a case event endorsed by both agencies verifies under the policies', async () => {
    const verdict = await verifyReceipt({ source, receipt: ANKERDRESDEN_RECEIPT_14, requiredEndorsers: PROCEDURE });
    expect(verdict.findings).toEqual([]);
    expect(verdict.verified).toBe(true);
  });

  // Block 2 is ZAB's approval of the chaincode definition: endorsed by ZAB's peer alone and written only to the
  // private collection `_implicit_org_ZabSachsenMSP` of `_lifecycle`, whose collection-level policy is ZAB's own: the
  // same shape as a PutEnforcement (a ZAB-only endorsement of a write to a collection with its own ZAB policy).
  const lifecycle = (collections: Record<string, string[]>): EndorsementRequirement => ({ chaincode: { namespace: '_lifecycle', msps: BOTH }, collections });

  it('a collection-only write endorsed by ZAB alone has no finding when the collection’s policy is ZAB’s', async () => {
    expect(writesOf(decodeTransaction(envelope(2)).payloadData).find((w) => w.namespace === '_lifecycle')).toEqual({ namespace: '_lifecycle', publicWrites: 0, collections: ['_implicit_org_ZabSachsenMSP'] });
    const verdict = await verifyReceipt({ source, receipt: claim(2), requiredEndorsers: lifecycle({ _implicit_org_ZabSachsenMSP: [ZAB] }) });
    expect(verdict.transaction?.endorserMspIds).toEqual([ZAB]);
    expect(verdict.findings).toEqual([]);
    expect(verdict.verified).toBe(true);
  });

  it('the same ZAB-only endorsement is ENDORSEMENT_POLICY_UNMET where the chaincode policy applies (or a fixed list of both)', async () => {
    for (const requiredEndorsers of [lifecycle({}), BOTH]) {
      const verdict = await verifyReceipt({ source, receipt: claim(2), requiredEndorsers });
      expect(codes(verdict.findings)).toEqual(['ENDORSEMENT_POLICY_UNMET']);
      expect(verdict.findings[0]?.detail).toContain(BAMF);
    }
  });
});
