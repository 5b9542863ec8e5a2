import { X509Certificate, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import type { AuditCode } from './audit-codes';

/** Node OU roles an MSP can assign through `fabric_node_ous`. */
export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer';

interface OuRule {
  readonly ou: string;
  /** SHA-256 fingerprint of the CA the identity must chain through, when the rule names one. */
  readonly certifier: string | undefined;
}

/** A Fabric X.509 MSP as defined in a channel configuration (FabricMSPConfig). */
export interface MspDefinition {
  readonly mspId: string;
  readonly roots: readonly X509Certificate[];
  readonly intermediates: readonly X509Certificate[];
  /** SHA-256 fingerprints of explicitly listed admin certificates. */
  readonly adminFingerprints: ReadonlySet<string>;
  /** Node OU rules, present only when `fabric_node_ous.enable` is set. */
  readonly nodeOus: ReadonlyMap<NodeRole, OuRule> | undefined;
  readonly hasRevocationLists: boolean;
}

/** An identity accepted by its MSP. */
export interface ValidIdentity {
  readonly mspId: string;
  readonly serialized: Uint8Array;
  readonly certificate: X509Certificate;
  /** Fingerprints of the certificate chain from the identity's issuer up to the root. */
  readonly chain: readonly string[];
  readonly ous: readonly string[];
  readonly msp: MspDefinition;
}

/** Result of checking an identity against the channel's MSPs. */
export type IdentityCheck =
  | { readonly ok: true; readonly identity: ValidIdentity }
  | { readonly ok: false; readonly code: AuditCode; readonly detail: string; readonly mspId: string };

function certificateOrUndefined(bytes: Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(Buffer.from(bytes));
  } catch {
    return undefined;
  }
}

function ouRule(identifier: msp.FabricOUIdentifier | undefined): OuRule | undefined {
  if (identifier === undefined || identifier.getOrganizationalUnitIdentifier() === '') return undefined;
  const certBytes = identifier.getCertificate_asU8();
  const certifier = certBytes.length > 0 ? certificateOrUndefined(certBytes)?.fingerprint256 : undefined;
  return { ou: identifier.getOrganizationalUnitIdentifier(), certifier };
}

/** Decodes an `MSPConfig` value from a channel configuration. Returns a reason string for non-X.509 or broken MSPs. */
export function parseMspConfig(bytes: Uint8Array): MspDefinition | string {
  let config: msp.FabricMSPConfig;
  try {
    const outer = msp.MSPConfig.deserializeBinary(bytes);
    if (outer.getType() !== 0) return `MSP type ${outer.getType()} (not X.509) is not supported`;
    config = msp.FabricMSPConfig.deserializeBinary(outer.getConfig_asU8());
  } catch (err) {
    return `undecodable MSP config: ${err instanceof Error ? err.message : String(err)}`;
  }
  const roots = config.getRootCertsList_asU8().map(certificateOrUndefined);
  const intermediates = config.getIntermediateCertsList_asU8().map(certificateOrUndefined);
  const admins = config.getAdminsList_asU8().map(certificateOrUndefined);
  if ([...roots, ...intermediates, ...admins].some((c) => c === undefined)) {
    return `MSP ${config.getName()} has an undecodable certificate`;
  }
  const defined = (c: X509Certificate | undefined): c is X509Certificate => c !== undefined;
  let nodeOus: Map<NodeRole, OuRule> | undefined;
  const ous = config.getFabricNodeOus();
  if (ous?.getEnable() === true) {
    nodeOus = new Map();
    const rules: [NodeRole, OuRule | undefined][] = [
      ['client', ouRule(ous.getClientOuIdentifier())],
      ['peer', ouRule(ous.getPeerOuIdentifier())],
      ['admin', ouRule(ous.getAdminOuIdentifier())],
      ['orderer', ouRule(ous.getOrdererOuIdentifier())],
    ];
    for (const [role, rule] of rules) if (rule) nodeOus.set(role, rule);
  }
  return {
    mspId: config.getName(),
    roots: roots.filter(defined),
    intermediates: intermediates.filter(defined),
    adminFingerprints: new Set(admins.filter(defined).map((c) => c.fingerprint256)),
    nodeOus,
    hasRevocationLists: config.getRevocationListList_asU8().length > 0,
  };
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Chain of fingerprints from the issuer of `cert` up to a root of the MSP, or undefined. */
function chainToRoot(cert: X509Certificate, definition: MspDefinition): string[] | undefined {
  const chain: string[] = [];
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    const root = definition.roots.find((r) => issuedBy(current, r));
    if (root) return [...chain, root.fingerprint256];
    const intermediate = definition.intermediates.find(
      (i) => i.fingerprint256 !== current.fingerprint256 && issuedBy(current, i),
    );
    if (!intermediate) return undefined;
    chain.push(intermediate.fingerprint256);
    current = intermediate;
  }
  return undefined;
}

/** OU values of the subject; Node prints a multi-valued RDN as `OU=a + OU=b + CN=c` on one line. */
function organizationalUnits(cert: X509Certificate): string[] {
  return cert.subject
    .split('\n')
    .flatMap((line) => line.split(' + '))
    .filter((attribute) => attribute.startsWith('OU='))
    .map((attribute) => attribute.slice(3));
}

