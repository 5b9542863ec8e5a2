/**
 * The reads the outbound side and the reconciliation report make on the agency's gateway: open
 * warnings, this agency's next actions, a case's details (for the AZR/BAMF numbers of a partner's case;
 * access-logged by the gateway) and a case's timeline (all pages).
 */
import { ActionSchema, WarningSchema, type Action, type Warning } from '@asl/chaincode/domain';
import { z } from 'zod';

/** One timeline item, reduced to what reconciliation compares. */
export interface TimelineEntry {
  readonly type: string;
  readonly occurredAt: string;
  readonly sourceMessageId: string;
  readonly data: Record<string, unknown>;
  readonly writer: string;
  readonly txId: string;
  readonly retracted: boolean;
}

/** A read's outcome: the value, or the HTTP status (0: no answer). */
export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number };

/** The port. */
export interface GatewayReader {
  warnings(): Promise<ReadResult<Warning[]>>;
  actions(): Promise<ReadResult<Action[]>>;
  /** The AZR and BAMF numbers any agency's `caseDetails` record holds for the case. */
  identity(caseId: string): Promise<ReadResult<{ azrNummer?: string; bamfAktenzeichen?: string }>>;
  /** The whole timeline; `undefined` for an unknown case. */
  timeline(caseId: string): Promise<ReadResult<TimelineEntry[] | undefined>>;
}

const WarningsSchema = z.looseObject({ items: z.array(WarningSchema) });
const ActionsSchema = z.looseObject({ items: z.array(ActionSchema) });
/** The gateway's `CaseDetails`: per agency a record whose `details` hold what the agency wrote (or `erased`). */
const DetailsSchema = z.looseObject({
  records: z.array(
    z.looseObject({
      state: z.string(),
      record: z.looseObject({ details: z.looseObject({ azrNumber: z.string().optional(), bamfFileNumber: z.string().optional() }) }).optional(),
    }),
  ),
});
const TimelineSchema = z.looseObject({
  items: z.array(
    z.looseObject({
      event: z.looseObject({ type: z.string(), occurredAt: z.string(), sourceMessageId: z.string(), data: z.record(z.string(), z.unknown()) }),
      actor: z.looseObject({ mspId: z.string() }),
      receipt: z.looseObject({ txId: z.string() }),
      retracted: z.boolean(),
    }),
  ),
  cursor: z.string().optional(),
});

/** Over HTTP. */
export class HttpGatewayReader implements GatewayReader {
  constructor(private readonly options: { readonly baseUrl: string; readonly token: string; readonly timeoutMs: number }) {}

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<ReadResult<T | undefined>> {
    try {
      const res = await fetch(new URL(path, this.options.baseUrl), {
        headers: { accept: 'application/json', authorization: `Bearer ${this.options.token}` },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await res.text();
      if (res.status === 404) return { ok: true, value: undefined };
      if (res.status !== 200) return { ok: false, status: res.status };
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? { ok: true, value: parsed.data } : { ok: false, status: 502 };
    } catch {
      return { ok: false, status: 0 };
    }
  }

  async warnings(): Promise<ReadResult<Warning[]>> {
    const r = await this.get('/api/v1/warnings', WarningsSchema);
    return r.ok ? { ok: true, value: r.value?.items ?? [] } : r;
  }

  async actions(): Promise<ReadResult<Action[]>> {
    const r = await this.get('/api/v1/actions', ActionsSchema);
    return r.ok ? { ok: true, value: r.value?.items ?? [] } : r;
  }

  async identity(caseId: string): Promise<ReadResult<{ azrNummer?: string; bamfAktenzeichen?: string }>> {
    const r = await this.get(`/api/v1/cases/${encodeURIComponent(caseId)}/details`, DetailsSchema);
    if (!r.ok) return r;
    const records = (r.value?.records ?? []).flatMap((x) => (x.record === undefined ? [] : [x.record.details]));
    const azr = records.find((x) => x.azrNumber !== undefined)?.azrNumber;
    const bamf = records.find((x) => x.bamfFileNumber !== undefined)?.bamfFileNumber;
    return { ok: true, value: { ...(azr === undefined ? {} : { azrNummer: azr }), ...(bamf === undefined ? {} : { bamfAktenzeichen: bamf }) } };
  }

  async timeline(caseId: string): Promise<ReadResult<TimelineEntry[] | undefined>> {
    const out: TimelineEntry[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const q = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const r = await this.get(`/api/v1/cases/${encodeURIComponent(caseId)}/timeline${q}`, TimelineSchema);
      if (!r.ok) return r;
      if (r.value === undefined) return { ok: true, value: page === 0 ? undefined : out };
      for (const item of r.value.items) {
        out.push({ ...item.event, writer: item.actor.mspId, txId: item.receipt.txId, retracted: item.retracted });
      }
      cursor = r.value.cursor;
      if (cursor === undefined) break;
    }
    return { ok: true, value: out };
  }
}
