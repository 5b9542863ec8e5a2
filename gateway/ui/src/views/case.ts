import type { ValueListAnswer, Warning } from '@asl/chaincode/domain';
import { agencyKeyOf, inCollection } from '../../../../chaincode/src/domain/org-facts';
import { api, ApiError } from '../api';
import type { ViewContext } from '../context';
import { dl, h, replaceChildren, swapKeepingFocus } from '../dom';
import { compareReceipt, type DerivedReceipt } from '../logic/audit';
import { codesOf } from '../logic/i18n';
import {
  canRetract,
  canSeeDetails,
  deadlines,
  mergeTimeline,
  berlinDate,
  occurredNow,
  reasonOptions,
  retractionReasons,
  sortActions,
  sortWarnings,
  uiMessageId,
  type CaseViewResponse,
  type TimelineItem,
} from '../logic/model';
import { findingItem } from './audit';
import { severityBadge, warningItem } from './warning-item';

interface TimelinePage {
  readonly items: TimelineItem[];
  readonly cursor?: string;
}

type DetailsRecord =
  | { readonly agency: string; readonly state: 'present'; readonly record: { readonly details: Readonly<Record<string, unknown>>; readonly recordedAt: string } }
  | { readonly agency: string; readonly state: 'erased' };

interface DetailsResponse {
  readonly records: readonly DetailsRecord[];
}

interface ReturnCheckResponse {
  readonly caseId: string;
  readonly kind: string;
  readonly evaluatedAt: string;
  readonly blocked: boolean;
  readonly warnings: readonly Warning[];
}

/** An open case: header, details (caseworkers), timeline; `refresh()` re-reads it after a live event. */
export interface CaseScreen {
  readonly caseId: string;
  readonly element: HTMLElement;
  refresh(): Promise<void>;
}


