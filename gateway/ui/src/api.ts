/**
 * The gateway's REST API as the browser calls it: same origin, the session cookie (httpOnly, set by
 * `POST /api/v1/session`) authenticates, so no token is ever held in script. Errors are problem+json with
 * a stable `code` (domain.md §7); the UI shows the translated code, never the server's text.
 */

/** A refused or failed API call. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The problem's `code`, `NETWORK` when the gateway could not be reached, `HTTP_<status>` without a code. */
    readonly code: string,
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

/** Called when any call answers 401: the session is gone. */
let onUnauthenticated: () => void = () => undefined;

/** Sets what happens when the session has ended (the app shows the sign-in). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/**
 * Calls the API. The body is JSON; the answer is parsed JSON typed by the caller: the API is the same
 * origin's, its shapes are fixed by the OpenAPI document the gateway tests check, and bundling the zod
 * schemas into the page would double its size for no protection against its own server.
 */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, options: { quietUnauthenticated?: boolean } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json, application/problem+json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const code = typeof parsed === 'object' && parsed !== null && 'code' in parsed && typeof parsed.code === 'string' ? parsed.code : `HTTP_${res.status}`;
    if (res.status === 401 && options.quietUnauthenticated !== true) onUnauthenticated();
    throw new ApiError(res.status, code);
  }
  return parsed as T;
}
