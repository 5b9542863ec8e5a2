import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { DomainError } from '../../src/domain/errors';
import {
  base32Lower,
  candidateCaseIds,
  CASE_ID_PATTERN,
  caseIdFor,
  COURT_REF_PATTERN,
  courtRefFor,
  normaliseAzrNumber,
  normaliseCourtFileNumber,
  parseKeyFile,
  pseudonym,
  type KeyEpoch,
} from '../../src/domain/pseudonym';

interface Vectors {
  keys: { version: string; key: string }[];
  vectors: { keyVersion: string; azrNumber: string; normalized: string; caseId: string }[];
  invalid: { azrNumber: string; reason: string }[];
  courtVectors: { keyVersion: string; court: string; fileNumber: string; normalized: string; courtRef: string }[];
}

// ../shared beside the checkout, or $ASL_SHARED_DIR (as network/src/layout.ts sharedDir)
const VECTORS_FILE = path.resolve(process.env.ASL_SHARED_DIR ?? path.join(__dirname, '../../../../shared'), 'testdata/pseudonym.json');
const vectors = JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as Vectors;
const epochs = parseKeyFile(vectors.keys);

function keyOf(version: string): Uint8Array {
  const epoch = epochs.find((e) => e.version === version);
  if (epoch === undefined) throw new Error(`no key ${version} in the vectors`);
  return epoch.key;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A fake key that is obviously not a real secret. */
const FAKE_KEY = new Uint8Array(32).fill(7);

describe('the normative vectors file', () => {
  it('exists and holds keys, valid, invalid and court vectors', () => {
    expect(existsSync(VECTORS_FILE)).toBe(true);
    expect(vectors.keys.length).toBeGreaterThanOrEqual(2);
    expect(vectors.vectors.length).toBeGreaterThan(0);
    expect(vectors.invalid.length).toBeGreaterThan(0);
    expect(vectors.courtVectors.length).toBeGreaterThan(0);
  });
});

describe('caseIdFor reproduces every normative vector', () => {
  it.each(vectors.vectors.map((v) => [v.keyVersion, JSON.stringify(v.azrNumber), v]))('%s %s', (_, __, v) => {
    expect(normaliseAzrNumber(v.azrNumber)).toBe(v.normalized);
    expect(caseIdFor(keyOf(v.keyVersion), v.azrNumber)).toBe(v.caseId);
    expect(pseudonym('c', keyOf(v.keyVersion), `azr:${v.normalized}`)).toBe(v.caseId);
    expect(v.caseId).toMatch(CASE_ID_PATTERN);
  });
});

describe('normaliseAzrNumber rejects every invalid normative vector', () => {
  it.each(vectors.invalid.map((v) => [JSON.stringify(v.azrNumber), v.azrNumber]))('%s', (_, azrNumber) => {
    for (const f of [() => normaliseAzrNumber(azrNumber), () => caseIdFor(keyOf('k1'), azrNumber)]) {
      const error = thrown(f);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('INVALID_INPUT');
      expect((error as DomainError).detail).toEqual({ field: 'azrNumber' });
    }
    expect(() => candidateCaseIds(epochs, azrNumber)).toThrow(DomainError);
  });
});

describe('courtRefFor reproduces every normative court vector', () => {
  it.each(vectors.courtVectors.map((v) => [v.keyVersion, v.court, v.fileNumber, v]))('%s %s %s', (_, __, ___, v) => {
    expect(normaliseCourtFileNumber(v.fileNumber)).toBe(v.normalized);
    expect(courtRefFor(keyOf(v.keyVersion), v.court, v.fileNumber)).toBe(v.courtRef);
    expect(pseudonym('r', keyOf(v.keyVersion), `court:${v.court}|${v.normalized}`)).toBe(v.courtRef);
    expect(v.courtRef).toMatch(COURT_REF_PATTERN);
  });
});

describe('base32Lower', () => {
  it.each([
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ])('encodes %j as %j (RFC 4648 §10, lower case, unpadded)', (text, expected) => {
    expect(base32Lower(new TextEncoder().encode(text))).toBe(expected);
  });

  it('encodes all-zero and all-one bytes', () => {
    expect(base32Lower(new Uint8Array(5))).toBe('aaaaaaaa');
    expect(base32Lower(new Uint8Array(5).fill(255))).toBe('77777777');
    expect(base32Lower(new Uint8Array(32))).toBe('a'.repeat(52));
  });

  it('agrees with a bit-string reference encoding', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const bitString = Array.from(bytes, (b) => b.toString(2).padStart(8, '0')).join('');
        const padded = bitString.padEnd(Math.ceil(bitString.length / 5) * 5, '0');
        const expected = (padded.match(/.{5}/g) ?? []).map((chunk) => alphabet.charAt(parseInt(chunk, 2))).join('');
        expect(base32Lower(bytes)).toBe(expected);
      }),
    );
  });
});

