/**
 * ECDSA over P-256 with SHA-256 (FIPS 186-5 §6; TLS's ecdsa_secp256r1_sha256,
 * RFC 8446 §4.2.3), over @noble/curves.
 *
 * Signatures are deterministic (RFC 6979), so a seeded run repeats byte for
 * byte; they are DER-encoded as TLS and X.509 carry them (RFC 3279 §2.2.3).
 *
 * A signature is read as exact DER or not at all (`ecdsaSignatureFromDer`):
 * an Ecdsa-Sig-Value (RFC 5480 §2.2) is `SEQUENCE { r INTEGER, s INTEGER }`,
 * and DER allows one encoding of it (X.690 §10) — definite lengths in their
 * shortest form that agree with the bytes there are, minimal positive
 * integers, nothing after the SEQUENCE. A reader that accepts a length one
 * short, or a stray byte, lets the bytes a signature is carried in differ
 * from the bytes that were signed over.
 *
 * Verification is deterministic, so it goes to the fastest path the platform
 * has: node:crypto in Node (crypto/native.ts), WebCrypto in a browser,
 * @noble/curves otherwise. A live run's signatures (not reproducible anyway)
 * may likewise use the platform's randomized signing.
 */
import type { KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { p256Jwk } from './jwk';
import { nativeCrypto } from './native';

/** Signs `message` (hashed with SHA-256 here) with a 32-byte private scalar. */
export function ecdsaP256Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return p256.sign(message, privateKey, { format: 'der', prehash: true, lowS: true });
}

/** Verifies a DER signature; false for a bad signature, a malformed key, or a signature that is not exact DER. */
export function ecdsaP256Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const compact = ecdsaSignatureFromDer(signature);
  if (!compact) return false;
  try {
    return p256.verify(compact, message, publicKey, { format: 'compact', prehash: true, lowS: false });
  } catch {
    return false;
  }
}

/**
 * Verifies a DER signature on the fastest path there is: the same verdicts as
 * `ecdsaP256Verify` (exact DER, 1 ≤ r, s < n), by node:crypto or WebCrypto when present.
 */
export async function ecdsaP256VerifyFast(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  // Only exact DER gets as far as a platform verifier (RFC 5480 §2.2, X.690 §10), which reads r || s.
  const compact = ecdsaSignatureFromDer(signature);
  if (!compact) return false;
  const native = nativePublicKey(publicKey);
  if (native) {
    try {
      return nativeCrypto()!.verify('sha256', message, { key: native, dsaEncoding: 'ieee-p1363' }, compact);
    } catch {
      return false;
    }
  }
  const subtle = globalThis.crypto?.subtle;
  const cryptoKey = subtle ? await webCryptoKey(publicKey, undefined) : undefined;
  if (cryptoKey) {
    return subtle!.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      cryptoKey,
      compact as BufferSource,
      message as BufferSource,
    );
  }
  return ecdsaP256Verify(publicKey, message, signature);
}

/**
 * A signature with a random nonce (FIPS 186-5 §6.4) by the platform — for a
 * live run, which is not reproducible anyway — DER-encoded as TLS and X.509
 * carry it; undefined where the platform cannot sign.
 */
export async function ecdsaP256SignRandomized(
  privateKey: Uint8Array,
  publicKey: Uint8Array,
  message: Uint8Array,
): Promise<Uint8Array | undefined> {
  const native = nativeCrypto();
  if (native) {
    let key = nativePrivateKeys.get(privateKey);
    if (key === undefined) {
      try {
        key = native.createPrivateKey({ key: p256Jwk(publicKey, privateKey) as never, format: 'jwk' });
      } catch {
        key = null;
      }
      nativePrivateKeys.set(privateKey, key);
    }
    if (key) return new Uint8Array(native.sign('sha256', message, { key, dsaEncoding: 'der' }));
  }
  const subtle = globalThis.crypto?.subtle;
  const cryptoKey = subtle ? await webCryptoKey(publicKey, privateKey) : undefined;
  if (!cryptoKey) return undefined;
  const compact = new Uint8Array(
    await subtle!.sign({ name: 'ECDSA', hash: 'SHA-256' }, cryptoKey, message as BufferSource),
  );
  return p256.Signature.fromBytes(compact, 'compact').toBytes('der');
}

/** node:crypto private keys, made once per scalar; null where OpenSSL refused it. */
const nativePrivateKeys = new WeakMap<Uint8Array, KeyObject | null>();

/** node:crypto public keys by point bytes, made once; null where OpenSSL refused the point. */
const nativePublicKeys = new Map<string, KeyObject | null>();

