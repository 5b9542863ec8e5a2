/**
 * Every version the network tooling depends on, pinned in one place.
 *
 * Fabric itself is built from the unmodified upstream source archive in `../shared/third_party/`
 * (the Go module proxy refuses `github.com/hyperledger/fabric` at every version); Fabric CA is built
 * from its Go module, which the proxy serves.
 */
export const VERSIONS = {
  /** Fabric release as reported by `peer version` / `orderer version`. */
  fabric: '3.1.5',
  /** Commit of the Fabric `v3.1.5` tag, abbreviated as the source archive's README sets `CommitSHA`. */
  fabricCommit: '86c1172',
  /** Fabric CA release as reported by `fabric-ca-server version`. */
  fabricCa: '1.5.21',
  /** Go module version of `github.com/hyperledger/fabric-ca`. */
  fabricCaModule: 'v1.5.21',
  /** Go language version written into the throw-away Fabric CA build module. */
  goDirective: '1.26',
} as const;

/** The upstream Fabric source archive the binaries are built from (`../shared/third_party/README.md`). */
export const FABRIC_SOURCE = {
  /** File name inside the third-party folder. */
  file: 'fabric-3.1.5-src.tar.gz',
  /** The folder the archive unpacks to (`git archive --prefix`). */
  topDir: 'fabric-3.1.5',
  /** sha256 of the archive, as published in its README; checked before every build. */
  sha256: '9b954dc22a24d1570a7b989029a1cb7c7041c0f27b8ef5cbba571bbe0a97bb77',
} as const;

/** Go module paths of the binaries built from the module proxy. */
export const GO_MODULES = {
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
