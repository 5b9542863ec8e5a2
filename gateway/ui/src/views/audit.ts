import { api } from '../api';
import type { ViewContext } from '../context';
import { dl, h, replaceChildren } from '../dom';
import type { MessageKey } from '../logic/i18n';
import { parseVerifyForm, summarise, type AuditFindingBody, type AuditReport, type VerifyFormError, type VerifyFormInput } from '../logic/audit';

interface AccessLogPage {
  readonly items: readonly { seq: number; at: string; userId: string; role: string; caseId: string; resource: string; fields: readonly string[] }[];
  readonly cursor?: string;
  readonly chainIntact: boolean;
}

/** One finding: its code and the dictionary text for it (the server's detail stays out: it is English only). */
export function findingItem(ctx: ViewContext, f: AuditFindingBody, notice = false): HTMLLIElement {
  return h(
    'li',
    { 'data-code': f.code },
    notice ? `${ctx.t('audit.notice')}: ` : null,
    h('code', { class: 'code' }, f.code),
    f.txIndex === undefined ? null : ` (${ctx.t('receipt.txIndex')} ${f.txIndex})`,
    `: ${ctx.t.code('auditCode', f.code)}`,
  );
}

function reportView(ctx: ViewContext, report: AuditReport): { element: HTMLElement; summary: string } {
  const sum = summarise(report);
  const params = { total: sum.total, valid: sum.valid, invalid: sum.invalid, errors: sum.errors, first: report.firstBlock ?? '–', last: report.lastBlock ?? '–', channel: report.channelId ?? ctx.t('audit.unknown') };
  const summary = sum.total === 0 && report.valid ? ctx.t('audit.reportEmpty') : ctx.t(report.valid ? 'audit.reportValid' : 'audit.reportInvalid', params);
  const element = h(
    'div',
    { class: 'verify-report' },
    h('p', { class: report.valid ? 'result result--clear' : 'result result--blocked', id: 'verify-summary' }, h('span', { 'aria-hidden': 'true' }, report.valid ? '✓ ' : '⊘ '), summary),
    report.errors.length === 0 ? null : h('div', {}, h('h3', {}, ctx.t('audit.reportErrors')), h('ul', { class: 'findings' }, report.errors.map((f) => findingItem(ctx, f)))),
    h('h3', { id: 'h-verify-checkpoint' }, ctx.t('audit.nextCheckpoint')),
    // As the CLI's --write-checkpoint: a checkpoint is offered only from an audit that verified.
    report.valid && report.nextCheckpoint
      ? h(
          'div',
          { id: 'verify-checkpoint' },
          dl([
            [ctx.t('audit.reportBlock'), report.nextCheckpoint.blockNumber],
            [ctx.t('audit.reportHash'), h('code', { class: 'code hash' }, report.nextCheckpoint.blockHash)],
          ]),
          h('p', { class: 'hint' }, ctx.t('audit.nextCheckpointHint')),
        )
      : h('p', { id: 'verify-checkpoint' }, ctx.t('audit.noCheckpoint')),
    report.blocks.length === 0
      ? null
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table', id: 'verify-blocks' },
            h('caption', {}, ctx.t('audit.reportBlocks')),
            h('thead', {}, h('tr', {}, [ctx.t('audit.reportBlock'), ctx.t('audit.reportVerdict'), ctx.t('audit.reportHash'), ctx.t('audit.reportFindings')].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              report.blocks.map((b) =>
                h(
                  'tr',
                  { 'data-block': String(b.blockNumber), 'data-valid': String(b.valid) },
                  h('th', { scope: 'row' }, String(b.blockNumber)),
                  h('td', { class: b.valid ? 'verdict verdict--valid' : 'verdict verdict--invalid' }, h('span', { 'aria-hidden': 'true' }, b.valid ? '✓ ' : '⊘ '), ctx.t(b.valid ? 'audit.blockValid' : 'audit.blockInvalid')),
                  h('td', {}, h('code', { class: 'code hash' }, b.blockHash)),
                  h('td', {}, b.errors.length + b.notices.length === 0 ? '–' : h('ul', { class: 'findings' }, b.errors.map((f) => findingItem(ctx, f)), b.notices.map((f) => findingItem(ctx, f, true)))),
                ),
              ),
            ),
          ),
        ),
  );
  return { element, summary };
}

const VERIFY_FIELDS: readonly { readonly field: keyof VerifyFormInput; readonly id: string; readonly label: 'audit.verifyFrom' | 'audit.verifyTo' | 'audit.checkpointBlock' | 'audit.checkpointHash' }[] = [
  { field: 'from', id: 'verify-from', label: 'audit.verifyFrom' },
  { field: 'to', id: 'verify-to', label: 'audit.verifyTo' },
  { field: 'checkpointBlock', id: 'checkpoint-block', label: 'audit.checkpointBlock' },
  { field: 'checkpointHash', id: 'checkpoint-hash', label: 'audit.checkpointHash' },
];

