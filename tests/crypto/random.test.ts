/**
 * The seeded generator (sim/crypto/random.ts): its core is HMAC_DRBG with
 * SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2), checked against the NIST CAVP
 * known answer; the seeding wrapper on top is pinned by documented digests
 * (drbg-reference.ts) that a browser run must reproduce.
 */
import { describe, expect, it } from 'vitest';
import { HmacDrbg, LiveRandom } from '../../sim/crypto/random';
import { hash } from '../../sim/crypto/hash';
import { concatBytes, fromHex, toHex } from '../../sim/wire/bytes';
import { DRBG_REFERENCE, drbgReferenceDigest } from './drbg-reference';

describe('HMAC_DRBG SHA-256 (NIST CAVP drbgvectors_no_reseed, HMAC_DRBG.rsp)', () => {
  it('[SHA-256] no prediction resistance, no personalization, no additional input, COUNT = 0', () => {
    // Instantiate with seed_material = EntropyInput || Nonce (SP 800-90A §10.1.2.3),
    // Generate 1024 bits twice; the second output is ReturnedBits.
    const entropy = fromHex('ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488');
    const nonce = fromHex('659ba96c601dc69fc902940805ec0ca8');
    const drbg = new HmacDrbg(concatBytes(entropy, nonce));
    drbg.bytes(128);
    expect(toHex(drbg.bytes(128))).toBe(
      'e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8',
    );
  });
});

describe('the seeding wrapper', () => {
  it.each(DRBG_REFERENCE)(
    'seed $seed, fork "$fork": the documented digest (the browser must match it)',
    ({ seed, fork, sha256 }) => {
      expect(drbgReferenceDigest(seed, fork)).toBe(sha256);
    },
  );

  it('a fork does not depend on how much the parent drew', () => {
    const a = HmacDrbg.fromSeed(1);
    const b = HmacDrbg.fromSeed(1);
    b.bytes(1000);
    expect(toHex(a.fork('tls').bytes(32))).toBe(toHex(b.fork('tls').bytes(32)));
    expect(toHex(a.fork('tls').bytes(32))).not.toBe(toHex(a.fork('srtp').bytes(32)));
  });

  it('the live source is not seeded and does not repeat', () => {
    const live = new LiveRandom();
    expect(live.seeded).toBe(false);
    expect(toHex(hash('sha256', live.bytes(70_000)))).not.toBe(toHex(hash('sha256', live.bytes(70_000))));
  });
});
