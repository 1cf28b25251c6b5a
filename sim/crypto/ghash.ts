/**
 * GHASH, GCM's universal hash (NIST SP 800-38D §6.4), with the multiplication
 * by the hash subkey H done by table lookups prepared once per key.
 *
 * GHASH_H(X1 || … || Xm) = Ym where Y0 = 0 and Yi = (Yi−1 ⊕ Xi) · H in
 * GF(2^128) modulo x^128 + x^7 + x^2 + x + 1, in GCM's bit order: the first
 * bit of a block is the coefficient of x^0 (§6.3).
 *
 * Multiplication is linear in the bits of the block, so with the block split
 * into w-bit pieces c0, c1, … (w = 8: its sixteen bytes), X · H = Σ Ti[ci],
 * where Ti[v] = Σ over the bits j set in v of H · x^(w·i + j): tables built
 * once from H, H·x, H·x², … (the table-driven GHASH of SP 800-38D's
 * references, as in Gueron and Kounavis's survey of GCM software). A block
 * then costs 128/w lookups and XORs, with no shifts and no reduction;
 * @noble/ciphers' general GHASH builds its tables per message.
 *
 * Two sizes, for two kinds of key:
 * - w = 8: sixteen tables of 256 elements (64 KiB), for a key that hashes a
 *   stream of messages (an SRTP session key: 50 packets a second for hours);
 * - w = 4: thirty-two tables of 16 elements (8 KiB, an eighth of the work to
 *   build), for a key that hashes a few (a TLS epoch's records).
 *
 * Elements are four big-endian 32-bit words, word 0 holding bytes 0–3.
 */

import { int32At, putInt32 } from '../wire/bytes';

export type GhashWindow = 4 | 8;

export class GhashKey {
  private readonly table: Int32Array;
  /** The running value Y, as four words. */
  private y0 = 0;
  private y1 = 0;
  private y2 = 0;
  private y3 = 0;

  /** `h` is the hash subkey E(K, 0^128) as four big-endian words; `window` the bits per lookup. */
  constructor(
    h0: number,
    h1: number,
    h2: number,
    h3: number,
    readonly window: GhashWindow = 8,
  ) {
    const values = 1 << window;
    const t = (this.table = new Int32Array((128 / window) * values * 4));
    let v0 = h0;
    let v1 = h1;
    let v2 = h2;
    let v3 = h3;
    for (let i = 0; i < 128 / window; i++) {
      const base = i * values * 4;
      // Ti[2^(w−1) >> j] = H · x^(w·i + j): the first bit of a piece is its most significant.
      for (let j = 0; j < window; j++) {
        const at = base + ((values >> (j + 1)) << 2);
        t[at] = v0;
        t[at + 1] = v1;
        t[at + 2] = v2;
        t[at + 3] = v3;
        // Multiplication by x (§6.3, algorithm 1's V >> 1): shift towards the end; the bit
        // that falls off x^127 comes back as R = 11100001 || 0^120.
        const carry = v3 & 1;
        v3 = (v3 >>> 1) | (v2 << 31);
        v2 = (v2 >>> 1) | (v1 << 31);
        v1 = (v1 >>> 1) | (v0 << 31);
        v0 = (v0 >>> 1) ^ (carry ? 0xe1000000 : 0);
      }
      // Every other value: the entry of its lowest set bit XOR the entry of the remaining bits.
      for (let v = 3; v < values; v++) {
        const low = v & -v;
        if (low === v) continue;
        const a = base + (low << 2);
        const b = base + ((v ^ low) << 2);
        const at = base + (v << 2);
        t[at] = t[a] ^ t[b];
        t[at + 1] = t[a + 1] ^ t[b + 1];
        t[at + 2] = t[a + 2] ^ t[b + 2];
        t[at + 3] = t[a + 3] ^ t[b + 3];
      }
    }
  }

  /** Y = 0: the start of a new message. */
  reset(): void {
    this.y0 = 0;
    this.y1 = 0;
    this.y2 = 0;
    this.y3 = 0;
  }

