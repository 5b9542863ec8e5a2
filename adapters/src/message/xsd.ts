/**
 * Generates the partners' XSD from the message schemas (message-schemas.ts via xml-model.ts). The file
 * in `adapters/xsd/` is this function's output; a test keeps them equal (`npm run generate:xsd -w
 * adapters` rewrites it).
 */
import { FORMAT_VERSION, MESSAGE_NAMESPACE } from './message-types';
import { MESSAGE_ROOTS, NAMED_TYPES } from './message-schemas';
import { contentOf, type Content, type SimpleType, type XmlItem } from './xml-model';

/** Translates a JavaScript regex source (the subset the schemas use) into an XSD pattern. */
export function xsdPattern(source: string): string {
  let s = source;
  if (s.startsWith('^')) s = s.slice(1);
  if (s.endsWith('$') && !s.endsWith('\\$')) s = s.slice(0, -1);
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charAt(i);
    if (c === '\\') {
      const n = s.charAt(i + 1);
      i += 1;
      if (n === 'd') out += inClass ? '0-9' : '[0-9]';
      else if (n === 'p' || n === 'P') {
        const end = s.indexOf('}', i);
        if (end < 0) throw new Error(`xsdPattern: bad property escape in ${source}`);
        out += `\\${s.slice(i, end + 1)}`;
        i = end;
      } else if (n === '/') out += '/';
      else if ('.-^?*+{}()[]|\\nrt'.includes(n)) out += `\\${n}`;
      else throw new Error(`xsdPattern: unsupported escape \\${n} in ${source}`);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '-' && s.charAt(i + 1) === ']') {
        out += '\\-';
        continue;
      } else if (c === '[') {
        out += '\\[';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (s.charAt(i + 1) === '^') {
        out += '^';
        i += 1;
      }
      continue;
    }
    if (c === '(' && s.charAt(i + 1) === '?') {
      if (s.charAt(i + 2) !== ':') throw new Error(`xsdPattern: unsupported group in ${source}`);
      out += '(';
      i += 2;
      continue;
    }
    if (c === '^' || c === '$') throw new Error(`xsdPattern: inner anchor in ${source}`);
    out += c;
  }
  return out;
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function occurs(min: number, max: number): string {
  const parts: string[] = [];
  if (min !== 1) parts.push(` minOccurs="${min}"`);
  if (max !== 1) parts.push(` maxOccurs="${Number.isFinite(max) ? String(max) : 'unbounded'}"`);
  return parts.join('');
}

class XsdWriter {
  private readonly named = new Map<string, string>();

  constructor(private readonly pad: (depth: number) => string) {}

  /** `xs:restriction` steps: several patterns must all hold, so each further one restricts the previous. */
  simpleTypeBody(type: SimpleType, depth: number): string {
    const p = this.pad;
    const facets = (first: boolean, pattern: string | undefined, d: number): string[] => {
      const lines: string[] = [];
      if (first) {
        if (type.minLength !== undefined) lines.push(`${p(d)}<xs:minLength value="${type.minLength}"/>`);
        if (type.maxLength !== undefined) lines.push(`${p(d)}<xs:maxLength value="${type.maxLength}"/>`);
        for (const v of type.enumeration ?? []) lines.push(`${p(d)}<xs:enumeration value="${esc(v)}"/>`);
      }
      if (pattern !== undefined) lines.push(`${p(d)}<xs:pattern value="${esc(xsdPattern(pattern))}"/>`);
      return lines;
    };
    const patterns = type.patterns.length === 0 ? [undefined] : type.patterns;
    const build = (k: number, d: number): string[] => {
      if (k === 0) {
        return [`${p(d)}<xs:restriction base="xs:${type.base}">`, ...facets(true, patterns[0], d + 1), `${p(d)}</xs:restriction>`];
      }
      return [
        `${p(d)}<xs:restriction>`,
        `${p(d + 1)}<xs:simpleType>`,
        ...build(k - 1, d + 2),
        `${p(d + 1)}</xs:simpleType>`,
        ...facets(false, patterns[k], d + 1),
        `${p(d)}</xs:restriction>`,
      ];
    };
    return build(patterns.length - 1, depth).join('\n');
  }

  typeRef(type: SimpleType): string | undefined {
    if (type.typeName === undefined) return undefined;
    if (!this.named.has(type.typeName)) {
      this.named.set(
        type.typeName,
        [`${this.pad(1)}<xs:simpleType name="${type.typeName}">`, this.simpleTypeBody(type, 2), `${this.pad(1)}</xs:simpleType>`].join('\n'),
      );
    }
    return type.typeName;
  }