/** Reads every timeline page (the route pages by 100 at most). */
async function fullTimeline(caseId: string): Promise<TimelineItem[]> {
  let items: TimelineItem[] = [];
  let cursor: string | undefined;
  do {
    const page: TimelinePage = await api<TimelinePage>('GET', `/api/v1/cases/${encodeURIComponent(caseId)}/timeline?limit=100${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    items = mergeTimeline(items, page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}

/** The agency label: an icon of its own shape and the agency's name in text. */
export function agencyBadge(ctx: ViewContext, mspId: string): HTMLElement {
  const cls = agencyKeyOf(mspId) ?? 'other';
  return h('span', { class: `agency-badge agency-badge--${cls}` }, h('span', { class: 'agency-badge__shape', 'aria-hidden': 'true' }), ctx.agency(mspId));
}

function dataValue(ctx: ViewContext, key: string, value: unknown): string {
  if (typeof value === 'boolean') return ctx.t.code('value', String(value));
  if (typeof value === 'string') {
    if (key === 'outcome') return ctx.t.code('outcome', value);
    if (key === 'kind') return ctx.t.code('kind', value);
    if (key === 'code') return ctx.t.code('warning', value);
    if (key === 'retractionReason') return ctx.t.code('reason', value);
    if (/On$|Until$/.test(key) && /^\d{4}-\d{2}-\d{2}$/.test(value)) return ctx.date(value);
    return value;
  }
  if (Array.isArray(value)) return String(value.length);
  return JSON.stringify(value);
}

/**
 * Auditors: re-derive the receipt from this gateway's blocks (`GET /api/v1/audit/receipts/{txId}`) and say,
 * politely, whether it matches the receipt the timeline shows.
 */
function rederiveControl(ctx: ViewContext, receipt: TimelineItem['receipt']): HTMLElement {
  const out = h('div', { class: 'rederive-result', 'aria-live': 'polite', id: `rederive-${receipt.txId}` });
  let busy = false;
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button--secondary',
      'data-focus-key': `rederive-${receipt.txId}`,
      onclick: () => {
        // Not `disabled`: that would take keyboard focus away from the button while the check runs.
        if (busy) return;
        busy = true;
        ctx.clearError();
        replaceChildren(out, h('p', { class: 'muted' }, ctx.t('audit.rederiveRunning')));
        api<DerivedReceipt>('GET', `/api/v1/audit/receipts/${encodeURIComponent(receipt.txId)}`)
          .then((derived) => {
            const diffs = compareReceipt(receipt, derived).filter((d) => d.field !== 'verified');
            const matches = diffs.length === 0 && derived.verified;
            replaceChildren(
              out,
              h(
                'p',
                { class: matches ? 'result result--clear' : 'result result--blocked', 'data-match': String(matches) },
                h('span', { 'aria-hidden': 'true' }, matches ? '✓ ' : '⊘ '),
                matches
                  ? ctx.t('audit.rederiveMatch')
                  : ctx.t('audit.rederiveMismatch', {
                      fields: diffs.length === 0 ? ctx.t('audit.field.verified') : diffs.map((d) => ctx.t('audit.derivedValue', { field: ctx.t.code('audit.field', d.field), timeline: d.timeline, ledger: d.ledger })).join('; '),
                    }),
              ),
              derived.findings.length === 0 ? null : h('div', {}, h('p', {}, ctx.t('audit.rederiveUnverified')), h('ul', { class: 'findings' }, derived.findings.map((f) => findingItem(ctx, f)))),
            );
          })
          .catch((err: unknown) => {
            if (err instanceof ApiError && err.status === 404) {
              replaceChildren(out, h('p', { class: 'result result--blocked', 'data-match': 'false' }, h('span', { 'aria-hidden': 'true' }, '⊘ '), ctx.t('audit.rederiveNotFound', { txId: receipt.txId })));
              return;
            }
            replaceChildren(out);
            ctx.showError(err);
          })
          .finally(() => {
            busy = false;
          });
      },
    },
    ctx.t('audit.rederive'),
  );
  return h('div', { class: 'rederive' }, button, out);
}

function timelineEntry(ctx: ViewContext, item: TimelineItem, position: number, reasons: Map<string, string>, onRetract: (item: TimelineItem, form: HTMLElement) => void): HTMLLIElement {
  const { event, actor, receipt } = item;
  const cls = agencyKeyOf(actor.mspId) ?? 'other';
  const typeLabel = ctx.t.code('event', event.type);
  const reason = reasons.get(receipt.txId);
  const title = item.retracted ? h('del', {}, typeLabel) : typeLabel;
  const dataEntries = Object.entries(event.data);
  const retractSlot = h('div', { class: 'entry__retract' });
  const entry = h(
    'li',
    { class: `entry entry--${cls}${item.retracted ? ' entry--retracted' : ''}`, 'data-tx-id': receipt.txId, 'data-agency': actor.mspId, 'data-type': event.type },
    h(
      'article',
      { 'aria-labelledby': `entry-title-${position}` },
      h('h3', { class: 'entry__title', id: `entry-title-${position}` }, h('span', { class: 'entry__pos' }, `${position}. `), agencyBadge(ctx, actor.mspId), ' ', title),
      item.retracted
        ? h('p', { class: 'entry__retracted' }, h('span', { 'aria-hidden': 'true' }, '↶ '), reason === undefined ? ctx.t('timeline.retracted') : ctx.t('timeline.retractedReason', { reason: `${ctx.t.code('reason', reason)} (${reason})` }))
        : null,
      item.confirmationOf !== undefined ? h('p', { class: 'entry__note' }, ctx.t('timeline.confirmation')) : null,
      dl(
        [
          [ctx.t('timeline.occurredAt'), h('time', { datetime: event.occurredAt }, ctx.instant(event.occurredAt))],
          [ctx.t('timeline.recordedAt'), h('time', { datetime: receipt.recordedAt }, ctx.instant(receipt.recordedAt))],
          [ctx.t('timeline.actor'), `${actor.enrollmentId} (${ctx.t.code('role', actor.role)}, ${ctx.agency(actor.mspId)})`],
          [ctx.t('timeline.ruleVersion'), receipt.ruleVersion],
          ...(dataEntries.length > 0
            ? ([[ctx.t('timeline.data'), h('ul', { class: 'entry__data' }, dataEntries.map(([k, v]) => h('li', {}, `${ctx.t.code('field', k)}: `, dataValue(ctx, k, v))))]] as const)
            : []),
        ],
        'entry__facts',
      ),
      h(
        'details',
        { class: 'receipt' },
        h('summary', { 'data-focus-key': `receipt-${receipt.txId}` }, `${ctx.t('timeline.receipt')}: `, h('code', { class: 'code' }, receipt.txId)),
        dl([
          [ctx.t('timeline.txId'), h('code', { class: 'code' }, receipt.txId)],
          [ctx.t('receipt.blockNumber'), receipt.blockNumber],
          [ctx.t('receipt.txIndex'), String(receipt.txIndex)],
          [ctx.t('receipt.validationCode'), receipt.validationCode],
          [ctx.t('receipt.endorsers'), receipt.endorsers.map((m) => ctx.agency(m)).join(', ')],
          [ctx.t('receipt.writer'), `${receipt.writer.enrollmentId} (${ctx.agency(receipt.writer.mspId)})`],
          [ctx.t('timeline.recordedAt'), ctx.instant(receipt.recordedAt)],
          [ctx.t('timeline.ruleVersion'), receipt.ruleVersion],
        ]),
        ctx.viewer.role === 'auditor' ? rederiveControl(ctx, receipt) : null,
      ),
      canRetract(item, ctx.viewer)
        ? h(
            'button',
            {
              type: 'button',
              class: 'button button--secondary',
              'data-focus-key': `retract-${receipt.txId}`,
              'aria-label': ctx.t('timeline.retractLabel', { type: typeLabel }),
              onclick: () => onRetract(item, retractSlot),
            },
            ctx.t('timeline.retract'),
          )
        : null,
      retractSlot,
    ),
  );
  return entry;
}

function retractForm(ctx: ViewContext, item: TimelineItem, caseId: string, done: () => Promise<void>, cancel: () => void): HTMLFormElement {
  const id = `reason-${item.receipt.txId}`;
  // The reasons are the `reason` list in force on the ledger, not a list built into the UI.
  const select = h('select', { id, name: 'reason', required: true, disabled: true });
  const form = h(
    'form',
    {
      class: 'retract-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const submit = form.querySelector('button[type="submit"]');
        if (submit instanceof HTMLButtonElement) submit.disabled = true;
        ctx.clearError();
        api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/events`, {
          type: 'EVENT_RETRACTED',
          occurredAt: occurredNow(new Date()),
          sourceMessageId: uiMessageId(crypto.randomUUID()),
          data: { retractedTxId: item.receipt.txId, retractionReason: select.value },
        })
          .then(async () => {
            ctx.announce(ctx.t('timeline.retractDone'));
            await done();
          })
          .catch((error: unknown) => {
            if (submit instanceof HTMLButtonElement) submit.disabled = false;
            ctx.showError(error);
          });
      },
    },
    h('label', { for: id }, ctx.t('timeline.retractReason')),
    select,
    h('button', { type: 'submit', class: 'button' }, ctx.t('timeline.retractConfirm')),
    h('button', { type: 'button', class: 'button button--secondary', onclick: cancel }, ctx.t('timeline.retractCancel')),
  );
  const submit = form.querySelector('button[type="submit"]');
  if (submit instanceof HTMLButtonElement) submit.disabled = true;
  api<ValueListAnswer>('GET', '/api/v1/value-lists/reason')
    .then((list) => {
      const translate = (code: string): string | undefined => {
        const label = ctx.t.code('reason', code);
        return label === code ? undefined : label;
      };
      const options = reasonOptions(list, 'retractionReason', berlinDate(new Date().toISOString()), translate);
      replaceChildren(select, ...options.map((o) => h('option', { value: o.code }, o.label)));
      select.disabled = false;
      if (submit instanceof HTMLButtonElement) submit.disabled = options.length === 0;
    })
    .catch((error: unknown) => ctx.showError(error));
  return form;
}

