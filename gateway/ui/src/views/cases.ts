import type { Action, Warning } from '@asl/chaincode/domain';
import { api, ApiError } from '../api';
import type { ViewContext } from '../context';
import { h, replaceChildren } from '../dom';
import { plausibleAzr } from '../logic/model';

interface CaseSummary {
  readonly caseId: string;
  readonly phase: string;
  readonly openWarnings: readonly Warning['code'][];
  readonly actions: readonly Action['code'][];
  readonly lastEvent: { readonly type: string; readonly recordedAt: string } | null;
}

interface CaseList {
  readonly items: readonly CaseSummary[];
  readonly cursor?: string;
}

/**
 * The AZR search. The number travels only in the body of `POST /api/v1/case-ids`; the field is cleared as
 * soon as the answer comes, and the number is never put into the URL, history state or browser storage.
 */
function searchForm(ctx: ViewContext): HTMLElement {
  const error = h('p', { id: 'azr-error', class: 'field-error', hidden: true });
  const input = h('input', { id: 'azr', name: 'azr', type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'azr-hint' });
  const fail = (message: string): void => {
    error.textContent = message;
    error.hidden = false;
    error.setAttribute('role', 'alert');
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'azr-hint azr-error');
    input.focus();
  };
  const form = h(
    'form',
    {
      class: 'search-form',
      role: 'search',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const azrNumber = input.value;
        if (!plausibleAzr(azrNumber)) {
          fail(ctx.t('search.invalid'));
          return;
        }
        ctx.clearError();
        api<{ caseId: string; exists: boolean }>('POST', '/api/v1/case-ids', { azrNumber })
          .then((r) => {
            input.value = '';
            if (!r.exists) fail(ctx.t('search.notFound'));
            else ctx.openCase(r.caseId);
          })
          .catch((err: unknown) => (err instanceof ApiError && err.code === 'INVALID_INPUT' ? fail(ctx.t('search.invalid')) : ctx.showError(err)));
      },
    },
    h('label', { for: 'azr' }, ctx.t('search.azr')),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'button' }, ctx.t('search.submit'))),
    h('p', { id: 'azr-hint', class: 'hint' }, ctx.t('search.azrHint')),
    error,
  );
  return h('section', { 'aria-labelledby': 'h-search', class: 'panel' }, h('h2', { id: 'h-search' }, ctx.t('search.heading')), form);
}

function caseRows(ctx: ViewContext, items: readonly CaseSummary[]): HTMLTableRowElement[] {
  return items.map((c) =>
    h(
      'tr',
      { 'data-case-id': c.caseId },
      h('td', {}, h('button', { type: 'button', class: 'link-button', 'aria-label': ctx.t('cases.openCase', { caseId: c.caseId }), onclick: () => ctx.openCase(c.caseId) }, h('code', { class: 'code' }, c.caseId))),
      h('td', {}, ctx.t.code('phase', c.phase)),
      h('td', {}, c.openWarnings.length === 0 ? '—' : c.openWarnings.map((w) => ctx.t.code('warning', w)).join('; ')),
      h('td', {}, c.actions.length === 0 ? '—' : c.actions.map((a) => ctx.t.code('action', a)).join('; ')),
      h('td', {}, c.lastEvent === null ? '—' : `${ctx.t.code('event', c.lastEvent.type)}, ${ctx.instant(c.lastEvent.recordedAt)}`),
    ),
  );
}

/** Case search (caseworkers) and the case list (caseworkers and auditors). */
export async function casesView(ctx: ViewContext): Promise<HTMLElement> {
  const body = h('tbody', {});
  const more = h('p', {});
  const load = async (cursor?: string): Promise<void> => {
    const page = await api<CaseList>('GET', `/api/v1/cases?limit=50${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    body.append(...caseRows(ctx, page.items));
    replaceChildren(
      more,
      page.cursor === undefined
        ? null
        : h('button', { type: 'button', class: 'button button--secondary', onclick: () => void load(page.cursor).catch((e: unknown) => ctx.showError(e)) }, ctx.t('cases.more')),
    );
    if (body.children.length === 0) body.append(h('tr', {}, h('td', { colspan: '5' }, ctx.t('cases.empty'))));
  };
  await load();
  return h(
    'div',
    {},
    h('h1', { tabindex: '-1', id: 'view-heading' }, ctx.t('cases.heading')),
    ctx.viewer.role === 'caseworker' ? searchForm(ctx) : null,
    h(
      'section',
      { 'aria-labelledby': 'h-case-list', class: 'panel' },
      h('h2', { id: 'h-case-list' }, ctx.t('cases.heading')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table' },
          h('thead', {}, h('tr', {}, [ctx.t('cases.caseId'), ctx.t('cases.phase'), ctx.t('cases.warnings'), ctx.t('cases.actions'), ctx.t('cases.lastEvent')].map((c) => h('th', { scope: 'col' }, c)))),
          body,
        ),
      ),
      more,
    ),
  );
}
