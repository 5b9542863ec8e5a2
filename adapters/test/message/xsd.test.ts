import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateXsd, xsdPattern } from '../../src/message/xsd';
import { MESSAGE_ROOTS } from '../../src/message/message-schemas';

describe('XSD', () => {
  it('the committed XSD is the one generated from the schemas (run `npm run generate:xsd -w adapters`)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'xsd', 'asl-nachrichten.xsd'), 'utf8');
    expect(committed).toBe(generateXsd());
  });

  it('declares one root element per message type', () => {
    const xsd = generateXsd();
    for (const root of MESSAGE_ROOTS) expect(xsd).toContain(`<xs:element name="${root.type.name}">`);
    expect(MESSAGE_ROOTS).toHaveLength(39 + 2);
  });

  it('translates the regex subset the schemas use and refuses anything else', () => {
    expect(xsdPattern('^[A-Za-z0-9._:-]{1,64}$')).toBe('[A-Za-z0-9._:\\-]{1,64}');
    expect(xsdPattern('^\\d{4}-\\d{2}$')).toBe('[0-9]{4}-[0-9]{2}');
    expect(xsdPattern('^[^\\p{C}]+$')).toBe('[^\\p{C}]+');
    expect(xsdPattern('^(?:[A-Za-z0-9+\\/]{4})*$')).toBe('([A-Za-z0-9+/]{4})*');
    expect(() => xsdPattern('^(?=a)b$')).toThrow();
    expect(() => xsdPattern('^\\bword$')).toThrow();
    expect(() => xsdPattern('^a|^b$')).toThrow();
  });
});
