/**
 * Accepting one inbound message, shared by `POST /messages` and the drop directory: parse and validate
 * (codec), check the adapter's own rules (an AZR number, addressed to this agency, an event type), store
 * durably, hand to the dispatcher. Refusals come back as a ReturnToSender.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { parseMessage, returnToSender, serializeMessage, type Rejection, type XmlLimits } from '../message';
import { laneKeyFor, type Clock } from './dispatcher';
import type { Outbox, OutboxRecord } from './outbox';

/** Who this adapter is. */
export interface AgencyIdentity {
  /** The agency's MSP ID: the `leser` of inbound messages and `autor` of the adapter's own. */
  readonly mspId: string;
  /** The case system's `kennung`: the reader of a ReturnToSender whose rejected message named no author. */
  readonly caseSystem: string;
}

/** What accepting needs. */
export interface InboundDeps {
  readonly outbox: Outbox;
  readonly enqueue: (record: OutboxRecord) => void;
  readonly clock: Clock;
  readonly agency: AgencyIdentity;
  readonly limits: XmlLimits;
  readonly logger: Logger;
  readonly newId?: () => string;
  /** The event types this agency's case system may send (its profile); others are refused with `NOT_OWNER`. */
  readonly allowedTypes?: ReadonlySet<string>;
  /** Fault injection (crash tests): called once a new message is durably stored, before it is handed on or answered. */
  readonly afterStore?: () => void;
}

/** Counters for /metrics. */
export interface InboundCounters {
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** The outcome of offering one message. */
export type InboundResult =
  | { readonly status: 'accepted' | 'duplicate'; readonly id: string }
  | { readonly status: 'rejected'; readonly httpStatus: 400 | 409 | 413; readonly reason: string; readonly returnToSender: string };

/** The inbound side: parse, check, store durably. */
export class Inbound {
  readonly counters: InboundCounters = { accepted: 0, duplicates: 0, rejected: 0 };

  constructor(private readonly deps: InboundDeps) {}

  private reject(bytes: Uint8Array, rejection: Rejection, channel: string): InboundResult {
    this.counters.rejected += 1;
    const now = new Date(this.deps.clock.now()).toISOString();
    const rts = returnToSender({
      rejection,
      rejected: bytes,
      nachrichtUUID: (this.deps.newId ?? randomUUID)(),
      now,
      rejectingAuthority: this.deps.agency.mspId,
      defaultReader: this.deps.agency.caseSystem,
    });
    this.deps.logger.warn({ channel, id: rejection.nachrichtUUID, code: rejection.reason, findings: rejection.findings.slice(0, 5) }, 'message rejected');
    const httpStatus = rejection.reason === 'MESSAGE_TOO_LARGE' ? 413 : rejection.reason === 'IDEMPOTENCY_CONFLICT' ? 409 : 400;
    return { status: 'rejected', httpStatus, reason: rejection.reason, returnToSender: serializeMessage(rts) };
  }

  /** The answer to a message refused by size before it was read completely. */
  tooLarge(channel: 'http' | 'drop'): InboundResult {
    return this.reject(new Uint8Array(0), { reason: 'MESSAGE_TOO_LARGE', findings: [{ pfad: '', code: 'too_many_bytes' }] }, channel);
  }

  /** Offers one message; resolves once it is durably stored (or refused). */
  async offer(bytes: Uint8Array, channel: 'http' | 'drop'): Promise<InboundResult> {
    const parsed = parseMessage(bytes, this.deps.limits);
    if (!parsed.ok) return this.reject(bytes, parsed.rejection, channel);
    const message = parsed.message;
    if (message.kind !== 'event') {
      return this.reject(bytes, { reason: 'UNKNOWN_MESSAGE_TYPE', findings: [{ pfad: '', code: 'not_an_inbound_type' }], nachrichtUUID: message.body.nachrichtenkopf.nachrichtUUID }, channel);
    }
    const body = message.body;
    const head = body.nachrichtenkopf;
    const known = { nachrichtUUID: head.nachrichtUUID, author: head.autor.kennung };
    if (this.deps.allowedTypes !== undefined && !this.deps.allowedTypes.has(message.eventType)) {
      return this.reject(bytes, { reason: 'NOT_OWNER', findings: [{ pfad: 'nachrichtenkopf/nachrichtentyp', code: 'not_sent_by_this_agency' }], ...known }, channel);
    }
    if (head.leser.kennung !== this.deps.agency.mspId) {
      return this.reject(bytes, { reason: 'WRONG_READER', findings: [{ pfad: 'nachrichtenkopf/leser/kennung', code: 'not_this_agency' }], ...known }, channel);
    }
    const azr = body.identifikation.azrNummer;
    if (azr === undefined) {
      return this.reject(bytes, { reason: 'MISSING_IDENTIFIER', findings: [{ pfad: 'identifikation/azrNummer', code: 'required_inbound' }], ...known }, channel);
    }
    const outcome = await this.deps.outbox.accept({
      id: head.nachrichtUUID,
      receivedAt: new Date(this.deps.clock.now()).toISOString(),
      laneKey: laneKeyFor(azr),
      event: {
        eventType: message.eventType,
        occurredAt: body.ereignis.eingetretenAm,
        identification: body.identifikation,
        ...(body.personendaten === undefined ? {} : { person: body.personendaten }),
        data: body.ereignis.daten,
        author: head.autor.kennung,
      },
    });
    switch (outcome.status) {
      case 'accepted':
        this.deps.afterStore?.();
        this.counters.accepted += 1;
        this.deps.logger.info({ channel, id: head.nachrichtUUID, type: message.eventType }, 'accepted');
        this.deps.enqueue(outcome.record);
        return { status: 'accepted', id: head.nachrichtUUID };
      case 'duplicate':
        this.counters.duplicates += 1;
        this.deps.logger.info({ channel, id: head.nachrichtUUID }, 'duplicate ignored');
        return { status: 'duplicate', id: head.nachrichtUUID };
      case 'conflict':
        return this.reject(bytes, { reason: 'IDEMPOTENCY_CONFLICT', findings: [{ pfad: 'nachrichtenkopf/nachrichtUUID', code: 'reused_for_other_content' }], ...known }, channel);
    }
  }
}
