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
 * A seeded run's ECDSA signatures use RFC 6979 deterministic nonces, so it
 * repeats; verification, and a live run's signatures, go to the platform
 * (node:crypto in Node, WebCrypto in a browser: crypto/ecdsa.ts). RSA's
 * choices are made in crypto/rsa.ts.
 */
import { ecdsaP256Sign, ecdsaP256SignRandomized, ecdsaP256VerifyFast } from '../crypto/ecdsa';
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
      const live = await ecdsaP256SignRandomized(key.d, key.publicKey, message);
      if (live) return live;
    }
    return ecdsaP256Sign(key.d, message);
  }
  if (key.kind !== 'rsa') throw new Error(`${scheme} needs an RSA key`);
  // As for ECDSA, a live run may let WebCrypto draw the PSS salt (RFC 8017 §9.1.1): crypto/rsa.ts decides.
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
  if (name === 'ecdsa_secp256r1_sha256' && key.kind === 'ecdsa-p256') {
    return ecdsaP256VerifyFast(key.point, message, signature);
  }
  if (key.kind !== 'rsa') return false;
  if (name === 'rsa_pss_rsae_sha256') return rsaPssVerify(key.key, 'sha256', message, signature);
  if (name === 'rsa_pkcs1_sha256') return rsaPkcs1Verify(key.key, 'sha256', message, signature);
  return false;
}
