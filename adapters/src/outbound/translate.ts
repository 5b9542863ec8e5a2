/**
 * From the gateway's event stream to messages for the case system, as pure functions.
 *
 * - A `case-event` item written by the **partner** agency becomes its event message, with the ledger
 *   `txId` as `nachrichtUUID` (stable across redeliveries and read-model rebuilds) and the receipt in
 *   `quittung`. The own agency's events are not sent back: its case system wrote them.
 * - Warnings that opened with an item (ids not open before for the case), whoever wrote it, become a
 *   `Hinweis.WarnungenUndAktionen` notice with the case's open warnings, BLOCKING return rules first.
 *   A `ReturnConflict` (domain.md §5: a return write judged BLOCKING, or a write that opened a BLOCKING
 *   `RET_*` rule — those only apply while a return is scheduled) is marked `RETURN_CONFLICT` and queued
 *   ahead of everything else.
 * - A `warning` item (a clock rule's opening, announced once by the gateway) is an opening too.
 */
import { createHash } from 'node:crypto';
import { EVENT_TYPES, InstantSchema, SourceMessageIdSchema, TxIdSchema, CaseIdSchema, WarningSchema, type Action, type Warning } from '@asl/chaincode/domain';
import { z } from 'zod';
import { eventMessageType, NOTICE_MESSAGE_TYPE, serializeMessage, type Identification, type Message, type NoticeOccasion } from '../message';
import type { QueueDraft } from './outbound-store';

const ActorLike = z.looseObject({ mspId: z.string() });

/** A ledger event as the stream carries it (only the fields the adapter uses are checked). */
const StreamEventSchema = z.looseObject({
  type: z.enum(EVENT_TYPES),
  occurredAt: InstantSchema,
  sourceMessageId: SourceMessageIdSchema,
  data: z.record(z.string(), z.unknown()),
  txId: TxIdSchema,
  recordedAt: InstantSchema,
  actor: ActorLike,
});

/** `event: case-event` data. */
export const CaseEventItemSchema = z.looseObject({
  seq: z.number().int().nonnegative(),
  caseId: CaseIdSchema,
  event: StreamEventSchema,
  receipt: z.looseObject({ txId: TxIdSchema, recordedAt: InstantSchema, writer: ActorLike }).optional(),
  warnings: z.array(WarningSchema).default([]),
});
/** `event: warning` data. */
export const WarningItemSchema = z.looseObject({ seq: z.number().int().nonnegative(), caseId: CaseIdSchema, warning: WarningSchema });

/** A stream item the adapter understood. */
export type StreamItem =
  | { readonly kind: 'case-event'; readonly item: z.infer<typeof CaseEventItemSchema> }
  | { readonly kind: 'warning'; readonly item: z.infer<typeof WarningItemSchema> };

/** Reads one SSE message (event name and JSON data); undefined when it is not an item the adapter knows. */
export function readStreamItem(eventName: string, data: string): StreamItem | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (eventName === 'case-event') {
    const parsed = CaseEventItemSchema.safeParse(json);
    return parsed.success ? { kind: 'case-event', item: parsed.data } : undefined;
  }
  if (eventName === 'warning') {
    const parsed = WarningItemSchema.safeParse(json);
    return parsed.success ? { kind: 'warning', item: parsed.data } : undefined;
  }
  return undefined;
}

/** Who this adapter is. */
export interface OutboundIdentity {
  readonly mspId: string;
  readonly caseSystem: string;
}

const isBlockingReturnRule = (w: Warning): boolean => w.severity === 'BLOCKING' && w.code.startsWith('RET_');

/** Return conflicts first, then other BLOCKING warnings, then the rest; by code within each. */
export function prominentFirst(warnings: readonly Warning[]): Warning[] {
  const rank = (w: Warning): number => (isBlockingReturnRule(w) ? 0 : w.severity === 'BLOCKING' ? 1 : 2);
  return [...warnings].sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code) || a.id.localeCompare(b.id));
}

/** Whether a write is a `ReturnConflict` (domain.md §5), judged from what the stream carries. */
export function isReturnConflict(eventType: string, opened: readonly Warning[], after: readonly Warning[]): boolean {
  if ((eventType === 'RETURN_SCHEDULED' || eventType === 'RETURN_EXECUTION_STARTED') && after.some(isBlockingReturnRule)) return true;
  return opened.some(isBlockingReturnRule);
}

function hashId(prefix: string, ...parts: string[]): string {
  return `${prefix}${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 48)}`;
}

