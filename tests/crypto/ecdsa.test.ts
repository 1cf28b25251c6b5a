/**
 * ECDSA P-256 with SHA-256 (sim/crypto/ecdsa.ts) against RFC 6979 Appendix
 * A.2.5 (deterministic signatures), and against node:crypto.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ecdsaP256PublicKey, ecdsaP256Sign, ecdsaP256Verify } from '../../sim/crypto/ecdsa';
import { fromHex, toHex, utf8 } from '../../sim/wire/bytes';

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
