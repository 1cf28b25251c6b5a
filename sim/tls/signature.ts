/**
 * Signing and verifying handshake signatures with the schemes a trunk uses
 * (RFC 8446 §4.2.3): ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256 and
 * rsa_pkcs1_sha256 (TLS 1.2 only in handshake messages: RFC 8446 §4.4.3
 * requires RSASSA-PSS for TLS 1.3's CertificateVerify).
 *
 * What is signed:
 * - TLS 1.3 CertificateVerify (§4.4.3): 64 bytes of 0x20, the context string
 *   "TLS 1.3, server CertificateVerify" (or client), a 0 byte, then the
 *   transcript hash — so a signature from one context cannot be replayed in another.
 * - TLS 1.2 CertificateVerify (RFC 5246 §7.4.8): all handshake messages so far.
 * - TLS 1.2 ServerKeyExchange (RFC 8422 §5.4): client_random + server_random + ServerECDHParams.
 *
 * ECDSA signs with RFC 6979 deterministic nonces (a seeded run repeats) and
 * verifies through WebCrypto when it has it, which is deterministic and much
 * faster than bigint arithmetic; RSA is in crypto/rsa.ts.
 */
import { p256 } from '@noble/curves/nist.js';
import { ecdsaP256Sign, ecdsaP256Verify, ecdsaSignatureFromDer } from '../crypto/ecdsa';
import { rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify } from '../crypto/rsa';
import type { RandomSource } from '../crypto/random';
import { concatBytes, utf8 } from '../wire/bytes';
import type { PrivateKey, PublicKey } from '../pki/keys';
import { SIGNATURE_SCHEME, signatureSchemeName, type SignatureSchemeName, type TlsVersion } from './codepoints';

export const SUPPORTED_SCHEMES: readonly SignatureSchemeName[] = [
  'ecdsa_secp256r1_sha256',
  'rsa_pss_rsae_sha256',
  'rsa_pkcs1_sha256',
];

/** The schemes a key can sign with in a given version, best first. */
export function schemesForKey(key: PrivateKey | PublicKey, version: TlsVersion): SignatureSchemeName[] {
  if (key.kind === 'ecdsa-p256') return ['ecdsa_secp256r1_sha256'];
  return version === '1.3' ? ['rsa_pss_rsae_sha256'] : ['rsa_pss_rsae_sha256', 'rsa_pkcs1_sha256'];
}

/** The first of `ours` (our preference) that the key can make and `theirs` accepts. */
export function chooseScheme(
  key: PrivateKey,
  version: TlsVersion,
  ours: readonly SignatureSchemeName[],
  theirs: readonly number[],
): SignatureSchemeName | undefined {
  const possible = schemesForKey(key, version);
  return ours.find((s) => possible.includes(s) && theirs.includes(SIGNATURE_SCHEME[s]));
}

/** The bytes a TLS 1.3 CertificateVerify signs (RFC 8446 §4.4.3). */
export function certificateVerifyContent(sender: 'server' | 'client', transcriptHash: Uint8Array): Uint8Array {
  return concatBytes(
    new Uint8Array(64).fill(0x20),
    utf8(`TLS 1.3, ${sender} CertificateVerify`),
    Uint8Array.of(0),
    transcriptHash,
  );
}

export async function sign(
  key: PrivateKey,
  scheme: SignatureSchemeName,
  message: Uint8Array,
  random: RandomSource,
): Promise<Uint8Array> {
  if (scheme === 'ecdsa_secp256r1_sha256') {
    if (key.kind !== 'ecdsa-p256') throw new Error('ecdsa_secp256r1_sha256 needs a P-256 key');
    // A seeded run must repeat byte for byte: RFC 6979 nonces, in JavaScript. A live run is not
    // reproducible anyway, so it may use WebCrypto, whose nonces are random (FIPS 186-5 §6.4).
    if (!random.seeded) {
      const live = await webCryptoEcdsaSign(key, message);
      if (live) return live;
    }
    return ecdsaP256Sign(key.d, message);
  }
  if (key.kind !== 'rsa') throw new Error(`${scheme} needs an RSA key`);
  if (scheme === 'rsa_pss_rsae_sha256' && !random.seeded) {
    // As for ECDSA: a live run may let WebCrypto draw the PSS salt (RFC 8017 §9.1.1).
    const live = await webCryptoPssSign(key, message);
    if (live) return live;
  }
  return scheme === 'rsa_pss_rsae_sha256'
    ? rsaPssSign(key.key, 'sha256', message, random)
    : rsaPkcs1Sign(key.key, 'sha256', message);
}

