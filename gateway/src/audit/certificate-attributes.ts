import { X509Certificate } from 'node:crypto';

/** DER encoding of OID 1.2.3.4.5.6.7.8.1, the extension in which Fabric CA writes an identity's attributes. */
const FABRIC_ATTRS_OID = Buffer.from([0x06, 0x08, 0x2a, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01]);

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

function tlvAt(der: Buffer, at: number, limit: number): Tlv {
  const tag = der[at];
  let length = der[at + 1];
  if (tag === undefined || length === undefined) throw new Error('truncated DER');
  let contentStart = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (der[contentStart + i] ?? 0);
    contentStart += n;
  }
  const end = contentStart + length;
  if (end > limit) throw new Error('DER element runs past its parent');
  return { tag, start: at, contentStart, end };
}

function childrenOf(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = tlvAt(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/**
 * The Fabric CA attributes a certificate carries (extension 1.2.3.4.5.6.7.8.1, JSON `{"attrs": {…}}`): what
 * chaincode reads with `getAttributeValue` (this project's `role`). Empty when the certificate has none; throws on a
 * certificate or extension that cannot be decoded.
 */
export function fabricAttributesOf(certificate: X509Certificate): Record<string, string> {
  const der = certificate.raw;
  const cert = tlvAt(der, 0, der.length);
  const tbs = childrenOf(der, cert)[0];
  if (tbs === undefined) throw new Error('certificate has no TBSCertificate');
  const wrapper = childrenOf(der, tbs).find((c) => c.tag === 0xa3);
  const extensions = wrapper === undefined ? undefined : childrenOf(der, wrapper)[0];
  if (extensions === undefined) return {};
  for (const extension of childrenOf(der, extensions)) {
    const parts = childrenOf(der, extension);
    const oid = parts[0];
    if (oid === undefined || !der.subarray(oid.start, oid.end).equals(FABRIC_ATTRS_OID)) continue;
    const value = parts[parts.length - 1];
    if (value === undefined || value.tag !== 0x04) throw new Error('attribute extension without OCTET STRING');
    const parsed: unknown = JSON.parse(der.subarray(value.contentStart, value.end).toString('utf8'));
    const attrs: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'attrs') : undefined;
    if (typeof attrs !== 'object' || attrs === null) return {};
    return Object.fromEntries(Object.entries(attrs).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  return {};
}

/** The subject's common name (the enrolment ID of a Fabric CA identity), if it has exactly one. */
export function commonNameOf(certificate: X509Certificate): string | undefined {
  // Node prints one RDN per line and a multi-valued RDN as `OU=a + CN=b`
  const names = certificate.subject
    .split(/\n| \+ /)
    .filter((part) => part.startsWith('CN='))
    .map((part) => part.slice(3));
  return names.length === 1 ? names[0] : undefined;
}
