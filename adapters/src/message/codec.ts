/**
 * XML ⇄ message objects. Reading: hardened XML (safe-xml.ts) → structure by the XML model (element
 * order, occurrences, no unknown elements or attributes: what the XSD says) → the message schema (the
 * domain's zod schemas decide every value). Writing: the message schema, then the XML model.
 */
import type { EventType } from '@asl/chaincode/domain';
import { SourceMessageIdSchema } from '@asl/chaincode/domain';
import type { z } from 'zod';
import {
  MESSAGE_ROOTS,
  NAMED_TYPES,
  type EventMessageBody,
  type Finding,
  type MessageRoot,
  type NoticeMessageBody,
  type RejectionReason,
  type ReturnToSenderBody,
} from './message-schemas';
import { FORMAT_VERSION, MESSAGE_NAMESPACE } from './message-types';
import { DEFAULT_XML_LIMITS, readXml, type XmlElement, type XmlLimits } from './safe-xml';
import { contentOf, type Content, type ScalarElement, type SimpleType, type XmlItem } from './xml-model';

/** A parsed, valid message. */
export type Message =
  | { readonly kind: 'event'; readonly eventType: EventType; readonly body: EventMessageBody }
  | { readonly kind: 'notice'; readonly body: NoticeMessageBody }
  | { readonly kind: 'returnToSender'; readonly body: ReturnToSenderBody };

/** Why a message was refused, with what could be read of its head. No values, only codes and paths. */
export interface Rejection {
  readonly reason: RejectionReason;
  readonly findings: readonly Finding[];
  readonly nachrichtUUID?: string;
  readonly author?: string;
}

/** The outcome of parsing. */
export type ParseResult = { readonly ok: true; readonly message: Message } | { readonly ok: false; readonly rejection: Rejection };

interface PreparedRoot {
  readonly root: MessageRoot;
  readonly content: Content;
}

const MAX_FINDINGS = 50;

function prepare(): ReadonlyMap<string, PreparedRoot> {
  return new Map(
    MESSAGE_ROOTS.map((root) => [root.type.name, { root, content: contentOf(root.schema, { namedTypes: NAMED_TYPES }, root.type.name) }]),
  );
}

/** The prepared roots, built once per process from the schemas (immutable). */
const ROOTS: ReadonlyMap<string, PreparedRoot> = prepare();

class Findings {
  readonly list: Finding[] = [];
  add(path: string, code: string): void {
    if (this.list.length < MAX_FINDINGS) this.list.push({ pfad: path.slice(0, 200), code });
  }
}

function scalarValue(el: XmlElement, type: SimpleType, path: string, findings: Findings): unknown {
  if (el.children.length > 0) {
    findings.add(path, 'unexpected_element');
    return undefined;
  }
  switch (type.base) {
    case 'boolean': {
      const t = el.text.trim();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      findings.add(path, 'invalid_boolean');
      return undefined;
    }
    case 'integer': {
      const t = el.text.trim();
      if (!/^[+-]?[0-9]{1,15}$/.test(t)) {
        findings.add(path, 'invalid_integer');
        return undefined;
      }
      return Number(t);
    }
    case 'date':
    case 'dateTime':
      return el.text.trim();
    case 'string':
    case 'base64Binary':
      return el.text;
  }
}

function decodeElement(el: XmlElement, item: ScalarElement | { kind: 'complex'; content: Content }, path: string, findings: Findings): unknown {
  if (Object.keys(el.attributes).length > 0) findings.add(path, 'unexpected_attribute');
  if (item.kind === 'scalar') return scalarValue(el, item.type, path, findings);
  if (el.text.trim() !== '') findings.add(path, 'unexpected_text');
  return decodeContent(el.children, item.content, path, findings);
}

