/**
 * The AES block cipher and the per-key AES-GCM (sim/crypto/aes-block.ts,
 * ghash.ts, aes-gcm.ts) against FIPS 197 Appendix C (C.1–C.3) and, for every
 * length of text and associated data around the block boundaries, against
 * OpenSSL's AES-GCM through node:crypto. The GCM specification's own test
 * cases run in aead.test.ts, RFC 7714's in tests/rtp.
 */
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AesBlockCipher } from '../../sim/crypto/aes-block';
import { AesGcmKey, GCM_TAG_LENGTH } from '../../sim/crypto/aes-gcm';
import { fromHex, int32At, putInt32, toHex } from '../../sim/wire/bytes';

function encryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const aes = new AesBlockCipher(key);
  aes.encrypt(int32At(block, 0), int32At(block, 4), int32At(block, 8), int32At(block, 12));
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) putInt32(out, 4 * i, aes.out[i]);
  return out;
}

function opensslGcm(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const c = createCipheriv(key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm', key, iv);
  c.setAAD(aad);
  return new Uint8Array(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
}

describe('AES block cipher (FIPS 197 Appendix C)', () => {
  it.each([
    ['C.1 AES-128', '000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
    ['C.2 AES-192', '000102030405060708090a0b0c0d0e0f1011121314151617', 'dda97ca4864cdfe06eaf70a0ec0d7191'],
    [
      'C.3 AES-256',
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      '8ea2b7ca516745bfeafc49904b496089',
    ],
  ])('%s', (_name, key, ciphertext) => {
    expect(toHex(encryptBlock(fromHex(key), fromHex('00112233445566778899aabbccddeeff')))).toBe(ciphertext);
  });

  it('refuses a key of another length', () => {
    expect(() => new AesBlockCipher(new Uint8Array(20))).toThrow(/16-, 24- or 32-byte key, got 20/);
  });

  it('encrypts counter blocks as encrypt does, the FIPS 197 block too, for any key, IV and counter, in any order', () => {
    for (const [key, ciphertext] of [
      ['000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
      ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '8ea2b7ca516745bfeafc49904b496089'],
    ]) {
      const aes = new AesBlockCipher(fromHex(key));
      const block = fromHex('00112233445566778899aabbccddeeff');
      aes.encryptCounter(int32At(block, 0), int32At(block, 4), int32At(block, 8), int32At(block, 12));
      const out = new Uint8Array(16);
      for (let i = 0; i < 4; i++) putInt32(out, 4 * i, aes.out[i]);
      expect(toHex(out)).toBe(ciphertext);
    }
    const word = fc.integer({ min: -0x80000000, max: 0x7fffffff });
    const iv = fc.tuple(word, word, word);
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        // Blocks of a few IVs, interleaved, with counters on both sides of a last-byte wrap.
        fc.array(fc.tuple(iv, fc.oneof(word, fc.integer({ min: 0, max: 600 }))), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (key, blocks, order) => {
          const fast = new AesBlockCipher(key);
          const plain = new AesBlockCipher(key);
          for (const pick of [...order, 0, 0]) {
            const [[a, b, c], counter] = blocks[pick % blocks.length];
            for (const d of [counter, counter + 1, counter + 255, counter + 256]) {
              fast.encryptCounter(a, b, c, d | 0);
              plain.encrypt(a, b, c, d | 0);
              expect(fast.out).toEqual(plain.out);
            }
          }
        },
      ),
    );
  });
});

describe('AES-GCM with per-key tables, against OpenSSL', () => {
  const key128 = Uint8Array.from({ length: 16 }, (_, i) => i * 11 + 3);
  const key256 = Uint8Array.from({ length: 32 }, (_, i) => 255 - i * 7);
  // One key object for many messages, as SRTP and TLS use it: state from one message must not leak into the next.
  const keys = { 16: new AesGcmKey(key128), 32: new AesGcmKey(key256) };
  // The small GHASH tables a TLS epoch's key uses.
  const few = { 16: new AesGcmKey(key128, 'few'), 32: new AesGcmKey(key256, 'few') };

  it.each(['stream', 'few'] as const)(
    'with %s tables, seals every text length 0–80 and associated-data length 0–40 as OpenSSL does, and opens it',
    (use) => {
      const byLength = use === 'stream' ? keys : few;
      for (const size of [16, 32] as const) {
        const key = size === 16 ? key128 : key256;
        for (let n = 0; n <= 80; n++) {
          for (const a of [0, 1, 12, 15, 16, 17, 40]) {
            const iv = Uint8Array.from({ length: 12 }, (_, i) => (n * 31 + a + i) & 0xff);
            const text = Uint8Array.from({ length: n }, (_, i) => (i * 13 + a) & 0xff);
            const aad = Uint8Array.from({ length: a }, (_, i) => (i * 5 + n) & 0xff);
            const sealed = byLength[size].sealToNew(iv, text, aad);
            expect(toHex(sealed)).toBe(toHex(opensslGcm(key, iv, text, aad)));
            expect(toHex(byLength[size].openToNew(iv, sealed, aad)!)).toBe(toHex(text));
          }
        }
      }
    },
  );

  it('opens in place and into another array, and a changed bit anywhere opens nothing and writes nothing', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.uint8Array({ minLength: 0, maxLength: 40 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.nat(),
        (text, aad, iv, flip) => {
          const k = keys[16];
          const sealed = k.sealToNew(iv, text, aad);
          const n = text.length;
          const iv0 = int32At(iv, 0);
          const iv1 = int32At(iv, 4);
          const iv2 = int32At(iv, 8);
          const inPlace = sealed.slice();
          expect(k.open(iv0, iv1, iv2, aad, 0, aad.length, inPlace, 0, n, inPlace, n, inPlace, 0)).toBe(true);
          expect(toHex(inPlace.subarray(0, n))).toBe(toHex(text));
          const bent = sealed.slice();
          bent[flip % bent.length] ^= 1 << (flip % 8);
          const out = new Uint8Array(n).fill(0xee);
          expect(k.open(iv0, iv1, iv2, aad, 0, aad.length, bent, 0, n, bent, n, out, 0)).toBe(false);
          expect(out.every((b) => b === 0xee)).toBe(true);
        },
      ),
    );
  });

  it('refuses an IV that is not 12 bytes and a message shorter than its tag', () => {
    expect(() => keys[16].sealToNew(new Uint8Array(16), new Uint8Array(4), new Uint8Array(0))).toThrow(/12-byte IV/);
    expect(keys[16].openToNew(new Uint8Array(12), new Uint8Array(GCM_TAG_LENGTH - 1), new Uint8Array(0))).toBe(
      undefined,
    );
  });
});
