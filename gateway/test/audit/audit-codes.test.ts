import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_CODES, AUDIT_CODE_LIST, isAuditCode } from '../../src/audit/audit-codes';

describe('audit code registry', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);

  it('the README codes table lists every code once, in registry order, with its description', () => {
    expect(documented.map(([code]) => code)).toEqual([...AUDIT_CODE_LIST]);
    for (const [code, text] of documented) {
      expect(isAuditCode(code!) && AUDIT_CODES[code].replace(/\|/g, '\\|')).toBe(text);
    }
  });

  it('codes are SCREAMING_SNAKE', () => {
    for (const code of AUDIT_CODE_LIST) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });
});
