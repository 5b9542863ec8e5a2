import { X509Certificate } from 'node:crypto';

/** DER encoding of OID 1.2.3.4.5.6.7.8.1, the extension in which Fabric CA writes attributes. */
const ATTRS_OID = Buffer.from([0x06, 0x08, 0x2a, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01]);

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  const tag = der[at];
  let len = der[at + 1];
  if (tag === undefined || len === undefined) throw new Error('truncated DER');
  let contentStart = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (der[contentStart + i] ?? 0);
    contentStart += n;
  }
  return { tag, start: at, contentStart, end: contentStart + len };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const c = readTlv(der, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

/**
 * The Fabric CA attributes in a certificate (extension 1.2.3.4.5.6.7.8.1, JSON `{"attrs":{…}}`), or
 * `undefined` when the certificate has none.
 */
export function certAttributes(pem: string): Record<string, string> | undefined {
  const der = new X509Certificate(pem).raw;
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0];
  if (tbs === undefined) throw new Error('no TBSCertificate');
  const extsWrapper = children(der, tbs).find((c) => c.tag === 0xa3);
  const exts = extsWrapper === undefined ? undefined : children(der, extsWrapper)[0];
  if (exts === undefined) return undefined;
  for (const ext of children(der, exts)) {
    const parts = children(der, ext);
    const oid = parts[0];
    if (oid === undefined || !der.subarray(oid.start, oid.end).equals(ATTRS_OID)) continue;
    const value = parts[parts.length - 1];
    if (value === undefined || value.tag !== 0x04) throw new Error('attribute extension without OCTET STRING');
    const json = JSON.parse(der.subarray(value.contentStart, value.end).toString('utf8')) as { attrs?: Record<string, string> };
    return json.attrs ?? {};
  }
  return undefined;
}

/** The organisational units of a certificate's subject (with NodeOUs: client, peer, admin, orderer, plus affiliation). */
export function certOrganizationalUnits(pem: string): string[] {
  return new X509Certificate(pem)
    .subject.split(/\n| \+ /)
    .filter((l) => l.startsWith('OU='))
    .map((l) => l.slice(3));
}
