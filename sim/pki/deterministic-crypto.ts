/**
 * A WebCrypto `Crypto` object for @peculiar/x509 under which certificates and
 * certificate requests come out the same from the same seed.
 *
 * @peculiar/x509 signs through `crypto.subtle.sign`. WebCrypto's ECDSA draws a
 * fresh random nonce per signature, so its certificates would differ on each
 * run; here ECDSA P-256 signing is replaced by RFC 6979 deterministic signing
 * (over @noble/curves, RFC 6979 §3.2), returned in WebCrypto's raw r‖s form
 * (WebCrypto §23.4, which x509 re-encodes as DER, RFC 3279 §2.2.3). RSASSA-PKCS1-v1_5
 * is deterministic by construction (RFC 8017 §8.2.1) and goes to WebCrypto
 * unchanged, as does everything else (digests for key identifiers, key export).
 * Nothing here reads the platform's randomness: asking for it is a bug.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { toBase64 } from '../wire/bytes';
import type { PrivateKey } from './keys';

/** The P-256 scalar behind each CryptoKey this module made. */
const ecdsaScalars = new WeakMap<CryptoKey, Uint8Array>();

/** Where a seeded certificate needs a signing algorithm: SHA-256 with the key's own scheme. */
export function signingAlgorithm(key: PrivateKey): Algorithm & { hash: string } {
  return key.kind === 'ecdsa-p256'
    ? { name: 'ECDSA', hash: 'SHA-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

/** The key as a WebCrypto key pair that `deterministicCrypto` signs with. */
export async function cryptoKeyPair(key: PrivateKey): Promise<CryptoKeyPair> {
  const subtle = globalThis.crypto.subtle;
  if (key.kind === 'ecdsa-p256') {
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    // JWK for EC keys: RFC 7518 §6.2, coordinates from the uncompressed point 0x04 ‖ X ‖ Y.
    const pub = {
      kty: 'EC',
      crv: 'P-256',
      x: b64url(key.publicKey.subarray(1, 33)),
      y: b64url(key.publicKey.subarray(33)),
    };
    const privateKey = await subtle.importKey('jwk', { ...pub, d: b64url(key.d) }, algorithm, false, ['sign']);
    const publicKey = await subtle.importKey('jwk', pub, algorithm, true, ['verify']);
    ecdsaScalars.set(privateKey, key.d);
    return { privateKey, publicKey };
  }
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const k = key.key;
  // JWK for RSA keys: RFC 7518 §6.3.
  const pub = { kty: 'RSA', n: int(k.n), e: int(k.e) };
  const priv = { ...pub, d: int(k.d), p: int(k.p), q: int(k.q), dp: int(k.dp), dq: int(k.dq), qi: int(k.qi) };
  return {
    privateKey: await subtle.importKey('jwk', priv, algorithm, false, ['sign']),
    publicKey: await subtle.importKey('jwk', pub, algorithm, true, ['verify']),
  };
}

async function sign(
  algorithm: AlgorithmIdentifier | EcdsaParams,
  key: CryptoKey,
  data: BufferSource,
): Promise<ArrayBuffer> {
  const d = ecdsaScalars.get(key);
  if (!d) return globalThis.crypto.subtle.sign(algorithm, key, data);
  const hashName = typeof algorithm === 'object' && 'hash' in algorithm ? hashNameOf(algorithm.hash) : 'SHA-256';
  const bytes = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
  const digest = hashName === 'SHA-384' ? sha384(bytes) : sha256(bytes);
  const signature = p256.sign(digest, d, { prehash: false, lowS: true, format: 'compact' });
  return signature.slice().buffer;
}

function hashNameOf(hash: AlgorithmIdentifier): string {
  return (typeof hash === 'string' ? hash : hash.name).toUpperCase();
}

const subtleWithDeterministicEcdsa = new Proxy({} as SubtleCrypto, {
  get(_target, property) {
    if (property === 'sign') return sign;
    const real = globalThis.crypto.subtle as unknown as Record<PropertyKey, unknown>;
    const value = real[property];
    return typeof value === 'function' ? value.bind(globalThis.crypto.subtle) : value;
  },
});

export const deterministicCrypto = {
  subtle: subtleWithDeterministicEcdsa,
  getRandomValues<T extends ArrayBufferView | null>(_array: T): T {
    throw new Error(
      'certificate generation asked for platform randomness; every random value must come from the RandomSource',
    );
  },
  randomUUID(): `${string}-${string}-${string}-${string}-${string}` {
    throw new Error(
      'certificate generation asked for a random UUID; every random value must come from the RandomSource',
    );
  },
} as Crypto;

function b64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function int(x: bigint): string {
  let hex = x.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return b64url(Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)));
}
