import { Router, type NextFunction, type Request, type Response } from 'express';
import de from '../../ui/i18n/de.json';
import { ensureUiBuilt, type UiAssets, type UiBuildOptions } from './build';

/**
 * The web UI's Content-Security-Policy: only this origin's script, style and connections; no inline script or
 * style, no eval, no plugins, no framing, no `<base>`, and Trusted Types so no string can become script.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Headers on every UI response (the API's own headers are set by the app). */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'cache-control': 'no-store',
};

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" fill="#004b87"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>';

/** Dependencies of {@link createUiRouter}. */
export interface UiRouterDeps {
  /** This gateway's agency (MSP ID), named to the page in `<html data-agency>`. */
  readonly mspId: string;
  /** Where to build and find the bundle (tests); defaults to `gateway/ui` → `gateway/dist/ui`. */
  readonly build?: UiBuildOptions;
}

/** The page: no inline script or style; the bundle boots from `/ui/app.js`. */
export function indexHtml(mspId: string): string {
  return [
    '<!doctype html>',
    `<html lang="de" data-agency="${mspId}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${de['app.title']}</title>`,
    '<link rel="icon" href="/ui/favicon.svg" type="image/svg+xml">',
    '<link rel="stylesheet" href="/ui/app.css">',
    '<script src="/ui/app.js" defer></script>',
    '</head>',
    '<body>',
    `<div id="app"><noscript><p>${de['app.noscript']}</p></noscript></div>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Serves the caseworker/auditor web UI at `/ui/` (and redirects `/` there) with strict security headers. The
 * bundle is built on the first request if missing or stale (see build.ts) and then served from memory.
 */
export function createUiRouter(deps: UiRouterDeps): Router {
  if (!/^[A-Za-z][A-Za-z0-9._-]{0,63}$/.test(deps.mspId)) throw new Error('invalid mspId for the UI');
  const html = indexHtml(deps.mspId);
  let assets: Promise<UiAssets> | undefined;
  const load = (): Promise<UiAssets> => {
    assets ??= ensureUiBuilt(deps.build).catch((error: unknown) => {
      assets = undefined;
      throw error;
    });
    return assets;
  };

  const router = Router();
  // Only the UI's own paths: the API keeps the app's headers.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/' || req.path === '/ui' || req.path.startsWith('/ui/')) res.set(SECURITY_HEADERS);
    next();
  });
  router.get('/', (_req, res) => res.redirect(302, '/ui/'));
  // Express matches `/ui` and `/ui/` alike (non-strict routing); the page uses absolute asset paths.
  router.get('/ui', (_req, res) => {
    res.type('text/html; charset=utf-8').send(html);
  });
  router.get('/ui/favicon.svg', (_req, res) => {
    res.type('image/svg+xml').send(FAVICON);
  });
  router.get('/ui/app.js', async (_req, res) => {
    const { js } = await load();
    res.type('text/javascript; charset=utf-8').send(js);
  });
  router.get('/ui/app.css', async (_req, res) => {
    const { css } = await load();
    res.type('text/css; charset=utf-8').send(css);
  });
  return router;
}
