/**
 * Ephemeral Diffie-Hellman over the two groups a trunk negotiates, over
 * @noble/curves:
 *
 * - x25519 (RFC 7748 §5): 32-byte keys; the shared secret is the 32-byte
 *   u-coordinate (RFC 8446 §7.4.2).
 * - secp256r1 (P-256, SEC 1): the public key travels as an uncompressed point
 *   (0x04 || X || Y, RFC 8446 §4.2.8.2); the shared secret is the X coordinate
 *   of the product point (RFC 8446 §7.4.1), so the 0x02/0x03 prefix of the
 *   compressed point noble returns is dropped.
 *
 * Private keys come from the run's `RandomSource`, so a seeded run repeats.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import type { RandomSource } from './random';

export type GroupName = 'x25519' | 'secp256r1';

export interface KeyShare {
  group: GroupName;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

export function generateKeyShare(group: GroupName, random: RandomSource): KeyShare {
  if (group === 'x25519') {
    const privateKey = random.bytes(32);
    return { group, privateKey, publicKey: x25519.getPublicKey(privateKey) };
  }
  // P-256 private keys must lie in [1, n-1]; derive one from 48 random bytes
  // (FIPS 186-5 Appendix A.4.1: extra bits make the reduction's bias negligible).
  const privateKey = p256.utils.randomSecretKey(random.bytes(48));
  return { group, privateKey, publicKey: p256.getPublicKey(privateKey, false) };
}

/**
 * The shared secret, or undefined when the peer's public key is not a valid
 * point (the caller answers with an illegal_parameter alert, RFC 8446 §4.2.8).
 */
export function sharedSecret(share: KeyShare, peerPublicKey: Uint8Array): Uint8Array | undefined {
  try {
    if (share.group === 'x25519') {
      if (peerPublicKey.length !== 32) return undefined;
      const secret = x25519.getSharedSecret(share.privateKey, peerPublicKey);
      // RFC 7748 §6.1: an all-zero output means a low-order point; reject it.
      return secret.some((b) => b !== 0) ? secret : undefined;
    }
    if (peerPublicKey.length !== 65 || peerPublicKey[0] !== 4) return undefined;
    return p256.getSharedSecret(share.privateKey, peerPublicKey, true).slice(1);
  } catch {
    return undefined;
  }
}
