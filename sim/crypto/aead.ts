/**
 * Authenticated encryption with associated data, over @noble/ciphers.
 *
 * - AES-GCM (NIST SP 800-38D; RFC 5116 AEAD_AES_128_GCM / _256_GCM), used by
 *   TLS 1.2 GCM suites (RFC 5288), TLS 1.3 (RFC 8446 §5.2) and SRTP (RFC 7714).
 * - ChaCha20-Poly1305 (RFC 8439 §2.8), used by TLS_CHACHA20_POLY1305_SHA256.
 *
 * `open` returns undefined when the tag does not verify: a failed
 * authentication is an outcome the protocols report (bad_record_mac, an SRTP
 * authentication failure), not an exception.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

export type AeadName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

export const AEAD_KEY_LENGTH: Record<AeadName, number> = {
  'aes-128-gcm': 16,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
};

/** Every AEAD here has a 16-byte tag and a 12-byte nonce. */
export const AEAD_TAG_LENGTH = 16;
export const AEAD_NONCE_LENGTH = 12;

function cipher(name: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  if (key.length !== AEAD_KEY_LENGTH[name]) {
    throw new RangeError(`${name} needs a ${AEAD_KEY_LENGTH[name]}-byte key, got ${key.length}`);
  }
  return name === 'chacha20-poly1305' ? chacha20poly1305(key, nonce, aad) : gcm(key, nonce, aad);
}

/** Encrypts and appends the tag. */
export function aeadSeal(
  name: AeadName,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  return cipher(name, key, nonce, aad).encrypt(plaintext);
}

/** Verifies the tag and decrypts; undefined if the tag is wrong. */
export function aeadOpen(
  name: AeadName,
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertextAndTag: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  if (ciphertextAndTag.length < AEAD_TAG_LENGTH) return undefined;
  try {
    return cipher(name, key, nonce, aad).decrypt(ciphertextAndTag);
  } catch {
    return undefined;
  }
}