/**
 * Verifies a signature; false for a signature that does not verify, a scheme
 * that does not fit the key, or a scheme this engine does not speak.
 */
export async function verify(
  key: PublicKey,
  scheme: number,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const name = signatureSchemeName(scheme);
  if (name === 'ecdsa_secp256r1_sha256' && key.kind === 'ecdsa-p256') return ecdsaVerify(key.point, message, signature);
  if (key.kind !== 'rsa') return false;
  if (name === 'rsa_pss_rsae_sha256') return rsaPssVerify(key.key, 'sha256', message, signature);
  if (name === 'rsa_pkcs1_sha256') return rsaPkcs1Verify(key.key, 'sha256', message, signature);
  return false;
}

const webCryptoKeys = new WeakMap<Uint8Array, Promise<CryptoKey | undefined>>();

/** ECDSA P-256 verification: WebCrypto where available (it wants r || s, not DER), else noble. */
async function ecdsaVerify(point: Uint8Array, message: Uint8Array, der: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    let pending = webCryptoKeys.get(point);
    if (!pending) {
      pending = subtle
        .importKey('raw', point as BufferSource, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
        .catch(() => undefined);
      webCryptoKeys.set(point, pending);
    }
    const cryptoKey = await pending;
    if (cryptoKey) {
      // WebCrypto wants r || s; only exact DER gets that far (RFC 5480 §2.2, X.690 §10).
      const compact = ecdsaSignatureFromDer(der);
      if (!compact) return false;
      return subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        cryptoKey,
        compact as BufferSource,
        message as BufferSource,
      );
    }
  }
  return ecdsaP256Verify(point, message, der);
}

const signingKeys = new WeakMap<object, Promise<CryptoKey | undefined>>();

async function webCryptoEcdsaSign(
  key: Extract<PrivateKey, { kind: 'ecdsa-p256' }>,
  message: Uint8Array,
): Promise<Uint8Array | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  let pending = signingKeys.get(key);
  if (!pending) {
    const b64url = (b: Uint8Array) =>
      btoa(String.fromCharCode(...b))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const jwk: JsonWebKey = {
      kty: 'EC',
      crv: 'P-256',
      d: b64url(key.d),
      x: b64url(key.publicKey.subarray(1, 33)),
      y: b64url(key.publicKey.subarray(33)),
    };
    pending = subtle
      .importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
      .catch(() => undefined);
    signingKeys.set(key, pending);
  }
  const cryptoKey = await pending;
  if (!cryptoKey) return undefined;
  const compact = new Uint8Array(
    await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, cryptoKey, message as BufferSource),
  );
  // TLS carries ECDSA signatures DER-encoded (RFC 8446 §4.2.3, RFC 3279 §2.2.3); WebCrypto gives r || s.
  return p256.Signature.fromBytes(compact, 'compact').toBytes('der');
}

async function webCryptoPssSign(
  key: Extract<PrivateKey, { kind: 'rsa' }>,
  message: Uint8Array,
): Promise<Uint8Array | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  let pending = signingKeys.get(key);
  if (!pending) {
    const big = (x: bigint) => {
      let hex = x.toString(16);
      if (hex.length % 2) hex = '0' + hex;
      const bytes = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
      return btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    };
    const k = key.key;
    const jwk: JsonWebKey = {
      kty: 'RSA',
      n: big(k.n),
      e: big(k.e),
      d: big(k.d),
      p: big(k.p),
      q: big(k.q),
      dp: big(k.dp),
      dq: big(k.dq),
      qi: big(k.qi),
    };
    pending = subtle
      .importKey('jwk', jwk, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign'])
      .catch(() => undefined);
    signingKeys.set(key, pending);
  }
  const cryptoKey = await pending;
  if (!cryptoKey) return undefined;
  // RFC 8446 §4.2.3: the salt is as long as the hash.
  return new Uint8Array(await subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, cryptoKey, message as BufferSource));
}
