/**
 * The two concrete adapters are configurations of the one core: each agency's identity, default
 * addresses (architecture.md, default ports) and the event types its case system may send. The mapping
 * follows the writer of each event type (domain.md §3, `EVENT_WRITER`): the federal office sends the
 * asylum procedure, the state authority intake, accommodation, allocation and enforcement; either sends
 * court facts; both may retract their own events and import at go-live. `WARNING_ACKNOWLEDGED` is a
 * caseworker's act in the web UI and `PERSONAL_DATA_PURGED` an admin's purge: no case system sends them.
 */
import { EVENT_TYPES, EVENT_WRITER, mspIdOf, type AgencyKey, type EventType, type MemberMspId } from '@asl/chaincode/domain';

/** The agency profiles by name. */
export const PROFILE_NAMES = ['maris', 'zab'] as const;
/** A profile name. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** What distinguishes one agency's adapter from the other's. */
export interface AgencyProfile {
  readonly name: ProfileName;
  /** The agency's MSP ID. */
  readonly mspId: MemberMspId;
  /** The partner agency's MSP ID (whose events go out to this case system). */
  readonly partnerMspId: MemberMspId;
  /** The case system's `kennung`. */
  readonly caseSystem: string;
  /** The key in `demo-credentials.json`. */
  readonly credentialsKey: AgencyKey;
  readonly defaultGatewayUrl: string;
  readonly defaultInboundPort: number;
  readonly defaultSimulatorPort: number;
  /** The event types this agency's case system may send through its adapter. */
  readonly sends: ReadonlySet<EventType>;
}

const BOTH: readonly EventType[] = ['EVENT_RETRACTED', 'CASE_IMPORTED'];

function sendsOf(kind: 'FEDERAL_OFFICE' | 'STATE_AUTHORITY'): ReadonlySet<EventType> {
  return new Set(EVENT_TYPES.filter((t) => EVENT_WRITER[t] === kind || EVENT_WRITER[t] === 'EITHER' || BOTH.includes(t)));
}

/** The MARiS adapter (BAMF) and the ZAB adapter. */
export const AGENCY_PROFILES: Readonly<Record<ProfileName, AgencyProfile>> = {
  maris: {
    name: 'maris',
    mspId: mspIdOf('bamf'),
    partnerMspId: mspIdOf('zab'),
    caseSystem: 'MARIS',
    credentialsKey: 'bamf',
    defaultGatewayUrl: 'http://127.0.0.1:3001',
    defaultInboundPort: 3201,
    defaultSimulatorPort: 3101,
    sends: sendsOf('FEDERAL_OFFICE'),
  },
  zab: {
    name: 'zab',
    mspId: mspIdOf('zab'),
    partnerMspId: mspIdOf('bamf'),
    caseSystem: 'ZAB-VERFAHREN',
    credentialsKey: 'zab',
    defaultGatewayUrl: 'http://127.0.0.1:3002',
    defaultInboundPort: 3202,
    defaultSimulatorPort: 3102,
    sends: sendsOf('STATE_AUTHORITY'),
  },
};

/** The profile whose agency has this MSP ID, if any. */
export function profileOfMsp(mspId: string): AgencyProfile | undefined {
  return Object.values(AGENCY_PROFILES).find((p) => p.mspId === mspId);
}
