import { api } from '../api';
import type { ViewContext } from '../context';
import { h, replaceChildren } from '../dom';

interface AccessLogPage {
  readonly items: readonly { seq: number; at: string; userId: string; role: string; caseId: string; resource: string; fields: readonly string[] }[];
  readonly cursor?: string;
  readonly chainIntact: boolean;
}

/** The auditor's page: access-log query; case histories with receipts are opened from the case list. */
export function auditView(ctx: ViewContext): HTMLElement {
  const result = h('div', { 'aria-live': 'polite', id: 'access-log-result' });
  const input = h('input', { id: 'access-case', name: 'caseId', type: 'text', autocomplete: 'off', spellcheck: 'false', pattern: 'c[a-z2-7]{31}' });
  const query = async (): Promise<void> => {
    const caseId = input.value.trim();
    const page = await api<AccessLogPage>('GET', `/api/v1/audit/access-log?limit=100${caseId === '' ? '' : `&caseId=${encodeURIComponent(caseId)}`}`);
    replaceChildren(
      result,
      h('p', { class: page.chainIntact ? 'result result--clear' : 'result result--blocked' }, page.chainIntact ? ctx.t('audit.chainIntact') : ctx.t('audit.chainBroken')),
      page.items.length === 0
        ? h('p', {}, ctx.t('audit.accessLogEmpty'))
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table' },
              h('thead', {}, h('tr', {}, [ctx.t('audit.at'), ctx.t('audit.user'), ctx.t('audit.role'), ctx.t('audit.case'), ctx.t('audit.resource'), ctx.t('audit.fields')].map((c) => h('th', { scope: 'col' }, c)))),
              h(
                'tbody',
                {},
                page.items.map((r) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, ctx.instant(r.at)),
                    h('td', {}, r.userId),
                    h('td', {}, ctx.t.code('role', r.role)),
                    h('td', {}, h('code', { class: 'code' }, r.caseId)),
                    h('td', {}, ctx.t.code('resource', r.resource)),
                    h('td', {}, r.fields.join(', ')),
                  ),
                ),
              ),
            ),
          ),
    );
  };
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1', id: 'view-heading' }, ctx.t('audit.heading')),
    h('p', {}, ctx.t('audit.intro')),
    h('p', { class: 'notice' }, ctx.t('audit.verifyUnavailable')),
    h(
      'section',
      { 'aria-labelledby': 'h-access-log', class: 'panel' },
      h('h2', { id: 'h-access-log' }, ctx.t('audit.accessLog')),
      h(
        'form',
        {
          class: 'inline-form',
          onsubmit: (e: Event) => {
            e.preventDefault();
            ctx.clearError();
            query().catch((err: unknown) => ctx.showError(err));
          },
        },
        h('label', { for: 'access-case' }, ctx.t('audit.accessLogCase')),
        input,
        h('button', { type: 'submit', class: 'button' }, ctx.t('audit.accessLogQuery')),
      ),
      result,
    ),
  );
}
