import type { Warning } from '@asl/chaincode/domain';
import { api, ApiError, setUnauthenticatedHandler } from './api';
import { formatters, type SessionInfo, type ViewContext } from './context';
import { h, replaceChildren } from './dom';
import { isLang, translator, type Lang, type MessageKey, type Translator } from './logic/i18n';
import { blockingCodes, canWork } from './logic/model';
import { auditView } from './views/audit';
import { caseScreen, type CaseScreen } from './views/case';
import { dashboardView } from './views/dashboard';
import { casesView } from './views/cases';
import { signInView } from './views/signin';
import { actionsView, warningsView } from './views/work';

/** Where the UI keeps what survives a reload: the language and who signed in. Never a token or an AZR number. */
const LANG_KEY = 'asl.lang';
const SESSION_KEY = 'asl.session';
/** Quiet time after which the event stream's initial backlog is taken as delivered. */

type ViewName = 'signin' | 'cases' | 'case' | 'warnings' | 'actions' | 'dashboard' | 'audit';

interface CaseEventMessage {
  readonly caseId: string;
  readonly event: { readonly type: string; readonly txId: string; readonly actor: { readonly mspId: string; readonly enrollmentId: string } };
  readonly warnings: readonly Warning[];
}

interface WarningMessage {
  readonly caseId: string;
  readonly warning: Warning;
}

/** The page shell: header, navigation, the live regions, one view at a time, and the live event stream. */
export class App {
  #lang: Lang;
  #t: Translator;
  #session: SessionInfo | undefined;
  #view: ViewName = 'signin';
  #caseId: string | undefined;
  #refresh: (() => Promise<void>) | undefined;
  #stream: EventSource | undefined;
  #streamState: 'off' | 'connected' | 'reconnecting' = 'off';
  #notice: string | undefined;
  #rendered = false;
  readonly #agency: string;
  readonly #skip = h('a', { href: '#main', class: 'skip-link' });
  readonly #header = h('header', { class: 'site-header' });
  readonly #banner = h('div', { id: 'banner', role: 'alert', class: 'banner-region' });
  readonly #error = h('div', { id: 'error', role: 'alert', class: 'error-region' });
  readonly #live = h('div', { id: 'live', 'aria-live': 'polite', 'aria-atomic': 'true', class: 'visually-hidden' });
  readonly #main = h('main', { id: 'main', tabindex: '-1' });

  constructor(
    readonly root: HTMLElement,
    agency: string,
  ) {
    this.#agency = agency;
    const stored = localStorage.getItem(LANG_KEY);
    this.#lang = isLang(stored) ? stored : 'de';
    this.#t = translator(this.#lang);
    this.#session = App.#storedSession();
    setUnauthenticatedHandler(() => this.#signedOut('error.UNAUTHENTICATED'));
  }

  /** Who signed in, if this tab did (expiry is the server's business: a 401 brings the sign-in back). */
  static #storedSession(): SessionInfo | undefined {
    try {
      const raw = sessionStorage.getItem(SESSION_KEY);
      if (raw === null) return undefined;
      const parsed = JSON.parse(raw) as Partial<SessionInfo>;
      if (typeof parsed.userId !== 'string' || typeof parsed.role !== 'string' || typeof parsed.expiresAt !== 'string') return undefined;
      return parsed as SessionInfo;
    } catch {
      return undefined;
    }
  }