function nativePublicKey(point: Uint8Array): KeyObject | undefined {
  const native = nativeCrypto();
  if (!native) return undefined;
  const id = String.fromCharCode(...point);
  let key = nativePublicKeys.get(id);
  if (key === undefined) {
    try {
      key = native.createPublicKey({ key: p256Jwk(point) as never, format: 'jwk' });
    } catch {
      key = null;
    }
    // A handful of keys take part in a lab's runs; a long-lived process is bounded all the same.
    if (nativePublicKeys.size > 256) nativePublicKeys.clear();
    nativePublicKeys.set(id, key);
  }
  return key ?? undefined;
}

/** WebCrypto keys (public for verifying, private for signing), imported once per key. */
const webCryptoKeys = new WeakMap<Uint8Array, Promise<CryptoKey | undefined>>();

function webCryptoKey(point: Uint8Array, d: Uint8Array | undefined): Promise<CryptoKey | undefined> {
  const owner = d ?? point;
  let pending = webCryptoKeys.get(owner);
  if (!pending) {
    pending = globalThis.crypto.subtle
      .importKey('jwk', p256Jwk(point, d), { name: 'ECDSA', namedCurve: 'P-256' }, false, [d ? 'sign' : 'verify'])
      .catch(() => undefined);
    webCryptoKeys.set(owner, pending);
  }
  return pending;
}

export function ecdsaP256PublicKey(privateKey: Uint8Array): Uint8Array {
  return p256.getPublicKey(privateKey, false);
}

/** P-256's r and s are below the group order n, so each fits in 32 bytes (SEC 1 §4.1.3). */
const SCALAR_BYTES = 32;

/**
 * The P-256 signature `r || s` (32 bytes each) that `der` encodes as an
 * Ecdsa-Sig-Value in exact DER; undefined when it is anything else, or when
 * r or s is 0 or not below the group order (SEC 1 §4.1.4 step 1).
 */
export function ecdsaSignatureFromDer(der: Uint8Array): Uint8Array | undefined {
  const value = readEcdsaSigValue(der);
  if (!value || value.r.length > SCALAR_BYTES || value.s.length > SCALAR_BYTES) return undefined;
  const compact = new Uint8Array(2 * SCALAR_BYTES);
  compact.set(value.r, SCALAR_BYTES - value.r.length);
  compact.set(value.s, 2 * SCALAR_BYTES - value.s.length);
  try {
    p256.Signature.fromBytes(compact, 'compact'); // range check: 1 <= r, s < n
  } catch {
    return undefined;
  }
  return compact;
}

/**
 * r and s (big-endian, without the sign byte) of an Ecdsa-Sig-Value in
 * exact DER, on any curve; undefined when the bytes are not exactly that.
 */
export function readEcdsaSigValue(der: Uint8Array): { r: Uint8Array; s: Uint8Array } | undefined {
  const sequence = readElement(der, 0, 0x30);
  if (!sequence || sequence.end !== der.length) return undefined;
  const r = readElement(der, sequence.start, 0x02);
  if (!r) return undefined;
  const s = readElement(der, r.end, 0x02);
  if (!s || s.end !== sequence.end) return undefined;
  const rValue = positiveInteger(der.subarray(r.start, r.end));
  const sValue = positiveInteger(der.subarray(s.start, s.end));
  return rValue && sValue ? { r: rValue, s: sValue } : undefined;
}

/** One element with the expected tag at `at`: where its contents start and end, if its length is DER. */
function readElement(der: Uint8Array, at: number, tag: number): { start: number; end: number } | undefined {
  if (der[at] !== tag || at + 1 >= der.length) return undefined;
  const first = der[at + 1];
  let length: number;
  let start: number;
  if (first < 0x80) {
    // X.690 §8.1.3.4: the short form, for lengths below 128.
    length = first;
    start = at + 2;
  } else if (first === 0x81) {
    // X.690 §8.1.3.5 and §10.1: one length byte, and only for what the short form cannot say.
    length = der[at + 2];
    start = at + 3;
    if (length === undefined || length < 0x80) return undefined;
  } else {
    // Longer forms (no curve's signature needs them) and the indefinite form 0x80, which DER forbids.
    return undefined;
  }
  const end = start + length;
  return end <= der.length ? { start, end } : undefined;
}

/** X.690 §8.3: a non-negative INTEGER in its fewest bytes (a leading 0x00 only to keep the top bit clear). */
function positiveInteger(contents: Uint8Array): Uint8Array | undefined {
  if (contents.length === 0 || contents[0] & 0x80) return undefined; // empty, or negative
  if (contents.length > 1 && contents[0] === 0 && !(contents[1] & 0x80)) return undefined; // not minimal (§8.3.2)
  return contents[0] === 0 ? contents.subarray(1) : contents;
}