describe('pseudonym', () => {
  it('is the prefix and the first 31 base32 characters of HMAC-SHA256 over UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ unit: 'grapheme' }), (key, input) => {
        const mac = new Uint8Array(createHmac('sha256', key).update(input, 'utf8').digest());
        const result = pseudonym('c', key, input);
        expect(result).toBe(`c${base32Lower(mac).slice(0, 31)}`);
        expect(result).toMatch(CASE_ID_PATTERN);
      }),
    );
  });

  it('refuses keys that are not 32 bytes, without echoing them', () => {
    expect(() => pseudonym('c', new Uint8Array(31), 'azr:12345678')).toThrow('32 bytes');
    expect(() => pseudonym('c', new Uint8Array(33), 'azr:12345678')).toThrow(Error);
    expect(() => caseIdFor(new Uint8Array(0), '12345678')).toThrow(Error);
  });
});

describe('normaliseAzrNumber', () => {
  it.each([
    ['12345678', '12345678'],
    ['1234567890123456', '1234567890123456'],
    ['0000.0000', '00000000'],
    ['12-34-56-78', '12345678'],
    ['  1 2 3 4 5 6 7 8  ', '12345678'],
    ['1.2-3 4..--5678', '12345678'],
    ['1234 5678 9012 3456', '1234567890123456'],
  ])('%j -> %j', (raw, expected) => expect(normaliseAzrNumber(raw)).toBe(expected));

  it.each([
    '1234567',
    '12345678901234567',
    '1234 5678 9012 3456 7',
    '.-  .-',
    '12345678\t',
    '12345678\n',
    '1234\u00a05678',
    '1234\u20115678',
    '1234/5678',
    '+12345678',
    '１２３４５６７８',
    '1234567٨',
    '12345678e0',
  ])('rejects %j', (raw) => expect(() => normaliseAzrNumber(raw)).toThrow(DomainError));

  it('never puts the number into the error message or detail', () => {
    for (const raw of ['1234567', '12345678901234567', '9876543X21', '55555 55']) {
      const error = thrown(() => caseIdFor(FAKE_KEY, raw)) as DomainError;
      const digits = raw.replace(/\D/g, '');
      expect(error.message).toBe('[INVALID_INPUT] {"field":"azrNumber"}');
      expect(error.message).not.toContain(digits.slice(0, 4));
      expect(JSON.stringify(error.detail)).not.toContain(digits.slice(0, 4));
      expect(error.stack ?? '').not.toContain(raw);
    }
  });
});

describe('normaliseCourtFileNumber and courtRefFor', () => {
  it.each([
    ['3 L 123/26.A', '3L123/26.A'],
    ['3l123/26.a', '3L123/26.A'],
    ['  1 b 45/26 ', '1B45/26'],
    ['12 K 3456/25.A-x', '12K3456/25.A-X'],
    ['ä 1', 'Ä1'],
  ])('%j -> %j', (raw, expected) => expect(normaliseCourtFileNumber(raw)).toBe(expected));

  it('gives the same courtRef for spellings that normalise alike, and different ones otherwise', () => {
    const key = keyOf('k1');
    expect(courtRefFor(key, 'VG-DD', '3 l 123 / 26.a')).toBe(courtRefFor(key, 'VG-DD', '3L123/26.A'));
    expect(courtRefFor(key, 'VG-DD', '3 L 123/26.A')).not.toBe(courtRefFor(key, 'VG-L', '3 L 123/26.A'));
    expect(courtRefFor(key, 'VG-DD', '3 L 123/26.A')).not.toBe(courtRefFor(keyOf('k2'), 'VG-DD', '3 L 123/26.A'));
  });

  it('refuses an empty file number and an empty or ambiguous court code, without echoing input', () => {
    for (const ref of ['', '   ']) {
      const error = thrown(() => courtRefFor(FAKE_KEY, 'VG-DD', ref)) as DomainError;
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.detail).toEqual({ field: 'fileNumber' });
    }
    for (const court of ['', 'VG|DD']) {
      const error = thrown(() => courtRefFor(FAKE_KEY, court, '3 L 123/26.A')) as DomainError;
      expect(error).toBeInstanceOf(DomainError);
      expect(error.detail).toEqual({ field: 'court' });
      expect(error.message).not.toContain('123/26');
    }
  });
});

