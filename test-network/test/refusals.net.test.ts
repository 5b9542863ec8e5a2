/**
 * Live: the chaincode itself refuses writes by the wrong organisation or role (domain.md §1 ownership, §7 error
 * codes), on the real peers, and nothing is written.
 */
import { applicationFiled, caseRegistered, CODES, eventOf, newCaseId } from './support/cases';
import { LiveNetwork } from './support/live-network';
import { refusalCodes } from './support/procedure';

const live = new LiveNetwork();
afterAll(() => live.close());

describe('writes the chaincode refuses', () => {
  const caseId = newCaseId();
  const reader = () => live.procedure({ agency: 'bamf', role: 'caseworker' });

  beforeAll(async () => {
    await live.procedure({ agency: 'zab', role: 'adapter' }).recordEvent(caseRegistered(caseId));
  });

  /** The case as both peers show it, with its timeline: what a refused write must leave untouched. */
  async function snapshot(): Promise<unknown> {
    const zabView = await live.procedure({ agency: 'zab', role: 'caseworker' }).getCase(caseId);
    return { view: await reader().getCase(caseId), zabView, timeline: await reader().getTimeline(caseId) };
  }

  it('a ZAB identity writing a BAMF-owned event type gets NOT_OWNER from the chaincode, and nothing is written', async () => {
    const before = await snapshot();
    const refusal = await refusalCodes(live.procedure({ agency: 'zab', role: 'adapter' }).recordEvent(applicationFiled(caseId)));
    expect(refusal.codes.length).toBeGreaterThan(0);
    expect(new Set(refusal.codes)).toEqual(new Set(['NOT_OWNER']));
    expect(refusal.messages.some((m) => m.startsWith('chaincode response 500, [NOT_OWNER]'))).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('an auditor writing gets FORBIDDEN_ROLE from the chaincode, and nothing is written', async () => {
    const before = await snapshot();
    const write = eventOf(caseId, 'RECEPTION_ASSIGNED', { facility: CODES.facility });
    const refusal = await refusalCodes(live.procedure({ agency: 'zab', role: 'auditor' }).recordEvent(write));
    expect(refusal.codes.length).toBeGreaterThan(0);
    expect(new Set(refusal.codes)).toEqual(new Set(['FORBIDDEN_ROLE']));
    expect(refusal.messages.some((m) => m.startsWith('chaincode response 500, [FORBIDDEN_ROLE]'))).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
