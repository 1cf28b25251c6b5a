/**
 * RSA (RFC 8017, PKCS #1 v2.2) as TLS uses it:
 *
 * - RSASSA-PKCS1-v1_5 signatures (RFC 8017 §8.2): certificates, TLS 1.2's
 *   ServerKeyExchange and CertificateVerify (RFC 5246 §7.4.3, §7.4.8).
 * - RSASSA-PSS signatures (RFC 8017 §8.1) with MGF1 over the same hash and a
 *   salt as long as the hash, as TLS 1.3 requires (RFC 8446 §4.2.3).
 * - RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2), which carries the premaster
 *   secret in TLS 1.2's RSA key exchange (RFC 5246 §7.4.7.1).
 *
 * Where the output is deterministic (PKCS #1 v1.5 signing, and every
 * verification) the work goes to WebCrypto, which is several times faster than
 * bigint arithmetic. Where it is randomized (the PSS salt, the PKCS #1 v1.5
 * encryption padding) WebCrypto would draw its own randomness, so the encoding
 * is done here from the run's `RandomSource` and the RSA primitive is computed
 * with the Chinese Remainder Theorem (RFC 8017 §5.1.2 step 2b). MGF1 and the
 * fallback verifiers come from micro-rsa-dsa-dh.
 *
 * Failures of the peer's data are values: a signature that does not verify is
 * `false`, a ciphertext whose padding is wrong decrypts to `undefined`, which
 * TLS 1.2 must treat like any other premaster secret (RFC 5246 §7.4.7.1).
 */
import { mgf1, PKCS1_SHA1, PKCS1_SHA256, PKCS1_SHA384, PSS } from 'micro-rsa-dsa-dh/rsa.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toBase64, toHex } from '../wire/bytes';
import type { RandomSource } from './random';

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
}

/** A private key with its CRT parameters (RFC 8017 §3.2, second representation). */
export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  /** d mod (p − 1) */
  dp: bigint;
  /** d mod (q − 1) */
  dq: bigint;
  /** q⁻¹ mod p */
  qi: bigint;
}

export type RsaHash = 'sha1' | 'sha256' | 'sha384';

const HASH = { sha1, sha256, sha384 } as const;
const WEBCRYPTO_HASH: Record<RsaHash, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384' };

/**
 * DER of the DigestInfo prefix for each hash: AlgorithmIdentifier with NULL
 * parameters, then the OCTET STRING header of the digest (RFC 8017 §9.2, Note 1).
 */
const DIGEST_INFO_PREFIX: Record<RsaHash, Uint8Array> = {
  sha1: fromHex('3021300906052b0e03021a05000414'),
  sha256: fromHex('3031300d060960864801650304020105000420'),
  sha384: fromHex('3041300d060960864801650304020205000430'),
};

/** The length k of the modulus in bytes (RFC 8017 §2). */
export function rsaModulusLength(key: RsaPublicKey): number {
  return Math.ceil(bitLength(key.n) / 8);
}

/** RSASSA-PKCS1-V1_5-SIGN (RFC 8017 §8.2.1). Deterministic. */
export async function rsaPkcs1Sign(key: RsaPrivateKey, hash: RsaHash, message: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await webCryptoKey(key, 'private', 'RSASSA-PKCS1-v1_5', hash);
  if (cryptoKey) {
    return new Uint8Array(await subtle()!.sign('RSASSA-PKCS1-v1_5', cryptoKey, message as BufferSource));
  }
  const k = rsaModulusLength(key);
  // Steps 1–2: EM = 0x00 || 0x01 || PS (0xff…) || 0x00 || DigestInfo, then s = m^d mod n.
  const em = emsaPkcs1v15Encode(hash, message, k);
  return I2OSP(rsaPrivateOperation(key, OS2IP(em)), k);
}

/** RSASSA-PKCS1-V1_5-VERIFY (RFC 8017 §8.2.2). */
export async function rsaPkcs1Verify(
  key: RsaPublicKey,
  hash: RsaHash,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  // Step 1: the signature is exactly k bytes long.
  if (signature.length !== rsaModulusLength(key)) return false;
  const cryptoKey = await webCryptoKey(key, 'public', 'RSASSA-PKCS1-v1_5', hash);
  if (cryptoKey) {
    return subtle()!.verify('RSASSA-PKCS1-v1_5', cryptoKey, signature as BufferSource, message as BufferSource);
  }
  const scheme = { sha1: PKCS1_SHA1, sha256: PKCS1_SHA256, sha384: PKCS1_SHA384 }[hash];
  return failsafe(() => scheme.verify(key, message, signature));
}

/**
 * RSASSA-PSS-SIGN (RFC 8017 §8.1.1) with MGF1 over `hash` and a salt of the
 * hash's length drawn from `random` (RFC 8446 §4.2.3), so a seeded run repeats.
 */
