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
 * The key schedule, GHASH's tables and the HMAC pad state are computed once
 * per key, the salt is held as words, and the IV or nonce is built as words
 * from it, never as an array; the MAC output and ROC bytes are reused
 * buffers, and associated data is read where it lies in the packet: nothing
 * is allocated per packet on either path.
 */
import { AesCounterMode } from './aes-cm';
import { AesGcmKey, GCM_TAG_LENGTH } from '../crypto/aes-gcm';
import { int32At } from '../wire/bytes';
import { HmacSha1 } from './hmac-sha1';
import type { SessionKeys } from './srtp-key-derivation';
import type { SrtpSuite } from './srtp-suite';

export class SrtpTransform {
  private readonly cipher?: AesCounterMode;
  private readonly aead?: AesGcmKey;
  private readonly hmac?: HmacSha1;
  private readonly macOut = new Uint8Array(20);
  private readonly trailer = new Uint8Array(4);
  private readonly noTrailer = new Uint8Array(0);
  /** The session salt as big-endian words (the last one holds bytes 12–13 of a 14-byte salt). */
  private readonly salt0: number;
  private readonly salt1: number;
  private readonly salt2: number;
  private readonly salt3: number;

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
    const salt = new Uint8Array(16);
    salt.set(keys.salt);
    this.salt0 = int32At(salt, 0);
    this.salt1 = int32At(salt, 4);
    this.salt2 = int32At(salt, 8);
    this.salt3 = int32At(salt, 12);
  }

  get isAead(): boolean {
    return this.suite.kind === 'aead-aes-gcm';
  }

  /**
   * XORs the AES-CM keystream for (SSRC, index) into `data[start, end)`, with
   * RFC 3711 §4.1.1's IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16), i < 2^48:
   * the SSRC lands in bytes 4–7 and the index in bytes 8–13.
   */
  cryptCounterMode(ssrc: number, index: number, data: Uint8Array, start: number, end: number): void {
    const high = Math.floor(index / 0x100000000) & 0xffff;
    const low = index >>> 0;
    this.cipher!.xorKeystreamWords(
      this.salt0,
      this.salt1 ^ ssrc,
      this.salt2 ^ ((high << 16) | (low >>> 16)),
      this.salt3 ^ (low << 16),
      data,
      start,
      end,
    );
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
   * AES-GCM (RFC 7714 §8.2): encrypts `data[start, end)` in place, with
   * `data[0, start)` (the RTP header) as associated data, and writes the
   * 16-byte tag at `data[end]`. The IV (§8.1) is
   * (0x0000 || SSRC || ROC || SEQ) XOR salt, built as three words.
   */
  sealSrtpInPlace(ssrc: number, roc: number, seq: number, data: Uint8Array, start: number, end: number): void {
    this.aead!.seal(
      this.salt0 ^ (ssrc >>> 16),
      this.salt1 ^ ((ssrc << 16) | (roc >>> 16)),
      this.salt2 ^ ((roc << 16) | (seq & 0xffff)),
      data,
      0,
      start,
      data,
      start,
      end,
      data,
      end,
    );
  }

  /**
   * AES-GCM open of `data[start, end)`, whose tag follows at `data[end]` and
   * whose header `data[0, start)` is the associated data, into `out[outAt]`;
   * false if the tag fails.
   */
  openSrtpInto(
    ssrc: number,
    roc: number,
    seq: number,
    data: Uint8Array,
    start: number,
    end: number,
    out: Uint8Array,
    outAt: number,
  ): boolean {
    return this.aead!.open(
      this.salt0 ^ (ssrc >>> 16),
      this.salt1 ^ ((ssrc << 16) | (roc >>> 16)),
      this.salt2 ^ ((roc << 16) | (seq & 0xffff)),
      data,
      0,
      start,
      data,
      start,
      end,
      data,
      end,
      out,
      outAt,
    );
  }

  /**
   * SRTCP's AES-GCM (RFC 7714 §9.2): ciphertext || tag of `plaintext` with
   * `aad`, under the IV (§9.1) (0x0000 || SSRC || 0x0000 || 0 || index) XOR salt.
   */
  sealSrtcp(ssrc: number, index: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const buf = new Uint8Array(plaintext.length + GCM_TAG_LENGTH);
    buf.set(plaintext);
    this.aead!.seal(
      this.salt0 ^ (ssrc >>> 16),
      this.salt1 ^ (ssrc << 16),
      this.salt2 ^ (index & 0x7fffffff),
      aad,
      0,
      aad.length,
      buf,
      0,
      plaintext.length,
      buf,
      plaintext.length,
    );
    return buf;
  }

  /** The plaintext of SRTCP's ciphertext || tag, or undefined when the tag fails. */
  openSrtcp(ssrc: number, index: number, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
    if (sealed.length < GCM_TAG_LENGTH) return undefined;
    const length = sealed.length - GCM_TAG_LENGTH;
    const out = new Uint8Array(length);
    const ok = this.aead!.open(
      this.salt0 ^ (ssrc >>> 16),
      this.salt1 ^ (ssrc << 16),
      this.salt2 ^ (index & 0x7fffffff),
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

  /** Convenience for vectors: ciphertext || tag of `plaintext` behind `header` (the associated data). */
  sealSrtp(ssrc: number, roc: number, seq: number, header: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const buf = new Uint8Array(header.length + plaintext.length + GCM_TAG_LENGTH);
    buf.set(header);
    buf.set(plaintext, header.length);
    this.sealSrtpInPlace(ssrc, roc, seq, buf, header.length, header.length + plaintext.length);
    return buf.subarray(header.length);
  }

  openSrtp(ssrc: number, roc: number, seq: number, header: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
    if (sealed.length < GCM_TAG_LENGTH) return undefined;
    const buf = new Uint8Array(header.length + sealed.length);
    buf.set(header);
    buf.set(sealed, header.length);
    const end = buf.length - GCM_TAG_LENGTH;
    const out = new Uint8Array(end - header.length);
    return this.openSrtpInto(ssrc, roc, seq, buf, header.length, end, out, 0) ? out : undefined;
  }
}
