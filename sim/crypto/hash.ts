/**
 * Hashes, HMAC and HKDF, over @noble/hashes.
 *
 * - SHA-1 and SHA-2 (FIPS 180-4). SHA-1 survives only in HMAC-SHA1, which SRTP
 *   (RFC 3711 §4.2.1) and TLS 1.2's CBC suites (RFC 5246 §6.2.3.1) still use;
 *   HMAC does not depend on SHA-1's collision resistance.
 * - HMAC (RFC 2104).
 * - HKDF-Extract and HKDF-Expand (RFC 5869 §2.2, §2.3), which TLS 1.3's key
 *   schedule is built from (RFC 8446 §7.1).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { expand, extract } from '@noble/hashes/hkdf.js';

export type HashName = 'sha1' | 'sha256' | 'sha384';

const HASHES = { sha1, sha256, sha384 } as const;

/** Output length in bytes of each hash. */
export const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48 };

export function hash(name: HashName, data: Uint8Array): Uint8Array {
  return HASHES[name](data);
}

export function hmac(name: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return nobleHmac(HASHES[name], key, data);
}

/**
 * A keyed HMAC whose inner and outer pad state is computed once, for hot
 * paths (SRTP authenticates every packet with the same key).
 */
export interface HmacKey {
  mac(data: Uint8Array): Uint8Array;
}

export function hmacKey(name: HashName, key: Uint8Array): HmacKey {
  const base = nobleHmac.create(HASHES[name], key);
  return {
    mac(data) {
      const h = base.clone();
      h.update(data);
      return h.digest();
    },
  };
}

/** A running hash that can be read at any point (TLS's transcript hash, RFC 8446 §4.4.1). */
export interface RunningHash {
  update(data: Uint8Array): void;
  /** The digest of everything so far; the hash stays usable. */
  peek(): Uint8Array;
  /** An independent copy, to hash something more without changing this one. */
  fork(): RunningHash;
}

export function runningHash(name: HashName): RunningHash {
  return wrapRunning(HASHES[name].create());
}

function wrapRunning(h: ReturnType<(typeof HASHES)[HashName]['create']>): RunningHash {
  return {
    update: (data) => void h.update(data),
    peek: () => h.clone().digest(),
    fork: () => wrapRunning(h.clone()),
  };
}

/** HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-Hash(salt, IKM). */
export function hkdfExtract(name: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(HASHES[name], ikm, salt);
}

/** HKDF-Expand (RFC 5869 §2.3). */
export function hkdfExpand(name: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return expand(HASHES[name], prk, info, length);
}
