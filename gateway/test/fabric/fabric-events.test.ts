import type { Network } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { CONTRACT_EVENTS, type ChaincodeEventPayload } from '@asl/chaincode/domain';
import { BlockStoreSource } from '../../src/audit/block-store-source';
import { blockEntriesOf, FabricLedgerEvents } from '../../src/fabric/fabric-events';
import type { LedgerEntry } from '../../src/ports/case-ledger';
import type { LedgerCheckpoint } from '../../src/ports/ledger-events';
import { PROD } from '../audit/ledger-fixtures';
import { CASE_ID } from '../support/fixtures';
import { seededChannel, TestClock } from '../support/harness';

const CHAINCODE = 'procedure';
const MVCC_READ_CONFLICT = peer.TxValidationCode.MVCC_READ_CONFLICT;
const VALID = peer.TxValidationCode.VALID;

/** Real case-event entries (the in-memory channel runs the domain), to carry in built blocks. */
async function realEntries(): Promise<LedgerEntry[]> {
  const channel = await seededChannel(new TestClock());
  const zab = channel.ledgerFor('ZabSachsenMSP');
  const adapter = { userId: 'zab-adapter-0001', role: 'adapter' } as const;
  const occurredAt = '2026-11-26T09:00:00+01:00';
  await zab.submitEvent(adapter, { caseId: CASE_ID, type: 'CASE_REGISTERED', occurredAt, sourceMessageId: 'fe-1', data: { facility: 'AE-DD-TEST', registeredOn: '2026-11-25' } });
  await zab.submitEvent(adapter, { caseId: CASE_ID, type: 'RECEPTION_ASSIGNED', occurredAt, sourceMessageId: 'fe-2', data: { facility: 'AE-DD-TEST' } });
  return [...channel.entries()];
}

function payloadOf(entry: LedgerEntry): ChaincodeEventPayload {
  const r = entry.receipt;
  return { event: entry.event, txId: r.txId, recordedAt: r.recordedAt, ruleVersion: r.ruleVersion, warnings: entry.warnings, blocked: false, reasons: [] };
}

