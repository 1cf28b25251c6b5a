/**
 * RSA (sim/crypto/rsa.ts) against the PKCS #1 test vectors (RFC 8017; files in
 * rsa-vectors.ts) and against implementations we did not write: node:crypto
 * (OpenSSL inside Node) and the `openssl pkeyutl` command. Every case runs on
 * both of the engine's paths — node:crypto's raw RSA (the engine in Node) and
 * the bigint CRT arithmetic (the engine in a browser) — and the two must give
 * the same bytes from the same seed.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { constants, generateKeyPairSync, publicEncrypt, sign, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invert } from 'micro-rsa-dsa-dh/utils.js';
import {
  rsaPkcs1Decrypt,
  rsaPkcs1Encrypt,
  rsaPkcs1Sign,
  rsaPkcs1Verify,
  rsaPssSign,
  rsaPssVerify,
  type RsaHash,
  type RsaPrivateKey,
} from '../../sim/crypto/rsa';
import { HmacDrbg, type RandomSource } from '../../sim/crypto/random';
import { useNativeCrypto } from '../../sim/crypto/native';
import { toHex, utf8 } from '../../sim/wire/bytes';
import { PKCS1_ENCRYPT_EXAMPLE_1, PKCS1_SIGN_EXAMPLE_1, PSS_WORKED_EXAMPLE } from './rsa-vectors';

/** A RandomSource that hands out exactly the bytes a test vector used, then fails. */
function scripted(bytes: Uint8Array): RandomSource {
  let at = 0;
  const source: RandomSource = {
    seeded: true,
    bytes(n) {
      if (at + n > bytes.length) throw new Error('the vector has no more random bytes');
      const out = bytes.slice(at, at + n);
      at += n;
      return out;
    },
    fork: () => source,
  };
  return source;
}

function fromJwk(jwk: Record<string, string>): RsaPrivateKey {
  const b = (s: string) => BigInt('0x' + Buffer.from(s, 'base64url').toString('hex'));
  return {
    n: b(jwk.n),
    e: b(jwk.e),
    d: b(jwk.d),
    p: b(jwk.p),
    q: b(jwk.q),
    dp: b(jwk.dp),
    dq: b(jwk.dq),
    qi: b(jwk.qi),
  };
}

const NODE_HASH: Record<RsaHash, string> = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384' };

const nodePair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ours = fromJwk(nodePair.privateKey.export({ format: 'jwk' }) as Record<string, string>);
const message = utf8('OPTIONS sip:sbc1.trunks.quillfeather.example SIP/2.0');

