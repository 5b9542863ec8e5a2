/**
 * Checks the live REST suites make against the ledger itself: that a refusal or a read wrote nothing, and that a
 * gateway's read model holds exactly what the chaincode holds for a case.
 */
import { CaseViewResponseSchema } from '../../src/api/schemas';
import { liveCall } from './live-client';
import type { LedgerProbe, ProbedTransaction } from './ledger-probe';
import type { LiveGateway } from './live-gateways';

/** A point to compare the ledger against: its height then. */
export interface LedgerMark {
  readonly height: bigint;
}

export async function markLedger(probe: LedgerProbe): Promise<LedgerMark> {
  return { height: await probe.height() };
}

/**
 * What was committed since `mark`: the height difference and the transactions signed by any of `creators`
 * (enrollment IDs). Other suites write to the same network meanwhile, so the height alone cannot show that a
 * refusal wrote nothing; the transactions of our own identities can.
 */
export async function writtenSince(probe: LedgerProbe, mark: LedgerMark, creators: readonly string[]): Promise<{ blocks: bigint; ours: ProbedTransaction[] }> {
  const height = await probe.height();
  const ours = (await probe.transactions(mark.height, height)).filter((t) => creators.includes(t.creatorId));
  return { blocks: height - mark.height, ours };
}

/** The fields of a case view that depend on when and where it was read, not on the case. */
function comparable(view: unknown): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== 'evaluatedAt' && k !== 'ledgerHeight' && k !== 'projectionHeight')
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  return strip(view);
}

/**
 * The case view from the gateway's read model and the one folded from the chaincode's timeline (`?consistent=true`),
 * without the read-time fields (evaluation time, heights).
 */
export async function viewsOf(gw: LiveGateway, token: string, caseId: string): Promise<{ readModel: unknown; chaincode: unknown }> {
  const fromReadModel = await liveCall(gw.url, 'get', '/api/v1/cases/{caseId}', { token, params: { caseId } });
  const fromChaincode = await liveCall(gw.url, 'get', '/api/v1/cases/{caseId}', { token, params: { caseId }, query: { consistent: 'true' } });
  if (fromReadModel.status !== 200 || fromChaincode.status !== 200) {
    throw new Error(`case view answered ${fromReadModel.status} (read model) / ${fromChaincode.status} (chaincode)`);
  }
  return { readModel: comparable(CaseViewResponseSchema.parse(fromReadModel.body)), chaincode: comparable(CaseViewResponseSchema.parse(fromChaincode.body)) };
}
