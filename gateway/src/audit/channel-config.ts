import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import { type IdentityCheck, type MspDefinition, type ValidIdentity, checkIdentity, hasNodeRole, parseMspConfig } from './msp';

/** A config group reduced to what signature-policy evaluation needs. */
export interface PolicyGroup {
  readonly policies: ReadonlyMap<string, common.Policy>;
  readonly groups: ReadonlyMap<string, PolicyGroup>;
}

/** The channel configuration in force at some block, as the verifier uses it. */
export interface ChannelConfig {
  readonly channelId: string;
  /** Number of the config block this configuration came from. */
  readonly blockNumber: number;
  readonly sequence: number;
  /** Every X.509 MSP of the application and orderer organisations, by MSP ID. */
  readonly msps: ReadonlyMap<string, MspDefinition>;
  /** MSP config values that could not be used, with the reason (reported once per config). */
  readonly unusableMsps: readonly string[];
  /** The `/Channel` group. */
  readonly root: PolicyGroup;
  /** BFT consenters by numeric ID (serialized identities), for signatures that carry an IdentifierHeader. */
  readonly consenters: ReadonlyMap<number, Uint8Array>;
  /** Checks an identity against {@link msps}, cached per configuration. */
  checkIdentity(serialized: Uint8Array): IdentityCheck;
}

function toPolicyGroup(group: common.ConfigGroup, msps: Map<string, MspDefinition>, unusable: string[]): PolicyGroup {
  const policies = new Map<string, common.Policy>();
  group.getPoliciesMap().forEach((value, key) => {
    const policy = value.getPolicy();
    if (policy) policies.set(key, policy);
  });
  const mspValue = group.getValuesMap().get('MSP');
  if (mspValue) {
    const parsed = parseMspConfig(mspValue.getValue_asU8());
    if (typeof parsed === 'string') unusable.push(parsed);
    else msps.set(parsed.mspId, parsed);
  }
  const groups = new Map<string, PolicyGroup>();
  group.getGroupsMap().forEach((value, key) => groups.set(key, toPolicyGroup(value, msps, unusable)));
  return { policies, groups };
}

function consentersOf(channelGroup: common.ConfigGroup): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  const value = channelGroup.getGroupsMap().get('Orderer')?.getValuesMap().get('Orderers');
  if (!value) return out;
  for (const consenter of common.Orderers.deserializeBinary(value.getValue_asU8()).getConsenterMappingList()) {
    const sid = new mspProto.SerializedIdentity();
    sid.setMspid(consenter.getMspId());
    sid.setIdBytes(consenter.getIdentity_asU8());
    out.set(consenter.getId(), sid.serializeBinary());
  }
  return out;
}

/**
 * Builds the channel configuration from the payload data of a CONFIG transaction (a `ConfigEnvelope`).
 * Throws if the envelope has no channel group.
 */
export function channelConfigFromEnvelope(configEnvelope: Uint8Array, channelId: string, blockNumber: number): ChannelConfig {
  const envelope = common.ConfigEnvelope.deserializeBinary(configEnvelope);
  const config = envelope.getConfig();
  const channelGroup = config?.getChannelGroup();
  if (!config || !channelGroup) throw new Error('config envelope has no channel group');
  const msps = new Map<string, MspDefinition>();
  const unusable: string[] = [];
  const root = toPolicyGroup(channelGroup, msps, unusable);
  const cache = new Map<string, IdentityCheck>();
  return {
    channelId,
    blockNumber,
    sequence: config.getSequence(),
    msps,
    unusableMsps: unusable,
    root,
    consenters: consentersOf(channelGroup),
    checkIdentity(serialized: Uint8Array): IdentityCheck {
      const key = Buffer.from(serialized).toString('base64');
      let result = cache.get(key);
      if (!result) {
        result = checkIdentity(serialized, msps);
        cache.set(key, result);
      }
      return result;
    },
  };
}

// ---- policy evaluation (mirrors common/policies and common/cauthdsl) ----

