import { addDays, berlinDate, compareDates, daysBetween, isProtection, isWorkingDay, type IsoDate, type StoredEvent } from '@asl/chaincode/domain';

/** How a stage's duration is counted. */
export type StageUnit = 'calendarDays' | 'workingDays';

/** One measured stage of one case: its duration and the day it ended (the period filter applies to that day). */
export interface StageMeasurement {
  readonly days: number;
  readonly endedOn: IsoDate;
}

/** A stage of the steering view (architecture.md `GET /stats`, issue 5): how long cases take from one fact to the next. */
export interface Stage {
  readonly name: string;
  readonly unit: StageUnit;
  /** Service level in `unit`, when the agencies agreed one. */
  readonly target?: number;
  measure(events: readonly StoredEvent[]): StageMeasurement | undefined;
}

function first<T extends StoredEvent['type']>(events: readonly StoredEvent[], type: T, after = -1): { event: Extract<StoredEvent, { type: T }>; index: number } | undefined {
  for (let i = after + 1; i < events.length; i += 1) {
    const event = events[i];
    if (event?.type === type) return { event: event as Extract<StoredEvent, { type: T }>, index: i };
  }
  return undefined;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let n = 0;
  for (let d = addDays(from, 1); compareDates(d, to) <= 0; d = addDays(d, 1)) if (isWorkingDay(d)) n += 1;
  return n;
}

const calendar = (from: IsoDate, to: IsoDate): StageMeasurement => ({ days: daysBetween(from, to), endedOn: to });

/** The hearing that took place: the first `HEARING_HELD` and the `HEARING_SCHEDULED` before it. */
function heldHearing(events: readonly StoredEvent[]): { hearingOn: IsoDate; heldAt: number } | undefined {
  const held = first(events, 'HEARING_HELD');
  if (!held) return undefined;
  let scheduled: IsoDate | undefined;
  for (let i = 0; i < held.index; i += 1) {
    const e = events[i];
    if (e?.type === 'HEARING_SCHEDULED') scheduled = e.data.hearingOn;
  }
  return scheduled === undefined ? undefined : { hearingOn: scheduled, heldAt: held.index };
}

/** The stages, in procedure order. Events are a case's non-retracted events in ledger order. */
export const STAGES: readonly Stage[] = [
  {
    name: 'registrationToApplication',
    unit: 'calendarDays',
    measure: (events) => {
      const a = first(events, 'CASE_REGISTERED');
      const b = first(events, 'APPLICATION_FILED');
      return a && b ? calendar(a.event.data.registeredOn, b.event.data.filedOn) : undefined;
    },
  },
  {
    name: 'applicationToHearing',
    unit: 'calendarDays',
    measure: (events) => {
      const a = first(events, 'APPLICATION_FILED');
      const h = heldHearing(events);
      return a && h ? calendar(a.event.data.filedOn, h.hearingOn) : undefined;
    },
  },
  {
    name: 'hearingToDecision',
    unit: 'calendarDays',
    measure: (events) => {
      const h = heldHearing(events);
      const d = h && first(events, 'DECISION_ISSUED', h.heldAt);
      return h && d ? calendar(h.hearingOn, d.event.data.decidedOn) : undefined;
    },
  },
  {
    name: 'applicationToDecision',
    unit: 'calendarDays',
    measure: (events) => {
      const a = first(events, 'APPLICATION_FILED');
      const d = a && first(events, 'DECISION_ISSUED', a.index);
      return a && d ? calendar(a.event.data.filedOn, d.event.data.decidedOn) : undefined;
    },
  },
  {
    name: 'decisionToService',
    unit: 'calendarDays',
    measure: (events) => {
      const d = first(events, 'DECISION_ISSUED');
      const s = d && first(events, 'DECISION_SERVED', d.index);
      return d && s ? calendar(d.event.data.decidedOn, s.event.data.servedOn) : undefined;
    },
  },
  {
    // MUNICIPALITY_ALLOCATED has no business date: the allocation counts on the Berlin day it was recorded.
    name: 'protectionToAllocation',
    unit: 'workingDays',
    target: 3,
    measure: (events) => {
      const p = events.findIndex((e) => e.type === 'DECISION_ISSUED' && isProtection(e.data.outcome));
      const decision = events[p];
      if (decision?.type !== 'DECISION_ISSUED') return undefined;
      const allocated = first(events, 'MUNICIPALITY_ALLOCATED', p);
      if (!allocated) return undefined;
      const endedOn = berlinDate(allocated.event.recordedAt);
      return { days: workingDaysBetween(decision.data.decidedOn, endedOn), endedOn };
    },
  },
];
