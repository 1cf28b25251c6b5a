/**
 * The keys TLS signs and verifies with, read from what OpenSSL writes and
 * from certificates:
 *
 * - PKCS #8 `PRIVATE KEY` (RFC 5208 §5), what `openssl genpkey` and
 *   `openssl req -newkey` write; inside it an RSAPrivateKey or an ECPrivateKey.
 * - PKCS #1 `RSA PRIVATE KEY` (RFC 8017 Appendix A.1.2).
 * - SEC 1 `EC PRIVATE KEY` (RFC 5915 §3), what `openssl ecparam -genkey`
 *   writes, usually after an `EC PARAMETERS` block.
 * - The SubjectPublicKeyInfo of a certificate (RFC 5280 §4.1.2.7): an
 *   RSAPublicKey (RFC 8017 A.1.1) or a P-256 point (RFC 5480 §2.2).
 *
 * The engine speaks ECDSA P-256 and RSA; any other key is a `ParseError` of
 * code `unsupported` that says which key it was.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { RSAPrivateKey, RSAPublicKey } from '@peculiar/asn1-rsa';
import { ECParameters, ECPrivateKey } from '@peculiar/asn1-ecc';
import { p256 } from '@noble/curves/nist.js';
import type { RsaPrivateKey, RsaPublicKey } from '../crypto/rsa';
import { ParseError } from '../wire/parse-error';
import { parseCertificate } from './certificate';
import { readPemBlocks } from './pem';

export type PrivateKey =
  { kind: 'ecdsa-p256'; d: Uint8Array; publicKey: Uint8Array } | { kind: 'rsa'; key: RsaPrivateKey };

export type PublicKey =
  | { kind: 'ecdsa-p256'; /** 65-byte uncompressed point (SEC 1 §2.3.3) */ point: Uint8Array }
  | { kind: 'rsa'; key: RsaPublicKey };

/** rsaEncryption (RFC 8017 Appendix A.1). */
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
/** id-ecPublicKey (RFC 5480 §2.1.1). */
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** secp256r1, a.k.a. prime256v1 (RFC 5480 §2.1.1.1). */
export const OID_P256 = '1.2.840.10045.3.1.7';

const KEY_NAMES: Record<string, string> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.2.840.113549.1.1.10': 'RSA-PSS (restricted key)',
  '1.2.840.10040.4.1': 'DSA',
};

/**
 * The private key in a PEM text: the first `PRIVATE KEY`, `RSA PRIVATE KEY`
 * or `EC PRIVATE KEY` block. Other blocks (`EC PARAMETERS`, certificates in a
 * combined file) are skipped.
 */
export function parsePrivateKeyPem(pem: string): PrivateKey {
  const blocks = readPemBlocks(pem);
  const block = blocks.find((b) => ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'].includes(b.label));
  if (!block) {
    if (blocks.some((b) => b.label === 'ENCRYPTED PRIVATE KEY')) {
      throw new ParseError(
        'unsupported',
        'the private key is encrypted; decrypt it first with `openssl pkey -in KEY -out PLAIN`',
        0,
        'private key',
      );
    }
    const found = blocks.length ? `found ${blocks.map((b) => b.label).join(', ')}` : 'found no PEM block at all';
    throw new ParseError(
      'invalid_value',
      `no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block (${found})`,
      0,
      'private key',
    );
  }
  const where = `PEM block ${block.index} (${block.label})`;
  return asn1(where, () => {
    if (block.label === 'RSA PRIVATE KEY') return rsaPrivateKey(block.der, where);
    if (block.label === 'EC PRIVATE KEY') return ecPrivateKey(block.der, undefined, where);
    const info = AsnConvert.parse(block.der, PrivateKeyInfo);
    const algorithm = info.privateKeyAlgorithm.algorithm;
    if (algorithm === OID_RSA_ENCRYPTION) return rsaPrivateKey(new Uint8Array(info.privateKey.buffer), where);
    if (algorithm === OID_EC_PUBLIC_KEY) {
      const curve = info.privateKeyAlgorithm.parameters
        ? AsnConvert.parse(info.privateKeyAlgorithm.parameters, ECParameters).namedCurve
        : undefined;
      return ecPrivateKey(new Uint8Array(info.privateKey.buffer), curve, where);
    }
    throw unsupported(algorithm, where);
  });
}

/** Public keys already read, per parsed certificate: the same object each time, so WebCrypto imports it once. */
const publicKeys = new WeakMap<object, PublicKey>();

/** The subject’s public key from a DER certificate (shared between calls: treat it as read-only). */
export function publicKeyOfCertificate(der: Uint8Array): PublicKey {
  const certificate = parseCertificate(der);
  const known = publicKeys.get(certificate);
  if (known) return known;
  const where = 'certificate public key';
  // The library reads the key's algorithm parameters only when first asked, so damaged parameters throw here.
  const spki = asn1(where, () => new Uint8Array(certificate.publicKey.rawData));
  const key = publicKeyFromSpki(spki, where);
  publicKeys.set(certificate, key);
  return key;
}

/**
 * The key in a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), as a certificate
 * or a certificate request (RFC 2986 §4.1) carries it; a ParseError naming
 * `where` for a key the engine cannot use.
 */
export function publicKeyFromSpki(der: Uint8Array, where: string): PublicKey {
  return asn1(where, (): PublicKey => {
    const spki = AsnConvert.parse(der, SubjectPublicKeyInfo);
    const algorithm = spki.algorithm.algorithm;
    if (algorithm === OID_RSA_ENCRYPTION) {
      const rsa = AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey);
      return { kind: 'rsa', key: { n: unsigned(rsa.modulus), e: unsigned(rsa.publicExponent) } };
    }
    if (algorithm === OID_EC_PUBLIC_KEY) {
      const curve = spki.algorithm.parameters
        ? AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve
        : undefined;
      if (curve !== OID_P256) throw unsupported(curve ?? 'an unnamed curve', where);
      return { kind: 'ecdsa-p256', point: uncompressedPoint(new Uint8Array(spki.subjectPublicKey), where) };
    }
    throw unsupported(algorithm, where);
  });
}