function principalSatisfied(principal: mspProto.MSPPrincipal, identity: ValidIdentity): boolean {
  const bytes = principal.getPrincipal_asU8();
  switch (principal.getPrincipalClassification()) {
    case mspProto.MSPPrincipal.Classification.ROLE: {
      const role = mspProto.MSPRole.deserializeBinary(bytes);
      if (role.getMspIdentifier() !== identity.mspId) return false;
      switch (role.getRole()) {
        case mspProto.MSPRole.MSPRoleType.MEMBER:
          return true;
        case mspProto.MSPRole.MSPRoleType.ADMIN:
          return identity.msp.adminFingerprints.has(identity.certificate.fingerprint256) || hasNodeRole(identity, 'admin');
        case mspProto.MSPRole.MSPRoleType.CLIENT:
          return hasNodeRole(identity, 'client');
        case mspProto.MSPRole.MSPRoleType.PEER:
          return hasNodeRole(identity, 'peer');
        case mspProto.MSPRole.MSPRoleType.ORDERER:
          return hasNodeRole(identity, 'orderer');
        default:
          return false;
      }
    }
    case mspProto.MSPPrincipal.Classification.IDENTITY:
      return Buffer.from(bytes).equals(Buffer.from(identity.serialized));
    case mspProto.MSPPrincipal.Classification.ORGANIZATION_UNIT: {
      const ou = mspProto.OrganizationUnit.deserializeBinary(bytes);
      // Certifier-bound OU principals need Fabric's certifiers-identifier hash, which is not reproduced here.
      if (ou.getCertifiersIdentifier_asU8().length > 0) return false;
      return ou.getMspIdentifier() === identity.mspId && identity.ous.includes(ou.getOrganizationalUnitIdentifier());
    }
    case mspProto.MSPPrincipal.Classification.ANONYMITY:
      return mspProto.MSPIdentityAnonymity.deserializeBinary(bytes).getAnonymityType() ===
        mspProto.MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL;
    case mspProto.MSPPrincipal.Classification.COMBINED:
      return mspProto.CombinedPrincipal.deserializeBinary(bytes)
        .getPrincipalsList()
        .every((p) => principalSatisfied(p, identity));
    default:
      return false;
  }
}

function evaluateSignaturePolicy(
  rule: common.SignaturePolicy,
  principals: readonly mspProto.MSPPrincipal[],
  identities: readonly ValidIdentity[],
  used: boolean[],
): boolean {
  if (rule.hasSignedBy()) {
    const principal = principals[rule.getSignedBy()];
    if (!principal) return false;
    for (let i = 0; i < identities.length; i++) {
      const identity = identities[i];
      if (used[i] || !identity) continue;
      if (principalSatisfied(principal, identity)) {
        used[i] = true;
        return true;
      }
    }
    return false;
  }
  const nOutOf = rule.getNOutOf();
  if (!nOutOf) return false;
  let verified = 0;
  const scratch = [...used];
  for (const sub of nOutOf.getRulesList()) {
    for (let i = 0; i < used.length; i++) scratch[i] = used[i] ?? false;
    if (evaluateSignaturePolicy(sub, principals, identities, scratch)) {
      verified++;
      for (let i = 0; i < used.length; i++) used[i] = scratch[i] ?? false;
    }
  }
  return verified >= nOutOf.getN();
}

function evaluatePolicy(policy: common.Policy, group: PolicyGroup, identities: readonly ValidIdentity[]): boolean {
  switch (policy.getType()) {
    case common.Policy.PolicyType.SIGNATURE: {
      const envelope = common.SignaturePolicyEnvelope.deserializeBinary(policy.getValue_asU8());
      const rule = envelope.getRule();
      if (!rule) return false;
      return evaluateSignaturePolicy(rule, envelope.getIdentitiesList(), identities, identities.map(() => false));
    }
    case common.Policy.PolicyType.IMPLICIT_META: {
      const meta = common.ImplicitMetaPolicy.deserializeBinary(policy.getValue_asU8());
      const subs = [...group.groups.values()];
      const results = subs.map((sub) => {
        const subPolicy = sub.policies.get(meta.getSubPolicy());
        return subPolicy !== undefined && evaluatePolicy(subPolicy, sub, identities);
      });
      const satisfied = results.filter(Boolean).length;
      // Fabric: with no sub-groups the threshold is 0 for ANY and MAJORITY alike.
      if (subs.length === 0) return true;
      switch (meta.getRule()) {
        case common.ImplicitMetaPolicy.Rule.ANY:
          return satisfied >= 1;
        case common.ImplicitMetaPolicy.Rule.ALL:
          return satisfied === subs.length;
        case common.ImplicitMetaPolicy.Rule.MAJORITY:
          return satisfied >= Math.floor(subs.length / 2) + 1;
        default:
          return false;
      }
    }
    default:
      return false;
  }
}

/**
 * Evaluates the policy at `path` (e.g. `['Orderer', 'BlockValidation']` below `/Channel`) over identities whose
 * signatures were already verified. Returns `undefined` if the policy does not exist.
 */
export function policySatisfied(config: ChannelConfig, path: readonly string[], identities: readonly ValidIdentity[]): boolean | undefined {
  let group = config.root;
  for (const name of path.slice(0, -1)) {
    const next = group.groups.get(name);
    if (!next) return undefined;
    group = next;
  }
  const policy = group.policies.get(path.at(-1) ?? '');
  if (!policy) return undefined;
  // Fabric de-duplicates signers before evaluating: one identity counts once.
  const unique = identities.filter(
    (id, i) => identities.findIndex((other) => Buffer.from(other.serialized).equals(Buffer.from(id.serialized))) === i,
  );
  return evaluatePolicy(policy, group, unique);
}
