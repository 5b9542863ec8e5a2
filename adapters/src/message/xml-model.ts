/**
 * The XML shape of a zod schema. One walk over the message schemas (which are built from the domain's
 * event schemas) gives the tree that both the XSD generator and the XML codec use, so the published
 * XSD, the parser and the domain validate by one source.
 *
 * Supported zod shapes (anything else throws, so a schema change the format cannot carry fails loudly):
 * strict objects, optional fields, arrays, strings with regex / length checks, enums, literals,
 * booleans; unions of objects with equal keys (merged, e.g. `DUBLIN_DEADLINE_EXTENDED`) or differing
 * in one key (an `xs:choice`, e.g. `courtRef` / `courtProceedings`); arrays of `{type, data}`
 * discriminated unions (tagged lists, e.g. the facts of `CASE_IMPORTED`).
 */
import { z } from 'zod';

/** Built-in XSD base of a simple type. */
export type XsdBase = 'string' | 'date' | 'dateTime' | 'boolean' | 'integer' | 'base64Binary';

/** A simple (text-only) type. */
export interface SimpleType {
  readonly base: XsdBase;
  /** Regex sources in JavaScript syntax (translated for the XSD). */
  readonly patterns: readonly string[];
  readonly enumeration?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  /** The name of the XSD's named simple type, when the schema is a shared one. */
  readonly typeName?: string;
}

/** A sequence of child elements. */
export interface Content {
  readonly items: readonly XmlItem[];
  /** The name of the XSD's named complex type, when the schema is a shared one. */
  readonly typeName?: string;
}

/** An element with text content. */
export interface ScalarElement {
  readonly kind: 'scalar';
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Set when the element is a repeated array item; `optional` arrays are absent when empty. */
  readonly list?: 'required' | 'optional';
  readonly type: SimpleType;
}

/** An element with child elements. */
export interface ComplexElement {
  readonly kind: 'complex';
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Set when the element is a repeated array item; `optional` arrays are absent when empty. */
  readonly list?: 'required' | 'optional';
  readonly content: Content;
}

/** Exactly one of some elements (each occurring once). */
export interface Choice {
  readonly kind: 'choice';
  readonly options: readonly (ScalarElement | ComplexElement)[];
}

/** A wrapper element holding `{type, data}` items as elements named by their type. */
export interface TaggedList {
  readonly kind: 'taggedList';
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Bounds of the items inside the wrapper. */
  readonly itemMin: number;
  readonly itemMax: number;
  readonly options: readonly { readonly tag: string; readonly content: Content }[];
}

/** One item of a sequence. */
export type XmlItem = ScalarElement | ComplexElement | Choice | TaggedList;

/** Schemas with their own XSD name, and for refined ones the facets that carry their refinements. */
export interface NamedType {
  readonly name: string;
  /** For simple types: the XSD base and extra patterns that express what a zod refinement checks. */
  readonly base?: XsdBase;
  readonly extraPatterns?: readonly string[];
}

/** Options of the walk. */
export interface ModelOptions {
  readonly namedTypes: ReadonlyMap<z.ZodType, NamedType>;
}

const UNBOUNDED = Number.POSITIVE_INFINITY;

/** The content (child sequence) of an object schema or a union of object schemas. */
export function contentOf(schema: z.ZodType, options: ModelOptions, path = ''): Content {
  const typeName = options.namedTypes.get(schema)?.name;
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    const items = Object.entries(shape).map(([key, field]) => itemOf(key, field, options, `${path}/${key}`));
    return typeName === undefined ? { items } : { items, typeName };
  }
  if (schema instanceof z.ZodUnion) {
    const variants = (schema.options as readonly z.ZodType[]).map((o) => contentOf(o, options, path));
    const merged = variants.reduce((a, b) => mergeContent(a, b, path));
    return typeName === undefined ? merged : { ...merged, typeName };
  }
  throw new Error(`xml-model: ${path || 'root'} is not an object schema`);
}

function itemOf(name: string, schema: z.ZodType, options: ModelOptions, path: string): XmlItem {
  let min = 1;
  let inner = schema;
  if (inner instanceof z.ZodOptional) {
    min = 0;
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodArray) {
    const element = inner.element as z.ZodType;
    const json = z.toJSONSchema(inner) as { minItems?: number; maxItems?: number };
    const itemMin = min === 0 ? 0 : (json.minItems ?? 0);
    const itemMax = json.maxItems ?? UNBOUNDED;
    const tagged = taggedOptions(element, options, path);
    if (tagged !== undefined) {
      return { kind: 'taggedList', name, min, max: 1, itemMin: json.minItems ?? 0, itemMax, options: tagged };
    }
    const single = itemOf(name, element, options, path);
    if (single.kind !== 'scalar' && single.kind !== 'complex') throw new Error(`xml-model: ${path}: nested list`);
    return { ...single, min: itemMin, max: itemMax, list: min === 0 ? 'optional' : 'required' };
  }
  if (inner instanceof z.ZodObject || inner instanceof z.ZodUnion) {
    if (inner instanceof z.ZodUnion && !(inner.options as readonly z.ZodType[]).every((o) => o instanceof z.ZodObject)) {
      return { kind: 'scalar', name, min, max: 1, type: simpleOf(inner, options, path) };
    }
    return { kind: 'complex', name, min, max: 1, content: contentOf(inner, options, path) };
  }
  return { kind: 'scalar', name, min, max: 1, type: simpleOf(inner, options, path) };
}

