/**
 * The per-packet cryptography of SRTP and SRTCP for one direction's session
 * keys, with no state about which packets came before (that lives in
 * `SrtpContext`).
 *
 * AES-CM with HMAC-SHA1 (RFC 3711 §3.1, §4.1.1, §4.2.1; RFC 6188 for AES-256):
 * - SRTP:  IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16); the payload is
 *   XORed with the keystream; tag = HMAC-SHA1(k_a, header || ciphertext || ROC),
 *   truncated.
 * - SRTCP (§3.4): the same with the 31-bit SRTCP index for i; everything after
 *   the first eight bytes is encrypted; tag = HMAC(k_a, packet || E || index).
 *
 * AES-GCM (RFC 7714):
 * - SRTP (§8.1, §8.2):  IV = (0x0000 || SSRC || ROC || SEQ) XOR salt; the
 *   header is the associated data; the 16-byte GCM tag follows the ciphertext.
 * - SRTCP (§9.1, §9.2): IV = (0x0000 || SSRC || 0x0000 || 0 || index) XOR salt;
 *   associated data is the first eight bytes and E || index (or, unencrypted,
 *   the whole packet and E || index).
 *
 * The key schedule and the HMAC pad state are computed once per key, and the
 * per-packet buffers (IV, ROC bytes, MAC output) are reused: nothing is
 * allocated per packet on the AES-CM path.
 */
import { AesCounterMode } from './aes-cm';
import { AesGcmKey, GCM_TAG_LENGTH } from './aes-gcm';
import { HmacSha1 } from './hmac-sha1';
import type { SessionKeys } from './srtp-key-derivation';
import type { SrtpSuite } from './srtp-suite';

export class SrtpTransform {
  private readonly cipher?: AesCounterMode;
  private readonly aead?: AesGcmKey;
  private readonly hmac?: HmacSha1;
  private readonly macOut = new Uint8Array(20);
  private readonly iv = new Uint8Array(16);
  private readonly nonce = new Uint8Array(12);
  private readonly trailer = new Uint8Array(4);
  private readonly noTrailer = new Uint8Array(0);

  constructor(
    readonly suite: SrtpSuite,
    readonly keys: SessionKeys,
    /** Tag length for this protocol: SRTP's or SRTCP's. */
    readonly tagLength: number,
  ) {
    if (suite.kind === 'aes-cm-hmac-sha1') {
      this.cipher = new AesCounterMode(keys.encryptionKey);
      this.hmac = new HmacSha1(keys.authenticationKey);
    } else {
      this.aead = new AesGcmKey(keys.encryptionKey);
    }
  }

  get isAead(): boolean {
    return this.suite.kind === 'aead-aes-gcm';
  }

  /** RFC 3711 §4.1.1: IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16). `i` < 2^48. */
  private counterIv(ssrc: number, index: number): Uint8Array {
    const iv = this.iv;
    const salt = this.keys.salt;
    for (let j = 0; j < 14; j++) iv[j] = salt[j];
    iv[14] = 0;
    iv[15] = 0;
    iv[4] ^= ssrc >>> 24;
    iv[5] ^= (ssrc >>> 16) & 0xff;
    iv[6] ^= (ssrc >>> 8) & 0xff;
    iv[7] ^= ssrc & 0xff;
    const high = Math.floor(index / 0x100000000);
    iv[8] ^= (high >>> 8) & 0xff;
    iv[9] ^= high & 0xff;
    iv[10] ^= (index >>> 24) & 0xff;
    iv[11] ^= (index >>> 16) & 0xff;
    iv[12] ^= (index >>> 8) & 0xff;
    iv[13] ^= index & 0xff;
    return iv;
  }

  /** RFC 7714 §8.1 / §9.1: 12-byte IV from SSRC and two 32-bit words (ROC, SEQ) or (0, index), XOR the salt. */
  private gcmNonce(ssrc: number, word: number, low: number, lowBytes: 2 | 4): Uint8Array {
    const n = this.nonce;
    n.fill(0);
    n[2] = ssrc >>> 24;
    n[3] = (ssrc >>> 16) & 0xff;
    n[4] = (ssrc >>> 8) & 0xff;
    n[5] = ssrc & 0xff;
    if (lowBytes === 2) {
      // 0x0000 || SSRC || ROC (32) || SEQ (16)
      n[6] = word >>> 24;
      n[7] = (word >>> 16) & 0xff;
      n[8] = (word >>> 8) & 0xff;
      n[9] = word & 0xff;
      n[10] = (low >>> 8) & 0xff;
      n[11] = low & 0xff;
    } else {
      // 0x0000 || SSRC || 0x0000 || 0 || SRTCP index (31)
      n[8] = (low >>> 24) & 0x7f;
      n[9] = (low >>> 16) & 0xff;
      n[10] = (low >>> 8) & 0xff;
      n[11] = low & 0xff;
    }
    const salt = this.keys.salt;
    for (let j = 0; j < 12; j++) n[j] ^= salt[j];
    return n;
  }

