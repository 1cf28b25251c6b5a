/**
 * AES-GCM (NIST SP 800-38D) with everything that depends only on the key
 * computed once: the AES key schedule, the hash subkey H = E(K, 0^128) and
 * GHASH's tables. SRTP (RFC 7714 §7–§9) seals every packet of a call leg with
 * one key, 50 a second for hours, and a TLS connection (RFC 8446 §5.2,
 * RFC 5288) every record of an epoch; @noble/ciphers' `gcm()` redoes all three
 * per message.
 *
 * For a 96-bit IV (SP 800-38D §7.1), with the IV as three big-endian words:
 * 1. J0 = IV || 0^31 || 1; the tag mask is E(K, J0).
 * 2. The text is XORed with the keystream E(K, IV || 2), E(K, IV || 3), … —
 *    the counter block is four words built in place, never an array, and
 *    what of AES's first two rounds the IV alone decides is computed once
 *    per message (crypto/aes-block.ts, `encryptCounter`).
 * 3. S = GHASH_H(A, zero-padded || C, zero-padded || [len(A)]_64 || [len(C)]_64).
 * 4. The tag is S ⊕ E(K, J0).
 *
 * Sealing encrypts and hashes each block in one pass; opening hashes the
 * ciphertext first and decrypts only once the tag has verified, so a forged
 * packet leaves the output untouched. Nothing is allocated per message.
 */
import { AesBlockCipher } from './aes-block';
import { GhashKey, type GhashWindow } from './ghash';
import { int32At, putInt32 } from '../wire/bytes';

export const GCM_TAG_LENGTH = 16;
export const GCM_IV_LENGTH = 12;

/** A byte range: associated data is often a packet's header, read where it lies. */
export interface ByteRange {
  bytes: Uint8Array;
  start: number;
  end: number;
}

export class AesGcmKey {
  private readonly aes: AesBlockCipher;
  private readonly ghash: GhashKey;
  private readonly tag = new Uint8Array(GCM_TAG_LENGTH);

  /**
   * `use` sizes GHASH's tables (crypto/ghash.ts): 'stream' for a key that
   * seals thousands of messages (SRTP), 'few' for one that seals a handful
   * (a TLS epoch), where building the large tables would cost more than they save.
   */
  constructor(key: Uint8Array, use: 'stream' | 'few' = 'stream') {
    if (key.length !== 16 && key.length !== 32) {
      throw new RangeError(`AES-GCM needs a 16- or 32-byte key, got ${key.length}`);
    }
    this.aes = new AesBlockCipher(key);
    this.aes.encrypt(0, 0, 0, 0);
    const h = this.aes.out;
    const window: GhashWindow = use === 'stream' ? 8 : 4;
    this.ghash = new GhashKey(h[0], h[1], h[2], h[3], window);
  }

  /**
   * Encrypts `data[start, end)` in place under the IV (iv0, iv1, iv2) with
   * `aad[aadStart, aadEnd)` as associated data, and writes the tag at `tagOut[tagAt]`.
   */
  seal(
    iv0: number,
    iv1: number,
    iv2: number,
    aad: Uint8Array,
    aadStart: number,
    aadEnd: number,
    data: Uint8Array,
    start: number,
    end: number,
    tagOut: Uint8Array,
    tagAt: number,
  ): void {
    const g = this.ghash;
    g.reset();
    g.update(aad, aadStart, aadEnd);
    const aes = this.aes;
    const k = aes.out;
    let counter = 2;
    let i = start;
    for (; i + 16 <= end; i += 16) {
      aes.encryptCounter(iv0, iv1, iv2, counter++);
      const c0 = int32At(data, i) ^ k[0];
      const c1 = int32At(data, i + 4) ^ k[1];
      const c2 = int32At(data, i + 8) ^ k[2];
      const c3 = int32At(data, i + 12) ^ k[3];
      putInt32(data, i, c0);
      putInt32(data, i + 4, c1);
      putInt32(data, i + 8, c2);
      putInt32(data, i + 12, c3);
      g.block(c0, c1, c2, c3);
    }
    if (i < end) {
      aes.encryptCounter(iv0, iv1, iv2, counter);
      xorPartial(k, data, i, end);
      g.update(data, i, end);
    }
    this.finishTag(iv0, iv1, iv2, aadEnd - aadStart, end - start, tagOut, tagAt);
  }