  complexRef(content: Content): string | undefined {
    if (content.typeName === undefined) return undefined;
    if (!this.named.has(content.typeName)) {
      this.named.set(content.typeName, '');
      this.named.set(
        content.typeName,
        [`${this.pad(1)}<xs:complexType name="${content.typeName}">`, this.sequence(content, 2), `${this.pad(1)}</xs:complexType>`].join('\n'),
      );
    }
    return content.typeName;
  }

  sequence(content: Content, depth: number): string {
    const p = this.pad;
    if (content.items.length === 0) return `${p(depth)}<xs:sequence/>`;
    return [`${p(depth)}<xs:sequence>`, ...content.items.map((i) => this.item(i, depth + 1)), `${p(depth)}</xs:sequence>`].join('\n');
  }

  item(item: XmlItem, depth: number): string {
    const p = this.pad;
    switch (item.kind) {
      case 'scalar': {
        const ref = this.typeRef(item.type);
        const head = `${p(depth)}<xs:element name="${item.name}"${occurs(item.min, item.max)}`;
        if (ref !== undefined) return `${head} type="${ref}"/>`;
        return [`${head}>`, `${p(depth + 1)}<xs:simpleType>`, this.simpleTypeBody(item.type, depth + 2), `${p(depth + 1)}</xs:simpleType>`, `${p(depth)}</xs:element>`].join('\n');
      }
      case 'complex': {
        const ref = this.complexRef(item.content);
        const head = `${p(depth)}<xs:element name="${item.name}"${occurs(item.min, item.max)}`;
        if (ref !== undefined) return `${head} type="${ref}"/>`;
        return [`${head}>`, `${p(depth + 1)}<xs:complexType>`, this.sequence(item.content, depth + 2), `${p(depth + 1)}</xs:complexType>`, `${p(depth)}</xs:element>`].join('\n');
      }
      case 'choice':
        return [`${p(depth)}<xs:choice>`, ...item.options.map((o) => this.item(o, depth + 1)), `${p(depth)}</xs:choice>`].join('\n');
      case 'taggedList':
        return [
          `${p(depth)}<xs:element name="${item.name}"${occurs(item.min, item.max)}>`,
          `${p(depth + 1)}<xs:complexType>`,
          `${p(depth + 2)}<xs:choice${occurs(item.itemMin, item.itemMax)}>`,
          ...item.options.map((o) =>
            [
              `${p(depth + 3)}<xs:element name="${o.tag}">`,
              `${p(depth + 4)}<xs:complexType>`,
              this.sequence(o.content, depth + 5),
              `${p(depth + 4)}</xs:complexType>`,
              `${p(depth + 3)}</xs:element>`,
            ].join('\n'),
          ),
          `${p(depth + 2)}</xs:choice>`,
          `${p(depth + 1)}</xs:complexType>`,
          `${p(depth)}</xs:element>`,
        ].join('\n');
    }
  }

  namedDefinitions(): string[] {
    return [...this.named.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  }
}

/** The XSD of every message type, as published in `adapters/xsd/`. */
export function generateXsd(): string {
  const pad = (d: number): string => '  '.repeat(d);
  const w = new XsdWriter(pad);
  const roots = MESSAGE_ROOTS.map((root) => {
    const content = contentOf(root.schema, { namedTypes: NAMED_TYPES }, root.type.name);
    return [
      `${pad(1)}<xs:element name="${root.type.name}">`,
      `${pad(2)}<xs:complexType>`,
      w.sequence(content, 3),
      `${pad(3)}<xs:attribute name="version" type="xs:string" use="required" fixed="${FORMAT_VERSION}"/>`,
      `${pad(2)}</xs:complexType>`,
      `${pad(1)}</xs:element>`,
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- Generated from the domain\'s zod schemas by adapters/src/message/xsd.ts. Do not edit:',
    '     run `npm run generate:xsd -w adapters`. -->',
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${MESSAGE_NAMESPACE}"`,
    `  xmlns="${MESSAGE_NAMESPACE}" elementFormDefault="qualified" version="${FORMAT_VERSION}">`,
    ...roots,
    ...w.namedDefinitions(),
    '</xs:schema>',
    '',
  ].join('\n');
}