  /** Builds the page and shows the first view. */
  start(): void {
    const skip = this.#skip;
    skip.addEventListener('click', (e) => {
      e.preventDefault();
      this.#main.focus();
    });
    replaceChildren(this.root, skip, this.#header, this.#banner, this.#error, this.#live, this.#main);
    void this.#go(this.#session ? 'cases' : 'signin');
  }

  #context(): ViewContext {
    const t = this.#t;
    const session = this.#session;
    if (!session) throw new Error('no session');
    const fmt = formatters(this.#lang);
    return {
      t,
      viewer: { agency: this.#agency, role: session.role, userId: session.userId },
      openCase: (caseId) => void this.#go('case', caseId),
      showCases: () => void this.#go('cases'),
      announce: (message) => this.#announce(message),
      showError: (error) => this.#showError(error),
      clearError: () => replaceChildren(this.#error),
      instant: fmt.instant,
      date: fmt.date,
      agency: (mspId) => t.code('agency', mspId),
    };
  }

  #announce(message: string): void {
    // Emptying first makes screen readers repeat an identical message.
    this.#live.textContent = '';
    setTimeout(() => {
      this.#live.textContent = message;
    }, 50);
  }

  #showError(error: unknown): void {
    const code = error instanceof ApiError ? error.code : 'NETWORK';
    const message = code === 'NETWORK' ? this.#t('error.network') : this.#t.code('error', code) === code ? this.#t('error.generic', { code }) : this.#t.code('error', code);
    replaceChildren(this.#error, h('p', { class: 'error' }, h('span', { 'aria-hidden': 'true' }, '✖ '), message));
  }

  #renderHeader(): void {
    const t = this.#t;
    const session = this.#session;
    const navItems: [ViewName, MessageKey][] =
      session === undefined
        ? []
        : session.role === 'auditor'
          ? [['cases', 'nav.cases'], ['dashboard', 'nav.dashboard'], ['audit', 'nav.audit']]
          : [['cases', 'nav.cases'], ['warnings', 'nav.warnings'], ['actions', 'nav.actions'], ['dashboard', 'nav.dashboard']];
    const current = this.#view === 'case' ? 'cases' : this.#view;
    this.#skip.textContent = t('app.skip');
    replaceChildren(
      this.#header,
      h(
        'div',
        { class: 'site-header__top' },
        h('p', { class: 'site-title' }, t('app.title')),
        h('p', { class: 'site-agency' }, t('app.agency', { agency: t.code('agency', this.#agency) })),
        session ? h('p', { class: 'site-user' }, t('app.signedInAs', { userId: session.userId, role: t.code('role', session.role) })) : null,
        this.#streamState === 'off' ? null : h('p', { class: 'live-state', id: 'live-state' }, h('span', { 'aria-hidden': 'true' }, this.#streamState === 'connected' ? '● ' : '○ '), t(this.#streamState === 'connected' ? 'live.connected' : 'live.disconnected')),
        h(
          'button',
          { type: 'button', class: 'button button--secondary', id: 'lang-switch', lang: this.#lang === 'de' ? 'en' : 'de', 'aria-label': t('app.switchLanguageLabel'), onclick: () => this.#setLang(this.#lang === 'de' ? 'en' : 'de') },
          t('app.switchLanguage'),
        ),
      ),
      session
        ? h(
            'nav',
            { 'aria-label': t('app.nav'), class: 'site-nav' },
            h(
              'ul',
              {},
              navItems.map(([view, key]) =>
                h('li', {}, h('button', { type: 'button', class: 'nav-button', 'data-view': view, 'aria-current': current === view ? 'page' : undefined, onclick: () => void this.#go(view) }, t(key))),
              ),
              h('li', { class: 'site-nav__signout' }, h('button', { type: 'button', class: 'nav-button', id: 'sign-out', onclick: () => void this.#signOut() }, t('nav.signOut'))),
            ),
          )
        : null,
    );
  }

  #setLang(lang: Lang): void {
    this.#lang = lang;
    this.#t = translator(lang);
    localStorage.setItem(LANG_KEY, lang);
    void this.#go(this.#view, this.#caseId, { keepFocus: 'lang-switch' });
  }

  async #go(view: ViewName, caseId?: string, options: { keepFocus?: string } = {}): Promise<void> {
    const t = this.#t;
    document.documentElement.lang = this.#lang;
    replaceChildren(this.#error);
    if (!this.#session && view !== 'signin') view = 'signin';
    this.#view = view;
    this.#caseId = view === 'case' ? caseId : undefined;
    this.#refresh = undefined;
    this.#renderHeader();
    this.#main.setAttribute('aria-busy', 'true');
    let content: HTMLElement;
    let titleKey: MessageKey;
    try {
      if (view === 'signin' || !this.#session) {
        content = signInView(t, { ...(this.#notice === undefined ? {} : { notice: this.#notice }), onSignedIn: (s) => this.#signedIn(s) });
        this.#notice = undefined;
        titleKey = 'signin.heading';
      } else {
        const ctx = this.#context();
        switch (view) {
          case 'cases':
            content = await casesView(ctx);
            titleKey = 'cases.heading';
            break;
          case 'case': {
            const screen: CaseScreen = await caseScreen(ctx, caseId ?? '');
            content = screen.element;
            this.#refresh = () => screen.refresh();
            titleKey = 'timeline.heading';
            break;
          }
          case 'warnings': {
            const w = await warningsView(ctx);
            content = w.element;
            this.#refresh = w.refresh;
            titleKey = 'warnings.heading';
            break;
          }
          case 'actions': {
            const a = await actionsView(ctx);
            content = a.element;
            this.#refresh = a.refresh;
            titleKey = 'actions.heading';
            break;
          }
          case 'dashboard': {
            const d = await dashboardView(ctx);
            content = d.element;
            titleKey = 'dashboard.heading';
            break;
          }
          case 'audit':
            content = auditView(ctx);
            titleKey = 'audit.heading';
            break;
        }
      }
    } catch (error) {
      this.#main.removeAttribute('aria-busy');
      if (error instanceof ApiError && error.status === 401) return;
      this.#showError(error);
      return;
    }
    if (this.#view !== view) return;
    document.title = `${t(titleKey)} – ${t('app.title')}`;
    replaceChildren(this.#main, content);
    this.#main.removeAttribute('aria-busy');
    // On the first view the page keeps the browser's start position (so Tab reaches the skip link first);
    // after that, focus goes to the new view's heading so screen readers announce where the user is.
    if (this.#rendered) {
      const focusTarget = options.keepFocus === undefined ? document.getElementById('view-heading') : document.getElementById(options.keepFocus);
      focusTarget?.focus();
    }
    this.#rendered = true;
  }

  #signedIn(session: SessionInfo): void {
    if (session.role !== 'caseworker' && session.role !== 'auditor') {
      void api('DELETE', '/api/v1/session').catch(() => undefined);
      this.#notice = this.#t('signin.roleNotSupported');
      void this.#go('signin');
      return;
    }
    this.#session = session;
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    this.#openStream();
    void this.#go('cases');
  }

  async #signOut(): Promise<void> {
    try {
      await api('DELETE', '/api/v1/session');
    } catch (error) {
      this.#showError(error);
    }
    this.#signedOut('signin.signedOut');
  }

  #signedOut(notice: MessageKey): void {
    this.#stream?.close();
    this.#stream = undefined;
    this.#streamState = 'off';
    this.#session = undefined;
    sessionStorage.removeItem(SESSION_KEY);
    replaceChildren(this.#banner);
    this.#notice = this.#t(notice);
    void this.#go('signin');
  }

  /** Opens the gateway's event stream (caseworkers); EventSource reconnects with Last-Event-ID by itself. */
  openStreamIfSignedIn(): void {
    if (this.#session) this.#openStream();
  }

  /**
   * The stream starts at the gateway's head (`?from=head`): no history is sent, so every message is news.
   * The gateway's first message is an id-only line naming the head, and EventSource sends the last id it saw as
   * Last-Event-ID when it reconnects (which the gateway prefers to `from=head`), so a reconnect resumes without
   * a gap.
   */
  #openStream(): void {
    if (!this.#session || !canWork(this.#session.role) || this.#stream) return;
    const stream = new EventSource('/api/v1/events/stream?from=head');
    this.#stream = stream;
    stream.addEventListener('open', () => {
      if (this.#stream === stream) this.#setStreamState('connected');
    });
    stream.addEventListener('error', () => this.#setStreamState('reconnecting'));
    stream.addEventListener('case-event', (e) => this.#onCaseEvent(JSON.parse((e as MessageEvent<string>).data) as CaseEventMessage));
    stream.addEventListener('warning', (e) => this.#onWarning(JSON.parse((e as MessageEvent<string>).data) as WarningMessage));
  }

  #setStreamState(state: 'connected' | 'reconnecting'): void {
    if (this.#streamState === state) return;
    this.#streamState = state;
    const indicator = document.getElementById('live-state');
    if (indicator) replaceChildren(indicator, h('span', { 'aria-hidden': 'true' }, state === 'connected' ? '● ' : '○ '), this.#t(state === 'connected' ? 'live.connected' : 'live.disconnected'));
    else this.#renderHeader();
  }

  #onCaseEvent(message: CaseEventMessage): void {
    const t = this.#t;
    const opened = message.warnings.filter((w) => w.severity === 'BLOCKING' && w.anchors.includes(message.event.txId));
    if (opened.length > 0) {
      this.#showBanner(message.caseId, t('live.conflict', { caseId: message.caseId, codes: blockingCodes(opened).map((c) => t.code('warning', c)).join(', ') }));
    }
    // Own writes are confirmed by the view that made them; announcing them again would drown that message.
    const own = message.event.actor.mspId === this.#agency && message.event.actor.enrollmentId === this.#session?.userId;
    if (!own && this.#view === 'case' && this.#caseId === message.caseId) {
      this.#announce(t('live.newEvent', { agency: t.code('agency', message.event.actor.mspId), type: t.code('event', message.event.type) }));
    }
    this.#refreshCurrent(message.caseId);
  }

  #onWarning(message: WarningMessage): void {
    if (message.warning.severity === 'BLOCKING') {
      this.#showBanner(message.caseId, this.#t('live.blocking', { caseId: message.caseId, code: this.#t.code('warning', message.warning.code) }));
    }
    this.#refreshCurrent(message.caseId);
  }

  /**
   * Re-reads the current view after a live message about `caseId`. An open case only for its own messages: the
   * stream carries every case of the channel, and each re-read of a case reads its identifying details again,
   * which the gateway logs as an access (on the live network an open case was re-read for every write anyone
   * made). The warnings and actions lists span every case, so any message may change them.
   */
  #refreshCurrent(caseId: string): void {
    if (this.#view === 'case' && this.#caseId !== caseId) return;
    const refresh = this.#refresh;
    if (refresh) refresh().catch((error: unknown) => this.#showError(error));
  }

  #showBanner(caseId: string, text: string): void {
    const t = this.#t;
    replaceChildren(
      this.#banner,
      h(
        'div',
        { class: 'banner' },
        h('p', { class: 'banner__text' }, h('span', { 'aria-hidden': 'true' }, '⊘ '), text),
        h('button', { type: 'button', class: 'button', onclick: () => void this.#go('case', caseId) }, t('cases.openCase', { caseId })),
        h('button', { type: 'button', class: 'button button--secondary', onclick: () => replaceChildren(this.#banner) }, t('live.dismiss')),
      ),
    );
  }
}
