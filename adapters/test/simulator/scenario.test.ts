import { caseIdFor, courtRefFor, EVENT_WRITER } from '@asl/chaincode/domain';
import { AGENCY_PROFILES } from '../../src/agencies/profiles';
import { parseMessage } from '../../src/message';
import { FLOWS, generateScenario } from '../../src/simulator/scenario';
import { CaseSystemSimulator } from '../../src/simulator/simulator';
import { FakeLedger, LEDGER_KEY } from '../support/fake-ledger';
import pino from 'pino';

const TODAY = '2026-11-26';

describe('simulator scenarios', () => {
  it('are deterministic per seed and differ across seeds', () => {
    expect(generateScenario({ seed: 3, count: 12, today: TODAY })).toEqual(generateScenario({ seed: 3, count: 12, today: TODAY }));
    expect(generateScenario({ seed: 3, count: 12, today: TODAY })).not.toEqual(generateScenario({ seed: 4, count: 12, today: TODAY }));
  });

  it('cover every flow, use obviously fake identities, and give each step to an agency allowed to send it', () => {
    const cases = generateScenario({ seed: 5, count: 20, today: TODAY });
    expect(new Set(cases.map((c) => c.flow))).toEqual(new Set(FLOWS));
    expect(cases[0]?.person).toMatchObject({ familyName: 'Testperson', givenNames: 'Eins' });
    for (const c of cases) {
      expect(c.azrNumber).toMatch(/^999\d{9}$/);
      for (const step of c.steps) expect(AGENCY_PROFILES[step.agency].sends.has(step.type)).toBe(true);
    }
    expect(EVENT_WRITER.RETURN_SCHEDULED).toBe('STATE_AUTHORITY');
  });

  it('are accepted by the domain core in order, and the lost fax ends in two ReturnConflicts', () => {
    const ledger = new FakeLedger(() => new Date(`${TODAY}T12:00:00Z`));
    const cases = generateScenario({ seed: 9, count: 12, today: TODAY });
    for (const c of cases) {
      const caseId = caseIdFor(LEDGER_KEY, c.azrNumber);
      const conflicts: string[] = [];
      for (const step of c.steps) {
        const { courtProceedings, ...rest } = step.data as { courtProceedings?: { court: string; fileNumber: string } };
        const data = courtProceedings === undefined ? rest : { ...rest, courtRef: courtRefFor(LEDGER_KEY, courtProceedings.court, courtProceedings.fileNumber) };
        const msp = AGENCY_PROFILES[step.agency].mspId;
        const { entry } = ledger.write(msp, { caseId, type: step.type, occurredAt: step.occurredAt, sourceMessageId: step.id, data });
        if (entry.chaincodeEvent === 'ReturnConflict') conflicts.push(step.type);
      }
      if (c.flow === 'lost-fax') expect(conflicts).toEqual(['RETURN_SCHEDULED', 'URGENT_APPLICATION_FILED']);
      else expect(conflicts).toEqual([]);
    }
  });

  it('writes valid messages addressed to its agency, and counts a redelivery instead of storing it twice', () => {
    const [c] = generateScenario({ seed: 1, count: 1, today: TODAY });
    const sim = new CaseSystemSimulator({ profile: 'zab', adapterUrl: 'http://127.0.0.1:1', cases: c ? [c] : [], caseIntervalMs: 0, stepDelayMs: 0, logger: pino({ level: 'silent' }) });
    const step = c?.steps[0];
    if (c === undefined || step === undefined) throw new Error('no case');
    const xml = sim.messageFor(c, step);
    const parsed = parseMessage(Buffer.from(xml));
    expect(parsed.ok && parsed.message.kind === 'event' && parsed.message.body.nachrichtenkopf.leser.kennung).toBe('ZabSachsenMSP');
    expect(sim.receive(Buffer.from('<nope/>'))).toBe(false);
    const outbound = Buffer.from(xml.replace('ZabSachsenMSP', 'ZAB-VERFAHREN'));
    expect(sim.receive(outbound)).toBe(true);
    expect(sim.receive(outbound)).toBe(true);
    expect(sim.received.size).toBe(1);
    expect(sim.redeliveries).toBe(1);
  });
});
