import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, contentHash, sha256Hex } from '../../src/domain/canonical-json';

const FAKE_CASE_ID = 'caaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** Shuffles an object's keys (deeply) to prove that insertion order does not matter. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .reverse()
        .map((k) => [k, reversedKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

describe('canonicalJson', () => {
  it.each<[unknown, string]>([
    [null, 'null'],
    [true, 'true'],
    [false, 'false'],
    [0, '0'],
    [-0, '0'],
    [1.5, '1.5'],
    [-42, '-42'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [0.1 + 0.2, '0.30000000000000004'],
    ['', '""'],
    ['a"b\\c\n\u0001', '"a\\"b\\\\c\\n\\u0001"'],
    ['Straße €😀', '"Straße €😀"'],
    ['\ud800', '"\\ud800"'],
    [[], '[]'],
    [{}, '{}'],
    [[3, 1, 2], '[3,1,2]'],
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ b: [{ d: 1, c: null }], a: { z: true, y: false } }, '{"a":{"y":false,"z":true},"b":[{"c":null,"d":1}]}'],
    [{ caseId: FAKE_CASE_ID, type: 'CASE_REGISTERED' }, `{"caseId":"${FAKE_CASE_ID}","type":"CASE_REGISTERED"}`],
  ])('writes %j as %s', (value, expected) => expect(canonicalJson(value)).toBe(expected));

  it('sorts keys by UTF-16 code units, not by locale or code point', () => {
    const value = { b: 0, B: 1, a: 2, A: 3, '10': 4, '9': 5, é: 6, '\uff61': 7, '😀': 8, '': 9, aa: 10 };
    expect(canonicalJson(value)).toBe(
      '{"":9,"10":4,"9":5,"A":3,"B":1,"a":2,"aa":10,"b":0,"é":6,"😀":8,"｡":7}',
    );
  });

  it('accepts objects without a prototype and repeated (non-cyclic) references', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.y = 1;
    bare.x = 2;
    expect(canonicalJson(bare)).toBe('{"x":2,"y":1}');
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared, shared] })).toBe('{"a":{"k":1},"b":[{"k":1},{"k":1}]}');
  });

  it('keeps an own "__proto__" key from parsed JSON', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1},"b":1}');
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['an undefined property', { a: 1, b: undefined }],
    ['an undefined array element', [1, undefined]],
    ['a hole', Object.assign(new Array<unknown>(3), { 0: 1, 2: 3 })],
    ['a function', { f: () => 1 }],
    ['a symbol', Symbol('s')],
    ['a bigint', { n: 1n }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a Date', { d: new Date(0) }],
    ['a Map', new Map()],
    ['a Uint8Array', new Uint8Array(2)],
    ['a class instance', new (class Thing {})()],
  ])('rejects %s', (_, value) => expect(() => canonicalJson(value)).toThrow(Error));

  it('rejects cycles through objects and arrays', () => {
    const object: Record<string, unknown> = { a: 1 };
    object.self = object;
    expect(() => canonicalJson(object)).toThrow(/cycle at \$\.self/);
    const array: unknown[] = [1];
    array.push({ back: array });
    expect(() => canonicalJson(array)).toThrow(/cycle at \$\[1\]\.back/);
  });

  it('names the path but never the offending value', () => {
    expect(() => canonicalJson({ data: { secret123: [0, Number.NaN] } })).toThrow('non-finite number at $.data.secret123[1]');
    let message = '';
    try {
      canonicalJson({ name: 'Max Mustermann', when: new Date(0) });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('not a plain object at $.when');
    expect(message).not.toContain('Mustermann');
    expect(message).not.toContain('1970');
  });

  it('is JSON that parses back to the same value, and independent of key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(text).not.toMatch(/^\s|\s$/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reversedKeys(value))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('contains no whitespace outside strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const outsideStrings = canonicalJson(value).replace(/"(?:[^"\\]|\\.)*"/g, '""');
        expect(outsideStrings).not.toMatch(/\s/);
      }),
    );
  });
});

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    ['The quick brown fox jumps over the lazy dog', 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592'],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('hashes %j', (text, expected) => expect(sha256Hex(text)).toBe(expected));

  it('hashes the UTF-8 encoding, in lower-case hex', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const hex = sha256Hex(text);
        expect(hex).toMatch(/^[0-9a-f]{64}$/);
        expect(hex).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
    );
  });
});

describe('contentHash', () => {
  const event = {
    caseId: FAKE_CASE_ID,
    type: 'CASE_REGISTERED',
    occurredAt: '2026-03-02T09:15:00+01:00',
    data: { facility: 'EAE-DD-1', registeredOn: '2026-03-02' },
  };

  it('is the SHA-256 of the canonical JSON of {caseId, type, occurredAt, data}', () => {
    const canonical =
      `{"caseId":"${FAKE_CASE_ID}","data":{"facility":"EAE-DD-1","registeredOn":"2026-03-02"},` +
      '"occurredAt":"2026-03-02T09:15:00+01:00","type":"CASE_REGISTERED"}';
    expect(contentHash(event)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
    expect(contentHash(event)).toBe(sha256Hex(canonical));
  });

  it('does not depend on key order, inside data or outside', () => {
    const reordered = {
      data: { registeredOn: '2026-03-02', facility: 'EAE-DD-1' },
      occurredAt: event.occurredAt,
      type: event.type,
      caseId: event.caseId,
    };
    expect(contentHash(reordered)).toBe(contentHash(event));
  });

  it('ignores fields outside {caseId, type, occurredAt, data}', () => {
    const withExtras = { ...event, sourceMessageId: 'msg-1', recordedAt: '2026-03-02T09:16:00Z' };
    expect(contentHash(withExtras)).toBe(contentHash(event));
  });

  it('changes when any covered field changes', () => {
    const base = contentHash(event);
    expect(contentHash({ ...event, caseId: 'cbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' })).not.toBe(base);
    expect(contentHash({ ...event, type: 'RECEPTION_ASSIGNED' })).not.toBe(base);
    expect(contentHash({ ...event, occurredAt: '2026-03-02T08:15:00Z' })).not.toBe(base);
    expect(contentHash({ ...event, data: { ...event.data, facility: 'EAE-DD-2' } })).not.toBe(base);
    expect(contentHash({ ...event, data: {} })).not.toBe(base);
  });

  it('rejects data that is not JSON', () => {
    expect(() => contentHash({ ...event, data: undefined })).toThrow(Error);
    expect(() => contentHash({ ...event, data: { on: new Date(0) } })).toThrow(Error);
  });
});
