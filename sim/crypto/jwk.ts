/**
 * The engine's keys as JSON Web Keys (RFC 7517), the form in which both
 * WebCrypto (`importKey('jwk', …)`) and node:crypto (`createPrivateKey({ format: 'jwk' })`)
 * take raw key material: integers and coordinates as unsigned big-endian
 * bytes in base64url without padding (RFC 7518 §2, §6.2, §6.3; RFC 8037 §2).
 */
import { toBase64 } from '../wire/bytes';
import type { RsaPrivateKey, RsaPublicKey } from './rsa';

/** base64url without padding (RFC 4648 §5, RFC 7515 §2). */
export function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The bytes of base64url text, with or without padding (RFC 4648 §5). */
export function fromBase64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A non-negative integer in its fewest big-endian bytes (at least one), base64url. */
function integer(x: bigint): string {
  let hex = x.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return base64url(bytes);
}

/** An RSA key (RFC 7518 §6.3): the public part, or with the private exponent and CRT values. */
export function rsaJwk(key: RsaPublicKey | RsaPrivateKey, use: 'public' | 'private'): JsonWebKey {
  const jwk: JsonWebKey = { kty: 'RSA', n: integer(key.n), e: integer(key.e), ext: true };
  if (use === 'public') return jwk;
  const k = key as RsaPrivateKey;
  return {
    ...jwk,
    d: integer(k.d),
    p: integer(k.p),
    q: integer(k.q),
    dp: integer(k.dp),
    dq: integer(k.dq),
    qi: integer(k.qi),
  };
}

/** A P-256 key (RFC 7518 §6.2) from its uncompressed point 0x04 || X || Y, and the private scalar if given. */
export function p256Jwk(point: Uint8Array, d?: Uint8Array): JsonWebKey {
  const jwk: JsonWebKey = {
    kty: 'EC',
    crv: 'P-256',
    x: base64url(point.subarray(1, 33)),
    y: base64url(point.subarray(33)),
  };
  return d ? { ...jwk, d: base64url(d) } : jwk;
}
