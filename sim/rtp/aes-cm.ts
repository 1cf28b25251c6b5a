/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream is
 * E(k, IV) || E(k, IV + 1) || E(k, IV + 2) ..., where the 128-bit IV leaves
 * its low 16 bits zero for the block counter. SRTP's key derivation
 * (§4.3.3) and packet encryption both use it; RFC 6188 §3 adds the 256-bit key.
 *
 * The key schedule is expanded once per key (FIPS 197 §5.2, in
 * crypto/aes-block.ts) and kept for the life of the stream; the counter block
 * is four words built in place (what of AES's first two rounds the IV alone
 * decides computed once per packet: `encryptCounter`), and the payload is
 * XORed a word at a time.
 * A packet then costs only its blocks: no key expansion and no allocation.
 */
import { AesBlockCipher } from '../crypto/aes-block';
import { int32At, putInt32 } from '../wire/bytes';

/** A 16-bit block counter covers at most 2^16 blocks (1 MiB) per IV, as SRTP's do. */
export const AES_CM_MAX_BYTES = 65536 * 16;

export class AesCounterMode {
  private readonly aes: AesBlockCipher;

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 32) {
      throw new RangeError(`AES-CM needs a 16- or 32-byte key, got ${key.length}`);
    }
    this.aes = new AesBlockCipher(key);
  }

  /**
   * XORs the keystream for `iv` into `data[start, end)` in place (encrypting
   * and decrypting are the same operation). `iv` is 16 bytes; its last two
   * bytes are the block counter, which must not pass 0xffff (SRTP's IVs leave
   * them zero).
   */
  xorKeystream(iv: Uint8Array, data: Uint8Array, start = 0, end = data.length): void {
    this.xorKeystreamWords(int32At(iv, 0), int32At(iv, 4), int32At(iv, 8), int32At(iv, 12), data, start, end);
  }

  /** The same, with the IV as four big-endian words (the form SRTP's transform builds it in). */
  xorKeystreamWords(
    iv0: number,
    iv1: number,
    iv2: number,
    iv3: number,
    data: Uint8Array,
    start: number,
    end: number,
  ): void {
    const length = end - start;
    const first = iv3 & 0xffff;
    if (length < 0 || first + Math.ceil(length / 16) > 65536) {
      throw new RangeError(`AES-CM covers at most ${AES_CM_MAX_BYTES} bytes per IV`);
    }
    const aes = this.aes;
    const k = aes.out;
    // Block i adds i to the IV's low 16 bits, which never carry (checked above).
    let counter = iv3;
    let at = start;
    for (; at + 16 <= end; at += 16) {
      aes.encryptCounter(iv0, iv1, iv2, counter++);
      putInt32(data, at, int32At(data, at) ^ k[0]);
      putInt32(data, at + 4, int32At(data, at + 4) ^ k[1]);
      putInt32(data, at + 8, int32At(data, at + 8) ^ k[2]);
      putInt32(data, at + 12, int32At(data, at + 12) ^ k[3]);
    }
    if (at < end) {
      aes.encryptCounter(iv0, iv1, iv2, counter);
      for (let j = 0; at + j < end; j++) data[at + j] ^= (k[j >> 2] >>> (24 - 8 * (j & 3))) & 0xff;
    }
  }

  /** The first `length` bytes of keystream for `iv` (key derivation, test vectors). */
  keystream(iv: Uint8Array, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.xorKeystream(iv, out);
    return out;
  }
}
