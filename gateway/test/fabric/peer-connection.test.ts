import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { FabricCaseLedger } from '../../src/fabric/fabric-ledger';
import { connectPeer, tlsCertificateHash, type PeerConnection } from '../../src/fabric/peer-connection';

const fixture = (file: string): string => readFileSync(join(__dirname, 'tls-fixture', file), 'utf8');
const CLIENT_CERT = fixture('client.crt');
const CLIENT_KEY = fixture('client.key');
const CA_CERT = fixture('ca.crt');
/** `openssl x509 -in client.crt -outform der | sha256sum` (tls-fixture/README.md). */
const CLIENT_DER_SHA256 = '7fc85aa77f321ef90bb11da6257f3d8851eb806ee5a5a60a43e56e9ff61e6cd1';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');

function openTestPeer(): PeerConnection {
  return connectPeer({ endpoint: '127.0.0.1:1', hostAlias: 'peer0.test', tlsRootCertPem: CA_CERT, tlsClient: { certificatePem: CLIENT_CERT, privateKeyPem: CLIENT_KEY } });
}

describe('tlsCertificateHash', () => {
  it('is SHA-256 over the DER of the certificate, not over its PEM text', () => {
    expect(hex(tlsCertificateHash(CLIENT_CERT))).toBe(CLIENT_DER_SHA256);
    expect(hex(tlsCertificateHash(CLIENT_CERT))).toBe(createHash('sha256').update(derOf(CLIENT_CERT)).digest('hex'));
    expect(hex(tlsCertificateHash(CLIENT_CERT))).not.toBe(createHash('sha256').update(CLIENT_CERT).digest('hex'));
  });

  it('hashes the first certificate of a chain file (the client’s own)', () => {
    expect(hex(tlsCertificateHash(CLIENT_CERT + CA_CERT))).toBe(CLIENT_DER_SHA256);
  });
});

describe('connectPeer', () => {
  it('pairs the gRPC client with the hash of the TLS client certificate, not of the peer’s root', () => {
    const peer = openTestPeer();
    try {
      expect(hex(peer.tlsClientCertificateHash)).toBe(CLIENT_DER_SHA256);
    } finally {
      peer.client.close();
    }
  });

  it('reaches the block-event request FabricCaseLedger signs: its channel header carries the hash (the peer answers 400 without it)', async () => {
    const peer = openTestPeer();
    const sent: common.Envelope[] = [];
    jest.spyOn(peer.client, 'makeBidiStreamRequest').mockImplementation(() => {
      const stream = {
        write: (request: common.Envelope) => sent.push(request),
        cancel: () => undefined,
        [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }),
      };
      return stream as unknown as ReturnType<PeerConnection['client']['makeBidiStreamRequest']>;
    });
    const ledger = new FabricCaseLedger({
      connection: peer,
      mspId: 'ZabSachsenMSP',
      channel: 'ankerdresden',
      chaincode: 'procedure',
      identityOf: () => Promise.reject(new Error('not used')),
      service: { certificatePem: CLIENT_CERT, privateKeyPem: CLIENT_KEY },
      timeouts: { evaluateMs: 1000, endorseMs: 1000, submitMs: 1000, commitStatusMs: 1000 },
      mvccRetries: 0,
      enforcementEndorsers: ['ZabSachsenMSP'],
    });
    try {
      const blocks = await ledger.network().getBlockEvents({ startBlock: 5n });
      blocks.close();
      expect(sent).toHaveLength(1);
      const header = common.Payload.deserializeBinary(sent[0]!.getPayload_asU8()).getHeader()!;
      const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
      expect(channelHeader.getType()).toBe(common.HeaderType.DELIVER_SEEK_INFO);
      expect(hex(channelHeader.getTlsCertHash_asU8())).toBe(CLIENT_DER_SHA256);
    } finally {
      ledger.close();
      peer.client.close();
    }
  });
});
