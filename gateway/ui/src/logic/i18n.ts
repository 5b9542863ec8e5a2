import de from '../../i18n/de.json';
import en from '../../i18n/en.json';

/** The languages the UI speaks; German is the default (the agencies' working language). */
export const LANGUAGES = ['de', 'en'] as const;
/** A UI language. */
export type Lang = (typeof LANGUAGES)[number];
/** A dictionary key (the German dictionary is the reference; a unit test keeps both in step). */
export type MessageKey = keyof typeof de;
/** Values interpolated into `{name}` placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

const DICTIONARIES: Record<Lang, Readonly<Record<string, string>>> = { de, en };

/** Whether a string names a supported language. */
export function isLang(value: unknown): value is Lang {
  return value === 'de' || value === 'en';
}

/** Translates keys for one language. */
export interface Translator {
  readonly lang: Lang;
  /** The message for a fixed key. */
  (key: MessageKey, params?: MessageParams): string;
  /** The message for a key built from a code (`event.` + type); falls back to the code itself. */
  code(prefix: string, code: string, params?: MessageParams): string;
}

/** Replaces `{name}` placeholders; unknown placeholders stay visible so a missing parameter is noticed. */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The translator for a language. */
export function translator(lang: Lang): Translator {
  const dict = DICTIONARIES[lang];
  const t = ((key: MessageKey, params?: MessageParams) => interpolate(dict[key] ?? key, params)) as Translator;
  Object.defineProperty(t, 'lang', { value: lang });
  t.code = (prefix, code, params) => {
    const template = dict[`${prefix}.${code}`];
    return template === undefined ? code : interpolate(template, params);
  };
  return t;
}

/** The raw dictionaries (tests compare their key sets). */
export function dictionary(lang: Lang): Readonly<Record<string, string>> {
  return DICTIONARIES[lang];
}

/**
 * The codes a dictionary has messages for under a prefix (`phase`, `warning`), in the dictionary's order. The
 * client takes the domain's code lists from here rather than importing the domain's values (which would bundle
 * its schemas); a unit test checks that both dictionaries hold every code the domain defines, in its order.
 */
export function codesOf(prefix: string): string[] {
  const start = `${prefix}.`;
  return Object.keys(DICTIONARIES.de)
    .filter((k) => k.startsWith(start))
    .map((k) => k.slice(start.length));
}
