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
 * The randomized encodings (the PSS salt, the PKCS #1 v1.5 encryption
 * padding) are made here from the run's `RandomSource`, so a seeded run
 * repeats. The private-key operation they feed, RSADP / RSASP1 (§5.1.2,
 * §5.2.1), is a function of its input, so it may be computed anywhere:
 *
 * 1. In Node, by OpenSSL through node:crypto's raw RSA (crypto/native.ts),
 *    synchronously: as fast as Node's own signing.
 * 2. Elsewhere, with bigints: the Chinese Remainder Theorem (§5.1.2 step 2b)
 *    splits it into two exponentiations modulo the primes, each with a
 *    sliding window of five bits (HAC Algorithm 14.85) and one bigint
 *    remainder per product. Montgomery or Barrett reduction would trade that
 *    division for two more full products (a bigint cannot compute only the
 *    low half of one), and measure slower in V8 at these sizes.
 *
 * The public-key operation RSAEP (§5.1.1), which encryption uses, goes the
 * same way. PKCS #1 v1.5 signing and every verification are deterministic: node:crypto
 * in Node, WebCrypto in a browser, micro-rsa-dsa-dh's verifiers (and the
 * bigint signer) where neither exists. A live run may let WebCrypto draw the
 * PSS salt, since it is not reproducible anyway.
 *
 * Failures of the peer's data are values: a signature that does not verify is
 * `false`, a ciphertext whose padding is wrong decrypts to `undefined`, which
 * TLS 1.2 must treat like any other premaster secret (RFC 5246 §7.4.7.1).
 */
import { mgf1, PKCS1_SHA1, PKCS1_SHA256, PKCS1_SHA384, PSS } from 'micro-rsa-dsa-dh/rsa.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import type { KeyObject } from 'node:crypto';
import { concatBytes, fromHex, toHex } from '../wire/bytes';
import { rsaJwk } from './jwk';
import { nativeCrypto } from './native';
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
  const native = nativeKeys(key);
  if (native?.private) return new Uint8Array(nativeCrypto()!.sign(hash, message, native.private));
  const cryptoKey = await webCryptoKey(key, 'private', 'RSASSA-PKCS1-v1_5', hash);
  if (cryptoKey) {
    return new Uint8Array(await subtle()!.sign('RSASSA-PKCS1-v1_5', cryptoKey, message as BufferSource));
  }
  const k = rsaModulusLength(key);
  // Steps 1–2: EM = 0x00 || 0x01 || PS (0xff…) || 0x00 || DigestInfo, then s = m^d mod n.
  const em = emsaPkcs1v15Encode(hash, message, k);
  return rsaPrivateOperation(key, OS2IP(em), k);
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
  const native = nativeKeys(key);
  if (native) return failsafe(() => nativeCrypto()!.verify(hash, message, native.public, signature));
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
  if (!random.seeded && !nativeKeys(key)) {
    // A live run is not reproducible anyway: a browser's WebCrypto may draw the salt.
    const live = await webCryptoPssSign(key, hash, message);
    if (live) return live;
  }
  const modBits = bitLength(key.n);
  // Step 1: EM = EMSA-PSS-ENCODE(M, modBits − 1).
  const em = emsaPssEncode(hash, message, modBits - 1, random);
  // Step 2: s = RSASP1(K, OS2IP(EM)), as k bytes.
  return rsaPrivateOperation(key, OS2IP(em), rsaModulusLength(key));
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
  const native = nativeKeys(key);
  if (native) {
    const { constants, verify } = nativeCrypto()!;
    return failsafe(() =>
      verify(hash, message, { key: native.public, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature),
    );
  }
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
  // Step 3: c = m^e mod n (RSAEP, §5.1.1): OpenSSL's raw RSA in Node, else bigints.
  const native = nativeKeys(key);
  if (native) {
    const { constants, publicEncrypt } = nativeCrypto()!;
    return new Uint8Array(publicEncrypt({ key: native.public, padding: constants.RSA_NO_PADDING }, em));
  }
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
  const em = rsaPrivateOperation(key, c, k);
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
 * RSADP / RSASP1 (RFC 8017 §5.1.2, §5.2.1): m = c^d mod n, as `k` bytes.
 * By OpenSSL's raw RSA where the engine runs in Node; otherwise with the CRT
 * key (step 2b): m1 = c^dP mod p, m2 = c^dQ mod q, h = (m1 − m2)·qInv mod p,
 * m = m2 + q·h.
 */
function rsaPrivateOperation(key: RsaPrivateKey, c: bigint, k: number): Uint8Array {
  if (c >= key.n) throw new RangeError('message representative out of range');
  const native = nativeKeys(key);
  if (native?.private) {
    const { constants, privateDecrypt } = nativeCrypto()!;
    return new Uint8Array(privateDecrypt({ key: native.private, padding: constants.RSA_NO_PADDING }, I2OSP(c, k)));
  }
  const m1 = slidingWindowPow(c % key.p, key.dp, key.p);
  const m2 = slidingWindowPow(c % key.q, key.dq, key.q);
  let h = ((m1 - m2) * key.qi) % key.p;
  if (h < 0n) h += key.p;
  return I2OSP(m2 + key.q * h, k);
}

/**
 * base^exponent mod m for base < m, left to right with a sliding window of
 * five bits (HAC Algorithm 14.85): the odd powers base, base³, …, base³¹ are
 * tabled once, then each run of bits costs its squarings and one multiplication.
 */
function slidingWindowPow(base: bigint, exponent: bigint, m: bigint): bigint {
  const WINDOW = 5;
  const x2 = (base * base) % m;
  const odd: bigint[] = [base];
  for (let i = 1; i < 1 << (WINDOW - 1); i++) odd.push((odd[i - 1] * x2) % m);
  let result = 1n;
  const bits = exponent.toString(2);
  for (let i = 0; i < bits.length;) {
    if (bits[i] === '0') {
      result = (result * result) % m;
      i++;
      continue;
    }
    // The longest window of at most five bits that starts here and ends in a 1.
    let end = Math.min(bits.length, i + WINDOW);
    while (bits[end - 1] === '0') end--;
    for (let j = i; j < end; j++) result = (result * result) % m;
    result = (result * odd[(parseInt(bits.slice(i, end), 2) - 1) >> 1]) % m;
    i = end;
  }
  return result;
}

/** base^exponent mod modulus by square-and-multiply: the public operation, whose exponent is short (65537). */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  const b = base % modulus;
  let result = 1n;
  for (const bit of exponent.toString(2)) {
    result = (result * result) % modulus;
    if (bit === '1') result = (result * b) % modulus;
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
      .importKey('jwk', rsaJwk(key, use), { name: algorithm, hash: WEBCRYPTO_HASH[hash] }, false, [
        use === 'private' ? 'sign' : 'verify',
      ])
      .catch(() => undefined);
    perKey.set(id, imported);
  }
  return imported;
}

