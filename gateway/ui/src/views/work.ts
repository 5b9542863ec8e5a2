import type { Action, Warning } from '@asl/chaincode/domain';
import { api } from '../api';
import type { ViewContext } from '../context';
import { h, swapKeepingFocus } from '../dom';
import { berlinDate, isOverdue, sortActions, sortWarnings } from '../logic/model';
import { agencyBadge } from './case';
import { warningItem } from './warning-item';

/** This agency's open warnings, BLOCKING first; `refresh()` re-reads them (live updates, acknowledgements). */
export async function warningsView(ctx: ViewContext): Promise<{ element: HTMLElement; refresh: () => Promise<void> }> {
  const box = h('div', {});
  const refresh = async (): Promise<void> => {
    const { items } = await api<{ items: Warning[] }>('GET', '/api/v1/warnings');
    const sorted = sortWarnings(items);
    swapKeepingFocus(box, sorted.length === 0 ? h('p', {}, ctx.t('warnings.empty')) : h('ul', { class: 'warning-list' }, sorted.map((w) => warningItem(ctx, w, { showCase: true, after: refresh }))));
  };
  await refresh();
  return { element: h('div', {}, h('h1', { tabindex: '-1', id: 'view-heading' }, ctx.t('warnings.heading')), h('p', {}, ctx.t('warnings.intro')), box), refresh };
}

/** This agency's next actions, overdue first (domain.md §4.1). */
export async function actionsView(ctx: ViewContext): Promise<{ element: HTMLElement; refresh: () => Promise<void> }> {
  const box = h('div', {});
  const refresh = async (): Promise<void> => {
    const { items, evaluatedAt } = await api<{ items: Action[]; evaluatedAt: string }>('GET', '/api/v1/actions');
    const today = berlinDate(evaluatedAt);
    const sorted = sortActions(items);
    swapKeepingFocus(
      box,
      sorted.length === 0
        ? h('p', {}, ctx.t('actions.empty'))
        : h(
            'table',
            { class: 'table' },
            h('thead', {}, h('tr', {}, [ctx.t('actions.action'), ctx.t('actions.due'), ctx.t('actions.case')].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              sorted.map((a, i) =>
                h(
                  'tr',
                  { class: isOverdue(a, today) ? 'overdue' : undefined, 'data-action': a.code },
                  h('td', {}, agencyBadge(ctx, a.agency), ' ', ctx.t.code('action', a.code)),
                  h('td', {}, a.due === undefined ? ctx.t('actions.noDue') : ctx.date(a.due), isOverdue(a, today) ? [' ', h('strong', { class: 'overdue-label' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), ctx.t('actions.overdue'))] : null),
                  h('td', {}, h('button', { type: 'button', class: 'link-button', 'data-focus-key': `action-${i}-${a.caseId}`, onclick: () => ctx.openCase(a.caseId) }, a.caseId)),
                ),
              ),
            ),
          ),
    );
  };
  await refresh();
  return {
    element: h('div', {}, h('h1', { tabindex: '-1', id: 'view-heading' }, ctx.t('actions.heading')), h('p', {}, ctx.t('actions.intro', { agency: ctx.agency(ctx.viewer.agency) })), box),
    refresh,
  };
}
