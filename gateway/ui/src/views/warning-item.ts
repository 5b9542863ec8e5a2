import type { Warning } from '@asl/chaincode/domain';
import { api } from '../api';
import type { ViewContext } from '../context';
import { h } from '../dom';
import { canAcknowledge, occurredNow, uiMessageId } from '../logic/model';

/** The severity label: text and a shape, so BLOCKING never depends on colour. */
export function severityBadge(ctx: ViewContext, severity: Warning['severity']): HTMLElement {
  return h(
    'span',
    { class: `severity severity--${severity.toLowerCase()}` },
    h('span', { class: 'severity__icon', 'aria-hidden': 'true' }, severity === 'BLOCKING' ? '⊘' : '⚠'),
    ' ',
    ctx.t.code('severity', severity),
  );
}

/** Records `WARNING_ACKNOWLEDGED` for this agency (domain.md §3) on the warning's case. */
export async function acknowledge(warning: Warning): Promise<void> {
  const anchorTxId = warning.anchors[0];
  if (anchorTxId === undefined) return;
  await api('POST', `/api/v1/cases/${encodeURIComponent(warning.caseId)}/events`, {
    type: 'WARNING_ACKNOWLEDGED',
    occurredAt: occurredNow(new Date()),
    sourceMessageId: uiMessageId(crypto.randomUUID()),
    data: { code: warning.code, anchorTxId },
  });
}

/**
 * One warning: severity, rule, anchoring transactions, who acknowledged it, and the acknowledge button for a
 * caseworker whose agency has not yet. `after` runs once the acknowledgement is recorded.
 */
export function warningItem(ctx: ViewContext, warning: Warning, options: { showCase: boolean; after: () => Promise<void> }): HTMLLIElement {
  const acked = warning.acknowledgedBy.map((m) => ctx.agency(m)).join(', ');
  const button = canAcknowledge(warning, ctx.viewer)
    ? h(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-focus-key': `ack-${warning.id}`,
          'aria-label': ctx.t('warnings.acknowledgeLabel', { code: ctx.t.code('warning', warning.code) }),
          onclick: (e: Event) => {
            const target = e.currentTarget as HTMLButtonElement;
            target.disabled = true;
            ctx.clearError();
            acknowledge(warning)
              .then(async () => {
                ctx.announce(ctx.t('warnings.acknowledgedDone'));
                await options.after();
              })
              .catch((error: unknown) => {
                target.disabled = false;
                ctx.showError(error);
              });
          },
        },
        ctx.t('warnings.acknowledge'),
      )
    : null;
  return h(
    'li',
    { class: `warning warning--${warning.severity.toLowerCase()}`, 'data-warning-code': warning.code },
    h('p', { class: 'warning__title' }, severityBadge(ctx, warning.severity), ' ', h('strong', {}, ctx.t.code('warning', warning.code)), ' ', h('code', { class: 'code' }, warning.code)),
    h(
      'p',
      { class: 'warning__meta' },
      `${ctx.t('warnings.openedAt')}: ${ctx.instant(warning.openedAt)}`,
      warning.clock ? ` · ${ctx.t('warnings.clock')}` : '',
      ` · ${ctx.t('warnings.anchors')}: `,
      warning.anchors.map((a, i) => [i > 0 ? ', ' : '', h('code', { class: 'code' }, a)]),
    ),
    options.showCase
      ? h('p', {}, `${ctx.t('warnings.case')}: `, h('button', { type: 'button', class: 'link-button', 'data-focus-key': `case-${warning.id}`, onclick: () => ctx.openCase(warning.caseId) }, warning.caseId))
      : null,
    acked !== '' ? h('p', { class: 'warning__acked' }, ctx.t('warnings.acknowledged', { agencies: acked })) : null,
    button,
  );
}