const REASON_KEY = {
  errorNumber: 'audit.errorNumber',
  errorRange: 'audit.errorRange',
  errorHash: 'audit.errorHash',
  errorCheckpointPair: 'audit.errorCheckpointPair',
} as const satisfies Record<VerifyFormError['reason'], MessageKey>;

/** The "verify ledger" form: `POST /api/v1/audit/verify`, the report below it, its summary announced. */
function verifySection(ctx: ViewContext): HTMLElement {
  const result = h('div', { id: 'verify-result' });
  const inputs = new Map<keyof VerifyFormInput, HTMLInputElement>();
  const errors = new Map<keyof VerifyFormInput, HTMLElement>();
  const field = (f: (typeof VERIFY_FIELDS)[number]): HTMLElement => {
    const isHash = f.field === 'checkpointHash';
    const hint = f.field.startsWith('checkpoint') ? 'checkpoint-hint ' : '';
    const input = h('input', {
      id: f.id,
      name: f.field,
      type: 'text',
      inputmode: isHash ? undefined : 'numeric',
      autocomplete: 'off',
      spellcheck: 'false',
      class: isHash ? 'input--hash' : 'input--block',
      'aria-describedby': `${hint}${f.id}-error`,
    });
    const error = h('p', { id: `${f.id}-error`, class: 'field-error', hidden: true });
    inputs.set(f.field, input);
    errors.set(f.field, error);
    return h('div', { class: 'form-field' }, h('label', { for: f.id }, ctx.t(f.label)), input, error);
  };
  const submit = h('button', { type: 'submit', class: 'button', id: 'verify-submit' }, ctx.t('audit.verifySubmit'));
  let busy = false;
  const value = (k: keyof VerifyFormInput): string => inputs.get(k)?.value ?? '';
  const form = h(
    'form',
    {
      id: 'verify-form',
      'aria-labelledby': 'h-verify',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        ctx.clearError();
        for (const [k, input] of inputs) {
          input.removeAttribute('aria-invalid');
          const error = errors.get(k);
          if (error) {
            error.hidden = true;
            error.textContent = '';
          }
        }
        const parsed = parseVerifyForm({ from: value('from'), to: value('to'), checkpointBlock: value('checkpointBlock'), checkpointHash: value('checkpointHash') });
        if ('errors' in parsed) {
          for (const err of parsed.errors) {
            inputs.get(err.field)?.setAttribute('aria-invalid', 'true');
            const p = errors.get(err.field);
            if (p) {
              p.textContent = ctx.t(REASON_KEY[err.reason]);
              p.hidden = false;
            }
          }
          inputs.get(parsed.errors[0]!.field)?.focus();
          return;
        }
        // Not `disabled`: that would take keyboard focus away from the button while the audit runs.
        if (busy) return;
        busy = true;
        result.setAttribute('aria-busy', 'true');
        replaceChildren(result, h('p', { class: 'muted' }, ctx.t('audit.verifyRunning')));
        api<AuditReport>('POST', '/api/v1/audit/verify', parsed.request)
          .then((report) => {
            const { element, summary } = reportView(ctx, report);
            replaceChildren(result, element);
            ctx.announce(summary);
          })
          .catch((err: unknown) => {
            replaceChildren(result);
            ctx.showError(err);
          })
          .finally(() => {
            busy = false;
            result.removeAttribute('aria-busy');
          });
      },
    },
    h('div', { class: 'inline-form' }, field(VERIFY_FIELDS[0]!), field(VERIFY_FIELDS[1]!)),
    h(
      'fieldset',
      { class: 'period' },
      h('legend', {}, ctx.t('audit.checkpoint')),
      h('p', { class: 'hint', id: 'checkpoint-hint' }, ctx.t('audit.checkpointHint')),
      h('div', { class: 'inline-form' }, field(VERIFY_FIELDS[2]!), field(VERIFY_FIELDS[3]!)),
    ),
    submit,
  );
  return h('section', { 'aria-labelledby': 'h-verify', class: 'panel', id: 'verify' }, h('h2', { id: 'h-verify' }, ctx.t('audit.verify')), h('p', {}, ctx.t('audit.verifyIntro')), form, result);
}

/** The auditor's page: ledger verification and access-log query; case histories with receipts are opened from the case list. */
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
    ctx.viewer.role === 'auditor' ? verifySection(ctx) : null,
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
