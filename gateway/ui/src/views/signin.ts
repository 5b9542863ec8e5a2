import { api, ApiError } from '../api';
import type { SessionInfo } from '../context';
import { h } from '../dom';
import type { Translator } from '../logic/i18n';

/**
 * The sign-in form. The token goes once to `POST /api/v1/session`, which answers with an httpOnly,
 * SameSite=Strict cookie; the field is cleared at once and the token is kept nowhere in the page.
 */
export function signInView(t: Translator, options: { notice?: string; onSignedIn: (session: SessionInfo) => void }): HTMLElement {
  const error = h('p', { id: 'token-error', class: 'field-error', hidden: true });
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint',
  });
  const form = h(
    'form',
    {
      class: 'signin-form',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const token = input.value.trim();
        input.value = '';
        const submit = form.querySelector('button');
        if (submit) submit.disabled = true;
        api<SessionInfo>('POST', '/api/v1/session', { token }, { quietUnauthenticated: true })
          .then((session) => options.onSignedIn(session))
          .catch((err: unknown) => {
            if (submit) submit.disabled = false;
            error.textContent = err instanceof ApiError && (err.code === 'UNAUTHENTICATED' || err.code === 'INVALID_INPUT') ? t('signin.failed') : t.code('error', err instanceof ApiError ? err.code : 'network');
            error.hidden = false;
            error.setAttribute('role', 'alert');
            input.setAttribute('aria-invalid', 'true');
            input.setAttribute('aria-describedby', 'token-hint token-error');
            input.focus();
          });
      },
    },
    h('label', { for: 'token' }, t('signin.token')),
    input,
    h('p', { id: 'token-hint', class: 'hint' }, t('signin.tokenHint')),
    error,
    h('button', { type: 'submit', class: 'button' }, t('signin.submit')),
  );
  return h(
    'div',
    { class: 'signin' },
    h('h1', { tabindex: '-1', id: 'view-heading' }, t('signin.heading')),
    options.notice ? h('p', { class: 'notice', role: 'status' }, options.notice) : null,
    h('p', {}, t('signin.intro')),
    form,
  );
}
