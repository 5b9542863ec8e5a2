/**
 * A few DOM helpers. Everything is built with createElement and textContent: no HTML strings, so the
 * strict Content-Security-Policy (with Trusted Types) holds and no data can become markup.
 */

type Child = Node | string | number | null | undefined | false;
/** A child or (nested) list of children. */
export type Children = Child | readonly Children[];
type Attrs = Readonly<Record<string, string | number | boolean | undefined | ((event: Event) => void)>>;

/** Creates an element with attributes (`on*` keys become listeners; `false`/`undefined` are left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Children[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: readonly Children[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(el, child as readonly Children[]);
    else if (child instanceof Node) el.appendChild(child);
    else if (child !== null && child !== undefined && child !== false) el.appendChild(document.createTextNode(String(child as string | number)));
  }
}

/** Replaces an element's children. */
export function replaceChildren(el: Element, ...children: Children[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A `<dl>` from label/value pairs (values may be nodes). */
export function dl(rows: readonly (readonly [string, Children])[], className?: string): HTMLDListElement {
  return h('dl', { class: className }, rows.map(([label, value]) => h('div', { class: 'dl-row' }, h('dt', {}, label), h('dd', {}, value))));
}

/**
 * Replaces `container`'s content while keeping keyboard focus: if the focused element carried a
 * `data-focus-key`, the element with the same key in the new content takes focus (live updates must not
 * throw a keyboard user back to the top).
 */
export function swapKeepingFocus(container: Element, next: Node): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset.focusKey : undefined;
  container.replaceChildren(next);
  if (key !== undefined) {
    const target = container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
    target?.focus();
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element (createElementNS; attributes only, no listeners) with children. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number | undefined>> = {}, ...children: Children[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, String(value));
  append(el, children);
  return el;
}