/** Whether a valid identity carries the node OU of `role` (and chains through the rule's certifier, if any). */
export function hasNodeRole(identity: ValidIdentity, role: NodeRole): boolean {
  const rule = identity.msp.nodeOus?.get(role);
  if (!rule) return false;
  if (!identity.ous.includes(rule.ou)) return false;
  return rule.certifier === undefined || identity.chain.includes(rule.certifier);
}

/**
 * Checks a serialized identity (`msp.SerializedIdentity` bytes) against the MSPs of a channel configuration:
 * known MSP, decodable X.509 end-entity certificate chaining to one of the MSP's roots, and — with node OUs enabled —
 * exactly one node role. Certificate expiry is deliberately not checked (Fabric's MSP validates chains as of the
 * certificate's own validity start, and historical blocks stay valid after their signers' certificates expire).
 */
export function checkIdentity(serialized: Uint8Array, msps: ReadonlyMap<string, MspDefinition>): IdentityCheck {
  let mspId: string;
  let idBytes: Uint8Array;
  try {
    const sid = msp.SerializedIdentity.deserializeBinary(serialized);
    mspId = sid.getMspid();
    idBytes = sid.getIdBytes_asU8();
  } catch {
    return { ok: false, code: 'INVALID_IDENTITY', detail: 'undecodable serialized identity', mspId: '' };
  }
  const definition = msps.get(mspId);
  if (!definition) return { ok: false, code: 'UNKNOWN_MSP', detail: `MSP ${mspId || '(empty)'} is not in the channel configuration`, mspId };
  const certificate = certificateOrUndefined(idBytes);
  if (!certificate) return { ok: false, code: 'INVALID_IDENTITY', detail: `${mspId}: undecodable certificate`, mspId };
  if (certificate.ca) return { ok: false, code: 'INVALID_IDENTITY', detail: `${mspId}: a CA certificate cannot be an identity`, mspId };
  const chain = chainToRoot(certificate, definition);
  if (!chain) {
    return { ok: false, code: 'CERT_NOT_ISSUED_BY_MSP', detail: `${mspId}: certificate does not chain to a root of the MSP`, mspId };
  }
  const identity: ValidIdentity = { mspId, serialized, certificate, chain, ous: organizationalUnits(certificate), msp: definition };
  if (definition.nodeOus && definition.nodeOus.size > 0) {
    const roles = [...definition.nodeOus.keys()].filter((role) => hasNodeRole(identity, role));
    if (roles.length !== 1) {
      return { ok: false, code: 'INVALID_IDENTITY', detail: `${mspId}: identity has ${roles.length} node roles, expected exactly one`, mspId };
    }
  }
  return { ok: true, identity };
}

const LOW_S_HALF_ORDER: Readonly<Record<string, bigint>> = {
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n,
  secp384r1:
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n >> 1n,
};

/** Reads `s` from a DER ECDSA signature SEQUENCE{INTEGER r, INTEGER s}; undefined if not strict DER of that shape. */
function ecdsaS(signature: Uint8Array): bigint | undefined {
  const b = Buffer.from(signature);
  let p = 0;
  const readLength = (): number | undefined => {
    const first = b[p++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) return undefined;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const next = b[p++];
      if (next === undefined) return undefined;
      n = n * 256 + next;
    }
    return n;
  };
  if (b[p++] !== 0x30) return undefined;
  const seqLength = readLength();
  if (seqLength === undefined || p + seqLength !== b.length) return undefined;
  let s: bigint | undefined;
  for (let i = 0; i < 2; i++) {
    if (b[p++] !== 0x02) return undefined;
    const len = readLength();
    if (len === undefined || len === 0 || p + len > b.length) return undefined;
    s = BigInt(`0x${b.subarray(p, p + len).toString('hex')}`);
    p += len;
  }
  return p === b.length ? s : undefined;
}

/**
 * Verifies a Fabric signature by `certificate` over `data`: ECDSA (SHA-256, DER, low-S as Fabric's BCCSP requires)
 * or Ed25519. Returns `undefined` when valid, else the reason.
 */
export function verifySignature(certificate: X509Certificate, data: Uint8Array, signature: Uint8Array): string | undefined {
  const key: KeyObject = certificate.publicKey;
  try {
    if (key.asymmetricKeyType === 'ec') {
      const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
      const halfOrder = LOW_S_HALF_ORDER[curve];
      if (halfOrder === undefined) return `unsupported curve ${curve}`;
      const s = ecdsaS(signature);
      if (s === undefined) return 'signature is not a DER ECDSA signature';
      if (s > halfOrder) return 'ECDSA signature is not low-S';
      return cryptoVerify('sha256', data, key, signature) ? undefined : 'signature does not verify';
    }
    if (key.asymmetricKeyType === 'ed25519') {
      return cryptoVerify(null, data, key, signature) ? undefined : 'signature does not verify';
    }
    return `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`;
  } catch (err) {
    return `signature check failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}
