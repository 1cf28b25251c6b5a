/**
 * TLS 1.2 key derivation (RFC 5246 §5): the P_SHA256 vector circulated on the
 * IETF TLS working group's list for the TLS 1.2 drafts, and our PRF against
 * OpenSSL's own (`openssl kdf TLS1-PRF`) for SHA-256 and SHA-384.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8, concatBytes } from '../../sim/wire';
import { prf12, Tls12KeySchedule } from '../../sim/tls/key-schedule-12';
import { suiteByName } from '../../sim/tls/cipher-suites';

function opensslPrf(digest: string, secret: Uint8Array, label: string, seed: Uint8Array, length: number): string {
  const out = execFileSync('openssl', [
    'kdf',
    '-keylen',
    String(length),
    '-kdfopt',
    `digest:${digest}`,
    '-kdfopt',
    `hexsecret:${toHex(secret)}`,
    '-kdfopt',
    `hexseed:${toHex(concatBytes(utf8(label), seed))}`,
    'TLS1-PRF',
  ]).toString();
  return out.replace(/[:\s]/g, '').toLowerCase();
}

describe('TLS 1.2 PRF', () => {
  it('P_SHA256 gives the published test vector (secret 9bbe…, label "test label", 100 bytes)', () => {
    const out = prf12(
      'sha256',
      fromHex('9bbe436ba940f017b17652849a71db35'),
      'test label',
      fromHex('a0ba9f936cda311827a6f796ffd5198c'),
      100,
    );
    expect(toHex(out)).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
    );
  });

  it('agrees with openssl kdf TLS1-PRF for SHA-256 and SHA-384, short and long outputs', () => {
    const secret = fromHex(
      '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    );
    const seed = fromHex(
      'f00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dface',
    );
    for (const [hash, digest] of [
      ['sha256', 'SHA2-256'],
      ['sha384', 'SHA2-384'],
    ] as const) {
      for (const length of [12, 48, 104, 200]) {
        expect(toHex(prf12(hash, secret, 'key expansion', seed, length))).toBe(
          opensslPrf(digest, secret, 'key expansion', seed, length),
        );
      }
    }
  });

  it('cuts the key block in the order of RFC 5246 §6.3 (CBC: MAC keys, keys, no IVs; GCM: keys and 4-byte salts)', () => {
    const master = new Uint8Array(48).fill(7);
    const cr = new Uint8Array(32).fill(1);
    const sr = new Uint8Array(32).fill(2);
    const block = (n: number) => prf12('sha256', master, 'key expansion', concatBytes(sr, cr), n);
    const cbc = new Tls12KeySchedule('sha256').keyBlock(
      master,
      cr,
      sr,
      suiteByName('TLS_RSA_WITH_AES_128_CBC_SHA')!.cipher,
    );
    const b = block(72);
    expect(toHex(cbc.clientMacKey)).toBe(toHex(b.subarray(0, 20)));
    expect(toHex(cbc.serverMacKey)).toBe(toHex(b.subarray(20, 40)));
    expect(toHex(cbc.clientKey)).toBe(toHex(b.subarray(40, 56)));
    expect(toHex(cbc.serverKey)).toBe(toHex(b.subarray(56, 72)));
    expect(cbc.clientIv).toHaveLength(0);
    const gcm = new Tls12KeySchedule('sha256').keyBlock(
      master,
      cr,
      sr,
      suiteByName('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')!.cipher,
    );
    const g = block(40);
    expect(toHex(gcm.clientKey)).toBe(toHex(g.subarray(0, 16)));
    expect(toHex(gcm.serverIv)).toBe(toHex(g.subarray(36, 40)));
  });
});