describe('parseKeyFile', () => {
  it('reads the vectors file keys (an array of {version, key}) and returns them newest first', () => {
    expect(epochs.map((e) => e.version)).toEqual(['k2', 'k1']);
    expect(Array.from(keyOf('k1'))).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(keyOf('k2')).toHaveLength(32);
  });

  it('decodes base64 exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const [epoch] = parseKeyFile([{ version: 'k1', key: Buffer.from(bytes).toString('base64') }]);
        expect(Array.from(epoch!.key)).toEqual(Array.from(bytes));
      }),
    );
  });

  it('orders by version number, not by file position or string order', () => {
    const key = Buffer.alloc(32).toString('base64');
    const file = ['k2', 'k10', 'k1', 'k9'].map((version) => ({ version, key }));
    expect(parseKeyFile(file).map((e) => e.version)).toEqual(['k10', 'k9', 'k2', 'k1']);
  });

  const good = { version: 'k1', key: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' };
  it.each<[string, unknown]>([
    ['an object instead of an array', { keys: [good] }],
    ['a single entry object', good],
    ['an empty array', []],
    ['null', null],
    ['a string', JSON.stringify([good])],
    ['a missing key', [{ version: 'k1' }]],
    ['a missing version', [{ key: good.key }]],
    ['an extra field', [{ ...good, note: 'x' }]],
    ['a version without k', [{ ...good, version: '1' }]],
    ['version k0', [{ ...good, version: 'k0' }]],
    ['version k01', [{ ...good, version: 'k01' }]],
    ['version K1', [{ ...good, version: 'K1' }]],
    ['a numeric version', [{ ...good, version: 1 }]],
    ['duplicate versions', [good, { ...good }]],
    ['a 31-byte key', [{ ...good, key: Buffer.alloc(31).toString('base64') }]],
    ['a 33-byte key', [{ ...good, key: Buffer.alloc(33).toString('base64') }]],
    ['an unpadded key', [{ ...good, key: good.key.slice(0, -1) }]],
    ['a base64url key', [{ ...good, key: Buffer.alloc(32, 0xfb).toString('base64url') + '=' }]],
    ['a non-canonical key (unused bits set)', [{ ...good, key: `${good.key.slice(0, -2)}9=` }]],
    ['a key with whitespace', [{ ...good, key: ` ${good.key}` }]],
    ['a hex key', [{ ...good, key: Buffer.alloc(32).toString('hex') }]],
  ])('rejects %s', (_, json) => expect(() => parseKeyFile(json)).toThrow(Error));

  it('never puts key material into its error', () => {
    const secret = Buffer.alloc(31, 0x5a).toString('base64');
    const error = thrown(() => parseKeyFile([{ version: 'k1', key: secret }])) as Error;
    expect(error.message).toContain('0.key');
    expect(error.message).not.toContain(secret.slice(0, 8));
  });
});

describe('candidateCaseIds', () => {
  it('lists the case pseudonym under every key, newest version first', () => {
    const v = vectors.vectors.filter((x) => x.normalized === '123456789012');
    const expected = ['k2', 'k1'].map((version) => ({
      version,
      caseId: v.find((x) => x.keyVersion === version)!.caseId,
    }));
    expect(candidateCaseIds(epochs, '1234 5678 9012')).toEqual(expected);
    expect(candidateCaseIds([...epochs].reverse(), '1234-5678-9012')).toEqual(expected);
  });

  it('reproduces every vector through the key epochs', () => {
    for (const v of vectors.vectors) {
      const candidate = candidateCaseIds(epochs, v.azrNumber).find((c) => c.version === v.keyVersion);
      expect(candidate?.caseId).toBe(v.caseId);
    }
  });

  it('refuses an empty key list and malformed or duplicate key versions', () => {
    const epoch: KeyEpoch = { version: 'k1', key: FAKE_KEY };
    expect(() => candidateCaseIds([epoch, { ...epoch }], '12345678')).toThrow(Error);
    expect(() => candidateCaseIds([{ ...epoch, version: 'v1' }], '12345678')).toThrow(Error);
    expect(() => candidateCaseIds([], '12345678')).toThrow(Error);
  });
});
