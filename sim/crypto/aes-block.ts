/**
 * The AES block cipher (FIPS 197), encryption direction only: what counter
 * mode (SP 800-38A §6.5) and GCM (SP 800-38D) need, since both run the
 * cipher forwards whichever way the data goes.
 *
 * Written for speed in JavaScript, as the fast software AES implementations
 * are (FIPS 197 §5.1 with the "T-table" form of Daemen and Rijmen's
 * The Design of Rijndael, §4.2): SubBytes, ShiftRows and MixColumns of a round
 * collapse into four lookups in 256-entry tables of 32-bit words per column,
 * XORed with the round key. The four tables (4 KiB) stay in the processor's
 * first-level cache, where @noble/ciphers' merged 65,536-entry tables (its
 * choice for one-shot use) do not; a stream of SRTP packets encrypted with one
 * key runs about twice as fast this way.
 *
 * 1. Key expansion (§5.2): Nk key words, then w[i] = w[i−Nk] ⊕ temp, where
 *    temp = SubWord(RotWord(w[i−1])) ⊕ Rcon[i/Nk] every Nk words (and
 *    SubWord(w[i−1]) at i mod Nk = 4 for AES-256).
 * 2. AddRoundKey with w[0..3]; Nr−1 full rounds, each column
 *    Te0[a] ⊕ Te1[b] ⊕ Te2[c] ⊕ Te3[d] ⊕ w[4r + j] for the bytes ShiftRows
 *    brings into it; a last round of SubBytes and ShiftRows only (§5.1).
 *
 * Counter mode (`encryptCounter`) encrypts blocks that differ only in the
 * last byte of their counter: whatever of the first two rounds does not
 * depend on that byte is the same for every block of a message, so it is
 * computed once per IV and the block costs 5 lookups there instead of 32
 * (the "counter-mode caching" of Bernstein and Schwabe's New AES software
 * speed records, 2008, §3).
 *
 * Words are big-endian, as FIPS 197 writes them: byte 0 of a block is the
 * top byte of word 0. Table lookups whose index depends on secret data are
 * not constant-time; that is acceptable for a lab that shows its keys.
 */

/** The S-box (FIPS 197 §5.1.1): the inverse in GF(2^8) followed by the affine map. */
const SBOX = new Uint8Array(256);
/** Te0[x] = (2·S[x], S[x], S[x], 3·S[x]) as one big-endian word; Te1..Te3 are its rotations. */
const TE0 = new Int32Array(256);
const TE1 = new Int32Array(256);
const TE2 = new Int32Array(256);
const TE3 = new Int32Array(256);

/** Multiplication by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS 197 §4.2.1). */
function xtime(b: number): number {
  return ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
}

(function buildTables() {
  // Walk the multiplicative group with generator 3 to get every inverse (FIPS 197 §4.4).
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= xtime(x);
  }
  for (let a = 0; a < 256; a++) {
    const inv = a === 0 ? 0 : exp[(255 - log[a]) % 255];
    let s = inv;
    // Affine transformation (§5.1.1, equation 5.1): b ⊕ rotl(b,1..4) ⊕ 0x63.
    for (let r = 1; r < 5; r++) s ^= ((inv << r) | (inv >>> (8 - r))) & 0xff;
    SBOX[a] = s ^ 0x63;
  }
  for (let a = 0; a < 256; a++) {
    const s = SBOX[a];
    const s2 = xtime(s);
    const word = (s2 << 24) | (s << 16) | (s << 8) | (s2 ^ s);
    TE0[a] = word;
    TE1[a] = (word >>> 8) | (word << 24);
    TE2[a] = (word >>> 16) | (word << 16);
    TE3[a] = (word >>> 24) | (word << 8);
  }
})();

function subWord(w: number): number {
  return (SBOX[w >>> 24] << 24) | (SBOX[(w >>> 16) & 0xff] << 16) | (SBOX[(w >>> 8) & 0xff] << 8) | SBOX[w & 0xff];
}