describe.each([
  { path: 'node:crypto raw RSA', native: true },
  { path: 'bigint CRT', native: false },
])('on the $path path', ({ native }) => {
  beforeEach(() => useNativeCrypto(native));
  afterAll(() => useNativeCrypto(true));

  describe('RSASSA-PKCS1-v1_5 (RFC 8017 §8.2)', () => {
    it('signs PKCS #1 v2.1 vector 1.1 (pkcs1v15sign-vectors.txt) byte for byte and verifies it', async () => {
      const { key, message: m, signature } = PKCS1_SIGN_EXAMPLE_1;
      expect(toHex(await rsaPkcs1Sign(key, 'sha1', m))).toBe(toHex(signature));
      expect(await rsaPkcs1Verify(key, 'sha1', m, signature)).toBe(true);
      const tampered = signature.slice();
      tampered[5] ^= 1;
      expect(await rsaPkcs1Verify(key, 'sha1', m, tampered)).toBe(false);
      expect(await rsaPkcs1Verify(key, 'sha1', m.subarray(1), signature)).toBe(false);
      expect(await rsaPkcs1Verify(key, 'sha1', m, signature.subarray(1))).toBe(false);
    });

    for (const hash of ['sha1', 'sha256', 'sha384'] as const) {
      it(`matches node:crypto exactly with ${hash} (the scheme is deterministic), both ways`, async () => {
        const mine = await rsaPkcs1Sign(ours, hash, message);
        const theirs = sign(NODE_HASH[hash], message, nodePair.privateKey);
        expect(toHex(mine)).toBe(toHex(theirs));
        expect(verify(NODE_HASH[hash], message, nodePair.publicKey, mine)).toBe(true);
        expect(await rsaPkcs1Verify(ours, hash, message, theirs)).toBe(true);
        expect(await rsaPkcs1Verify({ n: ours.n, e: ours.e }, hash, utf8('other'), theirs)).toBe(false);
      });
    }

    it('computes the same signature on the bigint path when WebCrypto is absent (insecure browser contexts)', async () => {
      const { key, message: m, signature } = PKCS1_SIGN_EXAMPLE_1;
      const keyCopy = { ...key };
      const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
      Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
      try {
        expect(toHex(await rsaPkcs1Sign(keyCopy, 'sha1', m))).toBe(toHex(signature));
        expect(await rsaPkcs1Verify(keyCopy, 'sha1', m, signature)).toBe(true);
        const pss = await rsaPssSign(keyCopy, 'sha256', m, HmacDrbg.fromSeed(1));
        expect(await rsaPssVerify(keyCopy, 'sha256', m, pss)).toBe(true);
        expect(await rsaPssVerify(keyCopy, 'sha256', m.subarray(1), pss)).toBe(false);
      } finally {
        Object.defineProperty(globalThis, 'crypto', saved);
      }
    });
  });

  describe('RSASSA-PSS (RFC 8017 §8.1) with salt length = hash length (RFC 8446 §4.2.3)', () => {
    it('reproduces the worked example of pss-int.txt when given its salt', async () => {
      const { key, message: m, salt, signature } = PSS_WORKED_EXAMPLE;
      const d = invert(key.e, (key.p - 1n) * (key.q - 1n));
      const full = { ...key, d };
      expect(toHex(await rsaPssSign(full, 'sha1', m, scripted(salt)))).toBe(toHex(signature));
      expect(await rsaPssVerify(full, 'sha1', m, signature)).toBe(true);
      const tampered = signature.slice();
      tampered[100] ^= 0x80;
      expect(await rsaPssVerify(full, 'sha1', m, tampered)).toBe(false);
    });

    for (const hash of ['sha256', 'sha384'] as const) {
      it(`node:crypto verifies ours and we verify node's, with ${hash}`, async () => {
        const mine = await rsaPssSign(ours, hash, message, HmacDrbg.fromSeed(7));
        const pss = {
          key: nodePair.publicKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: hash === 'sha256' ? 32 : 48,
        };
        expect(verify(NODE_HASH[hash], message, pss, mine)).toBe(true);
        const theirs = sign(NODE_HASH[hash], message, { ...pss, key: nodePair.privateKey });
        expect(await rsaPssVerify(ours, hash, message, theirs)).toBe(true);
        expect(await rsaPssVerify(ours, hash, utf8('other'), theirs)).toBe(false);
      });
    }

    it('repeats byte for byte from the same seed, and differs with another seed', async () => {
      const a = await rsaPssSign(ours, 'sha256', message, HmacDrbg.fromSeed(42));
      const b = await rsaPssSign(ours, 'sha256', message, HmacDrbg.fromSeed(42));
      const c = await rsaPssSign(ours, 'sha256', message, HmacDrbg.fromSeed(43));
      expect(toHex(a)).toBe(toHex(b));
      expect(toHex(a)).not.toBe(toHex(c));
    });
  });

  describe('RSAES-PKCS1-v1_5 (RFC 8017 §7.2)', () => {
    for (const v of PKCS1_ENCRYPT_EXAMPLE_1.cases) {
      it(`encrypts pkcs1v15crypt-vectors.txt example ${v.name} byte for byte with its padding seed, and decrypts it`, async () => {
        const { key } = PKCS1_ENCRYPT_EXAMPLE_1;
        expect(toHex(await rsaPkcs1Encrypt(key, v.message, scripted(v.seed)))).toBe(toHex(v.ciphertext));
        expect(toHex((await rsaPkcs1Decrypt(key, v.ciphertext))!)).toBe(toHex(v.message));
      });
    }

    it('replaces zero padding bytes with fresh draws (PS must be non-zero, §7.2.1 step 2a)', async () => {
      const { key, cases } = PKCS1_ENCRYPT_EXAMPLE_1;
      const v = cases[0];
      const seedWithZero = v.seed.slice();
      seedWithZero[3] = 0;
      const source = scripted(new Uint8Array([...seedWithZero, 0, v.seed[3]]));
      expect(toHex(await rsaPkcs1Encrypt(key, v.message, source))).toBe(toHex(v.ciphertext));
    });

    it('openssl pkeyutl decrypts what we encrypt (a TLS 1.2 premaster secret)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trunklab-rsa-'));
      try {
        const premaster = new Uint8Array(48);
        premaster.set([3, 3]);
        premaster.set(HmacDrbg.fromSeed(5).bytes(46), 2);
        writeFileSync(join(dir, 'key.pem'), nodePair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
        writeFileSync(join(dir, 'ct.bin'), await rsaPkcs1Encrypt(ours, premaster, HmacDrbg.fromSeed(9)));
        const out = execFileSync('openssl', [
          'pkeyutl',
          '-decrypt',
          '-inkey',
          join(dir, 'key.pem'),
          '-in',
          join(dir, 'ct.bin'),
          '-pkeyopt',
          'rsa_padding_mode:pkcs1',
        ]);
        expect(toHex(new Uint8Array(out))).toBe(toHex(premaster));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('decrypts what node:crypto encrypts', async () => {
      const secret = utf8('premaster secret of forty-eight bytes, exactly!!');
      const ct = publicEncrypt({ key: nodePair.publicKey, padding: constants.RSA_PKCS1_PADDING }, secret);
      expect(toHex((await rsaPkcs1Decrypt(ours, new Uint8Array(ct)))!)).toBe(toHex(secret));
    });

    it('returns undefined for a wrong length, an out-of-range value or bad padding, never throws', async () => {
      const { key, cases } = PKCS1_ENCRYPT_EXAMPLE_1;
      expect(await rsaPkcs1Decrypt(key, cases[0].ciphertext.subarray(1))).toBeUndefined();
      expect(await rsaPkcs1Decrypt(key, new Uint8Array(128).fill(0xff))).toBeUndefined();
      const tampered = cases[0].ciphertext.slice();
      tampered[0] ^= 0x01;
      expect(await rsaPkcs1Decrypt(key, tampered)).toBeUndefined();
      // A signature-type block (0x00 0x01 …) is not an encryption block.
      const pkcsSigned = await rsaPkcs1Sign(ours, 'sha256', message);
      const asCiphertext = await rsaPkcs1Decrypt({ ...ours }, pkcsSigned);
      expect(asCiphertext).toBeUndefined();
    });

    it('refuses a message that leaves no room for 11 bytes of padding', async () => {
      await expect(rsaPkcs1Encrypt(ours, new Uint8Array(246), HmacDrbg.fromSeed(1))).rejects.toThrow(/too long/);
    });
  });
});

describe('the two paths agree', () => {
  afterAll(() => useNativeCrypto(true));
  const onPath = async <T>(native: boolean, f: () => Promise<T>): Promise<T> => {
    useNativeCrypto(native);
    return f();
  };

  it('PSS signatures from the same seed are the same bytes; so are decryptions of any ciphertext', async () => {
    for (let seed = 0; seed < 4; seed++) {
      const sign = () => rsaPssSign({ ...ours }, 'sha256', message, HmacDrbg.fromSeed(seed));
      expect(toHex(await onPath(true, sign))).toBe(toHex(await onPath(false, sign)));
      // Random ciphertexts: almost all have bad padding, and both paths must say so alike.
      const ct = HmacDrbg.fromSeed(seed, 'ct').bytes(256);
      ct[0] &= 0x7f;
      const open = () => rsaPkcs1Decrypt({ ...ours }, ct);
      expect(await onPath(true, open)).toEqual(await onPath(false, open));
    }
  });
});
