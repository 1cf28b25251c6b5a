/**
 * Reading an X.509 certificate (RFC 5280 §4.1) from DER with @peculiar/x509,
 * turning every way the bytes can be wrong into a `ParseError`.
 *
 * The outer SEQUENCE's length is checked here first (X.690 §8.1.3, DER's
 * definite lengths): a certificate cut short or followed by stray bytes is
 * named as such, rather than left to the ASN.1 library's own wording.
 *
 * Then the bytes must be DER (X.690 §10): the one encoding of what they
 * decode to. A reader that accepts other encodings — a wrong tag the library
 * skips over, a non-minimal length — can be shown one certificate while the
 * signature covers another; so the decoded structure is encoded again and
 * must give back the same bytes. And the outer signatureAlgorithm must be
 * the one inside the signed part (RFC 5280 §4.1.1.2).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { X509Certificate } from '@peculiar/x509';
import { toHex } from '../wire/bytes';
import { ParseError } from '../wire/parse-error';

// Read without the X.509 library, so they live apart from it; re-exported for the callers that parse too.
export { certificateNames, type CertificateNames } from './certificate-names';

/**
 * Certificates already read, by their bytes. Reading one with the ASN.1
 * library costs milliseconds, and a TLS peer sees the same few certificates
 * in every handshake; a certificate is immutable, so the same bytes always
 * read the same. Bounded, oldest first out.
 */
const parsed = new Map<string, X509Certificate>();
const PARSED_LIMIT = 256;
/** The same, by the array that held the bytes (arrays a caller keeps, such as its trust anchors). */
const parsedArrays = new WeakMap<Uint8Array, X509Certificate>();

/** Parses one DER certificate; `where` names it in errors (e.g. `PEM block 2 (CERTIFICATE)`). */
export function parseCertificate(der: Uint8Array, where = 'certificate'): X509Certificate {
  // The same array again (a trust anchor, at every validation): no need even to compare its bytes.
  const same = parsedArrays.get(der);
  if (same) return same;
  checkOuterSequence(der, where);
  const id = toHex(der);
  const known = parsed.get(id);
  if (known) {
    parsedArrays.set(der, known);
    return known;
  }
  try {
    checkDistinguishedEncoding(der, where);
    const certificate = new X509Certificate(der as Uint8Array<ArrayBuffer>);
    // Parts of the library decode lazily: read every field validation uses, so bad bytes fail here.
    void [certificate.subject, certificate.issuer, certificate.notBefore, certificate.notAfter];
    void [certificate.serialNumber, certificate.extensions.map((x) => x.type)];
    if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
    parsed.set(id, certificate);
    parsedArrays.set(der, certificate);
    return certificate;
  } catch (e) {
    if (e instanceof ParseError) throw e;
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ParseError('invalid_value', `not a valid X.509 certificate (${why})`, 0, where);
  }
}

/** X.690 §10 and RFC 5280 §4.1.1.2; the ASN.1 library's own errors are caught by the caller. */
function checkDistinguishedEncoding(der: Uint8Array, where: string): void {
  const structure = AsnConvert.parse(der, Certificate);
  const again = new Uint8Array(AsnConvert.serialize(structure));
  const differs = firstDifference(der, again);
  if (differs !== undefined) {
    throw new ParseError(
      'invalid_value',
      `not DER: byte ${differs} (0x${hex(der[differs] ?? 0)}) is not how DER encodes what it stands for`,
      differs,
      where,
    );
  }
  const outer = new Uint8Array(AsnConvert.serialize(structure.signatureAlgorithm));
  const inner = new Uint8Array(AsnConvert.serialize(structure.tbsCertificate.signature));
  if (firstDifference(outer, inner) !== undefined) {
    throw new ParseError(
      'invalid_value',
      'signatureAlgorithm differs from the signature algorithm inside the signed part (RFC 5280 §4.1.1.2)',
      0,
      where,
    );
  }
}

function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return undefined;
}

/** The certificate's DER: tag 0x30 (SEQUENCE), a definite length, exactly that many bytes. */
function checkOuterSequence(der: Uint8Array, where: string): void {
  if (der.length < 2) throw new ParseError('truncated', 'too short to be DER', 0, where);
  if (der[0] !== 0x30) {
    throw new ParseError(
      'invalid_value',
      `not DER: the first byte is 0x${hex(der[0])} where a SEQUENCE (0x30) should be`,
      0,
      where,
    );
  }
  let length = der[1];
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // X.690 §8.1.3.5: 0x80 is the indefinite form, which DER forbids; certificates never need more than 4 length bytes.
    if (count === 0 || count > 4) {
      throw new ParseError('invalid_value', `a length form DER does not allow (0x${hex(der[1])})`, 1, where);
    }
    if (der.length < 2 + count)
      throw new ParseError('truncated', 'cut short inside its length field', der.length, where);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[2 + i];
    header += count;
  }
  const total = header + length;
  if (der.length < total) {
    throw new ParseError('truncated', `cut short: ${der.length} of ${total} bytes`, der.length, where);
  }
  if (der.length > total) {
    throw new ParseError('trailing_bytes', `${der.length - total} stray bytes after the certificate`, total, where);
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