/** An endorser-transaction envelope as a peer commits it, with an optional chaincode event. */
function envelope(txId: string, endorsers: readonly string[], event?: { chaincodeId: string; name: string; payload: unknown }): Uint8Array {
  const action = new peer.ChaincodeAction();
  if (event) {
    const ce = new peer.ChaincodeEvent();
    ce.setChaincodeId(event.chaincodeId);
    ce.setTxId(txId);
    ce.setEventName(event.name);
    ce.setPayload(new TextEncoder().encode(JSON.stringify(event.payload)));
    action.setEvents(ce.serializeBinary());
  }
  const prp = new peer.ProposalResponsePayload();
  prp.setExtension$(action.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp.serializeBinary());
  for (const mspId of endorsers) {
    const identity = new msp.SerializedIdentity();
    identity.setMspid(mspId);
    const endorsement = new peer.Endorsement();
    endorsement.setEndorser(identity.serializeBinary());
    endorsed.addEndorsements(endorsement);
  }
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const txAction = new peer.TransactionAction();
  txAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.addActions(txAction);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  channelHeader.setChannelId('asl');
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

function block(number: number, txs: readonly { envelope: Uint8Array; code: number }[]): common.Block {
  const b = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(number);
  b.setHeader(header);
  const data = new common.BlockData();
  data.setDataList(txs.map((t) => t.envelope));
  b.setData(data);
  const metadata = new common.BlockMetadata();
  const filter = Uint8Array.from(txs.map((t) => t.code));
  metadata.setMetadataList([new Uint8Array(), new Uint8Array(), filter, new Uint8Array(), new Uint8Array()]);
  b.setMetadata(metadata);
  return b;
}

const txIdOf = (i: number) => i.toString(16).padStart(64, '0');
const caseTx = (entry: LedgerEntry, name: string = CONTRACT_EVENTS.CaseEventRecorded, chaincodeId = CHAINCODE) =>
  envelope(entry.receipt.txId, ['ZabSachsenMSP', 'BamfMSP'], { chaincodeId, name, payload: payloadOf(entry) });

describe('blockEntriesOf (the Fabric event source reads whole blocks)', () => {
  it('takes the valid case events of the chaincode, in transaction order, receipts from the block', async () => {
    const [first, second] = await realEntries();
    const b = block(7, [
      { envelope: caseTx(first!), code: VALID },
      { envelope: envelope(txIdOf(1), ['BamfMSP'], { chaincodeId: CHAINCODE, name: CONTRACT_EVENTS.ValueListChanged, payload: {} }), code: VALID },
      { envelope: caseTx(second!), code: MVCC_READ_CONFLICT },
      { envelope: caseTx(second!, CONTRACT_EVENTS.CaseEventRecorded, 'other-chaincode'), code: VALID },
      { envelope: envelope(txIdOf(2), ['ZabSachsenMSP']), code: VALID },
      { envelope: caseTx(second!, CONTRACT_EVENTS.ReturnConflict), code: VALID },
    ]);
    const entries = blockEntriesOf(b, CHAINCODE);
    expect(entries.map((e) => [e.event.txId, e.receipt.blockNumber, e.receipt.txIndex, e.receipt.validationCode, e.receipt.endorsers])).toEqual([
      [first!.event.txId, '7', 0, 'VALID', ['BamfMSP', 'ZabSachsenMSP']],
      [second!.event.txId, '7', 5, 'VALID', ['BamfMSP', 'ZabSachsenMSP']],
    ]);
    expect(entries[0]).toEqual({ event: first!.event, warnings: first!.warnings, receipt: { ...first!.receipt, blockNumber: '7', txIndex: 0 } });
  });

  it('finds no case event in real Fabric blocks without any (a configuration block included)', async () => {
    const source = await BlockStoreSource.open(PROD);
    let blocks = 0;
    for await (const b of source.blocks(0)) {
      expect(blockEntriesOf(b, CHAINCODE)).toEqual([]);
      blocks += 1;
    }
    expect(blocks).toBe(8);
  });
});

describe('FabricLedgerEvents over a stand-in for fabric-gateway’s block stream', () => {
  function fakeNetwork(blocks: readonly common.Block[], starts: bigint[]): Network {
    const network = {
      getBlockEvents: (options: { startBlock?: bigint }) => {
        const start = options.startBlock ?? 0n;
        starts.push(start);
        const pending = blocks.filter((b) => BigInt(b.getHeader()!.getNumber()) >= start);
        async function* iterate() {
          for (const b of pending) yield b;
          await new Promise(() => undefined);
        }
        const iterator = iterate();
        return Promise.resolve(Object.assign(iterator, { close: () => void iterator.return(undefined) }));
      },
    };
    return network as unknown as Network;
  }

  async function collect(blocks: readonly common.Block[], after: LedgerCheckpoint | undefined, lastBlock: string) {
    const delivered: string[] = [];
    const starts: bigint[] = [];
    const source = new FabricLedgerEvents({ network: () => fakeNetwork(blocks, starts), chaincode: CHAINCODE, backoffMs: 1, maxBackoffMs: 1 });
    await new Promise<void>((resolve) => {
      const sub = source.subscribe(after, {
        onEntry: (e) => {
          delivered.push(`entry ${e.receipt.blockNumber}/${e.receipt.txIndex}`);
          return Promise.resolve();
        },
        onBlockProcessed: (n) => {
          delivered.push(`block ${n}`);
          if (n === lastBlock) {
            sub.close();
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    return { delivered, starts };
  }

  it('reports every block processed, blocks without case events included, after its entries; resumes after the checkpoint', async () => {
    const [first, second] = await realEntries();
    const blocks = [
      block(0, []),
      block(1, [{ envelope: envelope(txIdOf(1), ['BamfMSP'], { chaincodeId: CHAINCODE, name: CONTRACT_EVENTS.ValueListChanged, payload: {} }), code: VALID }]),
      block(2, [{ envelope: caseTx(first!), code: VALID }, { envelope: caseTx(second!), code: VALID }]),
      block(3, [{ envelope: envelope(txIdOf(3), ['ZabSachsenMSP']), code: VALID }]),
    ];
    expect((await collect(blocks, undefined, '3')).delivered).toEqual(['block 0', 'block 1', 'entry 2/0', 'entry 2/1', 'block 2', 'block 3']);
    const resumed = await collect(blocks, { blockNumber: '2', txIndex: 0, txId: first!.receipt.txId }, '3');
    expect(resumed.starts).toEqual([2n]);
    expect(resumed.delivered).toEqual(['entry 2/1', 'block 2', 'block 3']);
  });
});

describe('FabricLedgerEvents leaves no stream or timer behind', () => {
  /** A stand-in block stream: yields its blocks, then waits until closed (as a live stream waits for the next block). */
  class FakeStream {
    closed = false;
    #wake: (() => void) | undefined;
    constructor(private readonly blocks: readonly common.Block[]) {}
    close(): void {
      this.closed = true;
      this.#wake?.();
    }
    async *[Symbol.asyncIterator](): AsyncIterator<common.Block> {
      for (const b of this.blocks) yield await Promise.resolve(b);
      if (!this.closed) await new Promise<void>((resolve) => (this.#wake = resolve));
      throw new Error('1 CANCELLED: Cancelled on client');
    }
  }
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const networkOf = (getBlockEvents: (options: { startBlock?: bigint }) => Promise<FakeStream>) => () => ({ getBlockEvents }) as unknown as Network;

  afterEach(() => jest.useRealTimers());

  it('closes a stream that opened only after close() was called', async () => {
    let open: ((s: FakeStream) => void) | undefined;
    const stream = new FakeStream([block(0, [])]);
    const processed: string[] = [];
    const source = new FabricLedgerEvents({ network: networkOf(() => new Promise((resolve) => (open = resolve))), chaincode: CHAINCODE, backoffMs: 1, maxBackoffMs: 1 });
    const sub = source.subscribe(undefined, { onEntry: () => Promise.resolve(), onBlockProcessed: (n) => Promise.resolve(void processed.push(n)) });
    sub.close();
    open!(stream);
    await tick();
    expect(stream.closed).toBe(true);
    expect(processed).toEqual([]);
  });

  it('closes a failed stream before reconnecting at the first block not processed', async () => {
    const streams: FakeStream[] = [];
    const starts: bigint[] = [];
    const blocks = [block(0, []), block(1, []), block(2, [])];
    const source = new FabricLedgerEvents({
      network: networkOf(({ startBlock = 0n }) => {
        starts.push(startBlock);
        const s = new FakeStream(blocks.filter((b) => BigInt(b.getHeader()!.getNumber()) >= startBlock));
        streams.push(s);
        return Promise.resolve(s);
      }),
      chaincode: CHAINCODE,
      backoffMs: 1,
      maxBackoffMs: 1,
    });
    const processed: string[] = [];
    const errors: unknown[] = [];
    let failOnce = true;
    await new Promise<void>((resolve) => {
      const sub = source.subscribe(undefined, {
        onEntry: () => Promise.resolve(),
        onBlockProcessed: (n) => {
          if (n === '1' && failOnce) {
            failOnce = false;
            return Promise.reject(new Error('projection store unavailable'));
          }
          processed.push(n);
          if (n === '2') {
            sub.close();
            resolve();
          }
          return Promise.resolve();
        },
        onError: (e) => errors.push(e),
      });
    });
    await tick();
    expect(processed).toEqual(['0', '1', '2']);
    expect(errors).toEqual([new Error('projection store unavailable')]);
    expect(starts).toEqual([0n, 1n]);
    expect(streams.map((s) => s.closed)).toEqual([true, true]);
  });

  it('ends at once when closed while waiting to reconnect, or from onError, leaving no timer', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const refused = () => Promise.reject(new Error('Unexpected status response: 400'));
    let opened = 0;
    const source = new FabricLedgerEvents({ network: networkOf(() => (opened++, refused())), chaincode: CHAINCODE, backoffMs: 60_000, maxBackoffMs: 60_000 });
    const waiting = source.subscribe(undefined, { onEntry: () => Promise.resolve() });
    await tick();
    expect(jest.getTimerCount()).toBe(1);
    waiting.close();
    await tick();
    expect(jest.getTimerCount()).toBe(0);
    const closing = source.subscribe(undefined, { onEntry: () => Promise.resolve(), onError: () => closing.close() });
    await tick();
    expect(jest.getTimerCount()).toBe(0);
    expect(opened).toBe(2);
  });
});
