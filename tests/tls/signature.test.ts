/**
 * Handshake signatures (CertificateVerify, RFC 8446 §4.4.3; ServerKeyExchange,
 * RFC 8422 §5.4) with ECDSA are read as exact DER (RFC 5480 §2.2): the same
 * signature with its SEQUENCE length one short, or a stray byte after it, is
 * refused, on the WebCrypto path the endpoints take as on noble's.
 */
import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../sim/crypto/random';
import { ecdsaP256PublicKey } from '../../sim/crypto/ecdsa';
import { certificateVerifyContent, sign, verify } from '../../sim/tls/signature';
import type { PrivateKey } from '../../sim/pki/keys';
import { fromHex } from '../../sim/wire/bytes';

const ECDSA_SECP256R1_SHA256 = 0x0403; // RFC 8446 §4.2.3
const d = fromHex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
const privateKey: PrivateKey = { kind: 'ecdsa-p256', d, publicKey: ecdsaP256PublicKey(d) };
const publicKey = { kind: 'ecdsa-p256' as const, point: privateKey.publicKey };

describe('ECDSA handshake signatures are exact DER', () => {
  it('verifies a CertificateVerify signature, and refuses it re-framed', async () => {
    const content = certificateVerifyContent('client', new Uint8Array(32).fill(7));
    const der = await sign(privateKey, 'ecdsa_secp256r1_sha256', content, HmacDrbg.fromSeed(1));
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, der)).toBe(true);

    const short = der.slice();
    short[1] -= 1;
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, short)).toBe(false);
    expect(await verify(publicKey, ECDSA_SECP256R1_SHA256, content, Uint8Array.from([...der, 0]))).toBe(false);
  });
});
