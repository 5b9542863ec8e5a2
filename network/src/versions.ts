/**
 * Every version the network tooling depends on, pinned in one place.
 *
 * Fabric's Go module has no `/v3` suffix, so Go cannot address the `v3.1.5` tag; the tag's commit is
 * reachable only through its pseudo-version (base tag `v1.4.0-rc1`, the highest v0/v1 ancestor tag).
 * The ccaas builder is a nested module without tags of its own, hence `v0.0.0-<date>-<commit>`.
 */
export const VERSIONS = {
  /** Fabric release as reported by `peer version` / `orderer version`. */
  fabric: '3.1.5',
  /** Commit of the Fabric `v3.1.5` tag (abbreviated as Fabric's Makefile does for `CommitSHA`). */
  fabricCommit: '86c1172be',
  /** Go pseudo-version of `github.com/hyperledger/fabric` at tag v3.1.5. */
  fabricModule: 'v1.4.0-rc1.0.20260618074816-86c1172bec37',
  /** Go pseudo-version of `github.com/hyperledger/fabric/ccaas_builder` at tag v3.1.5. */
  ccaasBuilderModule: 'v0.0.0-20260618074816-86c1172bec37',
  /** Fabric CA release as reported by `fabric-ca-server version`. */
  fabricCa: '1.5.21',
  /** Go module version of `github.com/hyperledger/fabric-ca`. */
  fabricCaModule: 'v1.5.21',
  /** Go language version written into the throw-away build modules. */
  goDirective: '1.26',
} as const;

/** Go module paths of the binaries we build. */
export const GO_MODULES = {
  fabric: 'github.com/hyperledger/fabric',
  ccaasBuilder: 'github.com/hyperledger/fabric/ccaas_builder',
  fabricCa: 'github.com/hyperledger/fabric-ca',
} as const;

/** Official container images at the pinned versions (docker-compose for people who have Docker). */
export const IMAGES = {
  peer: `hyperledger/fabric-peer:${VERSIONS.fabric}`,
  orderer: `hyperledger/fabric-orderer:${VERSIONS.fabric}`,
  ca: `hyperledger/fabric-ca:${VERSIONS.fabricCa}`,
} as const;

/** Name of the binary cache folder: changes whenever a pinned version changes, so caches never mix. */
export const CACHE_KEY = `v${VERSIONS.fabric}-ca${VERSIONS.fabricCa}`;
