/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream is
 * E(k, IV) || E(k, IV + 1) || E(k, IV + 2) ..., where the 128-bit IV leaves
 * its low 16 bits zero for the block counter. SRTP's key derivation
 * (§4.3.3) and packet encryption both use it; RFC 6188 §3 adds the 256-bit key.
 *
 * The key schedule is expanded once per key (FIPS 197 §5.2) with
 * @noble/ciphers' `unsafe.expandKeyLE` and kept for the life of the stream;
 * each block is one call of its round function. A packet then costs only its
 * blocks: no key expansion and no allocation.
 */
import { unsafe } from '@noble/ciphers/aes.js';

/** A 16-bit block counter covers at most 2^16 blocks (1 MiB) per IV, as SRTP's do. */
export const AES_CM_MAX_BYTES = 65536 * 16;

export class AesCounterMode {
  private readonly schedule: Uint32Array;

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 32) {
      throw new RangeError(`AES-CM needs a 16- or 32-byte key, got ${key.length}`);
    }
    this.schedule = unsafe.expandKeyLE(key);
  }

  /**
   * XORs the keystream for `iv` into `data[start, end)` in place (encrypting
   * and decrypting are the same operation). `iv` is 16 bytes; its last two
   * bytes are the block counter, which must not pass 0xffff (SRTP's IVs leave
   * them zero; GCM's inc32 starts them at 2).
   */
  xorKeystream(iv: Uint8Array, data: Uint8Array, start = 0, end = data.length): void {
    const length = end - start;
    const first = (iv[14] << 8) | iv[15];
    if (length < 0 || first + Math.ceil(length / 16) > 65536) {
      throw new RangeError(`AES-CM covers at most ${AES_CM_MAX_BYTES} bytes per IV`);
    }
    // The counter block as the round function takes it: four little-endian
    // words of the big-endian byte string (what noble's u32 view gives on every host).
    const w0 = iv[0] | (iv[1] << 8) | (iv[2] << 16) | (iv[3] << 24);
    const w1 = iv[4] | (iv[5] << 8) | (iv[6] << 16) | (iv[7] << 24);
    const w2 = iv[8] | (iv[9] << 8) | (iv[10] << 16) | (iv[11] << 24);
    const w3base = iv[12] | (iv[13] << 8) | (iv[14] << 16) | (iv[15] << 24);
    const xk = this.schedule;
    for (let block = 0, at = start; at < end; block++) {
      // Block i adds i to the IV: bytes 14 and 15 (big-endian) hold it.
      const counter = first + block;
      const w3 = (w3base & 0x0000ffff) | (((counter >> 8) & 0xff) << 16) | ((counter & 0xff) << 24);
      const s = unsafe.encrypt(xk, w0, w1, w2, w3);
      const n = Math.min(16, end - at);
      if (n === 16) {
        xorWord(data, at, s.s0);
        xorWord(data, at + 4, s.s1);
        xorWord(data, at + 8, s.s2);
        xorWord(data, at + 12, s.s3);
      } else {
        for (let i = 0; i < n; i++) {
          const word = i < 4 ? s.s0 : i < 8 ? s.s1 : i < 12 ? s.s2 : s.s3;
          data[at + i] ^= (word >>> ((i & 3) * 8)) & 0xff;
        }
      }
      at += n;
    }
  }

  /** The first `length` bytes of keystream for `iv` (key derivation, test vectors). */
  keystream(iv: Uint8Array, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.xorKeystream(iv, out);
    return out;
  }
}

function xorWord(data: Uint8Array, at: number, word: number): void {
  data[at] ^= word & 0xff;
  data[at + 1] ^= (word >>> 8) & 0xff;
  data[at + 2] ^= (word >>> 16) & 0xff;
  data[at + 3] ^= word >>> 24;
}