function header(ctx: ViewContext, view: CaseViewResponse, refresh: () => Promise<void>): HTMLElement {
  const flags = Object.entries(view.flags)
    .filter(([, on]) => on)
    .map(([name]) => ctx.t.code('flag', name));
  const running = deadlines(view);
  const warnings = sortWarnings(view.warnings);
  const actions = sortActions(view.actions);
  const daysText = (n: number): string =>
    n > 1 ? ctx.t('case.daysLeft', { n }) : n === 1 ? ctx.t('case.daysLeftOne') : n === 0 ? ctx.t('case.dueToday') : n === -1 ? ctx.t('case.overdueOne') : ctx.t('case.overdue', { n: -n });
  return h(
    'div',
    { class: 'case-header' },
    h(
      'section',
      { 'aria-labelledby': 'h-warnings', class: 'panel panel--warnings' },
      h('h2', { id: 'h-warnings' }, ctx.t('case.warnings')),
      warnings.length === 0 ? h('p', {}, ctx.t('case.warningsNone')) : h('ul', { class: 'warning-list' }, warnings.map((w) => warningItem(ctx, w, { showCase: false, after: refresh }))),
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-summary', class: 'panel' },
      h('h2', { id: 'h-summary' }, ctx.t('case.summary')),
      dl([
        [ctx.t('case.phase'), h('span', { 'data-phase': view.phase }, ctx.t.code('phase', view.phase))],
        [ctx.t('case.outcome'), view.outcome === null ? ctx.t('case.outcomeNone') : ctx.t.code('outcome', view.outcome)],
        [ctx.t('case.flags'), flags.length === 0 ? ctx.t('case.flagsNone') : h('ul', { class: 'flags' }, flags.map((f) => h('li', {}, f)))],
        [ctx.t('case.responsible'), view.responsibleAuthority === null ? '—' : ctx.agency(view.responsibleAuthority)],
      ]),
      h('p', { class: 'muted' }, ctx.t('case.evaluatedAt', { at: ctx.instant(view.evaluatedAt) })),
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-deadlines', class: 'panel' },
      h('h2', { id: 'h-deadlines' }, ctx.t('case.deadlines')),
      running.length === 0
        ? h('p', {}, ctx.t('case.deadlinesNone'))
        : h(
            'ul',
            { class: 'deadlines' },
            running.map((d) =>
              h('li', { class: `deadline${d.daysLeft < 0 ? ' deadline--passed' : ''}`, 'data-deadline': d.key }, h('strong', {}, ctx.t.code('date', d.key)), `: ${ctx.date(d.date)} – `, h('span', { class: 'deadline__days' }, daysText(d.daysLeft))),
            ),
          ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-actions', class: 'panel' },
      h('h2', { id: 'h-actions' }, ctx.t('case.actions')),
      actions.length === 0
        ? h('p', {}, ctx.t('case.actionsNone'))
        : h(
            'ul',
            { class: 'actions' },
            actions.map((a) => h('li', { 'data-action': a.code }, agencyBadge(ctx, a.agency), ' ', ctx.t.code('action', a.code), a.due === undefined ? '' : ` – ${ctx.t('actions.due')}: ${ctx.date(a.due)}`)),
          ),
    ),
  );
}

function detailsSection(ctx: ViewContext, details: DetailsResponse): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'h-details', class: 'panel', id: 'case-details' },
    h('h2', { id: 'h-details' }, ctx.t('case.details')),
    details.records.length === 0
      ? h('p', {}, ctx.t('case.detailsNone'))
      : details.records.map((r) =>
          h(
            'div',
            { class: 'details-record', 'data-agency': r.agency },
            h('h3', {}, agencyBadge(ctx, r.agency), ' ', ctx.t('case.detailsFrom', { agency: ctx.agency(r.agency) })),
            r.state === 'erased'
              ? h('p', { class: 'erased' }, h('span', { 'aria-hidden': 'true' }, '∅ '), ctx.t('case.detailsErased'))
              : dl(
                  Object.entries(r.record.details).map(([k, v]) => [
                    ctx.t.code('field', k),
                    Array.isArray(v) ? v.map((f: unknown) => (typeof f === 'object' && f !== null ? Object.values(f).join(' ') : String(f))).join('; ') : String(v),
                  ]),
                ),
          ),
        ),
  );
}

