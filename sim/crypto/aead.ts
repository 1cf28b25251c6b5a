/**
 * Authenticated encryption with associated data.
 *
 * - AES-GCM (NIST SP 800-38D; RFC 5116 AEAD_AES_128_GCM / _256_GCM), used by
 *   TLS 1.2 GCM suites (RFC 5288), TLS 1.3 (RFC 8446 §5.2) and SRTP (RFC 7714):
 *   crypto/aes-gcm.ts, whose key schedule and GHASH tables are prepared once
 *   per key, which is why a connection holds an `AeadKey` for each direction
 *   and epoch rather than passing the key bytes for every record (SRTP holds
 *   its own `AesGcmKey`, with the larger tables a stream of packets pays for).
 * - ChaCha20-Poly1305 (RFC 8439 §2.8), used by TLS_CHACHA20_POLY1305_SHA256,
 *   over @noble/ciphers.
 *
 * `open` returns undefined when the tag does not verify: a failed
 * authentication is an outcome the protocols report (bad_record_mac, an SRTP
 * authentication failure), not an exception.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { AesGcmKey } from './aes-gcm';

export type AeadName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

export const AEAD_KEY_LENGTH: Record<AeadName, number> = {
  'aes-128-gcm': 16,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
};

/** Every AEAD here has a 16-byte tag and a 12-byte nonce. */
export const AEAD_TAG_LENGTH = 16;
export const AEAD_NONCE_LENGTH = 12;

/** One key of one AEAD, ready for many messages. */
export interface AeadKey {
  /** Encrypts and appends the tag. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** Verifies the tag and decrypts; undefined if the tag is wrong. */
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Uint8Array | undefined;
}

export function aeadKey(name: AeadName, key: Uint8Array): AeadKey {
  if (key.length !== AEAD_KEY_LENGTH[name]) {
    throw new RangeError(`${name} needs a ${AEAD_KEY_LENGTH[name]}-byte key, got ${key.length}`);
  }
  if (name !== 'chacha20-poly1305') {
    // A TLS epoch seals a handful of records to a few hundred: the small GHASH tables, made at the
    // first record (a handshake derives application keys that a short connection may never use).
    const k = key.slice();
    let gcm: AesGcmKey | undefined;
    return {
      seal: (nonce, plaintext, aad) => (gcm ??= new AesGcmKey(k, 'few')).sealToNew(nonce, plaintext, aad),
      open: (nonce, sealed, aad) => (gcm ??= new AesGcmKey(k, 'few')).openToNew(nonce, sealed, aad),
    };
  }
  const k = key.slice();
  return {
    seal: (nonce, plaintext, aad) => chacha20poly1305(k, nonce, aad).encrypt(plaintext),
    open: (nonce, sealed, aad) => {
      if (sealed.length < AEAD_TAG_LENGTH) return undefined;
      try {
        return chacha20poly1305(k, nonce, aad).decrypt(sealed);
      } catch {
        return undefined;
      }
    },
  };
}

/** Encrypts and appends the tag, with a key used once. */
export function aeadSeal(
  name: AeadName,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  return aeadKey(name, key).seal(nonce, plaintext, aad);
}

/** Verifies the tag and decrypts, with a key used once; undefined if the tag is wrong. */
export function aeadOpen(
  name: AeadName,
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertextAndTag: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  return aeadKey(name, key).open(nonce, ciphertextAndTag, aad);
}
