/**
 * A certificate's issuer and subject Names (RFC 5280 §4.1.2.4, §4.1.2.6)
 * found by walking its outer DER TLVs (X.690 §8.1.2-§8.1.3), without the
 * X.509 library: a path builder picks an issuer by them before paying for a
 * full parse, and `trunklab analyze` names a captured certificate by them
 * without loading the library at all.
 */

/** The DER bytes of a certificate's issuer and subject Names (RFC 5280 §4.1.2.4, §4.1.2.6). */
export interface CertificateNames {
  issuer: Uint8Array;
  subject: Uint8Array;
}

/**
 * The issuer and subject of a DER certificate, found by walking its outer
 * TLVs without decoding anything else: what a path builder needs to pick a
 * certificate's issuer among many before paying for a full parse. RFC 5280
 * §4.1.2.4 has a CA encode a certificate's issuer exactly as its own subject,
 * so equal bytes are the usual match. Undefined when the bytes are not shaped
 * like a certificate (the full parse then says why).
 */
export function certificateNames(der: Uint8Array): CertificateNames | undefined {
  const certificate = readTlv(der, 0, der.length);
  if (!certificate || certificate.tag !== 0x30) return undefined;
  const tbs = readTlv(der, certificate.start, certificate.end);
  if (!tbs || tbs.tag !== 0x30) return undefined;
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject.
  let at = tbs.start;
  const next = () => {
    const t = readTlv(der, at, tbs.end);
    if (t) at = t.end;
    return t;
  };
  let field = next();
  if (field?.tag === 0xa0) field = next();
  if (field?.tag !== 0x02) return undefined;
  if (next()?.tag !== 0x30) return undefined;
  const issuer = next();
  if (issuer?.tag !== 0x30 || next()?.tag !== 0x30) return undefined;
  const subject = next();
  if (subject?.tag !== 0x30) return undefined;
  return { issuer: der.subarray(issuer.header, issuer.end), subject: der.subarray(subject.header, subject.end) };
}

/** One DER TLV with a low tag number and a definite length inside [from, limit): where its header and content lie. */
export function readTlv(der: Uint8Array, from: number, limit: number) {
  if (from + 2 > limit) return undefined;
  const tag = der[from];
  let length = der[from + 1];
  let start = from + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i];
    start += count;
  }
  const end = start + length;
  return end > limit ? undefined : { tag, header: from, start, end };
}
