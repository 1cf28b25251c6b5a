/**
 * The bytes a seeded run draws, pinned: SHA-256 digests of the first 1000
 * bytes of `HmacDrbg.fromSeed(seed)` (or of its fork). The Node tests
 * (random.test.ts) check these; a browser test must get the same digests from
 * the same code, which is what "same seed, same bytes in Node and in the
 * browser" means. Changing the seeding in sim/crypto/random.ts changes every
 * seeded run, and these values with it.
 */
import { HmacDrbg } from '../../sim/crypto/random';
import { hash } from '../../sim/crypto/hash';
import { toHex } from '../../sim/wire/bytes';

export const DRBG_REFERENCE: ReadonlyArray<{ seed: number | string; fork?: string; sha256: string }> = [
  { seed: 1, sha256: 'f05d7632300c62ea583465bda9ef34dc30c9cb43a8154b5bdfd02ffab7fe1920' },
  { seed: 42, sha256: '3c24789496ab8e07992169ef2b9ded4e34d1c0224eb12260127f9604f5f792c4' },
  { seed: 1, fork: 'pki ecdsa-p256', sha256: '1b97731261c01d52d1ad70c7991c15095b7f91f87dba88ea21f18e8cd81beeee' },
];

export function drbgReferenceDigest(seed: number | string, fork?: string): string {
  const root = HmacDrbg.fromSeed(seed);
  const source = fork === undefined ? root : root.fork(fork);
  return toHex(hash('sha256', source.bytes(1000)));
}
