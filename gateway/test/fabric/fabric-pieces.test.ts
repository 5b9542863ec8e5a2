import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, formatError } from '@asl/chaincode/domain';
import { EndorseError, CommitStatusError } from '@hyperledger/fabric-gateway';
import { BlockStoreSource } from '../../src/audit/block-store-source';
import { decodeTransaction } from '../../src/audit/transaction';
import { blockFactsOf } from '../../src/fabric/block-receipts';
import { translateFabricError } from '../../src/fabric/fabric-errors';
import { GatewayError, toProblem } from '../../src/http/problem';
import { PROD } from '../audit/ledger-fixtures';

const cause = Object.assign(new Error('grpc'), { code: 10, details: '', metadata: undefined as never });

describe('translateFabricError', () => {
  it('reads a chaincode refusal from the per-peer details of an EndorseError', () => {
    const error = new EndorseError({
      code: GrpcStatus.ABORTED,
      details: [{ address: 'peer0.bamf:7051', mspId: 'BamfMSP', message: `chaincode response 500, ${formatError('PRECONDITION_FAILED', { missing: ['HEARING_SCHEDULED'] })}` }],
      cause,
      message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
      transactionId: 'tx1',
    });
    const translated = translateFabricError(error, 'endorse');
    expect(translated).toBeInstanceOf(DomainError);
    expect(translated).toMatchObject({ code: 'PRECONDITION_FAILED', detail: { missing: ['HEARING_SCHEDULED'] } });
  });

  it('maps a commit-status deadline to LEDGER_TIMEOUT and an unreachable peer to LEDGER_UNAVAILABLE, without addresses', () => {
    const timeout = new CommitStatusError({ code: GrpcStatus.DEADLINE_EXCEEDED, details: [], cause, message: '4 DEADLINE_EXCEEDED', transactionId: 'tx1' });
    expect(translateFabricError(timeout, 'commit')).toMatchObject({ code: 'LEDGER_TIMEOUT' });
    const down = new EndorseError({ code: GrpcStatus.UNAVAILABLE, details: [{ address: '10.0.0.7:7051', mspId: 'ZabSachsenMSP', message: 'connection refused' }], cause, message: '14 UNAVAILABLE', transactionId: 'tx2' });
    const mapped = translateFabricError(down, 'endorse');
    expect(mapped).toBeInstanceOf(GatewayError);
    expect(JSON.stringify(toProblem(mapped).body)).not.toMatch(/10\.0\.0\.7|ZabSachsenMSP/);
    expect(toProblem(mapped).status).toBe(503);
  });
});

describe('blockFactsOf on real Fabric block files (testdata/fabric-ledgers)', () => {
  it('finds every transaction of a block with its index, validation code and endorsing MSPs', async () => {
    const source = await BlockStoreSource.open(PROD);
    let checked = 0;
    for await (const block of source.blocks(0)) {
      const envelopes = block.getData()?.getDataList_asU8() ?? [];
      envelopes.forEach((env, i) => {
        const txId = decodeTransaction(env).txId;
        if (txId === '') return;
        const facts = blockFactsOf(block, txId);
        expect(facts).toMatchObject({ blockNumber: String(block.getHeader()!.getNumber()), txIndex: i });
        expect(facts!.validationCode).toMatch(/^[A-Z_]+$/);
        checked += 1;
        if (block.getHeader()!.getNumber() > 0 && facts!.validationCode === 'VALID') expect(facts!.endorsers.length).toBeGreaterThan(0);
      });
    }
    expect(checked).toBeGreaterThan(0);
    expect(blockFactsOf((await source.getBlock(0))!, 'no-such-tx')).toBeUndefined();
    const block1 = (await source.getBlock(1))!;
    const tx1 = decodeTransaction(block1.getData()!.getDataList_asU8()[0]!).txId;
    expect(blockFactsOf(block1, tx1)).toEqual({ blockNumber: '1', txIndex: 0, validationCode: 'VALID', endorsers: ['SampleOrg'] });
  });
});