export async function rsaPssSign(
  key: RsaPrivateKey,
  hash: RsaHash,
  message: Uint8Array,
  random: RandomSource,
): Promise<Uint8Array> {
  const modBits = bitLength(key.n);
  // Step 1: EM = EMSA-PSS-ENCODE(M, modBits − 1).
  const em = emsaPssEncode(hash, message, modBits - 1, random);
  // Step 2: s = RSASP1(K, OS2IP(EM)), as k bytes.
  return I2OSP(rsaPrivateOperation(key, OS2IP(em)), rsaModulusLength(key));
}

/** RSASSA-PSS-VERIFY (RFC 8017 §8.1.2), salt length = hash length, MGF1 with the same hash. */
export async function rsaPssVerify(
  key: RsaPublicKey,
  hash: RsaHash,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (signature.length !== rsaModulusLength(key)) return false;
  const saltLength = HASH[hash].outputLen;
  const cryptoKey = await webCryptoKey(key, 'public', 'RSA-PSS', hash);
  if (cryptoKey) {
    return subtle()!.verify(
      { name: 'RSA-PSS', saltLength },
      cryptoKey,
      signature as BufferSource,
      message as BufferSource,
    );
  }
  return failsafe(() => PSS(HASH[hash], mgf1(HASH[hash]), saltLength).verify(key, message, signature));
}

/**
 * RSAES-PKCS1-V1_5-ENCRYPT (RFC 8017 §7.2.1): EM = 0x00 || 0x02 || PS || 0x00 || M
 * where PS is at least eight non-zero random bytes from `random`.
 */
export async function rsaPkcs1Encrypt(
  key: RsaPublicKey,
  message: Uint8Array,
  random: RandomSource,
): Promise<Uint8Array> {
  const k = rsaModulusLength(key);
  // Step 1: the message must leave room for 11 bytes of padding.
  if (message.length > k - 11) {
    throw new RangeError(`message too long: ${message.length} bytes, at most ${k - 11} fit a ${k}-byte modulus`);
  }
  // Step 2a: PS of non-zero bytes; a zero drawn is replaced by a fresh draw.
  const ps = random.bytes(k - message.length - 3);
  for (let i = 0; i < ps.length; i++) {
    while (ps[i] === 0) ps[i] = random.bytes(1)[0];
  }
  const em = concatBytes(Uint8Array.of(0x00, 0x02), ps, Uint8Array.of(0x00), message);
  // Step 3: c = m^e mod n (RSAEP, §5.1.1).
  return I2OSP(modPow(OS2IP(em), key.e, key.n), k);
}

/**
 * RSAES-PKCS1-V1_5-DECRYPT (RFC 8017 §7.2.2). Returns undefined for any
 * "decryption error": wrong length, out-of-range ciphertext or bad padding.
 * The padding checks all run whatever the first failure, so the time taken
 * does not say which one failed (the Bleichenbacher lesson, RFC 5246 §7.4.7.1).
 */
export async function rsaPkcs1Decrypt(key: RsaPrivateKey, ciphertext: Uint8Array): Promise<Uint8Array | undefined> {
  const k = rsaModulusLength(key);
  // Step 1: length check.
  if (ciphertext.length !== k || k < 11) return undefined;
  const c = OS2IP(ciphertext);
  // RSADP step 1 (§5.1.2): the representative lies in [0, n − 1].
  if (c >= key.n) return undefined;
  const em = I2OSP(rsaPrivateOperation(key, c), k);
  // Step 3: EM = 0x00 || 0x02 || PS || 0x00 || M with |PS| ≥ 8.
  let good = (em[0] === 0x00 ? 1 : 0) & (em[1] === 0x02 ? 1 : 0);
  let separator = 0;
  for (let i = 2; i < k; i++) {
    const isZero = em[i] === 0 ? 1 : 0;
    const first = isZero & (separator === 0 ? 1 : 0);
    separator = first ? i : separator;
  }
  good &= separator >= 10 ? 1 : 0;
  return good ? em.slice(separator + 1) : undefined;
}

