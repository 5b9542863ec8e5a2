/**
 * The demo's log-ins: one user per role and agency, registered through each gateway's admin API in the agency's
 * real Fabric CA, and `$ASL_HOME/demo-credentials.json` in the shape architecture.md fixes ("Commands").
 *
 * A second demo run keeps a token that still works (checked against the gateway) and otherwise issues a new one for
 * the same user, so runs do not pile up users in the CA.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** The four roles of architecture.md, in the order the demo shows them. */
export const DEMO_ROLES = ['adapter', 'caseworker', 'auditor', 'admin'] as const;
/** One of {@link DEMO_ROLES}. */
export type DemoRole = (typeof DEMO_ROLES)[number];

const AgencyCredentialsSchema = z.strictObject({
  gatewayUrl: z.url(),
  tokens: z.strictObject({ adapter: z.string().min(1), caseworker: z.string().min(1), auditor: z.string().min(1), admin: z.string().min(1) }),
});
/** `demo-credentials.json` (architecture.md): both gateways' URLs and a token per role. */
export const DemoCredentialsSchema = z.strictObject({ bamf: AgencyCredentialsSchema, zab: AgencyCredentialsSchema });
/** Parsed `demo-credentials.json`. */
export type DemoCredentials = z.infer<typeof DemoCredentialsSchema>;
/** The agencies' keys in `demo-credentials.json`. */
export const DEMO_AGENCIES = ['bamf', 'zab'] as const;
/** One of {@link DEMO_AGENCIES}. */
export type DemoAgency = (typeof DEMO_AGENCIES)[number];

/** The demo user of a role: the same id at every run and in both agencies' CAs. */
export const demoUserId = (role: DemoRole): string => `demo-${role}`;

/** Reads the credentials file; undefined when it is missing or not in the expected shape (then it is rewritten). */
export function readDemoCredentials(file: string): DemoCredentials | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = DemoCredentialsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the credentials file with mode 0600 (also when it existed with a wider mode). */
export function writeDemoCredentials(file: string, credentials: DemoCredentials): void {
  writeFileSync(file, JSON.stringify(DemoCredentialsSchema.parse(credentials), null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** What the demo needs from one gateway's REST API. */
export interface GatewayAdminApi {
  /** Whether `token` is accepted (a read every role may do). */
  tokenWorks(token: string): Promise<boolean>;
  /** `POST /api/v1/admin/users`: the new user's first token, or `exists` when the user is already registered. */
  createUser(adminToken: string, userId: string, role: DemoRole): Promise<{ token: string } | 'exists'>;
  /** `POST /api/v1/admin/users/{userId}/tokens`: a new token for an existing user. */
  issueToken(adminToken: string, userId: string): Promise<string>;
}

/** The REST implementation of {@link GatewayAdminApi} against the gateway at `baseUrl`. */
export function restGatewayAdmin(baseUrl: string, timeoutMs = 60_000): GatewayAdminApi {
  const call = async (method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: reported by status below
    }
    return { status: res.status, json };
  };
  const Issued = z.looseObject({ token: z.string().min(1) });
  const Problem = z.looseObject({ code: z.string().optional(), detail: z.unknown().optional() });
  const failure = (what: string, r: { status: number; json: unknown }): Error => {
    const p = Problem.safeParse(r.json);
    return new Error(`${what}: HTTP ${r.status}${p.success && p.data.code !== undefined ? ` ${p.data.code}` : ''}`);
  };
  return {
    async tokenWorks(token) {
      return (await call('GET', '/api/v1/value-lists', token)).status === 200;
    },
    async createUser(adminToken, userId, role) {
      const r = await call('POST', '/api/v1/admin/users', adminToken, { userId, role });
      if (r.status === 201) return Issued.parse(r.json);
      if (r.status === 400 && JSON.stringify(Problem.safeParse(r.json).data?.detail ?? '').includes('USER_EXISTS')) return 'exists';
      throw failure(`registering ${userId}`, r);
    },
    async issueToken(adminToken, userId) {
      const r = await call('POST', `/api/v1/admin/users/${encodeURIComponent(userId)}/tokens`, adminToken);
      if (r.status === 201) return Issued.parse(r.json).token;
      throw failure(`issuing a token for ${userId}`, r);
    },
  };
}

/** One agency as the demo sees it. */
export interface DemoAgencyAccess {
  readonly gatewayUrl: string;
  /** The gateway's bootstrap admin token (registers the demo users). */
  readonly bootstrapAdminToken: string;
  readonly api: GatewayAdminApi;
}

/**
 * A working token per role and agency: kept from `previous` when the gateway still accepts it, otherwise the demo
 * user is registered (first run) or gets a new token (a later run whose token expired: people's tokens last 12 h).
 * Returns the credentials and, per agency, the roles whose token is new.
 */
export async function ensureDemoCredentials(
  agencies: Readonly<Record<DemoAgency, DemoAgencyAccess>>,
  previous: DemoCredentials | undefined,
): Promise<{ credentials: DemoCredentials; renewed: Record<DemoAgency, DemoRole[]> }> {
  const renewed: Record<DemoAgency, DemoRole[]> = { bamf: [], zab: [] };
  const forAgency = async (key: DemoAgency): Promise<DemoCredentials[DemoAgency]> => {
    const access = agencies[key];
    const before = previous?.[key].gatewayUrl === access.gatewayUrl ? previous[key].tokens : undefined;
    const tokens: Partial<Record<DemoRole, string>> = {};
    for (const role of DEMO_ROLES) {
      const old = before?.[role];
      if (old !== undefined && (await access.api.tokenWorks(old))) {
        tokens[role] = old;
        continue;
      }
      const userId = demoUserId(role);
      const created = await access.api.createUser(access.bootstrapAdminToken, userId, role);
      tokens[role] = created === 'exists' ? await access.api.issueToken(access.bootstrapAdminToken, userId) : created.token;
      renewed[key].push(role);
    }
    return AgencyCredentialsSchema.parse({ gatewayUrl: access.gatewayUrl, tokens });
  };
  const credentials = { bamf: await forAgency('bamf'), zab: await forAgency('zab') };
  return { credentials, renewed };
}
