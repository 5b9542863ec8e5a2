/** Small building blocks of case histories for the table tests. */
import { COURT_A, TestLedger } from './fixtures';

export type Setup = (l: TestLedger) => void;

export const nothing: Setup = () => undefined;

export const registered: Setup = (l) => {
  l.today = '2026-01-05';
  l.write('CASE_REGISTERED', { facility: 'AE-DD-TEST', registeredOn: '2026-01-05' });
};

export const pending: Setup = (l) => {
  registered(l);
  l.write('APPLICATION_FILED', { filedOn: '2026-01-05' });
};

export const hearingScheduled: Setup = (l) => {
  pending(l);
  l.today = '2026-01-07';
  l.write('HEARING_SCHEDULED', { hearingOn: '2026-01-20' });
};

export const heard: Setup = (l) => {
  hearingScheduled(l);
  l.today = '2026-01-20';
  l.write('HEARING_HELD', {});
};

export function decided(outcome: string, decidedOn = '2026-02-02'): Setup {
  return (l) => {
    heard(l);
    l.today = decidedOn;
    l.write('DECISION_ISSUED', { outcome, decidedOn });
  };
}

export function served(outcome: string, servedOn = '2026-02-04', decidedOn = '2026-02-02'): Setup {
  return (l) => {
    decided(outcome, decidedOn)(l);
    l.today = servedOn;
    l.write('DECISION_SERVED', { servedOn });
  };
}

/** Served, remedy deadline passed, final. */
export function final(outcome: string): Setup {
  return (l) => {
    served(outcome)(l);
    l.today = '2026-03-02';
    l.write('DECISION_FINAL', {});
  };
}

export const dublinStarted: Setup = (l) => {
  pending(l);
  l.write('DUBLIN_PROCEDURE_STARTED', { memberState: 'PL' });
};

export const dublinAccepted: Setup = (l) => {
  dublinStarted(l);
  l.today = '2026-01-30';
  l.write('DUBLIN_TRANSFER_ACCEPTED', { acceptedOn: '2026-01-30' });
};

export const revocationHeard: Setup = (l) => {
  final('REFUGEE_STATUS_GRANTED')(l);
  l.today = '2026-06-01';
  l.write('REVOCATION_PROCEEDINGS_STARTED', {});
  l.write('HEARING_SCHEDULED', { hearingOn: '2026-06-15' });
  l.today = '2026-06-15';
  l.write('HEARING_HELD', {});
};

export const closedByDeparture: Setup = (l) => {
  registered(l);
  l.today = '2026-01-12';
  l.write('VOLUNTARY_DEPARTURE_RECORDED', { departedOn: '2026-01-12' });
};

export const returnScheduled: Setup = (l) => {
  registered(l);
  l.write('RETURN_SCHEDULED', { kind: 'DEPORTATION' });
};

export const urgentFiled: Setup = (l) => {
  served('REJECTED_MANIFESTLY_UNFOUNDED')(l);
  l.today = '2026-02-06';
  l.write('URGENT_APPLICATION_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-06' });
};

export const suspensiveOrdered: Setup = (l) => {
  urgentFiled(l);
  l.today = '2026-02-20';
  l.write('URGENT_APPLICATION_DECIDED', { courtRef: COURT_A, result: 'SUSPENSIVE_EFFECT_ORDERED', decidedOn: '2026-02-20' });
};

export const appealFiled: Setup = (l) => {
  served('REJECTED_UNFOUNDED')(l);
  l.today = '2026-02-10';
  l.write('APPEAL_FILED', { court: 'VG-DD-TEST', courtRef: COURT_A, filedOn: '2026-02-10' });
};

export const followUpFiled: Setup = (l) => {
  final('REJECTED_UNFOUNDED')(l);
  l.today = '2026-05-04';
  l.write('FOLLOW_UP_APPLICATION_FILED', { filedOn: '2026-05-04' });
};

export const followUpInadmissible: Setup = (l) => {
  followUpFiled(l);
  l.today = '2026-05-20';
  l.write('FOLLOW_UP_APPLICATION_DECIDED', { result: 'INADMISSIBLE', servedOn: '2026-05-20' });
};

export function then(...setups: Setup[]): Setup {
  return (l) => {
    for (const s of setups) s(l);
  };
}
