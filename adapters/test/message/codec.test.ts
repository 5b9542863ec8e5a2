import { EVENT_TYPES } from '@asl/chaincode/domain';
import { parseMessage, serializeMessage, type Message } from '../../src/message/codec';
import { NOTICE_MESSAGE_TYPE, eventMessageType } from '../../src/message/message-types';
import { returnToSender } from '../../src/message/return-to-sender';
import { FAKE_CASE_ID, SAMPLE_DATA, fakeUuid, sampleEventMessage } from '../support/samples';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

function reject(xml: string) {
  const r = parseMessage(bytes(xml));
  if (r.ok) throw new Error('expected a rejection');
  return r.rejection;
}

const noticeMessage: Message = {
  kind: 'notice',
  body: {
    nachrichtenkopf: {
      nachrichtUUID: 'notice-fake-1',
      nachrichtentyp: NOTICE_MESSAGE_TYPE.code,
      erstellungszeitpunkt: '2025-03-06T08:00:00Z',
      autor: { kennung: 'ZabSachsenMSP' },
      leser: { kennung: 'ZAB-SIM' },
    },
    identifikation: { fallId: FAKE_CASE_ID, azrNummer: '00011122233' },
    hinweise: {
      stand: '2025-03-06T08:00:00Z',
      warnung: [
        {
          id: 'RET_DEPORTATION_STAY:tx-fake-1',
          code: 'RET_DEPORTATION_STAY',
          severity: 'BLOCKING',
          caseId: FAKE_CASE_ID,
          anchors: ['tx-fake-1', 'tx-fake-2'],
          openedAt: '2025-03-06T07:59:00Z',
          evaluatedAt: '2025-03-06T08:00:00Z',
          clock: false,
          acknowledgedBy: [],
        },
      ],
      aktion: [
        { code: 'ACKNOWLEDGE_WARNING', action: 'ACKNOWLEDGE_WARNING', agency: 'ZabSachsenMSP', caseId: FAKE_CASE_ID, warningIds: ['RET_DEPORTATION_STAY:tx-fake-1'] },
        { code: 'ALLOCATE_MUNICIPALITY', action: 'ALLOCATE_MUNICIPALITY', agency: 'ZabSachsenMSP', caseId: FAKE_CASE_ID, due: '2025-03-11' },
      ],
    },
  },
};

describe('message codec: round trip object → XML → object', () => {
  it.each(EVENT_TYPES.map((t) => [t]))('%s', (type) => {
    const message = sampleEventMessage(type);
    const xml = serializeMessage(message);
    expect(xml).toContain(`<${eventMessageType(type).name} `);
    const parsed = parseMessage(bytes(xml));
    expect(parsed).toEqual({ ok: true, message });
  });

  it('an outbound event with the courtRef pseudonym and a ledger receipt', () => {
    const message = sampleEventMessage('APPEAL_FILED', {
      data: { court: 'VG-DRESDEN', courtRef: 'rbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', filedOn: '2025-03-10' },
    });
    const withReceipt: Message = {
      kind: 'event',
      eventType: 'APPEAL_FILED',
      body: { ...(message.body as Extract<Message, { kind: 'event' }>['body']), quittung: { txId: 'tx-fake-9', recordedAt: '2025-03-10T09:00:00.123Z', writer: 'BamfMSP' } },
    };
    expect(parseMessage(bytes(serializeMessage(withReceipt)))).toEqual({ ok: true, message: withReceipt });
  });

  it('warnings and next actions', () => {
    expect(parseMessage(bytes(serializeMessage(noticeMessage)))).toEqual({ ok: true, message: noticeMessage });
  });

  it('an empty notice (no warnings, no actions)', () => {
    if (noticeMessage.kind !== 'notice') throw new Error('unreachable');
    const empty: Message = { kind: 'notice', body: { ...noticeMessage.body, hinweise: { stand: '2025-03-06T08:00:00Z', warnung: [], aktion: [] } } };
    expect(parseMessage(bytes(serializeMessage(empty)))).toEqual({ ok: true, message: empty });
  });

  it('ReturnToSender carries the reason and the rejected message', () => {
    const rejected = bytes('<nonsense/>');
    const rts = returnToSender({
      rejection: { reason: 'UNKNOWN_MESSAGE_TYPE', findings: [{ pfad: '', code: 'unknown_root' }], nachrichtUUID: 'in-fake-1', author: 'MARIS-SIM' },
      rejected,
      nachrichtUUID: 'rts-fake-1',
      now: '2025-03-06T08:00:00Z',
      rejectingAuthority: 'BamfMSP',
      defaultReader: 'MARIS',
    });
    const parsed = parseMessage(bytes(serializeMessage(rts)));
    expect(parsed).toEqual({ ok: true, message: rts });
    if (!parsed.ok || parsed.message.kind !== 'returnToSender') throw new Error('unreachable');
    expect(parsed.message.body.nachrichtenkopf.leser.kennung).toBe('MARIS-SIM');
    expect(Buffer.from(parsed.message.body.abgewieseneNachricht.nachricht, 'base64').toString()).toBe('<nonsense/>');
  });

  it('escapes text and decodes predefined entities and character references', () => {
    const message = sampleEventMessage('CASE_REGISTERED');
    if (message.kind !== 'event') throw new Error('unreachable');
    const tricky: Message = { ...message, body: { ...message.body, personendaten: { familyName: 'O\'Neil & <Fake> "Ä"' } } };
    const xml = serializeMessage(tricky);
    expect(xml).toContain('O\'Neil &amp; &lt;Fake&gt;');
    expect(parseMessage(bytes(xml))).toEqual({ ok: true, message: tricky });
    const viaRefs = xml.replace('Mustermann', 'x').replace('O\'Neil &amp;', 'O&apos;Neil &#38;').replace('"Ä"', '&quot;&#xC4;&quot;');
    expect(parseMessage(bytes(viaRefs))).toEqual({ ok: true, message: tricky });
  });

  it('accepts 1/0 for booleans and whitespace around dates, as xs:boolean and xs:date do', () => {
    const xml = serializeMessage(sampleEventMessage('HEARING_NOT_ATTENDED', { uuid: 'u-fake-1', data: { excused: false } }))
      .replace('<excused>false</excused>', '<excused> 0 </excused>')
      .replace('<eingetretenAm>', '<eingetretenAm>\n ');
    const r = parseMessage(bytes(xml));
    expect(r.ok && r.message.kind === 'event' && r.message.body.ereignis.daten).toEqual({ excused: false });
  });
});

