/**
 * ECDSA over P-256 with SHA-256 (FIPS 186-5 §6; TLS's ecdsa_secp256r1_sha256,
 * RFC 8446 §4.2.3), over @noble/curves.
 *
 * Signatures are deterministic (RFC 6979), so a seeded run repeats byte for
 * byte; they are DER-encoded as TLS and X.509 carry them (RFC 3279 §2.2.3).
 */
import { p256 } from '@noble/curves/nist.js';

/** Signs `message` (hashed with SHA-256 here) with a 32-byte private scalar. */
export function ecdsaP256Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return p256.sign(message, privateKey, { format: 'der', prehash: true, lowS: true });
}

/** Verifies a DER signature; false for a bad signature or a malformed key or signature. */
export function ecdsaP256Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return p256.verify(signature, message, publicKey, { format: 'der', prehash: true, lowS: false });
  } catch {
    return false;
  }
}

export function ecdsaP256PublicKey(privateKey: Uint8Array): Uint8Array {
  return p256.getPublicKey(privateKey, false);
}