/** Whether `key` is the private half of the public key that the certificate `der` carries. */
export function keyMatchesCertificate(key: PrivateKey, der: Uint8Array): boolean {
  const certified = publicKeyOfCertificate(der);
  if (key.kind === 'ecdsa-p256') return certified.kind === 'ecdsa-p256' && sameBytes(certified.point, key.publicKey);
  return certified.kind === 'rsa' && certified.key.n === key.key.n && certified.key.e === key.key.e;
}

/**
 * Every `CERTIFICATE` block of a PEM text as DER, in order, each checked to
 * parse as X.509. Other blocks (a key in a combined file) are skipped.
 */
export function parseCertificatesPem(pem: string): Uint8Array[] {
  const certificates = certificateBlocks(pem);
  for (const b of certificates) parseCertificate(b.der, `PEM block ${b.index} (CERTIFICATE)`);
  return certificates.map((b) => b.der);
}

/**
 * The same, not yet parsed: for a chain to validate, whose path validation
 * parses only the certificates the path needs (pki/validate.ts).
 */
export function readCertificatesPem(pem: string): Uint8Array[] {
  return certificateBlocks(pem).map((b) => b.der);
}

function certificateBlocks(pem: string) {
  const blocks = readPemBlocks(pem);
  const certificates = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certificates.length === 0) {
    const found = blocks.length ? `found ${blocks.map((b) => b.label).join(', ')}` : 'found no PEM block at all';
    throw new ParseError('invalid_value', `no CERTIFICATE block (${found})`, 0, 'PEM');
  }
  return certificates;
}

function rsaPrivateKey(der: Uint8Array, where: string): PrivateKey {
  const k = AsnConvert.parse(der, RSAPrivateKey);
  const key: RsaPrivateKey = {
    n: unsigned(k.modulus),
    e: unsigned(k.publicExponent),
    d: unsigned(k.privateExponent),
    p: unsigned(k.prime1),
    q: unsigned(k.prime2),
    dp: unsigned(k.exponent1),
    dq: unsigned(k.exponent2),
    qi: unsigned(k.coefficient),
  };
  if (k.otherPrimeInfos?.length)
    throw new ParseError('unsupported', 'multi-prime RSA keys are not supported', 0, where);
  // RFC 8017 §3.2: n = p·q; a key whose parts disagree would sign garbage.
  if (key.p * key.q !== key.n || key.p < 2n || key.q < 2n) {
    throw new ParseError('invalid_value', 'the RSA key is inconsistent: p·q is not n', 0, where);
  }
  return { kind: 'rsa', key };
}

function ecPrivateKey(der: Uint8Array, outerCurve: string | undefined, where: string): PrivateKey {
  const k = AsnConvert.parse(der, ECPrivateKey);
  const curve = k.parameters?.namedCurve ?? outerCurve;
  if (curve !== OID_P256) throw unsupported(curve ?? 'an EC key without a named curve', where);
  const raw = new Uint8Array(k.privateKey.buffer);
  // RFC 5915 §3: the scalar is an octet string of ceiling(log2(n)/8) bytes; tolerate shorter ones.
  if (raw.length === 0 || raw.length > 32) {
    throw new ParseError('invalid_value', `a P-256 private key has 32 bytes, this one ${raw.length}`, 0, where);
  }
  const d = new Uint8Array(32);
  d.set(raw, 32 - raw.length);
  if (!p256.utils.isValidSecretKey(d)) {
    throw new ParseError('invalid_value', 'the P-256 private scalar is zero or not below the group order', 0, where);
  }
  const publicKey = p256.getPublicKey(d, false);
  if (k.publicKey && !sameBytes(uncompressedPoint(new Uint8Array(k.publicKey), where), publicKey)) {
    throw new ParseError('invalid_value', 'the public key stored with the private key does not belong to it', 0, where);
  }
  return { kind: 'ecdsa-p256', d, publicKey };
}

function uncompressedPoint(bytes: Uint8Array, where: string): Uint8Array {
  try {
    return p256.Point.fromBytes(bytes).toBytes(false);
  } catch {
    throw new ParseError('invalid_value', 'the public key is not a point on P-256', 0, where);
  }
}

function unsigned(buffer: ArrayBuffer): bigint {
  const bytes = new Uint8Array(buffer);
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function unsupported(oid: string, where: string): ParseError {
  const name = KEY_NAMES[oid] ? `${KEY_NAMES[oid]} (${oid})` : oid;
  return new ParseError('unsupported', `${name} keys are not supported; use ECDSA P-256 or RSA`, 0, where);
}

/** Runs ASN.1 decoding and turns the library's exceptions into a ParseError for `where`. */
function asn1<T>(where: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof ParseError) throw e;
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ParseError('invalid_value', `not valid DER for this key type (${why})`, 0, where);
  }
}