function decodeContent(elements: readonly XmlElement[], content: Content, path: string, findings: Findings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  for (const item of content.items) {
    if (item.kind === 'choice') {
      const el = elements[i];
      const option = el === undefined ? undefined : item.options.find((o) => o.name === el.name);
      if (el === undefined || option === undefined) {
        findings.add(`${path}/${item.options.map((o) => o.name).join('|')}`, 'missing_element');
        continue;
      }
      out[option.name] = decodeElement(el, option, `${path}/${option.name}`, findings);
      i += 1;
      continue;
    }
    const matched: XmlElement[] = [];
    while (matched.length < item.max && elements[i]?.name === item.name) {
      const el = elements[i];
      if (el !== undefined) matched.push(el);
      i += 1;
    }
    const itemPath = `${path}/${item.name}`;
    if (item.kind === 'taggedList') {
      const [wrapper] = matched;
      if (wrapper === undefined) {
        if (item.min > 0) findings.add(itemPath, 'missing_element');
        continue;
      }
      if (Object.keys(wrapper.attributes).length > 0) findings.add(itemPath, 'unexpected_attribute');
      if (wrapper.text.trim() !== '') findings.add(itemPath, 'unexpected_text');
      const list = wrapper.children.map((child, k) => {
        const option = item.options.find((o) => o.tag === child.name);
        if (option === undefined) {
          findings.add(`${itemPath}[${k}]/${child.name.slice(0, 64)}`, 'unexpected_element');
          return undefined;
        }
        if (Object.keys(child.attributes).length > 0) findings.add(`${itemPath}[${k}]`, 'unexpected_attribute');
        return { type: option.tag, data: decodeContent(child.children, option.content, `${itemPath}[${k}]/${option.tag}`, findings) };
      });
      if (list.length < item.itemMin || list.length > item.itemMax) findings.add(itemPath, 'occurrences');
      out[item.name] = list;
      continue;
    }
    if (matched.length < item.min) {
      findings.add(itemPath, 'missing_element');
      continue;
    }
    const values = matched.map((el, k) => decodeElement(el, item, item.list ? `${itemPath}[${k}]` : itemPath, findings));
    if (item.list === 'required' || (item.list === 'optional' && values.length > 0)) out[item.name] = values;
    else if (item.list === undefined && values.length === 1) out[item.name] = values[0];
  }
  for (const extra of elements.slice(i)) findings.add(`${path}/${extra.name.slice(0, 64)}`, 'unexpected_element');
  return out;
}

function headOf(root: XmlElement): { nachrichtUUID?: string; author?: string } {
  const head = root.children.find((c) => c.name === 'nachrichtenkopf');
  const uuid = head?.children.find((c) => c.name === 'nachrichtUUID')?.text.trim();
  const author = head?.children.find((c) => c.name === 'autor')?.children.find((c) => c.name === 'kennung')?.text.trim();
  const valid = (s: string | undefined): s is string => s !== undefined && SourceMessageIdSchema.safeParse(s).success;
  return { ...(valid(uuid) ? { nachrichtUUID: uuid } : {}), ...(valid(author) ? { author } : {}) };
}

function zodFindings(error: z.ZodError, findings: Findings): void {
  for (const issue of error.issues) findings.add(issue.path.map(String).join('/'), issue.code);
}

/** Reads and validates one message. Never throws on hostile input. */
export function parseMessage(bytes: Uint8Array, limits: XmlLimits = DEFAULT_XML_LIMITS): ParseResult {
  const xml = readXml(bytes, limits);
  if (!xml.ok) return { ok: false, rejection: { reason: xml.failure, findings: [{ pfad: '', code: xml.detail.replace(/[^A-Za-z0-9_]+/g, '_').slice(0, 64) }] } };
  const root = xml.root;
  const head = headOf(root);
  const prepared = ROOTS.get(root.name);
  if (prepared === undefined) {
    return { ok: false, rejection: { reason: 'UNKNOWN_MESSAGE_TYPE', findings: [{ pfad: '', code: 'unknown_root' }], ...head } };
  }
  const findings = new Findings();
  for (const [name, value] of Object.entries(root.attributes)) {
    if (name === 'xmlns') {
      if (value !== MESSAGE_NAMESPACE) findings.add('@xmlns', 'wrong_namespace');
    } else if (name === 'version') {
      if (value !== FORMAT_VERSION) findings.add('@version', 'unsupported_version');
    } else findings.add(`@${name.slice(0, 64)}`, 'unexpected_attribute');
  }
  if (root.attributes['xmlns'] === undefined) findings.add('@xmlns', 'wrong_namespace');
  if (root.attributes['version'] === undefined) findings.add('@version', 'missing_attribute');
  if (root.text.trim() !== '') findings.add('', 'unexpected_text');
  const object = decodeContent(root.children, prepared.content, '', findings);
  if (findings.list.length > 0) return { ok: false, rejection: { reason: 'SCHEMA_VIOLATION', findings: findings.list, ...head } };
  const parsed = prepared.root.schema.safeParse(object);
  if (!parsed.success) {
    zodFindings(parsed.error, findings);
    return { ok: false, rejection: { reason: 'SCHEMA_VIOLATION', findings: findings.list, ...head } };
  }
  return { ok: true, message: toMessage(prepared.root, parsed.data) };
}

