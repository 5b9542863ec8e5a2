import { createPrivateKey } from 'node:crypto';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import { QsccBlockSource } from '../audit/qscc-block-source';
import { connectPeer, type TlsKeyPair } from './peer-connection';

/** Where another agency's peer listens, as the gateway configuration names it (`ledger.partnerPeers`). */
export interface PartnerPeer {
  /** Short name for reports, e.g. `peer0.zab`. */
  readonly name: string;
  readonly mspId: string;
  readonly peerEndpoint: string;
  readonly hostAlias?: string;
  /** TLS root that verifies the partner peer's certificate (PEM). */
  readonly tlsRootCertPem: string;
}

/** Options of {@link connectPartnerPeer}. */
export interface PartnerPeerOptions {
  readonly peer: PartnerPeer;
  /** The gateway's own TLS key pair (every peer of the channel trusts every member's TLS roots). */
  readonly tlsClient: TlsKeyPair;
  /** The agency's service identity (its auditor): QSCC block queries need `/Channel/Application/Readers`. */
  readonly identity: { readonly mspId: string; readonly certificatePem: string; readonly privateKeyPem: string };
  readonly channel: string;
  readonly evaluateMs: number;
}

/** A partner peer's blocks through its QSCC, and how to close the connection. */
export interface PartnerBlocks {
  readonly name: string;
  readonly mspId: string;
  readonly source: QsccBlockSource;
  close(): void;
}

/**
 * Reads another agency's peer's copy of the blocks through that peer's QSCC, signed by this agency's service
 * identity, for the cross-agency comparison of `POST /api/v1/audit/verify`. The peer's gateway service answers a
 * system-chaincode query from its own ledger, so the blocks are the partner's own copy, not this agency's.
 */
export function connectPartnerPeer(o: PartnerPeerOptions): PartnerBlocks {
  const connection = connectPeer({
    endpoint: o.peer.peerEndpoint,
    ...(o.peer.hostAlias === undefined ? {} : { hostAlias: o.peer.hostAlias }),
    tlsRootCertPem: o.peer.tlsRootCertPem,
    tlsClient: o.tlsClient,
  });
  const gateway = connect({
    client: connection.client,
    tlsClientCertificateHash: connection.tlsClientCertificateHash,
    identity: { mspId: o.identity.mspId, credentials: Buffer.from(o.identity.certificatePem) },
    signer: signers.newPrivateKeySigner(createPrivateKey(o.identity.privateKeyPem)),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + o.evaluateMs }),
  });
  const qscc = gateway.getNetwork(o.channel).getContract('qscc');
  return {
    name: o.peer.name,
    mspId: o.peer.mspId,
    source: new QsccBlockSource({ qscc, channel: o.channel, peerLabel: o.peer.name }),
    close: () => {
      gateway.close();
      connection.client.close();
    },
  };
}
