import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_ROLES,
  DemoCredentialsSchema,
  demoUserId,
  ensureDemoCredentials,
  readDemoCredentials,
  writeDemoCredentials,
  type DemoAgencyAccess,
  type DemoCredentials,
  type DemoRole,
  type GatewayAdminApi,
} from '../src/demo/credentials';
import { demoServices, servicesTable } from '../src/demo/demo';

/** A gateway's admin API in memory: users with their roles, tokens that work until `expire` is called. */
class FakeGatewayAdmin implements GatewayAdminApi {
  readonly users = new Map<string, DemoRole>();
  readonly valid = new Set<string>();
  readonly calls: string[] = [];
  private next = 0;
  constructor(readonly adminToken: string) {
    this.valid.add(adminToken);
  }
  private issue(): string {
    const token = `asl_${this.adminToken}_${(this.next += 1)}`;
    this.valid.add(token);
    return token;
  }
  tokenWorks(token: string): Promise<boolean> {
    return Promise.resolve(this.valid.has(token));
  }
  createUser(adminToken: string, userId: string, role: DemoRole): Promise<{ token: string } | 'exists'> {
    if (!this.valid.has(adminToken)) return Promise.reject(new Error('401'));
    this.calls.push(`create ${userId}`);
    if (this.users.has(userId)) return Promise.resolve('exists');
    this.users.set(userId, role);
    return Promise.resolve({ token: this.issue() });
  }
  issueToken(adminToken: string, userId: string): Promise<string> {
    if (!this.valid.has(adminToken) || !this.users.has(userId)) return Promise.reject(new Error('refused'));
    this.calls.push(`issue ${userId}`);
    return Promise.resolve(this.issue());
  }
}

const access = (url: string, api: FakeGatewayAdmin): DemoAgencyAccess => ({ gatewayUrl: url, bootstrapAdminToken: api.adminToken, api });

describe('demo credentials', () => {
  let bamf: FakeGatewayAdmin;
  let zab: FakeGatewayAdmin;
  beforeEach(() => {
    bamf = new FakeGatewayAdmin('bamf-admin');
    zab = new FakeGatewayAdmin('zab-admin');
  });
  const agencies = (): Record<'bamf' | 'zab', DemoAgencyAccess> => ({ bamf: access('http://127.0.0.1:3001', bamf), zab: access('http://127.0.0.1:3002', zab) });

  it('registers one user per role and agency on the first run, in the shape architecture.md fixes', async () => {
    const { credentials, renewed } = await ensureDemoCredentials(agencies(), undefined);
    expect(DemoCredentialsSchema.parse(credentials)).toEqual(credentials);
    expect(Object.keys(credentials.bamf.tokens).sort()).toEqual([...DEMO_ROLES].sort());
    expect(credentials.zab.gatewayUrl).toBe('http://127.0.0.1:3002');
    expect([...bamf.users]).toEqual(DEMO_ROLES.map((r) => [demoUserId(r), r]));
    expect(renewed).toEqual({ bamf: [...DEMO_ROLES], zab: [...DEMO_ROLES] });
    for (const role of DEMO_ROLES) expect(zab.valid.has(credentials.zab.tokens[role])).toBe(true);
  });

  it('keeps tokens that still work and issues new ones for existing users whose token expired', async () => {
    const first = (await ensureDemoCredentials(agencies(), undefined)).credentials;
    zab.valid.delete(first.zab.tokens.caseworker);
    const { credentials, renewed } = await ensureDemoCredentials(agencies(), first);
    expect(renewed).toEqual({ bamf: [], zab: ['caseworker'] });
    expect(credentials.bamf).toEqual(first.bamf);
    expect(credentials.zab.tokens.caseworker).not.toBe(first.zab.tokens.caseworker);
    expect(zab.calls.slice(-2)).toEqual(['create demo-caseworker', 'issue demo-caseworker']);
    expect(zab.users.size).toBe(DEMO_ROLES.length);
  });

  it('does not reuse tokens of a gateway at another URL', async () => {
    const first = (await ensureDemoCredentials(agencies(), undefined)).credentials;
    const moved: DemoCredentials = { ...first, bamf: { ...first.bamf, gatewayUrl: 'http://127.0.0.1:4001' } };
    const { renewed } = await ensureDemoCredentials(agencies(), moved);
    expect(renewed.bamf).toEqual([...DEMO_ROLES]);
  });

  it('writes the file with mode 0600, also over a wider one, and reads back only the expected shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-demo-cred-'));
    try {
      const file = join(dir, 'demo-credentials.json');
      writeFileSync(file, '{"bamf": 1}', { mode: 0o644 });
      expect(readDemoCredentials(file)).toBeUndefined();
      const { credentials } = await ensureDemoCredentials(agencies(), undefined);
      writeDemoCredentials(file, credentials);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readDemoCredentials(file)).toEqual(credentials);
      expect(readDemoCredentials(join(dir, 'missing.json'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo table', () => {
  it('lists every service on its default port with how to sign in, in aligned columns', () => {
    const plan = { bamf: { gatewayUrl: 'http://127.0.0.1:3001', token: 't' }, zab: { gatewayUrl: 'http://127.0.0.1:3002', token: 't' } };
    const services = demoServices(plan);
    expect(services.map((s) => new URL(s.url).port)).toEqual(['3001', '3002', '3201', '3202', '3101', '3102']);
    expect(services[1]?.signIn).toContain('npm run -s demo -- token zab caseworker');
    const lines = servicesTable(services).split('\n');
    expect(lines).toHaveLength(7);
    const whatColumn = lines.map((l) => l.indexOf(l.includes('URL') ? 'what' : services[lines.indexOf(l) - 1]?.what ?? ''));
    expect(new Set(whatColumn).size).toBe(1);
    expect(servicesTable(services)).not.toMatch(/asl_/);
  });
});
