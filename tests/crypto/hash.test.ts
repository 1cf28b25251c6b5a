/**
 * Hashes, HMAC and HKDF (sim/crypto/hash.ts) against their RFCs' test vectors:
 * HMAC-SHA-256/384 from RFC 4231 §4, HMAC-SHA-1 from RFC 2202 §3, HKDF from
 * RFC 5869 Appendix A. Every case runs on both of the engine's paths:
 * node:crypto (the engine in Node) and @noble/hashes (the engine in a browser).
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useNativeCrypto } from '../../sim/crypto/native';
import { hash, hkdfExpand, hkdfExtract, hmac, hmacKey, runningHash } from '../../sim/crypto/hash';
import { concatBytes, fromHex, toHex, utf8 } from '../../sim/wire/bytes';

const repeat = (byte: number, n: number) => new Uint8Array(n).fill(byte);
const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each([
  { path: 'node:crypto', native: true },
  { path: '@noble/hashes', native: false },
])('through $path', ({ native }) => {
  beforeEach(() => useNativeCrypto(native));
  afterAll(() => useNativeCrypto(true));

  describe('HMAC-SHA-256 and HMAC-SHA-384 (RFC 4231 §4.2–§4.8)', () => {
    const largeKey = repeat(0xaa, 131);
    const cases = [
      {
        name: 'test case 1',
        key: repeat(0x0b, 20),
        data: utf8('Hi There'),
        sha256: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
        sha384: 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
      },
      {
        name: 'test case 2 (a key shorter than the output)',
        key: utf8('Jefe'),
        data: utf8('what do ya want for nothing?'),
        sha256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
        sha384: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
      },
      {
        name: 'test case 3',
        key: repeat(0xaa, 20),
        data: repeat(0xdd, 50),
        sha256: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
        sha384: '88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27',
      },
      {
        name: 'test case 4',
        key: range(0x01, 0x19),
        data: repeat(0xcd, 50),
        sha256: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
        sha384: '3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb',
      },
      {
        name: 'test case 6 (a key larger than the block)',
        key: largeKey,
        data: utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
        sha256: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
        sha384: '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952',
      },
      {
        name: 'test case 7 (key and data larger than the block)',
        key: largeKey,
        data: utf8(
          'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
        ),
        sha256: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
        sha384: '6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e',
      },
    ];
    it.each(cases)('$name', ({ key, data, sha256, sha384 }) => {
      expect(toHex(hmac('sha256', key, data))).toBe(sha256);
      expect(toHex(hmac('sha384', key, data))).toBe(sha384);
      expect(toHex(hmacKey('sha256', key).mac(data))).toBe(sha256);
    });

    it('test case 5 (output truncated to 128 bits)', () => {
      const mac = hmac('sha256', repeat(0x0c, 20), utf8('Test With Truncation'));
      expect(toHex(mac.subarray(0, 16))).toBe('a3b6167473100ee06e0c796c2955552b');
    });
  });

  describe('HMAC-SHA-1 (RFC 2202 §3), as SRTP and TLS CBC suites use it', () => {
    const cases: Array<[string, Uint8Array, Uint8Array, string]> = [
      ['1', repeat(0x0b, 20), utf8('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
      ['2', utf8('Jefe'), utf8('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
      ['3', repeat(0xaa, 20), repeat(0xdd, 50), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
      ['4', range(0x01, 0x19), repeat(0xcd, 50), '4c9007f4026250c6bc8414f9bf50c86c2d7235da'],
      ['5', repeat(0x0c, 20), utf8('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
      [
        '6',
        repeat(0xaa, 80),
        utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
        'aa4ae5e15272d00e95705637ce8a3b55ed402112',
      ],
      [
        '7',
        repeat(0xaa, 80),
        utf8('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
        'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
      ],
    ];
    it.each(cases)('test case %s', (_n, key, data, mac) => {
      expect(toHex(hmac('sha1', key, data))).toBe(mac);
      expect(toHex(hmacKey('sha1', key).mac(data))).toBe(mac);
    });
  });

  describe('HKDF (RFC 5869 Appendix A)', () => {
    it('A.1: basic test case with SHA-256', () => {
      const prk = hkdfExtract('sha256', range(0x00, 0x0c), repeat(0x0b, 22));
      expect(toHex(prk)).toBe('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
      expect(toHex(hkdfExpand('sha256', prk, range(0xf0, 0xf9), 42))).toBe(
        '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
      );
    });

    it('A.2: longer inputs and outputs with SHA-256', () => {
      const prk = hkdfExtract('sha256', range(0x60, 0xaf), range(0x00, 0x4f));
      expect(toHex(prk)).toBe('06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244');
      expect(toHex(hkdfExpand('sha256', prk, range(0xb0, 0xff), 82))).toBe(
        'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
      );
    });

    it('A.3: zero-length salt and info with SHA-256', () => {
      const prk = hkdfExtract('sha256', new Uint8Array(0), repeat(0x0b, 22));
      expect(toHex(prk)).toBe('19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04');
      expect(toHex(hkdfExpand('sha256', prk, new Uint8Array(0), 42))).toBe(
        '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
      );
    });

    it('A.7: SHA-1 with no salt (a string of zeros) and no info', () => {
      const prk = hkdfExtract('sha1', new Uint8Array(20), repeat(0x0c, 22));
      expect(toHex(hkdfExpand('sha1', prk, new Uint8Array(0), 42))).toBe(
        '2c91117204d745f3500d636a62f64f0ab3bae548aa53d423b0d1f27ebba6f5e5673a081d70cce7acfc48',
      );
    });
  });

  describe('hashes (FIPS 180-4 examples)', () => {
    it('SHA-1, SHA-256 and SHA-384 of "abc", and a running hash read part way', () => {
      expect(toHex(hash('sha1', utf8('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
      expect(toHex(hash('sha256', utf8('abc')))).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
      expect(toHex(hash('sha384', utf8('abc')))).toBe(
        'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
      );
      const running = runningHash('sha256');
      running.update(utf8('a'));
      expect(toHex(running.peek())).toBe(toHex(hash('sha256', utf8('a'))));
      running.update(utf8('bc'));
      expect(toHex(running.peek())).toBe(toHex(hash('sha256', concatBytes(utf8('a'), fromHex('6263')))));
    });
  });
});
