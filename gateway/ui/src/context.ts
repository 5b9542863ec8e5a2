import type { Role } from '@asl/chaincode/domain';
import type { Translator } from './logic/i18n';
import type { Viewer } from './logic/model';

/** The signed-in person as `POST /api/v1/session` answered (no token: that lives only in the httpOnly cookie). */
export interface SessionInfo {
  readonly userId: string;
  readonly role: Role;
  readonly expiresAt: string;
}

/** What every view gets from the shell. */
export interface ViewContext {
  readonly t: Translator;
  readonly viewer: Viewer & { readonly userId: string };
  /** Opens a case by its pseudonymous id. */
  openCase(caseId: string): void;
  /** Shows the case list. */
  showCases(): void;
  /** Says something politely in the live region (screen readers), e.g. a new event. */
  announce(message: string): void;
  /** Shows an error in the alert region (announced at once). */
  showError(error: unknown): void;
  /** Clears the alert region. */
  clearError(): void;
  /** An instant in Berlin time, in the UI language. */
  instant(value: string): string;
  /** A calendar date `YYYY-MM-DD` in the UI language. */
  date(value: string): string;
  /** The short, text label of an agency (never colour alone). */
  agency(mspId: string): string;
}

/** Formats instants and dates for a language, always in Berlin time (the agencies' time zone). */
export function formatters(lang: string): { instant: (v: string) => string; date: (v: string) => string } {
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  const instantFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    instant: (v) => instantFmt.format(new Date(v)),
    date: (v) => dateFmt.format(new Date(`${v}T00:00:00Z`)),
  };
}