function taggedOptions(
  element: z.ZodType,
  options: ModelOptions,
  path: string,
): { tag: string; content: Content }[] | undefined {
  if (!(element instanceof z.ZodDiscriminatedUnion)) return undefined;
  return (element.options as readonly z.ZodType[]).map((option) => {
    if (!(option instanceof z.ZodObject)) throw new Error(`xml-model: ${path}: tagged option is not an object`);
    const shape = option.shape as Record<string, z.ZodType>;
    const keys = Object.keys(shape);
    const type = shape['type'];
    const data = shape['data'];
    if (keys.length !== 2 || !(type instanceof z.ZodLiteral) || data === undefined) {
      throw new Error(`xml-model: ${path}: tagged options must be {type, data}`);
    }
    const tag = [...(type.values as Set<unknown>)][0];
    if (typeof tag !== 'string') throw new Error(`xml-model: ${path}: tag must be a string`);
    return { tag, content: contentOf(data, options, `${path}/${tag}`) };
  });
}

function simpleOf(schema: z.ZodType, options: ModelOptions, path: string): SimpleType {
  const named = options.namedTypes.get(schema);
  const typeName = named?.name;
  const withName = (t: SimpleType): SimpleType => (typeName === undefined ? t : { ...t, typeName });
  if (schema instanceof z.ZodString) {
    const json = z.toJSONSchema(schema) as {
      pattern?: string;
      allOf?: { pattern?: string }[];
      minLength?: number;
      maxLength?: number;
    };
    const patterns = [
      ...(json.pattern === undefined ? [] : [json.pattern]),
      ...(json.allOf ?? []).flatMap((p) => (p.pattern === undefined ? [] : [p.pattern])),
      ...(named?.extraPatterns ?? []),
    ];
    return withName({
      base: named?.base ?? 'string',
      patterns,
      ...(json.minLength === undefined ? {} : { minLength: json.minLength }),
      ...(json.maxLength === undefined ? {} : { maxLength: json.maxLength }),
    });
  }
  if (schema instanceof z.ZodEnum) {
    return withName({ base: 'string', patterns: [], enumeration: (schema.options as readonly unknown[]).map(String) });
  }
  if (schema instanceof z.ZodLiteral) {
    const values = [...(schema.values as Set<unknown>)];
    if (values.every((v) => typeof v === 'string')) return withName({ base: 'string', patterns: [], enumeration: values.map(String) });
    if (values.every((v) => typeof v === 'number' && Number.isInteger(v))) {
      return withName({ base: 'integer', patterns: [], enumeration: values.map(String) });
    }
    throw new Error(`xml-model: ${path}: unsupported literal`);
  }
  if (schema instanceof z.ZodBoolean) return withName({ base: 'boolean', patterns: [] });
  if (schema instanceof z.ZodUnion) {
    const parts = (schema.options as readonly z.ZodType[]).map((o) => simpleOf(o, options, path));
    return parts.reduce((a, b) => mergeSimple(a, b, path));
  }
  throw new Error(`xml-model: ${path}: unsupported schema ${schema.def.type}`);
}

function mergeSimple(a: SimpleType, b: SimpleType, path: string): SimpleType {
  if (a.enumeration !== undefined && b.enumeration !== undefined && a.base === b.base) {
    return { base: a.base, patterns: [], enumeration: [...new Set([...a.enumeration, ...b.enumeration])] };
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  throw new Error(`xml-model: ${path}: union of incompatible simple types`);
}

function sameElement(a: XmlItem, b: XmlItem): boolean {
  return a.kind !== 'choice' && b.kind !== 'choice' && a.name === b.name;
}

/**
 * Merges two variants of a union: same elements in the same order are merged; one differing element
 * at the same position becomes a choice.
 */
function mergeContent(a: Content, b: Content, path: string): Content {
  if (a.items.length !== b.items.length) throw new Error(`xml-model: ${path}: union variants differ in length`);
  let choices = 0;
  const items = a.items.map((x, i): XmlItem => {
    const y = b.items[i];
    if (y === undefined) throw new Error(`xml-model: ${path}: union variants differ`);
    if (sameElement(x, y)) return mergeItem(x, y, path);
    if (x.kind === 'choice' && y.kind !== 'choice' && y.kind !== 'taggedList') {
      choices += 1;
      return { kind: 'choice', options: [...x.options.filter((o) => o.name !== y.name), y] };
    }
    if ((x.kind === 'scalar' || x.kind === 'complex') && (y.kind === 'scalar' || y.kind === 'complex')) {
      choices += 1;
      return { kind: 'choice', options: [x, y] };
    }
    throw new Error(`xml-model: ${path}: union variants differ in an unsupported way`);
  });
  if (choices > 1) throw new Error(`xml-model: ${path}: union variants differ in more than one element`);
  return { items };
}

function mergeItem(x: XmlItem, y: XmlItem, path: string): XmlItem {
  if (x.kind === 'scalar' && y.kind === 'scalar' && x.min === y.min && x.max === y.max) {
    return { ...x, type: mergeSimple(x.type, y.type, `${path}/${x.name}`) };
  }
  if (JSON.stringify(x) === JSON.stringify(y)) return x;
  throw new Error(`xml-model: ${path}: union variants differ at ${x.kind === 'choice' ? 'a choice' : x.name}`);
}
