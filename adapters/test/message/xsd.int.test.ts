/**
 * The published XSD and the parser agree: every sample validates with xmllint (libxml2-utils, installed
 * by adapters/scripts/install-xmllint.sh), and invalid samples are refused by both.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_TYPES } from '@asl/chaincode/domain';
import { parseMessage, serializeMessage } from '../../src/message/codec';
import { returnToSender } from '../../src/message/return-to-sender';
import { sampleEventMessage } from '../support/samples';

const XSD = join(__dirname, '..', '..', 'xsd', 'asl-nachrichten.xsd');
const dir = mkdtempSync(join(tmpdir(), 'asl-xsd-'));

function xmllint(xml: string): boolean {
  const file = join(dir, `m${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', XSD, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint is needed (apt-get install libxml2-utils): ${r.error.message}`);
  return r.status === 0;
}

describe('XSD and parser agree (xmllint)', () => {
  beforeAll(() => {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
  });

  it.each(EVENT_TYPES.map((t) => [t]))('sample %s validates against the XSD', (type) => {
    expect(xmllint(serializeMessage(sampleEventMessage(type)))).toBe(true);
  });

  it('a ReturnToSender validates against the XSD', () => {
    const rts = returnToSender({
      rejection: { reason: 'SCHEMA_VIOLATION', findings: [{ pfad: 'ereignis/daten/servedOn', code: 'invalid_format' }] },
      rejected: Buffer.from('<x/>'),
      nachrichtUUID: 'rts-fake-2',
      now: '2025-03-06T08:00:00Z',
      rejectingAuthority: 'BamfMSP',
      defaultReader: 'MARIS',
    });
    expect(xmllint(serializeMessage(rts))).toBe(true);
  });

  const invalid: [string, (xml: string) => string][] = [
    ['impossible date', (x) => x.replace('<servedOn>2025-03-05', '<servedOn>2025-02-30')],
    ['date with zone', (x) => x.replace('<servedOn>2025-03-05', '<servedOn>2025-03-05Z')],
    ['instant without offset', (x) => x.replace('2025-03-05T10:00:00+01:00', '2025-03-05T10:00:00')],
    ['hour 25', (x) => x.replace('2025-03-05T10:00:00+01:00', '2025-03-05T25:00:00+01:00')],
    ['AZR with 7 digits', (x) => x.replace('000 111 222 33', '000 111 2')],
    ['AZR with 17 digits', (x) => x.replace('000 111 222 33', '000 111 222 333 444 55')],
    ['unknown element', (x) => x.replace('<servedOn>', '<x>1</x><servedOn>')],
    ['wrong nachrichtentyp', (x) => x.replace('<nachrichtentyp>100211<', '<nachrichtentyp>100212<')],
    ['code with a space', (x) => x.replace('<kennung>ZAB-SIM<', '<kennung>ZAB SIM<')],
    ['missing version', (x) => x.replace('" version="1.0">', '">')],
    ['declaration without version', (x) => x.replace('<?xml version="1.0" ', '<?xml ')],
  ];

  it.each(invalid)('%s: refused by both', (_name, mutate) => {
    const xml = mutate(serializeMessage(sampleEventMessage('DECISION_SERVED', { uuid: 'inv-fake-1' })));
    expect(xmllint(xml)).toBe(false);
    expect(parseMessage(Buffer.from(xml)).ok).toBe(false);
  });

  it('documented difference: XSD 1.0 cannot tie months to basis, the parser does', () => {
    const xml = serializeMessage(sampleEventMessage('DUBLIN_DEADLINE_EXTENDED', { data: { months: 18, basis: 'ABSCONDING' } })).replace('>18<', '>12<');
    expect(xmllint(xml)).toBe(true);
    expect(parseMessage(Buffer.from(xml)).ok).toBe(false);
  });
});
