/**
 * AES-GCM (NIST SP 800-38D) for SRTP's per-packet AEAD (RFC 7714 §7–§9),
 * with everything that depends only on the key computed once per stream:
 * the AES key schedule, the hash subkey H = E(K, 0^128) and GHASH's
 * multiplication tables. @noble/ciphers' `gcm()` redoes all three for every
 * call; a call leg sends 50 packets a second for hours with one key.
 *
 * For a 96-bit nonce N (SP 800-38D §7.1):
 * 1. J0 = N || 0^31 || 1; the tag mask is E(K, J0).
 * 2. The payload is XORed with the keystream from inc32(J0) = N || 0^31 || 2.
 * 3. S = GHASH_H(A padded || C padded || [len(A)]_64 || [len(C)]_64).
 * 4. The tag is S XOR E(K, J0).
 *
 * The block cipher is @noble/ciphers' round function (through `AesCounterMode`)
 * and GHASH is its `GHASH` class, reset between packets instead of rebuilt.
 */
import { unsafe } from '@noble/ciphers/aes.js';
import { GHASH } from '@noble/ciphers/_polyval.js';
import { AesCounterMode } from './aes-cm';

/**
 * GHASH whose accumulator can be cleared, so its key tables serve every
 * packet, and whose `update` reads blocks straight from the caller's bytes
 * (noble's copies them first, for alignment) — each call still zero-pads its
 * segment to a whole block, as GCM's A and C segments require.
 */
class ReusableGhash extends GHASH {
  private readonly partial = new Uint8Array(16);

  reset(): void {
    this.s0 = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.s3 = 0;
    this.finished = false;
  }

  override update(data: Uint8Array): this {
    const n = data.length;
    let i = 0;
    for (; i + 16 <= n; i += 16)
      this._updateBlock(le32(data, i), le32(data, i + 4), le32(data, i + 8), le32(data, i + 12));
    if (i < n) {
      const p = this.partial;
      p.fill(0);
      p.set(data.subarray(i));
      this._updateBlock(le32(p, 0), le32(p, 4), le32(p, 8), le32(p, 12));
    }
    return this;
  }
}

/** The little-endian word noble's block functions take for four bytes (its u32 view on every host). */
function le32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

export const GCM_TAG_LENGTH = 16;

export class AesGcmKey {
  private readonly ctr: AesCounterMode;
  private readonly ghash: ReusableGhash;
  private readonly counter = new Uint8Array(16);
  private readonly tagMask = new Uint8Array(16);
  private readonly lengths = new Uint8Array(16);
  private readonly tag = new Uint8Array(16);

  constructor(key: Uint8Array) {
    this.ctr = new AesCounterMode(key);
    const xk = unsafe.expandKeyLE(key);
    const h = unsafe.encryptBlock(xk, new Uint8Array(16));
    // A large expected length selects GHASH's widest (fastest) table.
    this.ghash = new ReusableGhash(h, 1 << 20);
  }

  /** Encrypts `data[start, end)` in place and writes the tag at `tagOut[tagAt]`. */
  sealInPlace(
    nonce: Uint8Array,
    aad: Uint8Array,
    data: Uint8Array,
    start: number,
    end: number,
    tagOut: Uint8Array,
    tagAt: number,
  ): void {
    this.prepare(nonce);
    this.ctr.xorKeystream(this.counter, data, start, end);
    this.computeTag(aad, data.subarray(start, end));
    tagOut.set(this.tag, tagAt);
  }

  /**
   * Checks the tag of ciphertext `data[start, end)` (the tag at `data[end]`)
   * and, when it verifies, writes the plaintext to `out[outAt]`. Returns
   * false, touching nothing, when it does not.
   */
  openInto(
    nonce: Uint8Array,
    aad: Uint8Array,
    data: Uint8Array,
    start: number,
    end: number,
    out: Uint8Array,
    outAt: number,
  ): boolean {
    if (end + GCM_TAG_LENGTH > data.length) return false;
    this.prepare(nonce);
    this.computeTag(aad, data.subarray(start, end));
    let diff = 0;
    for (let i = 0; i < GCM_TAG_LENGTH; i++) diff |= this.tag[i] ^ data[end + i];
    if (diff !== 0) return false;
    for (let i = start; i < end; i++) out[outAt + i - start] = data[i];
    this.ctr.xorKeystream(this.counter, out, outAt, outAt + end - start);
    return true;
  }

  /** Sets J0, computes the tag mask E(K, J0), and leaves the counter at inc32(J0). */
  private prepare(nonce: Uint8Array): void {
    const c = this.counter;
    c.set(nonce);
    c[12] = 0;
    c[13] = 0;
    c[14] = 0;
    c[15] = 1;
    this.tagMask.fill(0);
    this.ctr.xorKeystream(c, this.tagMask);
    c[15] = 2;
  }

  private computeTag(aad: Uint8Array, ciphertext: Uint8Array): void {
    const g = this.ghash;
    g.reset();
    g.update(aad);
    g.update(ciphertext);
    const l = this.lengths;
    writeBitLength(l, 0, aad.length);
    writeBitLength(l, 8, ciphertext.length);
    g.update(l);
    g.digestInto(this.tag);
    for (let i = 0; i < 16; i++) this.tag[i] ^= this.tagMask[i];
  }
}

/** A 64-bit big-endian count of bits (SP 800-38D §7.1 step 5). */
function writeBitLength(out: Uint8Array, at: number, bytes: number): void {
  const bits = bytes * 8;
  const high = Math.floor(bits / 0x100000000);
  out[at] = 0;
  out[at + 1] = 0;
  out[at + 2] = (high >>> 8) & 0xff;
  out[at + 3] = high & 0xff;
  out[at + 4] = (bits >>> 24) & 0xff;
  out[at + 5] = (bits >>> 16) & 0xff;
  out[at + 6] = (bits >>> 8) & 0xff;
  out[at + 7] = bits & 0xff;
}