  /** Y = (Y ⊕ X) · H for the block X given as four big-endian words. */
  block(x0: number, x1: number, x2: number, x3: number): void {
    x0 ^= this.y0;
    x1 ^= this.y1;
    x2 ^= this.y2;
    x3 ^= this.y3;
    if (this.window === 4) {
      this.nibbles(x0, x1, x2, x3);
      return;
    }
    // Sixteen byte lookups, written out: this is the inner loop of every SRTP packet.
    const t = this.table;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    let at = (x0 >>> 24) << 2;
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 1024 + (((x0 >>> 16) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 2048 + (((x0 >>> 8) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 3072 + ((x0 & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 4096 + ((x1 >>> 24) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 5120 + (((x1 >>> 16) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 6144 + (((x1 >>> 8) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 7168 + ((x1 & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 8192 + ((x2 >>> 24) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 9216 + (((x2 >>> 16) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 10240 + (((x2 >>> 8) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 11264 + ((x2 & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 12288 + ((x3 >>> 24) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 13312 + (((x3 >>> 16) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 14336 + (((x3 >>> 8) & 0xff) << 2);
    z0 ^= t[at];
    z1 ^= t[at + 1];
    z2 ^= t[at + 2];
    z3 ^= t[at + 3];
    at = 15360 + ((x3 & 0xff) << 2);
    this.y0 = z0 ^ t[at];
    this.y1 = z1 ^ t[at + 1];
    this.y2 = z2 ^ t[at + 2];
    this.y3 = z3 ^ t[at + 3];
  }

  /** Y = X · H with 4-bit pieces: thirty-two lookups, piece k of word i in table 8i + k. */
  private nibbles(x0: number, x1: number, x2: number, x3: number): void {
    const t = this.table;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    for (let i = 0; i < 4; i++) {
      const x = i === 0 ? x0 : i === 1 ? x1 : i === 2 ? x2 : x3;
      for (let k = 0; k < 8; k++) {
        const at = ((8 * i + k) << 6) + (((x >>> (28 - 4 * k)) & 15) << 2);
        z0 ^= t[at];
        z1 ^= t[at + 1];
        z2 ^= t[at + 2];
        z3 ^= t[at + 3];
      }
    }
    this.y0 = z0;
    this.y1 = z1;
    this.y2 = z2;
    this.y3 = z3;
  }

  /** Absorbs `data[start, end)` as whole blocks, the last one zero-padded (one GCM segment, §7.1 step 5). */
  update(data: Uint8Array, start = 0, end = data.length): void {
    let i = start;
    for (; i + 16 <= end; i += 16) {
      this.block(int32At(data, i), int32At(data, i + 4), int32At(data, i + 8), int32At(data, i + 12));
    }
    if (i < end) {
      this.block(
        partialWord(data, i, end),
        partialWord(data, i + 4, end),
        partialWord(data, i + 8, end),
        partialWord(data, i + 12, end),
      );
    }
  }

  /** Absorbs [len(A)]_64 || [len(C)]_64, lengths in bytes given, counted in bits (§7.1 step 5). */
  lengths(aadBytes: number, textBytes: number): void {
    this.block(
      Math.floor(aadBytes / 0x20000000),
      (aadBytes * 8) >>> 0,
      Math.floor(textBytes / 0x20000000),
      (textBytes * 8) >>> 0,
    );
  }

  /** Writes Y ⊕ (m0..m3) as 16 bytes at `out[at]`: the tag, when m is E(K, J0). */
  finish(m0: number, m1: number, m2: number, m3: number, out: Uint8Array, at: number): void {
    putInt32(out, at, this.y0 ^ m0);
    putInt32(out, at + 4, this.y1 ^ m1);
    putInt32(out, at + 8, this.y2 ^ m2);
    putInt32(out, at + 12, this.y3 ^ m3);
  }
}

/** The big-endian word at `b[i]`, reading zeros at and after `end`. */
function partialWord(b: Uint8Array, i: number, end: number): number {
  let w = 0;
  for (let k = 0; k < 4; k++) w = (w << 8) | (i + k < end ? b[i + k] : 0);
  return w;
}
