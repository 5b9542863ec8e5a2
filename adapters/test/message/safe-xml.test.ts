import { parseMessage, serializeMessage } from '../../src/message/codec';
import { DEFAULT_XML_LIMITS, readXml } from '../../src/message/safe-xml';
import { sampleEventMessage } from '../support/samples';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const reason = (xml: string | Uint8Array, limits = DEFAULT_XML_LIMITS) => {
  const r = parseMessage(typeof xml === 'string' ? bytes(xml) : xml, limits);
  return r.ok ? 'ACCEPTED' : r.rejection.reason;
};
const valid = serializeMessage(sampleEventMessage('CASE_REGISTERED', { uuid: 'x-fake-1' }));

describe('hardened XML', () => {
  it('refuses billion laughs (entity expansion) before parsing', () => {
    const lol = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
      '<lolz>&lol3;</lolz>',
    ].join('\n');
    expect(reason(lol)).toBe('FORBIDDEN_XML_CONSTRUCT');
  });

  it('refuses external entities (XXE) and external DTDs', () => {
    expect(reason('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>')).toBe('FORBIDDEN_XML_CONSTRUCT');
    expect(reason('<!DOCTYPE x SYSTEM "http://127.0.0.1:1/evil.dtd"><x/>')).toBe('FORBIDDEN_XML_CONSTRUCT');
    expect(reason(valid.replace('<Aufnahme', '<!DOCTYPE Aufnahme.CaseRegistered.100101><Aufnahme'))).toBe('FORBIDDEN_XML_CONSTRUCT');
  });

  it('refuses an undeclared entity reference instead of leaving or expanding it', () => {
    expect(reason(valid.replace('AE-DD-TEST', '&xxe;'))).toBe('MALFORMED_XML');
    expect(reason(valid.replace('AE-DD-TEST', 'A&B'))).toBe('MALFORMED_XML');
    expect(reason(valid.replace('AE-DD-TEST', '&#0;'))).toBe('MALFORMED_XML');
  });

  it('refuses processing instructions other than the XML declaration', () => {
    expect(reason(valid.replace('<Aufnahme', '<?xml-stylesheet href="x"?><Aufnahme'))).toBe('FORBIDDEN_XML_CONSTRUCT');
  });

  it('refuses oversized messages by bytes, elements and depth', () => {
    expect(reason(valid, { ...DEFAULT_XML_LIMITS, maxBytes: valid.length - 1 })).toBe('MESSAGE_TOO_LARGE');
    expect(reason(bytes('<a>' + ' '.repeat(DEFAULT_XML_LIMITS.maxBytes) + '</a>'))).toBe('MESSAGE_TOO_LARGE');
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expect(reason(deep, { ...DEFAULT_XML_LIMITS, maxBytes: 10_000_000 })).toBe('MESSAGE_TOO_LARGE');
    const wide = '<a>' + '<b/>'.repeat(DEFAULT_XML_LIMITS.maxElements + 1) + '</a>';
    expect(reason(wide)).toBe('MESSAGE_TOO_LARGE');
  });

  it('takes a deep hostile input in linear time', () => {
    const started = process.hrtime.bigint();
    reason('<a>'.repeat(1_000_000), { ...DEFAULT_XML_LIMITS, maxBytes: 10_000_000 });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('refuses malformed XML, non-UTF-8 bytes and other declared encodings', () => {
    expect(reason('<a><b></a>')).toBe('MALFORMED_XML');
    expect(reason('')).toBe('MALFORMED_XML');
    expect(reason('<a/><b/>')).toBe('MALFORMED_XML');
    expect(reason(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]))).toBe('MALFORMED_XML');
    expect(reason(valid.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'))).toBe('MALFORMED_XML');
    expect(reason('<a x="1" x="2"/>')).toBe('MALFORMED_XML');
  });

  it('takes comments, a BOM and CDATA (literal text) like any XML reader', () => {
    expect(reason(valid.replace('<ereignis>', '<!-- note --><ereignis>'))).toBe('ACCEPTED');
    expect(reason(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(valid)]))).toBe('ACCEPTED');
    const r = readXml(bytes('<a><![CDATA[x &amp; <y>]]></a>'));
    expect(r.ok && r.root.text).toBe('x &amp; <y>');
  });

  it('leaves an XML-looking greater-than inside an attribute value alone', () => {
    const r = readXml(bytes('<a t="1>2"><b/></a>'));
    expect(r.ok && r.root.attributes['t']).toBe('1>2');
  });
});