  /**
   * Checks the tag at `tag[tagAt]` over `aad` and the ciphertext
   * `data[start, end)`; when it verifies, writes the plaintext to `out[outAt]`
   * (which may be `data[start]` itself) and returns true. Returns false,
   * writing nothing, when it does not.
   */
  open(
    iv0: number,
    iv1: number,
    iv2: number,
    aad: Uint8Array,
    aadStart: number,
    aadEnd: number,
    data: Uint8Array,
    start: number,
    end: number,
    tag: Uint8Array,
    tagAt: number,
    out: Uint8Array,
    outAt: number,
  ): boolean {
    if (tagAt + GCM_TAG_LENGTH > tag.length) return false;
    const g = this.ghash;
    g.reset();
    g.update(aad, aadStart, aadEnd);
    g.update(data, start, end);
    const expected = this.tag;
    this.finishTag(iv0, iv1, iv2, aadEnd - aadStart, end - start, expected, 0);
    let diff = 0;
    for (let j = 0; j < GCM_TAG_LENGTH; j++) diff |= expected[j] ^ tag[tagAt + j];
    if (diff !== 0) return false;
    const aes = this.aes;
    const k = aes.out;
    let counter = 2;
    let i = start;
    let o = outAt;
    for (; i + 16 <= end; i += 16, o += 16) {
      aes.encryptCounter(iv0, iv1, iv2, counter++);
      const p0 = int32At(data, i) ^ k[0];
      const p1 = int32At(data, i + 4) ^ k[1];
      const p2 = int32At(data, i + 8) ^ k[2];
      const p3 = int32At(data, i + 12) ^ k[3];
      putInt32(out, o, p0);
      putInt32(out, o + 4, p1);
      putInt32(out, o + 8, p2);
      putInt32(out, o + 12, p3);
    }
    if (i < end) {
      if (out !== data || o !== i) for (let j = i; j < end; j++) out[o + j - i] = data[j];
      aes.encryptCounter(iv0, iv1, iv2, counter);
      xorPartial(k, out, o, o + end - i);
    }
    return true;
  }

  /** ciphertext || tag of `plaintext` under a 12-byte IV, as a new array (TLS records, vectors). */
  sealToNew(iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    checkIv(iv);
    const out = new Uint8Array(plaintext.length + GCM_TAG_LENGTH);
    out.set(plaintext);
    this.seal(
      int32At(iv, 0),
      int32At(iv, 4),
      int32At(iv, 8),
      aad,
      0,
      aad.length,
      out,
      0,
      plaintext.length,
      out,
      plaintext.length,
    );
    return out;
  }

  /** The plaintext of ciphertext || tag as a new array, or undefined when the tag does not verify. */
  openToNew(iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
    checkIv(iv);
    if (sealed.length < GCM_TAG_LENGTH) return undefined;
    const length = sealed.length - GCM_TAG_LENGTH;
    const out = new Uint8Array(length);
    const ok = this.open(
      int32At(iv, 0),
      int32At(iv, 4),
      int32At(iv, 8),
      aad,
      0,
      aad.length,
      sealed,
      0,
      length,
      sealed,
      length,
      out,
      0,
    );
    return ok ? out : undefined;
  }

  /** GHASH's length block, then S ⊕ E(K, J0) (§7.1 steps 5–6). */
  private finishTag(
    iv0: number,
    iv1: number,
    iv2: number,
    aadBytes: number,
    textBytes: number,
    out: Uint8Array,
    at: number,
  ): void {
    this.ghash.lengths(aadBytes, textBytes);
    this.aes.encryptCounter(iv0, iv1, iv2, 1);
    const m = this.aes.out;
    this.ghash.finish(m[0], m[1], m[2], m[3], out, at);
  }
}

/** XORs the first `end − at` bytes of the keystream block `k` into `data[at, end)`. */
function xorPartial(k: Int32Array, data: Uint8Array, at: number, end: number): void {
  for (let j = 0; at + j < end; j++) data[at + j] ^= (k[j >> 2] >>> (24 - 8 * (j & 3))) & 0xff;
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== GCM_IV_LENGTH) throw new RangeError(`this AES-GCM takes a 12-byte IV, got ${iv.length}`);
}
