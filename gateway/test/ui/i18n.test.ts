import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainCodes } from './domain-codes';
import { dictionary, interpolate, LANGUAGES, translator } from '../../ui/src/logic/i18n';
import { readSeedValueLists } from '@asl/chaincode/seed';

/** The retraction reasons of the seeded `reason` list: the UI offers the list in force, and translates these. */
const RETRACTION_REASONS = (readSeedValueLists().find((s) => s.list === 'reason')?.proposal.entries ?? [])
  .filter((e) => e.usedFor?.includes('retractionReason') === true)
  .map((e) => e.code);

const SRC = join(__dirname, '../../ui/src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('dictionaries', () => {
  test('German and English have the same keys and no empty message', () => {
    const de = dictionary('de');
    const en = dictionary('en');
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
    for (const lang of LANGUAGES) for (const [key, value] of Object.entries(dictionary(lang))) expect([key, value.trim().length > 0]).toEqual([key, true]);
  });

  test('both use the same placeholders for each key', () => {
    const names = (s: string) => [...s.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).sort();
    const en = dictionary('en');
    for (const [key, value] of Object.entries(dictionary('de'))) expect([key, names(en[key] ?? '')]).toEqual([key, names(value)]);
  });

  test('every code the domain can send has a message in both languages', () => {
    expect(RETRACTION_REASONS).toEqual(expect.arrayContaining(['RETRACT-WRONG-DATA', 'RETRACT-WRONG-CASE', 'RETRACT-DUPLICATE']));
    const missing: string[] = [];
    for (const lang of LANGUAGES) {
      const dict = dictionary(lang);
      for (const key of [...domainCodes(), ...RETRACTION_REASONS.map((r) => `reason.${r}`)]) if (!(key in dict)) missing.push(`${lang}:${key}`);
    }
    expect(missing).toEqual([]);
  });

  test('every fixed key the client code uses exists, and the code holds no user-visible German or English literal', () => {
    const dict = dictionary('de');
    const used = new Set<string>();
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z]+\.[A-Za-z.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bt\(\s*this\.#streamState === 'connected' \? '([a-z.A-Z]+)' : '([a-z.A-Z]+)'/g)) used.add(m[1]!).add(m[2]!);
      // Text nodes and labels come from the dictionaries: no literal with a German umlaut or a common word.
      expect([file, /'[^']*(?:ä|ö|ü|ß|Fall |Sign |Case )[^']*'/.test(text.replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, ''))]).toEqual([file, false]);
    }
    expect([...used].filter((k) => !(k in dict))).toEqual([]);
    expect(used.size).toBeGreaterThan(50);
  });
});

describe('translator', () => {
  test('interpolates placeholders and leaves unknown ones visible', () => {
    expect(interpolate('noch {n} Tage', { n: 5 })).toBe('noch 5 Tage');
    expect(interpolate('{a} und {b}', { a: 'x' })).toBe('x und {b}');
  });

  test('translates fixed keys and codes; an unknown code shows itself', () => {
    const de = translator('de');
    const en = translator('en');
    expect(de('case.daysLeft', { n: 3 })).toBe('noch 3 Tage');
    expect(en('case.daysLeft', { n: 3 })).toBe('3 days left');
    expect(de.code('event', 'EVENT_RETRACTED')).toBe('Eintrag zurückgenommen');
    expect(en.code('agency', 'BamfMSP')).toBe('BAMF');
    expect(de.code('event', 'NOT_A_TYPE')).toBe('NOT_A_TYPE');
    expect(de.lang).toBe('de');
  });
});
