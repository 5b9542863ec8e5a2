/**
 * Who may write what (domain.md §1, §3): the role check and the ownership check, in that order (§7).
 */
import type { CaseState } from './case-state';
import { DomainError } from './errors';
import { EVENT_WRITER, isImportableBy, type EventType } from './event-types';
import type { EventInput, OrgDirectory, OrgKind, Role, StoredEvent } from './schemas';

/** The roles that may write each kind of event. Auditors never write. */
export function rolesAllowed(type: EventType): readonly Role[] {
  if (type === 'CASE_IMPORTED' || type === 'PERSONAL_DATA_PURGED') return ['admin'];
  if (type === 'WARNING_ACKNOWLEDGED') return ['caseworker'];
  return ['adapter', 'caseworker'];
}

/** Throws `FORBIDDEN_ROLE` unless `role` may write `type`. */
export function checkRole(type: EventType, role: string): void {
  if (!(rolesAllowed(type) as readonly string[]).includes(role)) {
    throw new DomainError('FORBIDDEN_ROLE', { type });
  }
}

/** The kind of a member organisation, or undefined for an MSP the directory does not know. */
export function orgKind(orgs: OrgDirectory, mspId: string): OrgKind | undefined {
  return Object.prototype.hasOwnProperty.call(orgs, mspId) ? orgs[mspId]?.kind : undefined;
}

/**
 * The member organisation that writes the case's state-authority events: the latest responsible authority
 * that is a state-authority member. A transfer to an authority that is not a member of the ledger (an
 * Ausländerbehörde's code) leaves the writing with the member that transferred it. Undefined while no
 * state authority is responsible (a case created by the federal office's import).
 */
export function responsibleMember(state: CaseState, orgs: OrgDirectory): string | undefined {
  for (let i = state.responsibleChain.length - 1; i >= 0; i -= 1) {
    const authority = state.responsibleChain[i];
    if (authority !== undefined && orgKind(orgs, authority) === 'STATE_AUTHORITY') return authority;
  }
  return undefined;
}

function notOwner(type: EventType, writer: string): DomainError {
  return new DomainError('NOT_OWNER', { type, writer });
}

/**
 * Throws `NOT_OWNER` unless the actor's organisation owns `input.type` for this case; for
 * `EVENT_RETRACTED`, the owner is the organisation that wrote the retracted event, and an unknown
 * `retractedTxId` is `PRECONDITION_FAILED` conflicting (§7).
 */
export function checkOwnership(
  state: CaseState,
  input: EventInput,
  mspId: string,
  orgs: OrgDirectory,
  history: readonly StoredEvent[],
): void {
  const kind = orgKind(orgs, mspId);
  if (input.type === 'EVENT_RETRACTED') {
    const target = history.find((e) => e.txId === input.data.retractedTxId);
    if (target === undefined) throw new DomainError('PRECONDITION_FAILED', { conflicting: ['RETRACTED_EVENT_UNKNOWN'] });
    if (kind === undefined || target.actor.mspId !== mspId) throw notOwner(input.type, 'RETRACTED_EVENT_WRITER');
    return;
  }
  const writer = EVENT_WRITER[input.type];
  if (kind === undefined) throw notOwner(input.type, writer);
  switch (writer) {
    case 'FEDERAL_OFFICE':
      if (kind !== 'FEDERAL_OFFICE') throw notOwner(input.type, writer);
      return;
    case 'STATE_AUTHORITY':
      if (!ownsStateAuthorityEvents(state, mspId, kind, orgs)) throw notOwner(input.type, writer);
      return;
    case 'EITHER':
      return;
    case 'CROSS_CUTTING':
      break;
  }
  if (input.type === 'CASE_IMPORTED') {
    if (input.data.facts.some((f) => !isImportableBy(f.type, kind))) throw notOwner(input.type, 'OWN_EVENT_TYPES');
    if (kind === 'STATE_AUTHORITY' && !ownsStateAuthorityEvents(state, mspId, kind, orgs)) {
      throw notOwner(input.type, 'STATE_AUTHORITY');
    }
  }
  if (input.type === 'PERSONAL_DATA_PURGED' && input.data.collection === 'zabEnforcement' && kind !== 'STATE_AUTHORITY') {
    throw notOwner(input.type, 'STATE_AUTHORITY');
  }
}

function ownsStateAuthorityEvents(state: CaseState, mspId: string, kind: OrgKind, orgs: OrgDirectory): boolean {
  if (kind !== 'STATE_AUTHORITY') return false;
  const member = responsibleMember(state, orgs);
  return member === undefined || member === mspId;
}
