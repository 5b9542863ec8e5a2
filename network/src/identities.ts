import type { IdentityDirs, Layout } from './layout';
import { activePeers, hostOf, nodeHost, orgOf, type ClientRole, type Org, type Topology } from './topology';

/** Fabric CA identity types; with NodeOUs the type becomes the certificate's OU and thus the role. */
export type IdentityType = 'peer' | 'orderer' | 'admin' | 'client';

/** One identity to register and enrol at its org's CA. */
export interface IdentitySpec {
  readonly org: Org;
  readonly enrollmentId: string;
  readonly type: IdentityType;
  /** Application role, written into the enrolment certificate as attribute `role` (`:ecert`). */
  readonly role?: ClientRole;
  /** SANs of the TLS certificate (all identities get one: every Fabric connection uses mutual TLS). */
  readonly tlsHosts: readonly string[];
  readonly dirs: IdentityDirs;
  /** What it is for, for logs and status. */
  readonly purpose: 'orderer' | 'peer' | 'chaincode-server' | 'org-admin' | 'client';
}

/** Enrolment ID of the chaincode server that serves one peer. */
export function chaincodeServerId(peerHost: string): string {
  return `ccaas-${peerHost.replace(/\./g, '-')}`;
}

/** The `--id.attrs` value that puts the role into the certificate. */
export function roleAttr(role: ClientRole): string {
  return `role=${role}:ecert`;
}

/**
 * Every identity the network needs, derived from the topology: orderers and peers (type orderer/peer),
 * a TLS identity per chaincode server, the org admins (type admin) and the application clients
 * (type client, with `role`).
 */
export function identityPlan(t: Topology, layout: Layout, opts: { secondPeer: boolean }): IdentitySpec[] {
  const specs: IdentitySpec[] = [];
  const hosts = (org: Org, name: string): string[] => [...new Set([hostOf(t, org), 'localhost', name])];
  for (const o of t.orderers) {
    const org = orgOf(t, o.org);
    const id = nodeHost(t, o);
    specs.push({ org, enrollmentId: id, type: 'orderer', tlsHosts: hosts(org, id), dirs: layout.nodeOf(o), purpose: 'orderer' });
  }
  for (const p of activePeers(t, opts)) {
    const org = orgOf(t, p.org);
    const id = nodeHost(t, p);
    specs.push({ org, enrollmentId: id, type: 'peer', tlsHosts: hosts(org, id), dirs: layout.nodeOf(p), purpose: 'peer' });
    const cc = chaincodeServerId(id);
    specs.push({ org, enrollmentId: cc, type: 'client', tlsHosts: hosts(org, cc), dirs: layout.node(p.org, cc), purpose: 'chaincode-server' });
  }
  for (const org of t.orgs) {
    for (const a of org.admins) {
      specs.push({ org, enrollmentId: a, type: 'admin', tlsHosts: [a], dirs: layout.user(org, a), purpose: 'org-admin' });
    }
    for (const c of org.clients) {
      specs.push({
        org,
        enrollmentId: c.enrollmentId,
        type: 'client',
        role: c.role,
        tlsHosts: [c.enrollmentId],
        dirs: layout.user(org, c.enrollmentId),
        purpose: 'client',
      });
    }
  }
  return specs;
}

/** The first admin of an org (used by the CLI steps acting for that org). */
export function orgAdmin(t: Topology, mspId: string): string {
  const org = orgOf(t, mspId);
  const admin = org.admins[0];
  if (admin === undefined) throw new Error(`${mspId} has no admin`);
  return admin;
}
