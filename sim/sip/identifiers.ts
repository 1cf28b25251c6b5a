/**
 * The values that make each request, dialog and transaction unique, drawn from
 * a RandomSource so seeded runs repeat exactly:
 * - branch: starts with the magic cookie z9hG4bK (RFC 3261 §8.1.1.7), unique per transaction;
 * - tag: at least 32 bits of randomness (RFC 3261 §19.3);
 * - Call-ID: globally unique, `random@host` (RFC 3261 §8.1.1.4);
 * - digest nonces and cnonces: unpredictable (RFC 7616 §3.3).
 */
import type { RandomSource } from '../crypto/random';
import { BRANCH_MAGIC_COOKIE } from './via';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of `token` (RFC 3261 §25.1), about 5.2 bits each. */
export function randomToken(random: RandomSource, length: number): string {
  // Rejection sampling keeps every character equally likely (252 = 7 × 36).
  let out = '';
  while (out.length < length) {
    for (const b of random.bytes(length - out.length)) if (b < 252 && out.length < length) out += ALPHABET[b % 36];
  }
  return out;
}

export function newBranch(random: RandomSource): string {
  return `${BRANCH_MAGIC_COOKIE}${randomToken(random, 16)}`;
}

export function newTag(random: RandomSource): string {
  return randomToken(random, 10);
}

export function newCallId(random: RandomSource, host: string): string {
  return `${randomToken(random, 20)}@${host}`;
}

/** A nonce: 18 random bytes in base64url-like token characters (RFC 7616 §3.3: unguessable, quoted). */
export function newNonce(random: RandomSource): string {
  return randomToken(random, 32);
}