describe('message codec: every message is validated by the domain schemas', () => {
  const base = (type: (typeof EVENT_TYPES)[number], data?: Record<string, unknown>) =>
    serializeMessage(sampleEventMessage(type, { uuid: 'msg-fake-1', ...(data ? { data } : {}) }));

  it('rejects an unknown root element, keeping the readable head for the ReturnToSender', () => {
    const xml = base('HEARING_HELD').replaceAll('Asyl.HearingHeld.100207', 'Asyl.Unbekannt.100299');
    expect(reject(xml)).toMatchObject({ reason: 'UNKNOWN_MESSAGE_TYPE', nachrichtUUID: 'msg-fake-1', author: 'ZAB-SIM' });
  });

  it('rejects a head whose nachrichtentyp does not match the root', () => {
    expect(reject(base('HEARING_HELD').replace('<nachrichtentyp>100207<', '<nachrichtentyp>100208<'))).toMatchObject({
      reason: 'SCHEMA_VIOLATION',
      findings: [{ pfad: 'nachrichtenkopf/nachrichtentyp', code: 'invalid_value' }],
    });
  });

  it('rejects a wrong namespace, a missing or wrong version and unknown attributes', () => {
    const xml = base('HEARING_HELD');
    expect(reject(xml.replace('urn:de:asl:ankerdresden:nachrichten:1', 'urn:other')).findings).toEqual([{ pfad: '@xmlns', code: 'wrong_namespace' }]);
    expect(reject(xml.replace(' version="1.0">', '>')).findings).toEqual([{ pfad: '@version', code: 'missing_attribute' }]);
    expect(reject(xml.replace(' version="1.0">', ' version="2.0">')).findings).toEqual([{ pfad: '@version', code: 'unsupported_version' }]);
    expect(reject(xml.replace('<daten/>', '<daten x="1"/>')).findings).toEqual([{ pfad: '/ereignis/daten', code: 'unexpected_attribute' }]);
  });

  it('rejects unknown, missing, repeated and misordered elements', () => {
    const xml = base('DECISION_SERVED');
    expect(reject(xml.replace('<servedOn>', '<extra>1</extra><servedOn>')).findings).toEqual([
      { pfad: '/ereignis/daten/servedOn', code: 'missing_element' },
      { pfad: '/ereignis/daten/extra', code: 'unexpected_element' },
      { pfad: '/ereignis/daten/servedOn', code: 'unexpected_element' },
    ]);
    expect(reject(xml.replace(/<servedOn>.*<\/servedOn>/, '')).findings).toEqual([{ pfad: '/ereignis/daten/servedOn', code: 'missing_element' }]);
    expect(reject(xml.replace(/(<servedOn>.*<\/servedOn>)/, '$1$1')).reason).toBe('SCHEMA_VIOLATION');
    const reordered = base('DECISION_ISSUED').replace(/(<outcome>.*<\/outcome>)\s*(<decidedOn>.*<\/decidedOn>)/, '$2$1');
    expect(reject(reordered).reason).toBe('SCHEMA_VIOLATION');
  });

  it('rejects values the domain schema refuses, naming the field but never the value', () => {
    const cases: [string, string, string][] = [
      ['2025-03-05', '2025-02-30', 'ereignis/daten/servedOn'],
      ['2025-03-05', '05.03.2025', 'ereignis/daten/servedOn'],
    ];
    for (const [from, to, path] of cases) {
      const r = reject(base('DECISION_SERVED').replace(`<servedOn>${from}`, `<servedOn>${to}`));
      expect(r.findings.map((f) => f.pfad)).toContain(path);
      expect(JSON.stringify(r)).not.toContain(to);
    }
    expect(reject(base('DECISION_ISSUED').replace('REJECTED_MANIFESTLY_UNFOUNDED', 'MAYBE')).reason).toBe('SCHEMA_VIOLATION');
    expect(reject(base('HEARING_NOT_ATTENDED').replace('>true<', '>yes<')).findings).toEqual([{ pfad: '/ereignis/daten/excused', code: 'invalid_boolean' }]);
    expect(reject(base('CASE_REGISTERED').replace('<azrNummer>000 111 222 33', '<azrNummer>1234567')).findings[0]?.pfad).toBe('identifikation/azrNummer');
    expect(reject(base('CASE_REGISTERED').replace('2025-03-05T10:00:00+01:00', '2025-03-05T25:00:00+01:00')).reason).toBe('SCHEMA_VIOLATION');
    expect(reject(base('CASE_REGISTERED').replace('2025-03-05T10:00:00+01:00', '2025-03-05T10:00:00')).reason).toBe('SCHEMA_VIOLATION');
  });

  it('keeps the cross-field rule of DUBLIN_DEADLINE_EXTENDED (12 with DETENTION, 18 with ABSCONDING)', () => {
    expect(reject(base('DUBLIN_DEADLINE_EXTENDED', { months: 18, basis: 'ABSCONDING' }).replace('>18<', '>12<')).reason).toBe('SCHEMA_VIOLATION');
    expect(parseMessage(bytes(base('DUBLIN_DEADLINE_EXTENDED', { months: 12, basis: 'DETENTION' }))).ok).toBe(true);
  });

  it('takes a court fact with exactly one of courtRef and courtProceedings', () => {
    const clear = base('DEPORTATION_STAY_NOTIFIED');
    const both = clear.replace('<courtProceedings>', '<courtRef>rbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb</courtRef><courtProceedings>');
    expect(reject(both).reason).toBe('SCHEMA_VIOLATION');
    const neither = clear.replace(/<courtProceedings>[\s\S]*<\/courtProceedings>/, '');
    expect(reject(neither).findings).toEqual([{ pfad: '/ereignis/daten/courtRef|courtProceedings', code: 'missing_element' }]);
    expect(reject(clear.replace('<fileNumber>13 L 998/25.A', '<fileNumber>13 L 998/25.A;DROP')).reason).toBe('SCHEMA_VIOLATION');
  });

  it('rejects an import without facts or with a fact the import may not carry', () => {
    const xml = base('CASE_IMPORTED');
    expect(reject(xml.replace(/<facts>[\s\S]*<\/facts>/, '<facts/>')).reason).toBe('SCHEMA_VIOLATION');
    expect(reject(xml.replace('<HEARING_HELD/>', '<WARNING_ACKNOWLEDGED/>')).findings[0]).toEqual({ pfad: '/ereignis/daten/facts[1]/WARNING_ACKNOWLEDGED', code: 'unexpected_element' });
  });

  it('rejects text in element-only content and elements inside a text element', () => {
    expect(reject(base('HEARING_HELD').replace('<daten/>', '<daten>text</daten>')).reason).toBe('SCHEMA_VIOLATION');
    expect(reject(base('DECISION_SERVED').replace('<servedOn>2025-03-05', '<servedOn><b/>')).reason).toBe('SCHEMA_VIOLATION');
  });

  it('serializing an invalid message throws (the adapter never sends what it would refuse)', () => {
    expect(() => serializeMessage(sampleEventMessage('DECISION_SERVED', { data: { servedOn: '2025-13-01' } }))).toThrow();
    expect(() => serializeMessage(sampleEventMessage('HEARING_HELD', { data: { extra: 1 } }))).toThrow();
  });

  it('the sample table covers every event type', () => {
    expect(Object.keys(SAMPLE_DATA).sort()).toEqual([...EVENT_TYPES].sort());
    expect(new Set(EVENT_TYPES.map((t) => eventMessageType(t).code)).size).toBe(EVENT_TYPES.length);
    expect(fakeUuid()).not.toBe(fakeUuid());
  });
});