/** A live run's PSS signature by WebCrypto, which draws its own salt; undefined without WebCrypto. */
async function webCryptoPssSign(
  key: RsaPrivateKey,
  hash: RsaHash,
  message: Uint8Array,
): Promise<Uint8Array | undefined> {
  const cryptoKey = await webCryptoKey(key, 'private', 'RSA-PSS', hash);
  if (!cryptoKey) return undefined;
  const saltLength = HASH[hash].outputLen;
  return new Uint8Array(await subtle()!.sign({ name: 'RSA-PSS', saltLength }, cryptoKey, message as BufferSource));
}

/**
 * node:crypto key objects for a key (the private one only for a private key),
 * made once per key object; undefined outside Node or when OpenSSL refuses the
 * key (an unusual size or exponent): the other paths then do the work.
 */
const nativeKeyObjects = new WeakMap<RsaPublicKey, { public: KeyObject; private?: KeyObject } | null>();

function nativeKeys(key: RsaPublicKey | RsaPrivateKey): { public: KeyObject; private?: KeyObject } | undefined {
  const native = nativeCrypto();
  if (!native) return undefined;
  let keys = nativeKeyObjects.get(key);
  if (keys === undefined) {
    try {
      const isPrivate = 'd' in key && 'qi' in key;
      const privateKey = isPrivate
        ? native.createPrivateKey({ key: rsaJwk(key, 'private') as never, format: 'jwk' })
        : undefined;
      keys = {
        public: privateKey
          ? native.createPublicKey(privateKey)
          : native.createPublicKey({ key: rsaJwk(key, 'public') as never, format: 'jwk' }),
        private: privateKey,
      };
    } catch {
      keys = null;
    }
    nativeKeyObjects.set(key, keys);
  }
  return keys ?? undefined;
}
