import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { startGateway, type TestGateway } from '../support/harness';
import { UI_CSP } from '../../src/ui/ui-router';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ mspId: 'BamfMSP' });
});
afterAll(() => gw.stop());

describe('web UI router', () => {
  test('/ redirects to the page, which names the agency and has no inline script or style', async () => {
    const root = await request(gw.app).get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/ui/');
    const page = await request(gw.app).get('/ui/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<html lang="de" data-agency="BamfMSP">');
    expect(page.text).toContain('<script src="/ui/app.js" defer></script>');
    expect(page.text).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>|\sstyle=|<style/);
  });

  test('every UI response carries the strict headers', async () => {
    for (const path of ['/ui/', '/ui/app.js', '/ui/app.css', '/ui/favicon.svg']) {
      const res = await request(gw.app).get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers['content-security-policy']).toBe(UI_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
    const directives = UI_CSP.split('; ');
    expect(directives).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "require-trusted-types-for 'script'"]));
    expect(UI_CSP).not.toMatch(/unsafe-|data:|\*/);
  });

  test('the bundle is served with its content types; the API keeps its own policy', async () => {
    const js = await request(gw.app).get('/ui/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text.length).toBeGreaterThan(1000);
    const css = await request(gw.app).get('/ui/app.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const api = await request(gw.app).get('/healthz');
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const unknown = await request(gw.app).get('/ui/nothing-here');
    expect(unknown.status).toBe(404);
  });

  test('the client sources type-check with the DOM library (gateway/ui/tsconfig.json)', () => {
    const tsc = join(__dirname, '../../../node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(__dirname, '../../ui/tsconfig.json')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
