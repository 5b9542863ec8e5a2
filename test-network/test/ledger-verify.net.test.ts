/**
 * Live: Fabric's own `ledgerutil verify` and the project's auditor CLI (`asl-audit verify`, gateway/src/audit)
 * judge a copy of a real peer's block store alike: both find it intact, and after one byte inside a block's data
 * is flipped both report that block, and only that block.
 */
import { rmSync } from 'node:fs';
import { connectionOrg } from '@asl/network/connection';
import { copyBlockStore, tamperWithBlockData, type BlockStoreCopy } from './support/block-store';
import { caseRegistered, newCaseId } from './support/cases';
import { aslAuditVerdict, ledgerutilVerdict } from './support/ledger-verdicts';
import { LiveNetwork } from './support/live-network';
import { NetworkOperator } from './support/network-operator';

jest.setTimeout(120_000);

const live = new LiveNetwork();
let copy: BlockStoreCopy | undefined;

afterAll(() => {
  live.close();
  if (copy !== undefined) rmSync(copy.root, { recursive: true, force: true });
});

describe("a copy of ZAB's peer block store, verified by ledgerutil and by asl-audit", () => {
  const channel = live.connection.channel;
  let ledgerutil = '';
  let tamperedBlock = 0;

  beforeAll(async () => {
    ledgerutil = (await NetworkOperator.open(live.connection)).fabric.tools.ledgerutil;
    // A block this suite wrote, committed on ZAB's peer (the commit status comes from the peer written through).
    tamperedBlock = Number((await live.procedure({ agency: 'zab', role: 'adapter' }).recordEvent(caseRegistered(newCaseId()))).blockNumber);
    const peer = connectionOrg(live.connection, 'zab').peers[0];
    if (peer === undefined) throw new Error('ZAB has no peer in connection.json');
    copy = copyBlockStore(peer.ledgerDir, channel);
  });

  it('both say intact', () => {
    expect(ledgerutilVerdict(ledgerutil, copy!, channel)).toEqual({ intact: true, badBlocks: [] });
    expect(aslAuditVerdict(copy!)).toEqual({ intact: true, badBlocks: [] });
  });

  it('after one byte of a block’s data is flipped, both report that block as the first and only bad one', () => {
    tamperWithBlockData(copy!, tamperedBlock);
    const fabric = ledgerutilVerdict(ledgerutil, copy!, channel);
    const ours = aslAuditVerdict(copy!);
    expect(fabric).toEqual({ intact: false, badBlocks: [{ block: tamperedBlock, findings: ['DataHash mismatch'] }] });
    expect(ours.intact).toBe(false);
    expect(ours.badBlocks.map((b) => b.block)).toEqual(fabric.badBlocks.map((b) => b.block));
    expect(ours.badBlocks[0]?.findings).toContain('DATA_HASH_MISMATCH');
  });
});