/** The return rules (domain.md §5 `RET_*`): a return check judges each of them. */
const RETURN_RULES = codesOf('warning').filter((c) => c.startsWith('RET_'));

/** The verdict of a return check: the rules that apply (BLOCKING first, with their anchors), then the rest. */
function returnCheckResult(ctx: ViewContext, r: ReturnCheckResponse): HTMLElement {
  const fired = sortWarnings(r.warnings);
  const blocking = fired.filter((w) => w.severity === 'BLOCKING');
  const firedCodes = new Set<string>(fired.map((w) => w.code));
  const others = RETURN_RULES.filter((c) => !firedCodes.has(c));
  return h(
    'div',
    { class: 'return-check__verdict', 'data-kind': r.kind, 'data-blocked': String(r.blocked) },
    h(
      'p',
      { class: r.blocked ? 'result result--blocked' : 'result result--clear' },
      h('span', { 'aria-hidden': 'true' }, r.blocked ? '⊘ ' : '✓ '),
      r.blocked ? ctx.t('case.returnCheckBlocked', { n: blocking.length }) : ctx.t('case.returnCheckClear'),
    ),
    h('p', { class: 'muted' }, ctx.t('case.returnCheckFor', { kind: ctx.t.code('kind', r.kind), at: ctx.instant(r.evaluatedAt) }), ' ', h('time', { datetime: r.evaluatedAt, class: 'visually-hidden' }, r.evaluatedAt)),
    fired.length === 0
      ? null
      : [
          h('h3', {}, ctx.t('case.returnCheckApplies')),
          h(
            'ul',
            { class: 'warning-list return-check__rules' },
            fired.map((w) =>
              h(
                'li',
                { class: `warning warning--${w.severity.toLowerCase()}`, 'data-rule': w.code, 'data-severity': w.severity },
                h('p', { class: 'warning__title' }, severityBadge(ctx, w.severity), ' ', h('strong', {}, ctx.t.code('warning', w.code)), ' ', h('code', { class: 'code' }, w.code)),
                h(
                  'p',
                  { class: 'warning__meta' },
                  `${ctx.t('warnings.anchors')}: `,
                  w.anchors.map((a, i) => [i > 0 ? ', ' : '', a === 'planned' ? ctx.t('case.returnCheckPlanned') : h('code', { class: 'code' }, a)]),
                  w.clock ? ` · ${ctx.t('warnings.clock')}` : '',
                ),
              ),
            ),
          ),
        ],
    others.length === 0
      ? null
      : [
          h('h3', {}, ctx.t('case.returnCheckNotApplies')),
          h(
            'ul',
            { class: 'return-check__clear' },
            others.map((c) => h('li', { 'data-rule': c, 'data-severity': 'NONE' }, h('span', { 'aria-hidden': 'true' }, '✓ '), ctx.t.code('warning', c), ' ', h('code', { class: 'code' }, c))),
          ),
        ],
  );
}

