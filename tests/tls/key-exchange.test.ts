/**
 * The handshake's (EC)DHE on each of the platform's paths — node:crypto's
 * synchronous calls (the engine in Node) and WebCrypto (the engine in a
 * browser) — gives the same public keys and shared secrets as @noble/curves
 * from the same private bytes (so a seeded run is the same everywhere),
 * matches RFC 7748 §6.1's Alice/Bob vector, and refuses bad peer keys.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { fromHex, toHex } from '../../sim/wire';
import { HmacDrbg } from '../../sim/crypto/random';
import { useNativeCrypto } from '../../sim/crypto/native';
import { computeSharedSecret, createKeyShare, type EphemeralKeyShare } from '../../sim/tls/key-exchange';

const fixed = (bytes: Uint8Array) => ({ bytes: () => bytes, seeded: true, fork: () => HmacDrbg.fromSeed(0) });

const paths = [
  { path: 'node:crypto', native: true, made: (s: EphemeralKeyShare) => s.native !== undefined },
  { path: 'WebCrypto', native: false, made: (s: EphemeralKeyShare) => s.cryptoKey !== undefined },
];

describe.each(paths)('ephemeral key exchange through $path', ({ native, made }) => {
  afterEach(() => useNativeCrypto(true));

  it('x25519: RFC 7748 §6.1 (Alice and Bob)', async () => {
    useNativeCrypto(native);
    const alice = await createKeyShare(
      'x25519',
      fixed(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')),
    );
    const bob = await createKeyShare(
      'x25519',
      fixed(fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')),
    );
    expect(made(alice)).toBe(true);
    expect(toHex(alice.publicKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bob.publicKey)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    expect(toHex((await computeSharedSecret(alice, bob.publicKey))!)).toBe(
      '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
    );
  });

  it('agrees with noble for seeded keys, in both groups', async () => {
    useNativeCrypto(native);
    for (let seed = 0; seed < 5; seed++) {
      const a = await createKeyShare('x25519', HmacDrbg.fromSeed(seed, 'a'));
      expect(made(a)).toBe(true);
      expect(toHex(a.publicKey)).toBe(toHex(x25519.getPublicKey(a.privateKey)));
      const b = await createKeyShare('x25519', HmacDrbg.fromSeed(seed, 'b'));
      expect(toHex((await computeSharedSecret(a, b.publicKey))!)).toBe(
        toHex(x25519.getSharedSecret(a.privateKey, b.publicKey)),
      );
      const p = await createKeyShare('secp256r1', HmacDrbg.fromSeed(seed, 'p'));
      expect(made(p)).toBe(true);
      expect(toHex(p.publicKey)).toBe(toHex(p256.getPublicKey(p.privateKey, false)));
      const q = await createKeyShare('secp256r1', HmacDrbg.fromSeed(seed, 'q'));
      expect(toHex((await computeSharedSecret(p, q.publicKey))!)).toBe(
        toHex(p256.getSharedSecret(p.privateKey, q.publicKey, true).slice(1)),
      );
    }
  });

  it('refuses a low-order x25519 point, a point off P-256, and wrong lengths', async () => {
    useNativeCrypto(native);
    const a = await createKeyShare('x25519', HmacDrbg.fromSeed(1));
    expect(await computeSharedSecret(a, new Uint8Array(32))).toBeUndefined();
    expect(await computeSharedSecret(a, new Uint8Array(31))).toBeUndefined();
    const p = await createKeyShare('secp256r1', HmacDrbg.fromSeed(1));
    const off = p.publicKey.slice();
    off[64] ^= 1;
    expect(await computeSharedSecret(p, off)).toBeUndefined();
    expect(await computeSharedSecret(p, p.publicKey.subarray(0, 33))).toBeUndefined();
  });
});