/** EMSA-PKCS1-v1_5-ENCODE (RFC 8017 §9.2). */
function emsaPkcs1v15Encode(hash: RsaHash, message: Uint8Array, emLen: number): Uint8Array {
  // Steps 1–2: T = DigestInfo(hash, H).
  const t = concatBytes(DIGEST_INFO_PREFIX[hash], HASH[hash](message));
  // Step 3: room for at least eight 0xff bytes.
  if (emLen < t.length + 11) throw new RangeError('intended encoded message length too short');
  // Steps 4–5: EM = 0x00 || 0x01 || PS || 0x00 || T.
  const ps = new Uint8Array(emLen - t.length - 3).fill(0xff);
  return concatBytes(Uint8Array.of(0x00, 0x01), ps, Uint8Array.of(0x00), t);
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with sLen = hLen and MGF1 over the same hash. */
function emsaPssEncode(hash: RsaHash, message: Uint8Array, emBits: number, random: RandomSource): Uint8Array {
  const h = HASH[hash];
  const hLen = h.outputLen;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  // Step 2: mHash = Hash(M).
  const mHash = h(message);
  // Step 3: the encoded message must hold the hash, the salt and two more bytes.
  if (emLen < hLen + sLen + 2) throw new RangeError('encoding error: the modulus is too short for this hash');
  // Step 4: a random salt, from the run's RandomSource.
  const salt = random.bytes(sLen);
  // Steps 5–6: H = Hash(0x00 × 8 || mHash || salt).
  const hPrime = h(concatBytes(new Uint8Array(8), mHash, salt));
  // Steps 7–8: DB = PS (zeros) || 0x01 || salt.
  const db = concatBytes(new Uint8Array(emLen - sLen - hLen - 2), Uint8Array.of(0x01), salt);
  // Steps 9–10: maskedDB = DB xor MGF(H, emLen − hLen − 1).
  const dbMask = mgf1(h)(hPrime, { dkLen: emLen - hLen - 1 });
  const maskedDb = db.map((byte, i) => byte ^ dbMask[i]);
  // Step 11: clear the leftmost 8·emLen − emBits bits so EM < 2^emBits.
  maskedDb[0] &= 0xff >> (8 * emLen - emBits);
  // Step 12: EM = maskedDB || H || 0xbc.
  return concatBytes(maskedDb, hPrime, Uint8Array.of(0xbc));
}

/**
 * RSADP / RSASP1 with the CRT key (RFC 8017 §5.1.2 step 2b):
 * m1 = c^dP mod p, m2 = c^dQ mod q, h = (m1 − m2)·qInv mod p, m = m2 + q·h.
 */
function rsaPrivateOperation(key: RsaPrivateKey, c: bigint): bigint {
  if (c >= key.n) throw new RangeError('message representative out of range');
  const m1 = modPow(c % key.p, key.dp, key.p);
  const m2 = modPow(c % key.q, key.dq, key.q);
  let h = ((m1 - m2) * key.qi) % key.p;
  if (h < 0n) h += key.p;
  return m2 + key.q * h;
}

/**
 * base^exponent mod modulus, left to right. Private exponents use a fixed
 * 4-bit window (one table multiplication per hex digit, about a third fewer
 * multiplications than bit by bit); short public exponents such as 65537
 * use plain square-and-multiply, where a table would cost more than it saves.
 */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  const b = base % modulus;
  let result = 1n;
  if (exponent < 1n << 32n) {
    for (const bit of exponent.toString(2)) {
      result = (result * result) % modulus;
      if (bit === '1') result = (result * b) % modulus;
    }
    return result;
  }
  const table: bigint[] = [1n, b];
  for (let i = 2; i < 16; i++) table.push((table[i - 1] * b) % modulus);
  for (const digit of exponent.toString(16)) {
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    const d = parseInt(digit, 16);
    if (d !== 0) result = (result * table[d]) % modulus;
  }
  return result;
}

/** OS2IP (RFC 8017 §4.2): big-endian bytes to an integer. */
function OS2IP(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + toHex(bytes));
}

/** I2OSP (RFC 8017 §4.1): an integer to exactly `length` big-endian bytes. */
function I2OSP(x: bigint, length: number): Uint8Array {
  const hex = x.toString(16);
  if (x < 0n || hex.length > 2 * length) throw new RangeError('integer too large');
  return fromHex(hex.padStart(2 * length, '0'));
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

function failsafe(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

function subtle(): SubtleCrypto | undefined {
  return globalThis.crypto?.subtle;
}

/**
 * WebCrypto keys, imported once per key object, algorithm and hash. Undefined
 * when there is no WebCrypto (an insecure browser context) or it refuses the
 * key (an unusual size or exponent): the bigint path then does the work.
 */
const importedKeys = new WeakMap<RsaPublicKey, Map<string, Promise<CryptoKey | undefined>>>();

function webCryptoKey(
  key: RsaPublicKey | RsaPrivateKey,
  use: 'public' | 'private',
  algorithm: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS',
  hash: RsaHash,
): Promise<CryptoKey | undefined> {
  const api = subtle();
  if (!api) return Promise.resolve(undefined);
  let perKey = importedKeys.get(key);
  if (!perKey) importedKeys.set(key, (perKey = new Map()));
  const id = `${use} ${algorithm} ${hash}`;
  let imported = perKey.get(id);
  if (!imported) {
    imported = api
      .importKey('jwk', jwkOf(key, use), { name: algorithm, hash: WEBCRYPTO_HASH[hash] }, false, [
        use === 'private' ? 'sign' : 'verify',
      ])
      .catch(() => undefined);
    perKey.set(id, imported);
  }
  return imported;
}

/** The key as a JSON Web Key (RFC 7518 §6.3): unsigned big-endian integers, base64url. */
function jwkOf(key: RsaPublicKey | RsaPrivateKey, use: 'public' | 'private'): JsonWebKey {
  const b64 = (x: bigint) =>
    toBase64(I2OSP(x, Math.max(1, Math.ceil(bitLength(x) / 8))))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  const jwk: JsonWebKey = { kty: 'RSA', n: b64(key.n), e: b64(key.e), ext: true };
  if (use === 'public') return jwk;
  const k = key as RsaPrivateKey;
  return { ...jwk, d: b64(k.d), p: b64(k.p), q: b64(k.q), dp: b64(k.dp), dq: b64(k.dq), qi: b64(k.qi) };
}
