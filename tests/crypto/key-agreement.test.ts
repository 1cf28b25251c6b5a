/** X25519 and P-256 key agreement (sim/crypto/key-agreement.ts) against RFC 7748 and node:crypto. */
import { describe, expect, it } from 'vitest';
import { createECDH } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { generateKeyShare, sharedSecret } from '../../sim/crypto/key-agreement';
import { HmacDrbg, type RandomSource } from '../../sim/crypto/random';
import { fromHex, toHex } from '../../sim/wire/bytes';

/** Hands out one fixed private key, as the RFC's examples give it. */
function fixed(bytes: Uint8Array): RandomSource {
  const source: RandomSource = { seeded: true, bytes: () => bytes.slice(), fork: () => source };
  return source;
}

describe('X25519 (RFC 7748)', () => {
  it('§5.2: the two scalar multiplication test vectors', () => {
    expect(
      toHex(
        x25519.scalarMult(
          fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
          fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
        ),
      ),
    ).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
    expect(
      toHex(
        x25519.scalarMult(
          fromHex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
          fromHex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'),
        ),
      ),
    ).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });

  it('§6.1: Alice and Bob derive the same shared secret through generateKeyShare and sharedSecret', () => {
    const alice = generateKeyShare(
      'x25519',
      fixed(fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')),
    );
    const bob = generateKeyShare(
      'x25519',
      fixed(fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')),
    );
    expect(toHex(alice.publicKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bob.publicKey)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(sharedSecret(alice, bob.publicKey)!)).toBe(shared);
    expect(toHex(sharedSecret(bob, alice.publicKey)!)).toBe(shared);
  });

  it('§6.1: a low-order peer key gives no secret (all-zero output), and a short key is refused', () => {
    const share = generateKeyShare('x25519', HmacDrbg.fromSeed(1));
    expect(sharedSecret(share, new Uint8Array(32))).toBeUndefined();
    expect(sharedSecret(share, new Uint8Array(31))).toBeUndefined();
  });
});

describe('P-256 ECDH (RFC 8446 §7.4.1: the shared secret is the x coordinate)', () => {
  it('agrees with node:crypto both ways', () => {
    const ours = generateKeyShare('secp256r1', HmacDrbg.fromSeed(11));
    const node = createECDH('prime256v1');
    node.generateKeys();
    const theirs = new Uint8Array(node.computeSecret(Buffer.from(ours.publicKey)));
    expect(toHex(sharedSecret(ours, new Uint8Array(node.getPublicKey()))!)).toBe(toHex(theirs));
    expect(ours.publicKey.length).toBe(65);
    expect(ours.publicKey[0]).toBe(4);
  });

  it('refuses a point that is not on the curve or not uncompressed', () => {
    const ours = generateKeyShare('secp256r1', HmacDrbg.fromSeed(11));
    const bent = ours.publicKey.slice();
    bent[64] ^= 1;
    expect(sharedSecret(ours, bent)).toBeUndefined();
    expect(sharedSecret(ours, ours.publicKey.subarray(0, 33))).toBeUndefined();
  });
});