function toMessage(root: MessageRoot, data: unknown): Message {
  switch (root.kind) {
    case 'event':
      return { kind: 'event', eventType: root.eventType, body: data as EventMessageBody };
    case 'notice':
      return { kind: 'notice', body: data as NoticeMessageBody };
    case 'returnToSender':
      return { kind: 'returnToSender', body: data as ReturnToSenderBody };
  }
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeText(value);
  throw new Error('serializeMessage: not a scalar');
}

function encodeItemValue(name: string, value: unknown, item: XmlItem, pad: string): string[] {
  if (item.kind === 'scalar') return [`${pad}<${name}>${scalarText(value)}</${name}>`];
  if (item.kind === 'complex') {
    const inner = encodeContent(value as Record<string, unknown>, item.content, `${pad}  `);
    return inner.length === 0 ? [`${pad}<${name}/>`] : [`${pad}<${name}>`, ...inner, `${pad}</${name}>`];
  }
  throw new Error('serializeMessage: unexpected item');
}

function encodeContent(obj: Record<string, unknown>, content: Content, pad: string): string[] {
  const lines: string[] = [];
  for (const item of content.items) {
    if (item.kind === 'choice') {
      const option = item.options.find((o) => obj[o.name] !== undefined);
      if (option === undefined) throw new Error('serializeMessage: no choice option present');
      lines.push(...encodeItemValue(option.name, obj[option.name], option, pad));
      continue;
    }
    const value = obj[item.name];
    if (value === undefined) continue;
    if (item.kind === 'taggedList') {
      const facts = value as readonly { type: string; data: Record<string, unknown> }[];
      lines.push(`${pad}<${item.name}>`);
      for (const fact of facts) {
        const option = item.options.find((o) => o.tag === fact.type);
        if (option === undefined) throw new Error('serializeMessage: unknown tag');
        const inner = encodeContent(fact.data, option.content, `${pad}    `);
        lines.push(...(inner.length === 0 ? [`${pad}  <${fact.type}/>`] : [`${pad}  <${fact.type}>`, ...inner, `${pad}  </${fact.type}>`]));
      }
      lines.push(`${pad}</${item.name}>`);
      continue;
    }
    const values = item.list ? (value as readonly unknown[]) : [value];
    for (const v of values) lines.push(...encodeItemValue(item.name, v, item, pad));
  }
  return lines;
}

function rootFor(message: Message): PreparedRoot {
  const name =
    message.kind === 'event'
      ? MESSAGE_ROOTS.find((r) => r.kind === 'event' && r.eventType === message.eventType)?.type.name
      : MESSAGE_ROOTS.find((r) => r.kind === message.kind)?.type.name;
  const prepared = name === undefined ? undefined : ROOTS.get(name);
  if (prepared === undefined) throw new Error('serializeMessage: unknown message type');
  return prepared;
}

/** Writes a message as XML (UTF-8 text). Throws when the message does not match its schema. */
export function serializeMessage(message: Message): string {
  const prepared = rootFor(message);
  const checked = prepared.root.schema.parse(message.body) as Record<string, unknown>;
  const name = prepared.root.type.name;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${name} xmlns="${MESSAGE_NAMESPACE}" version="${FORMAT_VERSION}">`,
    ...encodeContent(checked, prepared.content, '  '),
    `</${name}>`,
    '',
  ].join('\n');
}