/** A notice message for one case. */
export function noticeMessage(input: {
  id: string;
  at: string;
  caseId: string;
  identity: Identification;
  occasion: NoticeOccasion;
  warnings: readonly Warning[];
  actions: readonly Action[];
  self: OutboundIdentity;
}): Message {
  return {
    kind: 'notice',
    body: {
      nachrichtenkopf: {
        nachrichtUUID: input.id,
        nachrichtentyp: NOTICE_MESSAGE_TYPE.code,
        erstellungszeitpunkt: input.at,
        autor: { kennung: input.self.mspId },
        leser: { kennung: input.self.caseSystem },
      },
      identifikation: { ...input.identity, fallId: input.caseId },
      hinweise: { anlass: input.occasion, stand: input.at, warnung: prominentFirst(input.warnings), aktion: [...input.actions] },
    },
  };
}

/** What translating one item produced. */
export interface Translation {
  readonly messages: QueueDraft[];
  /** The case's open warning ids after the item. */
  readonly openWarnings: readonly string[];
  /** True when a warning opened that is a ReturnConflict. */
  readonly returnConflict: boolean;
}

/**
 * Translates one stream item. `known` are the case's warning ids open before it; `identity` the AZR and
 * BAMF numbers when known.
 */
export function translate(stream: StreamItem, known: readonly string[], identity: Identification, self: OutboundIdentity): Translation {
  const knownSet = new Set(known);
  if (stream.kind === 'warning') {
    const { item } = stream;
    if (knownSet.has(item.warning.id)) return { messages: [], openWarnings: known, returnConflict: false };
    const conflict = isReturnConflict('', [item.warning], [item.warning]);
    const occasion: NoticeOccasion = conflict ? 'RETURN_CONFLICT' : 'WARNING_OPENED';
    const message = noticeMessage({
      id: hashId('H.', item.warning.id, item.warning.openedAt),
      at: item.warning.evaluatedAt,
      caseId: item.caseId,
      identity,
      occasion,
      warnings: [item.warning],
      actions: [],
      self,
    });
    return {
      messages: [{ id: message.body.nachrichtenkopf.nachrichtUUID, prio: conflict ? 0 : 1, kind: 'notice', caseId: item.caseId, xml: serializeMessage(message) }],
      openWarnings: [...known, item.warning.id],
      returnConflict: conflict,
    };
  }
  const { item } = stream;
  const event = item.event;
  const writer = item.receipt?.writer.mspId ?? event.actor.mspId;
  const messages: QueueDraft[] = [];
  const opened = item.warnings.filter((w) => !knownSet.has(w.id));
  const conflict = opened.length > 0 && isReturnConflict(event.type, opened, item.warnings);
  if (opened.length > 0) {
    const message = noticeMessage({
      id: `H.${event.txId}`,
      at: event.recordedAt,
      caseId: item.caseId,
      identity,
      occasion: conflict ? 'RETURN_CONFLICT' : 'WARNING_OPENED',
      warnings: item.warnings,
      actions: [],
      self,
    });
    messages.push({ id: `H.${event.txId}`, prio: conflict ? 0 : 1, kind: 'notice', caseId: item.caseId, xml: serializeMessage(message) });
  }
  if (writer !== self.mspId) {
    const message: Message = {
      kind: 'event',
      eventType: event.type,
      body: {
        nachrichtenkopf: {
          nachrichtUUID: event.txId,
          nachrichtentyp: eventMessageType(event.type).code,
          erstellungszeitpunkt: event.recordedAt,
          autor: { kennung: self.mspId },
          leser: { kennung: self.caseSystem },
        },
        identifikation: { ...identity, fallId: item.caseId },
        ereignis: { eingetretenAm: event.occurredAt, daten: event.data },
        quittung: { txId: event.txId, recordedAt: event.recordedAt, writer, sourceMessageId: event.sourceMessageId },
      },
    };
    // The partner's event goes before the notice it caused, unless the notice is a ReturnConflict (prio 0).
    messages.unshift({ id: event.txId, prio: 1, kind: 'event', caseId: item.caseId, xml: serializeMessage(message) });
  }
  return { messages, openWarnings: item.warnings.map((w) => w.id), returnConflict: conflict };
}

/** The digest of a case's warnings and this agency's actions, to send a notice only on change. */
export function noticeDigest(warnings: readonly Warning[], actions: readonly Action[]): string {
  const w = warnings.map((x) => `${x.id}:${x.acknowledgedBy.slice().sort().join(',')}`).sort();
  const a = actions.map((x) => `${x.code}:${x.due ?? ''}:${(x.warningIds ?? []).slice().sort().join(',')}`).sort();
  return createHash('sha256').update(JSON.stringify({ w, a })).digest('hex');
}