/** ZAB caseworkers: judge a planned return now (writes nothing); the verdict is announced politely. */
function returnCheckSection(ctx: ViewContext, caseId: string): HTMLElement {
  const result = h('div', { 'aria-live': 'polite', id: 'return-check-result', class: 'return-check__result' });
  const select = h('select', { id: 'return-kind', name: 'kind', 'aria-describedby': 'return-check-hint' }, ['DEPORTATION', 'DUBLIN_TRANSFER'].map((k) => h('option', { value: k }, ctx.t.code('kind', k))));
  const form = h(
    'form',
    {
      class: 'inline-form',
      'aria-labelledby': 'h-return-check',
      onsubmit: (e: Event) => {
        e.preventDefault();
        ctx.clearError();
        const submit = form.querySelector('button[type="submit"]');
        if (submit instanceof HTMLButtonElement) submit.disabled = true;
        result.setAttribute('aria-busy', 'true');
        api<ReturnCheckResponse>('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/return-check`, { kind: select.value })
          .then((r) => replaceChildren(result, returnCheckResult(ctx, r)))
          .catch((error: unknown) => ctx.showError(error))
          .finally(() => {
            result.removeAttribute('aria-busy');
            if (submit instanceof HTMLButtonElement) submit.disabled = false;
          });
      },
    },
    h('label', { for: 'return-kind' }, ctx.t('case.returnCheckKind')),
    select,
    h('button', { type: 'submit', class: 'button', id: 'return-check-run' }, ctx.t('case.returnCheckRun')),
  );
  return h(
    'section',
    { 'aria-labelledby': 'h-return-check', class: 'panel return-check', id: 'return-check' },
    h('h2', { id: 'h-return-check' }, ctx.t('case.returnCheck')),
    h('p', { class: 'hint', id: 'return-check-hint' }, ctx.t('case.returnCheckHint')),
    form,
    result,
  );
}

function exportButton(ctx: ViewContext, caseId: string): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'button button--secondary',
      onclick: () => {
        api<unknown>('GET', `/api/v1/cases/${encodeURIComponent(caseId)}/export`)
          .then((body) => {
            const url = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }));
            const a = h('a', { href: url, download: `${caseId}.json`, hidden: true });
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 10_000);
          })
          .catch((error: unknown) => ctx.showError(error));
      },
    },
    ctx.t('audit.export'),
  );
}

