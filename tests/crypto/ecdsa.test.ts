/**
 * ECDSA P-256 with SHA-256 (sim/crypto/ecdsa.ts) against RFC 6979 Appendix
 * A.2.5 (deterministic signatures), and against node:crypto. Verification on
 * the platform's paths (node:crypto, WebCrypto) gives noble's verdicts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import {
  ecdsaP256PublicKey,
  ecdsaP256Sign,
  ecdsaP256Verify,
  ecdsaP256VerifyFast,
  ecdsaSignatureFromDer,
  readEcdsaSigValue,
} from '../../sim/crypto/ecdsa';
import { fromHex, toHex, utf8 } from '../../sim/wire/bytes';
import { useNativeCrypto } from '../../sim/crypto/native';

const X = fromHex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
const N = p256.Point.CURVE().n;

/** r and s of a DER ECDSA-Sig-Value (RFC 3279 §2.2.3), as hex of 32 bytes each. */
function rs(der: Uint8Array): [string, string] {
  const sig = p256.Signature.fromBytes(der, 'der');
  return [sig.r.toString(16).padStart(64, '0'), sig.s.toString(16).padStart(64, '0')];
}

describe('ECDSA P-256 / SHA-256 (RFC 6979 A.2.5)', () => {
  it('derives the public key U from the private key x', () => {
    expect(toHex(ecdsaP256PublicKey(X))).toBe(
      '04' +
        '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' +
        '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
    );
  });

  it('signs "sample" with the RFC’s r, and s in its low form (n − s)', () => {
    const [r, s] = rs(ecdsaP256Sign(X, utf8('sample')));
    expect(r).toBe('efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716');
    // The RFC's s = f7cb…cda8 is above n/2; the engine emits the equivalent low-s value (SEC 1 allows either).
    expect(s).toBe(
      (N - BigInt('0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8')).toString(16).padStart(64, '0'),
    );
  });

  it('signs "test" with the RFC’s r and s', () => {
    const [r, s] = rs(ecdsaP256Sign(X, utf8('test')));
    expect(r).toBe('f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367');
    expect(s).toBe('019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083');
  });

  it('verifies the RFC’s own high-s signature too, and refuses a changed message', () => {
    const der = new p256.Signature(
      BigInt('0xefd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716'),
      BigInt('0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8'),
    ).toBytes('der');
    expect(ecdsaP256Verify(ecdsaP256PublicKey(X), utf8('sample'), der)).toBe(true);
    expect(ecdsaP256Verify(ecdsaP256PublicKey(X), utf8('Sample'), der)).toBe(false);
    expect(ecdsaP256Verify(ecdsaP256PublicKey(X), utf8('sample'), der.subarray(1))).toBe(false);
  });
});

describe('ECDSA P-256 against node:crypto', () => {
  it('node verifies ours and we verify node’s', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = privateKey.export({ format: 'jwk' });
    const d = new Uint8Array(Buffer.from(jwk.d!, 'base64url'));
    const message = utf8('INVITE sip:+15555550100@trunks.quillfeather.example SIP/2.0');
    expect(verify('sha256', message, publicKey, ecdsaP256Sign(d, message))).toBe(true);
    const point = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(-65));
    expect(ecdsaP256Verify(point, message, new Uint8Array(sign('sha256', message, privateKey)))).toBe(true);
  });
});