  /** XORs the AES-CM keystream for (SSRC, index) into `data[start, end)`. */
  cryptCounterMode(ssrc: number, index: number, data: Uint8Array, start: number, end: number): void {
    this.cipher!.xorKeystream(this.counterIv(ssrc, index), data, start, end);
  }

  /**
   * HMAC-SHA1 over `data[0, length)` then `trailer4` (the ROC for SRTP, nothing
   * extra for SRTCP whose E || index is inside `data`), into the reused output.
   */
  private mac(data: Uint8Array, length: number, roc: number | undefined): Uint8Array {
    let trailer = this.noTrailer;
    if (roc !== undefined) {
      trailer = this.trailer;
      trailer[0] = roc >>> 24;
      trailer[1] = (roc >>> 16) & 0xff;
      trailer[2] = (roc >>> 8) & 0xff;
      trailer[3] = roc & 0xff;
    }
    this.hmac!.macInto(data, length, trailer, this.macOut);
    return this.macOut;
  }

  /** Writes the truncated tag of `data[0, length)` (|| ROC) at `out[at]`. */
  writeTag(data: Uint8Array, length: number, roc: number | undefined, out: Uint8Array, at: number): void {
    const full = this.mac(data, length, roc);
    for (let j = 0; j < this.tagLength; j++) out[at + j] = full[j];
  }

  /** Compares the tag at `data[at]` with the MAC of `data[0, length)` (|| ROC), in constant time. */
  verifyTag(data: Uint8Array, length: number, roc: number | undefined, at: number): boolean {
    const full = this.mac(data, length, roc);
    let diff = 0;
    for (let j = 0; j < this.tagLength; j++) diff |= full[j] ^ data[at + j];
    return diff === 0;
  }

  /**
   * AES-GCM (RFC 7714 §8.2): encrypts `data[start, end)` in place, with `aad`
   * as associated data, and writes the 16-byte tag at `data[end]`.
   */
  sealSrtpInPlace(
    ssrc: number,
    roc: number,
    seq: number,
    aad: Uint8Array,
    data: Uint8Array,
    start: number,
    end: number,
  ): void {
    this.aead!.sealInPlace(this.gcmNonce(ssrc, roc, seq, 2), aad, data, start, end, data, end);
  }

  /** AES-GCM open of `data[start, end)` whose tag follows at `data[end]`, into `out[outAt]`; false if the tag fails. */
  openSrtpInto(
    ssrc: number,
    roc: number,
    seq: number,
    aad: Uint8Array,
    data: Uint8Array,
    start: number,
    end: number,
    out: Uint8Array,
    outAt: number,
  ): boolean {
    return this.aead!.openInto(this.gcmNonce(ssrc, roc, seq, 2), aad, data, start, end, out, outAt);
  }

  /** SRTCP's AES-GCM (RFC 7714 §9.2) with the 31-bit SRTCP index in the nonce. */
  sealSrtcpInPlace(ssrc: number, index: number, aad: Uint8Array, data: Uint8Array, start: number, end: number): void {
    this.aead!.sealInPlace(this.gcmNonce(ssrc, 0, index, 4), aad, data, start, end, data, end);
  }

  openSrtcpInto(
    ssrc: number,
    index: number,
    aad: Uint8Array,
    data: Uint8Array,
    start: number,
    end: number,
    out: Uint8Array,
    outAt: number,
  ): boolean {
    return this.aead!.openInto(this.gcmNonce(ssrc, 0, index, 4), aad, data, start, end, out, outAt);
  }

  /** Convenience for vectors: ciphertext || tag of `plaintext`. */
  sealSrtp(ssrc: number, roc: number, seq: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const buf = new Uint8Array(plaintext.length + GCM_TAG_LENGTH);
    buf.set(plaintext);
    this.sealSrtpInPlace(ssrc, roc, seq, aad, buf, 0, plaintext.length);
    return buf;
  }

  openSrtp(ssrc: number, roc: number, seq: number, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
    if (sealed.length < GCM_TAG_LENGTH) return undefined;
    const out = new Uint8Array(sealed.length - GCM_TAG_LENGTH);
    return this.openSrtpInto(ssrc, roc, seq, aad, sealed, 0, out.length, out, 0) ? out : undefined;
  }

  sealSrtcp(ssrc: number, index: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const buf = new Uint8Array(plaintext.length + GCM_TAG_LENGTH);
    buf.set(plaintext);
    this.sealSrtcpInPlace(ssrc, index, aad, buf, 0, plaintext.length);
    return buf;
  }

  openSrtcp(ssrc: number, index: number, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
    if (sealed.length < GCM_TAG_LENGTH) return undefined;
    const out = new Uint8Array(sealed.length - GCM_TAG_LENGTH);
    return this.openSrtcpInto(ssrc, index, aad, sealed, 0, out.length, out, 0) ? out : undefined;
  }
}
