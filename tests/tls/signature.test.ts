/**
 * Handshake signatures (CertificateVerify, RFC 8446 §4.4.3; ServerKeyExchange,
 * RFC 8422 §5.4) with ECDSA are read as exact DER (RFC 5480 §2.2): the same
 * signature with its SEQUENCE length one short, or a stray byte after it, is
 * refused, on each path the endpoints take: node:crypto (the engine in Node)
 * and WebCrypto (the engine in a browser). A live run's signatures, made by
 * the platform with a random nonce, verify too.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HmacDrbg, LiveRandom } from '../../sim/crypto/random';
import { useNativeCrypto } from '../../sim/crypto/native';
import { ecdsaP256PublicKey } from '../../sim/crypto/ecdsa';
import { certificateVerifyContent, sign, verify } from '../../sim/tls/signature';
import type { PrivateKey } from '../../sim/pki/keys';
import { fromHex } from '../../sim/wire/bytes';

const ECDSA_SECP256R1_SHA256 = 0x0403; // RFC 8446 §4.2.3
const d = fromHex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
const privateKey: PrivateKey = { kind: 'ecdsa-p256', d, publicKey: ecdsaP256PublicKey(d) };
const publicKey = { kind: 'ecdsa-p256' as const, point: privateKey.publicKey };

describe.each([
  { path: 'node:crypto', native: true },
  { path: 'WebCrypto', native: false },
])('ECDSA handshake signatures are exact DER, through $path', ({ native }) => {
  beforeEach(() => useNativeCrypto(native));
  afterAll(() => useNativeCrypto(true));

  it('verifies a CertificateVerify signature, and refuses it re-framed', async () => {
    const content = certificateVerifyContent('client', new Uint8Array(32).fill(7));
    const der = await sign(privateKey, 'ecdsa_secp256r1_sha256', content, HmacDrbg.fromSeed(1));
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, der)).toBe(true);

    const short = der.slice();
    short[1] -= 1;
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, short)).toBe(false);
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, Uint8Array.from([...der, 0]))).toBe(false);
  });

  it('a live run signs with a random nonce, and the signature verifies', async () => {
    const content = certificateVerifyContent('server', new Uint8Array(32).fill(9));
    const a = await sign(privateKey, 'ecdsa_secp256r1_sha256', content, new LiveRandom());
    const b = await sign(privateKey, 'ecdsa_secp256r1_sha256', content, new LiveRandom());
    expect(a).not.toEqual(b);
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, a)).toBe(true);
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, b)).toBe(true);
  });
});