describe('ECDSA signatures are read as exact DER (RFC 5480 §2.2, X.690 §10)', () => {
  const message = utf8('OPTIONS sip:sbc1.trunks.quillfeather.example SIP/2.0');
  const der = ecdsaP256Sign(X, message);
  const key = ecdsaP256PublicKey(X);
  const sig = p256.Signature.fromBytes(der, 'der');
  /** An Ecdsa-Sig-Value written by hand from integer contents, to make encodings DER forbids. */
  const sigValue = (r: number[], s: number[], lengthOf = (n: number) => [n]) => {
    const body = [0x02, ...lengthOf(r.length), ...r, 0x02, ...lengthOf(s.length), ...s];
    return Uint8Array.from([0x30, ...lengthOf(body.length), ...body]);
  };
  const bytesOf = (n: bigint) => [...fromHex(n.toString(16).padStart(64, '0'))];
  const minimal = (b: number[]) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0 && !(b[i + 1] & 0x80)) i++;
    const rest = b.slice(i);
    return rest[0] & 0x80 ? [0, ...rest] : rest;
  };
  const r = minimal(bytesOf(sig.r));
  const s = minimal(bytesOf(sig.s));

  it('reads the engine’s own signature, and one rebuilt from its r and s', () => {
    expect(toHex(ecdsaSignatureFromDer(der)!)).toBe(toHex(sig.toBytes('compact')));
    expect(toHex(sigValue(r, s))).toBe(toHex(der));
    expect(ecdsaP256Verify(key, message, der)).toBe(true);
  });

  it('refuses the SEQUENCE length one short that once verified (fast-check seed 878003439, path 76:31:31:31)', () => {
    const short = der.slice();
    short[1] -= 1;
    expect(ecdsaSignatureFromDer(short)).toBeUndefined();
    expect(ecdsaP256Verify(key, message, short)).toBe(false);
  });

  it('refuses trailing bytes, a long-form length, a padded or negative integer, and a zero', () => {
    const cases: Record<string, Uint8Array> = {
      'a byte after the SEQUENCE': Uint8Array.from([...der, 0]),
      'a SEQUENCE one longer than its contents': Uint8Array.from([0x30, der[1] + 1, ...der.subarray(2), 0]),
      'a length in the long form where the short one fits': sigValue(r, s, (n) => [0x81, n]),
      'r padded with a needless 0x00': sigValue([0, ...r], s),
      'r negative (top bit set, no 0x00)': sigValue(r[0] === 0 ? r.slice(1) : [0x80 | r[0], ...r.slice(1)], s),
      'r zero': sigValue([0], s),
      'an empty INTEGER': sigValue([], s),
      'r of 33 bytes': sigValue([0x01, ...bytesOf(sig.r)], s),
    };
    for (const [name, bad] of Object.entries(cases)) {
      expect(ecdsaSignatureFromDer(bad), name).toBeUndefined();
      expect(ecdsaP256Verify(key, message, bad), name).toBe(false);
    }
    expect(readEcdsaSigValue(Uint8Array.from([0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0, 0]))).toBeUndefined();
  });
});

describe('ECDSA verification on the platform gives noble’s verdicts', () => {
  afterAll(() => useNativeCrypto(true));
  const message = utf8('REGISTER sip:trunks.quillfeather.example SIP/2.0');
  const key = ecdsaP256PublicKey(X);
  const der = ecdsaP256Sign(X, message);
  const short = der.slice();
  short[1] -= 1;
  const high = new p256.Signature(
    BigInt('0xefd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716'),
    BigInt('0xf7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8'),
  ).toBytes('der');
  const cases: Array<[string, Uint8Array, Uint8Array, Uint8Array]> = [
    ['a good signature', key, message, der],
    ['a changed message', key, utf8('REGISTER sip:x SIP/2.0'), der],
    ['a SEQUENCE one byte short', key, message, short],
    ['a stray byte after the SEQUENCE', key, message, Uint8Array.from([...der, 0])],
    ['RFC 6979’s high-s signature of "sample"', key, utf8('sample'), high],
    ['a point off the curve', Uint8Array.from([...key.subarray(0, 64), key[64] ^ 1]), message, der],
  ];

  it.each([
    ['node:crypto', true],
    ['WebCrypto', false],
  ])('through %s', async (_path, native) => {
    useNativeCrypto(native);
    for (const [name, point, m, signature] of cases) {
      expect(await ecdsaP256VerifyFast(point, m, signature), name).toBe(ecdsaP256Verify(point, m, signature));
    }
    expect(ecdsaP256Verify(key, message, der)).toBe(true);
  });
});
