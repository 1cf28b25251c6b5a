/**
 * Hashes, HMAC and HKDF.
 *
 * - SHA-1 and SHA-2 (FIPS 180-4). SHA-1 survives only in HMAC-SHA1, which SRTP
 *   (RFC 3711 §4.2.1) and TLS 1.2's CBC suites (RFC 5246 §6.2.3.1) still use;
 *   HMAC does not depend on SHA-1's collision resistance.
 * - HMAC (RFC 2104).
 * - HKDF-Extract and HKDF-Expand (RFC 5869 §2.2, §2.3), which TLS 1.3's key
 *   schedule is built from (RFC 8446 §7.1).
 *
 * In a browser these are @noble/hashes. In Node they are node:crypto's
 * (crypto/native.ts), which hashes a handshake's transcript several times
 * faster and computes an HMAC for a fraction of the allocations; both are the
 * functions the standards define, so the bytes are the same either way.
 */
import type { Hash as NodeHash } from 'node:crypto';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { nativeCrypto } from './native';

export type HashName = 'sha1' | 'sha256' | 'sha384';

const HASHES = { sha1, sha256, sha384 } as const;

/** Output length in bytes of each hash. */
export const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48 };

export function hash(name: HashName, data: Uint8Array): Uint8Array {
  const native = nativeCrypto();
  if (native) return new Uint8Array(native.createHash(name).update(data).digest());
  return HASHES[name](data);
}

export function hmac(name: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  const native = nativeCrypto();
  if (native) return new Uint8Array(native.createHmac(name, key).update(data).digest());
  return nobleHmac(HASHES[name], key, data);
}

/**
 * A keyed HMAC for many messages (TLS 1.2's CBC record MAC): the inner and
 * outer pad state is computed once with @noble/hashes; node:crypto's HMAC
 * costs less per message than a clone of that state.
 */
export interface HmacKey {
  mac(data: Uint8Array): Uint8Array;
}

export function hmacKey(name: HashName, key: Uint8Array): HmacKey {
  if (nativeCrypto()) {
    const k = key.slice();
    return { mac: (data) => hmac(name, k, data) };
  }
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
  const native = nativeCrypto();
  return native ? nativeRunning(native.createHash(name)) : nobleRunning(HASHES[name].create());
}

function nativeRunning(h: NodeHash): RunningHash {
  return {
    update: (data) => void h.update(data),
    peek: () => new Uint8Array(h.copy().digest()),
    fork: () => nativeRunning(h.copy()),
  };
}

function nobleRunning(h: ReturnType<(typeof HASHES)[HashName]['create']>): RunningHash {
  return {
    update: (data) => void h.update(data),
    peek: () => h.clone().digest(),
    fork: () => nobleRunning(h.clone()),
  };
}

/** HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-Hash(salt, IKM). */
export function hkdfExtract(name: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  // An empty salt is HashLen zero bytes (§2.2), which HMAC's zero padding of the key makes the same.
  if (nativeCrypto()) return hmac(name, salt, ikm);
  return extract(HASHES[name], ikm, salt);
}

/** HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC-Hash(PRK, T(i − 1) || info || i), the first `length` bytes of T(1) || T(2) || … */
export function hkdfExpand(name: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const native = nativeCrypto();
  if (!native) return expand(HASHES[name], prk, info, length);
  const hashLength = HASH_LENGTH[name];
  if (length > 255 * hashLength) throw new RangeError(`HKDF-Expand gives at most ${255 * hashLength} bytes`);
  const out = new Uint8Array(length);
  let previous = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++, at += hashLength) {
    previous = new Uint8Array(
      native.createHmac(name, prk).update(previous).update(info).update(Uint8Array.of(i)).digest(),
    );
    out.set(previous.subarray(0, Math.min(hashLength, length - at)), at);
  }
  return out;
}