/** One AES key, expanded once (FIPS 197 §5.2), and its block function. */
export class AesBlockCipher {
  /** The round keys w[0..4(Nr+1)), big-endian words. */
  private readonly w: Int32Array;
  /** Nr: 10 for a 16-byte key, 14 for a 32-byte key (FIPS 197 §5, Table 4). */
  readonly rounds: number;
  /** The four words of the last block `encrypt` produced. */
  readonly out = new Int32Array(4);
  /**
   * For `encryptCounter`: the counter block it was prepared for (words 0–2
   * and word 3 without its last byte), and what of rounds 1 and 2 does not
   * depend on that byte: round 1's column 0 less one lookup (columns 1–3,
   * which are whole, only feed round 2), and round 2's four columns less one
   * lookup each.
   */
  private readonly prepared = new Int32Array(4);
  private readonly partial = new Int32Array(8);
  private preparedValid = false;

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
      throw new RangeError(`AES needs a 16-, 24- or 32-byte key, got ${key.length}`);
    }
    const nk = key.length / 4;
    this.rounds = nk + 6;
    const w = (this.w = new Int32Array(4 * (this.rounds + 1)));
    for (let i = 0; i < nk; i++) {
      w[i] = (key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3];
    }
    for (let i = nk, rcon = 1; i < w.length; i++) {
      let t = w[i - 1];
      if (i % nk === 0) {
        t = subWord((t << 8) | (t >>> 24)) ^ (rcon << 24);
        rcon = xtime(rcon);
      } else if (nk > 6 && i % nk === 4) {
        t = subWord(t);
      }
      w[i] = w[i - nk] ^ t;
    }
  }

  /**
   * `encrypt(c0, c1, c2, c3)` for a counter block, with the parts of rounds
   * 1 and 2 that only words 0–2 and the top three bytes of word 3 decide
   * kept from the previous call when those are the same.
   */
  encryptCounter(c0: number, c1: number, c2: number, c3: number): void {
    const w = this.w;
    const q = this.prepared;
    const p = this.partial;
    const high = c3 & ~0xff;
    if (!this.preparedValid || q[0] !== c0 || q[1] !== c1 || q[2] !== c2 || q[3] !== high) {
      this.prepare(c0, c1, c2, high);
    }
    // Round 1: only column 0 reads the last byte of word 3 (through Te3).
    const t0 = p[0] ^ TE3[(c3 ^ w[3]) & 0xff];
    // Round 2: each column reads one byte of column 0.
    let s0 = p[4] ^ TE0[t0 >>> 24];
    let s1 = p[5] ^ TE3[t0 & 0xff];
    let s2 = p[6] ^ TE2[(t0 >>> 8) & 0xff];
    let s3 = p[7] ^ TE1[(t0 >>> 16) & 0xff];
    let k = 12;
    for (let r = 3; r < this.rounds; r++, k += 4) {
      const u0 = TE0[s0 >>> 24] ^ TE1[(s1 >>> 16) & 0xff] ^ TE2[(s2 >>> 8) & 0xff] ^ TE3[s3 & 0xff] ^ w[k];
      const u1 = TE0[s1 >>> 24] ^ TE1[(s2 >>> 16) & 0xff] ^ TE2[(s3 >>> 8) & 0xff] ^ TE3[s0 & 0xff] ^ w[k + 1];
      const u2 = TE0[s2 >>> 24] ^ TE1[(s3 >>> 16) & 0xff] ^ TE2[(s0 >>> 8) & 0xff] ^ TE3[s1 & 0xff] ^ w[k + 2];
      s3 = TE0[s3 >>> 24] ^ TE1[(s0 >>> 16) & 0xff] ^ TE2[(s1 >>> 8) & 0xff] ^ TE3[s2 & 0xff] ^ w[k + 3];
      s0 = u0;
      s1 = u1;
      s2 = u2;
    }
    this.lastRound(s0, s1, s2, s3, k);
  }

  /** Rounds 1 and 2 of `encryptCounter` for a counter block whose last byte is left out. */
  private prepare(c0: number, c1: number, c2: number, high: number): void {
    const w = this.w;
    const q = this.prepared;
    const p = this.partial;
    q[0] = c0;
    q[1] = c1;
    q[2] = c2;
    q[3] = high;
    this.preparedValid = true;
    const x0 = c0 ^ w[0];
    const x1 = c1 ^ w[1];
    const x2 = c2 ^ w[2];
    const x3 = high ^ w[3];
    // Round 1 (k = 4): column 0 without Te3[x3's last byte]; columns 1–3 whole.
    const t0 = TE0[x0 >>> 24] ^ TE1[(x1 >>> 16) & 0xff] ^ TE2[(x2 >>> 8) & 0xff] ^ w[4];
    const t1 = TE0[x1 >>> 24] ^ TE1[(x2 >>> 16) & 0xff] ^ TE2[(x3 >>> 8) & 0xff] ^ TE3[x0 & 0xff] ^ w[5];
    const t2 = TE0[x2 >>> 24] ^ TE1[(x3 >>> 16) & 0xff] ^ TE2[(x0 >>> 8) & 0xff] ^ TE3[x1 & 0xff] ^ w[6];
    const t3 = TE0[x3 >>> 24] ^ TE1[(x0 >>> 16) & 0xff] ^ TE2[(x1 >>> 8) & 0xff] ^ TE3[x2 & 0xff] ^ w[7];
    p[0] = t0;
    p[1] = t1;
    p[2] = t2;
    p[3] = t3;
    // Round 2 (k = 8): each column without the lookup of its byte of round 1's column 0.
    p[4] = TE1[(t1 >>> 16) & 0xff] ^ TE2[(t2 >>> 8) & 0xff] ^ TE3[t3 & 0xff] ^ w[8];
    p[5] = TE0[t1 >>> 24] ^ TE1[(t2 >>> 16) & 0xff] ^ TE2[(t3 >>> 8) & 0xff] ^ w[9];
    p[6] = TE0[t2 >>> 24] ^ TE1[(t3 >>> 16) & 0xff] ^ TE3[t1 & 0xff] ^ w[10];
    p[7] = TE0[t3 >>> 24] ^ TE2[(t1 >>> 8) & 0xff] ^ TE3[t2 & 0xff] ^ w[11];
  }

  /** Encrypts the block given as four big-endian words into `out`. */
  encrypt(s0: number, s1: number, s2: number, s3: number): void {
    const w = this.w;
    s0 ^= w[0];
    s1 ^= w[1];
    s2 ^= w[2];
    s3 ^= w[3];
    let k = 4;
    for (let r = 1; r < this.rounds; r++, k += 4) {
      const t0 = TE0[s0 >>> 24] ^ TE1[(s1 >>> 16) & 0xff] ^ TE2[(s2 >>> 8) & 0xff] ^ TE3[s3 & 0xff] ^ w[k];
      const t1 = TE0[s1 >>> 24] ^ TE1[(s2 >>> 16) & 0xff] ^ TE2[(s3 >>> 8) & 0xff] ^ TE3[s0 & 0xff] ^ w[k + 1];
      const t2 = TE0[s2 >>> 24] ^ TE1[(s3 >>> 16) & 0xff] ^ TE2[(s0 >>> 8) & 0xff] ^ TE3[s1 & 0xff] ^ w[k + 2];
      s3 = TE0[s3 >>> 24] ^ TE1[(s0 >>> 16) & 0xff] ^ TE2[(s1 >>> 8) & 0xff] ^ TE3[s2 & 0xff] ^ w[k + 3];
      s0 = t0;
      s1 = t1;
      s2 = t2;
    }
    this.lastRound(s0, s1, s2, s3, k);
  }

  /** The last round (FIPS 197 §5.1: no MixColumns) with the round key at w[k], into `out`. */
  private lastRound(s0: number, s1: number, s2: number, s3: number, k: number): void {
    const w = this.w;
    const o = this.out;
    const S = SBOX;
    o[0] = ((S[s0 >>> 24] << 24) | (S[(s1 >>> 16) & 0xff] << 16) | (S[(s2 >>> 8) & 0xff] << 8) | S[s3 & 0xff]) ^ w[k];
    o[1] =
      ((S[s1 >>> 24] << 24) | (S[(s2 >>> 16) & 0xff] << 16) | (S[(s3 >>> 8) & 0xff] << 8) | S[s0 & 0xff]) ^ w[k + 1];
    o[2] =
      ((S[s2 >>> 24] << 24) | (S[(s3 >>> 16) & 0xff] << 16) | (S[(s0 >>> 8) & 0xff] << 8) | S[s1 & 0xff]) ^ w[k + 2];
    o[3] =
      ((S[s3 >>> 24] << 24) | (S[(s0 >>> 16) & 0xff] << 16) | (S[(s1 >>> 8) & 0xff] << 8) | S[s2 & 0xff]) ^ w[k + 3];
  }
}
