/**
 * Hardened XML reading. Messages come from systems outside the adapter's trust boundary, so before a
 * parser sees them: a byte limit, strict UTF-8, no DTD at all (so no external entities and no entity
 * expansion: only the five predefined entities and character references are decoded, by us), no
 * processing instructions, and limits on element count and depth checked by a linear pre-scan.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Limits on one message. */
export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
}

/** Defaults: a `CASE_IMPORTED` with 200 facts is about 40 KiB and 12 levels deep. */
export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 256 * 1024, maxDepth: 24, maxElements: 5000 };

/** An element: name, attributes, child elements and (for text-only elements) its text. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

/** Why XML was refused before any schema check. */
export type XmlFailure = 'MESSAGE_TOO_LARGE' | 'MALFORMED_XML' | 'FORBIDDEN_XML_CONSTRUCT';

/** The outcome of reading XML. */
export type XmlReadResult = { ok: true; root: XmlElement } | { ok: false; failure: XmlFailure; detail: string };

const fail = (failure: XmlFailure, detail: string): XmlReadResult => ({ ok: false, failure, detail });

/**
 * Walks the markup once: refuses DTDs, entity declarations, processing instructions and other `<!`
 * constructs, and counts elements and depth. Linear in the input, so a hostile message costs no more
 * than reading it.
 */
function prescan(text: string, limits: XmlLimits): XmlReadResult | undefined {
  let depth = 0;
  let elements = 0;
  let i = text.indexOf('<');
  while (i >= 0) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return fail('MALFORMED_XML', 'unterminated comment');
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) return fail('MALFORMED_XML', 'unterminated CDATA');
      i = text.indexOf('<', end + 3);
      continue;
    }
    if (text.startsWith('<!', i)) return fail('FORBIDDEN_XML_CONSTRUCT', 'DTD or declaration');
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return fail('MALFORMED_XML', 'unterminated processing instruction');
      const isDeclaration = i === 0 && /^<\?xml[\s?]/.test(text.slice(0, 6));
      if (!isDeclaration) return fail('FORBIDDEN_XML_CONSTRUCT', 'processing instruction');
      const decl = text.slice(0, end + 2);
      if (!/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(decl)) return fail('MALFORMED_XML', 'bad XML declaration');
      const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(decl)?.[1];
      if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8') return fail('MALFORMED_XML', 'encoding must be UTF-8');
      i = text.indexOf('<', end + 2);
      continue;
    }
    const end = tagEnd(text, i + 1);
    if (end < 0) return fail('MALFORMED_XML', 'unterminated tag');
    if (text.charAt(i + 1) === '/') depth -= 1;
    else {
      elements += 1;
      if (elements > limits.maxElements) return fail('MESSAGE_TOO_LARGE', 'too many elements');
      if (text.charAt(end - 1) !== '/') {
        depth += 1;
        if (depth > limits.maxDepth) return fail('MESSAGE_TOO_LARGE', 'nested too deeply');
      }
    }
    i = text.indexOf('<', end + 1);
  }
  return undefined;
}

/** The index of the `>` closing a tag that starts before `from`, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let j = from; j < text.length; j += 1) {
    const c = text.charAt(j);
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
    else if (c === '<') return -1;
  }
  return -1;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; anything else is an error. */
function decodeText(raw: string): string | undefined {
  let bad = false;
  const out = raw.replace(/&([^;&\s]{0,12});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) {
      bad = true;
      return '';
    }
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (num === null) {
      bad = true;
      return '';
    }
    const code = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) {
      bad = true;
      return '';
    }
    return String.fromCodePoint(code);
  });
  return bad ? undefined : out;
}

type OrderedNode = Record<string, unknown>;

function isOrderedNodeList(value: unknown): value is OrderedNode[] {
  return Array.isArray(value);
}

class MalformedError extends Error {}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name === '#cdata') return undefined;
  const rawAttributes = (node[':@'] ?? {}) as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttributes)) {
    const decoded = decodeText(String(v));
    if (decoded === undefined) throw new MalformedError('bad reference in attribute');
    attributes[k] = decoded;
  }
  const rawChildren = node[name];
  const children: XmlElement[] = [];
  let text = '';
  if (isOrderedNodeList(rawChildren)) {
    for (const child of rawChildren) {
      if (Object.prototype.hasOwnProperty.call(child, '#cdata')) {
        const parts = child['#cdata'];
        if (isOrderedNodeList(parts)) for (const part of parts) text += typeof part['#text'] === 'string' ? part['#text'] : '';
      } else if (Object.prototype.hasOwnProperty.call(child, '#text')) {
        const decoded = decodeText(String(child['#text']));
        if (decoded === undefined) throw new MalformedError('bad entity or character reference');
        text += decoded;
      } else {
        const element = toElement(child);
        if (element !== undefined) children.push(element);
      }
    }
  }
  if (children.length > 0 && text.trim() !== '') throw new MalformedError('mixed content');
  return { name, attributes, children, text: children.length > 0 ? '' : text };
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads one XML document under the limits, or says why not. */
export function readXml(bytes: Uint8Array, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlReadResult {
  if (bytes.byteLength > limits.maxBytes) return fail('MESSAGE_TOO_LARGE', 'too many bytes');
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail('MALFORMED_XML', 'not UTF-8');
  }
  const scanned = prescan(text, limits);
  if (scanned !== undefined) return scanned;
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) return fail('MALFORMED_XML', valid.err.code);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    cdataPropName: '#cdata',
    maxNestedTags: limits.maxDepth + 1,
  });
  try {
    const parsed: unknown = parser.parse(text);
    if (!isOrderedNodeList(parsed)) return fail('MALFORMED_XML', 'no document');
    const roots = parsed.map(toElement).filter((e): e is XmlElement => e !== undefined);
    const [root, ...more] = roots;
    if (root === undefined || more.length > 0) return fail('MALFORMED_XML', 'exactly one root element');
    return { ok: true, root };
  } catch (err) {
    if (err instanceof MalformedError) return fail('MALFORMED_XML', err.message);
    return fail('MALFORMED_XML', 'parser refused');
  }
}
