/**
 * SRTP's HMAC-SHA1 against RFC 2202 §3 (HMAC-SHA1 test cases 1–7), against
 * OpenSSL through node:crypto, and against @noble/hashes, on messages of
 * every length around the block and padding boundaries.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { HmacSha1 } from '../../sim/rtp/hmac-sha1';
import { fromHex, toHex, utf8 } from '../../sim/wire';

const rep = (byte: number, n: number) => new Uint8Array(n).fill(byte);

describe('HMAC-SHA1, RFC 2202 §3', () => {
  const cases: Array<[number, Uint8Array, Uint8Array, string]> = [
    [1, rep(0x0b, 20), utf8('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
    [2, utf8('Jefe'), utf8('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    [3, rep(0xaa, 20), rep(0xdd, 50), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
    [
      4,
      fromHex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
      rep(0xcd, 50),
      '4c9007f4026250c6bc8414f9bf50c86c2d7235da',
    ],
    [5, rep(0x0c, 20), utf8('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
    [
      6,
      rep(0xaa, 80),
      utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
      'aa4ae5e15272d00e95705637ce8a3b55ed402112',
    ],
    [
      7,
      rep(0xaa, 80),
      utf8('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
    ],
  ];
  for (const [n, key, data, digest] of cases) {
    it(`test case ${n}`, () => expect(toHex(new HmacSha1(key).mac(data))).toBe(digest));
  }
});

describe('agrees with OpenSSL and @noble/hashes', () => {
  it('on every length from 0 to 200 bytes, with and without a 4-byte ROC', () => {
    const key = Uint8Array.from({ length: 20 }, (_, i) => i * 13);
    const ours = new HmacSha1(key);
    const roc = Uint8Array.of(0, 0, 1, 2);
    const out = new Uint8Array(24);
    for (let n = 0; n <= 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      const expected = createHmac('sha1', key).update(data).update(roc).digest('hex');
      ours.macInto(data, n, roc, out, 2);
      expect(toHex(out.subarray(2, 22))).toBe(expected);
      expect(toHex(ours.mac(data))).toBe(toHex(hmac(sha1, key, data)));
    }
  });

  it('on random keys and messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 400 }), (key, data) => {
        expect(toHex(new HmacSha1(key).mac(data))).toBe(createHmac('sha1', key).update(data).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
