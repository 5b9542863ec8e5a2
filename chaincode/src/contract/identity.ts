import { DomainError } from '../domain/errors';
import { RoleSchema, type Actor, type OrgKind, type Role } from '../domain/schemas';
import { orgKindOf } from './org-directory';

/** The caller as the contract sees it: the actor plus its organisation's kind. */
export interface Caller extends Actor {
  readonly orgKind: OrgKind;
}

/** The part of the shim's `ClientIdentity` the contract reads. */
export interface IdentitySource {
  getMSPID(): string;
  getID(): string;
  getAttributeValue(attrName: string): string | null;
}

/** Enrollment IDs are staff or system numbers: no spaces, no `@`, nothing that reads like a name. */
const ENROLLMENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;


/**
 * The CN of the subject in the shim's ID form `x509::/C=DE/.../CN=<cn>::/C=DE/.../CN=<issuer cn>`.
 * The issuer part starts after the first `::/` that follows the subject; the subject's attributes are
 * `/<shortName>=<value>` pairs (the shim escapes a slash in a value as `\/`).
 */
export function commonNameOf(id: string): string | undefined {
  const prefix = 'x509::';
  if (!id.startsWith(prefix)) return undefined;
  const rest = id.slice(prefix.length);
  const end = rest.indexOf('::/');
  if (end < 0) return undefined;
  const subject = rest.slice(0, end);
  let cn: string | undefined;
  for (const part of subject.split(/(?<!\\)\/(?=[A-Za-z][A-Za-z0-9.]*=)/)) {
    if (part.startsWith('CN=')) cn = part.slice(3).replace(/\\\//g, '/');
  }
  return cn;
}

/**
 * Reads the caller from the client identity. An MSP outside the directory, an identity without a
 * usable CN and a missing or unknown `role` attribute are all `FORBIDDEN_ROLE`; the detail names the
 * reason as a code, never the subject.
 */
export function readCaller(identity: IdentitySource): Caller {
  const mspId = identity.getMSPID();
  const orgKind = orgKindOf(mspId);
  if (orgKind === undefined) throw new DomainError('FORBIDDEN_ROLE', { reason: 'UNKNOWN_ORGANISATION' });
  const role = RoleSchema.safeParse(identity.getAttributeValue('role'));
  if (!role.success) throw new DomainError('FORBIDDEN_ROLE', { reason: 'NO_ROLE' });
  const enrollmentId = commonNameOf(identity.getID());
  if (enrollmentId === undefined || !ENROLLMENT_ID.test(enrollmentId)) {
    throw new DomainError('FORBIDDEN_ROLE', { reason: 'ENROLLMENT_ID_FORMAT' });
  }
  return { mspId, enrollmentId, role: role.data, orgKind };
}

/** Refuses with `FORBIDDEN_ROLE` unless the caller's role is one of `roles`. */
export function requireRole(caller: Caller, roles: readonly Role[]): void {
  if (!roles.includes(caller.role)) {
    throw new DomainError('FORBIDDEN_ROLE', { role: caller.role, allowed: [...roles] });
  }
}

/** Refuses with `NOT_OWNER` unless the caller's organisation is one of `mspIds` (collection membership). */
export function requireMember(caller: Caller, mspIds: readonly string[], collection: string): void {
  if (!mspIds.includes(caller.mspId)) throw new DomainError('NOT_OWNER', { collection });
}

/** The actor part of a caller, as stored with events and records. */
export function actorOf(caller: Caller): Actor {
  return { mspId: caller.mspId, enrollmentId: caller.enrollmentId, role: caller.role };
}