/** Builds the case screen and loads it. */
export async function caseScreen(ctx: ViewContext, caseId: string): Promise<CaseScreen> {
  const headerBox = h('div', { id: 'case-header-box' });
  const detailsBox = h('div', { id: 'case-details-box' });
  const timelineBox = h('div', { id: 'timeline-box' });
  const countText = h('p', { class: 'muted', id: 'timeline-count' });
  const isZabCaseworker = ctx.viewer.role === 'caseworker' && inCollection('zabEnforcement', ctx.viewer.agency);
  const element = h(
    'div',
    { class: 'case' },
    h('p', {}, h('button', { type: 'button', class: 'link-button', onclick: () => ctx.showCases() }, h('span', { 'aria-hidden': 'true' }, '← '), ctx.t('case.back'))),
    h('h1', { tabindex: '-1', id: 'view-heading' }, ctx.t('case.heading', { caseId })),
    ctx.viewer.role === 'auditor' ? h('p', {}, exportButton(ctx, caseId)) : null,
    headerBox,
    detailsBox,
    isZabCaseworker ? returnCheckSection(ctx, caseId) : null,
    h(
      'section',
      { 'aria-labelledby': 'h-timeline', class: 'timeline-section' },
      h('h2', { id: 'h-timeline' }, ctx.t('timeline.heading')),
      h('p', { class: 'muted' }, ctx.t('timeline.intro')),
      countText,
      timelineBox,
    ),
  );

  let openForm: string | undefined;

  const load = async (): Promise<void> => {
    const started = performance.now();
    const [view, items, details] = await Promise.all([
      api<CaseViewResponse>('GET', `/api/v1/cases/${encodeURIComponent(caseId)}`),
      fullTimeline(caseId),
      canSeeDetails(ctx.viewer.role) ? api<DetailsResponse>('GET', `/api/v1/cases/${encodeURIComponent(caseId)}/details`) : Promise.resolve(undefined),
    ]);
    swapKeepingFocus(headerBox, header(ctx, view, load));
    if (details) swapKeepingFocus(detailsBox, detailsSection(ctx, details));
    const reasons = retractionReasons(items);
    const onRetract = (item: TimelineItem, slot: HTMLElement): void => {
      openForm = item.receipt.txId;
      const form = retractForm(
        ctx,
        item,
        caseId,
        async () => {
          openForm = undefined;
          await load();
        },
        () => {
          openForm = undefined;
          slot.replaceChildren();
          element.querySelector<HTMLElement>(`[data-focus-key="retract-${CSS.escape(item.receipt.txId)}"]`)?.focus();
        },
      );
      slot.replaceChildren(form);
      form.querySelector('select')?.focus();
    };
    const list = h(
      'ol',
      { class: 'timeline', 'aria-describedby': 'timeline-count' },
      items.map((item, i) => timelineEntry(ctx, item, i + 1, reasons, onRetract)),
    );
    if (items.length === 0) swapKeepingFocus(timelineBox, h('p', {}, ctx.t('timeline.empty')));
    else if (openForm === undefined) swapKeepingFocus(timelineBox, list);
    countText.textContent = ctx.t('timeline.count', { n: items.length });
    element.dataset.renderMs = String(Math.round(performance.now() - started));
    element.dataset.entries = String(items.length);
  };

  await load();
  return { caseId, element, refresh: load };
}
