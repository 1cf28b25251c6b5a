/**
 * An independent SRTP/SRTCP implementation on node:crypto (OpenSSL), written
 * straight from RFC 3711 §3.3, §3.4, §4.1.1, §4.2.1, §4.3, RFC 6188 and
 * RFC 7714 §8–§9, §11 (with erratum 4938), for cross-checking sim/rtp. It
 * shares no code with the engine: its ciphers, HMAC and GCM are OpenSSL's.
 * The benchmark uses it as the peer "per-packet path on node:crypto".
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

export type ReferenceSuite =
  | 'AES_CM_128_HMAC_SHA1_80'
  | 'AES_CM_128_HMAC_SHA1_32'
  | 'AES_256_CM_HMAC_SHA1_80'
  | 'AEAD_AES_128_GCM'
  | 'AEAD_AES_256_GCM';

const PARAMS: Record<ReferenceSuite, { key: number; salt: number; tag: number; rtcpTag: number; gcm: boolean }> = {
  AES_CM_128_HMAC_SHA1_80: { key: 16, salt: 14, tag: 10, rtcpTag: 10, gcm: false },
  AES_CM_128_HMAC_SHA1_32: { key: 16, salt: 14, tag: 4, rtcpTag: 10, gcm: false },
  AES_256_CM_HMAC_SHA1_80: { key: 32, salt: 14, tag: 10, rtcpTag: 10, gcm: false },
  AEAD_AES_128_GCM: { key: 16, salt: 12, tag: 16, rtcpTag: 16, gcm: true },
  AEAD_AES_256_GCM: { key: 32, salt: 12, tag: 16, rtcpTag: 16, gcm: true },
};

function ctr(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv(key.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/** RFC 3711 §4.3.1 with kdr = 0; a 12-byte salt is first multiplied by 2^16 (RFC 7714 erratum 4938). */
function kdf(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const x = Buffer.alloc(16);
  masterSalt.copy(x, 0);
  x[7] ^= label;
  return ctr(masterKey, x, Buffer.alloc(length));
}

interface Keys {
  k_e: Buffer;
  k_a: Buffer;
  k_s: Buffer;
}

export class ReferenceSrtp {
  readonly p: (typeof PARAMS)[ReferenceSuite];
  readonly rtp: Keys;
  readonly rtcp: Keys;
  private readonly cipherName: string;

  constructor(
    readonly suite: ReferenceSuite,
    keySalt: Uint8Array,
  ) {
    this.p = PARAMS[suite];
    const mk = Buffer.from(keySalt.subarray(0, this.p.key));
    const ms = Buffer.from(keySalt.subarray(this.p.key));
    const keys = (base: number): Keys => ({
      k_e: kdf(mk, ms, base, this.p.key),
      k_a: this.p.gcm ? Buffer.alloc(0) : kdf(mk, ms, base + 1, 20),
      k_s: kdf(mk, ms, base + 2, this.p.salt),
    });
    this.rtp = keys(0);
    this.rtcp = keys(3);
    this.cipherName = this.p.gcm ? `aes-${this.p.key * 8}-gcm` : '';
  }

  private static headerLength(pkt: Buffer): number {
    let n = 12 + 4 * (pkt[0] & 0x0f);
    if (pkt[0] & 0x10) n += 4 + 4 * pkt.readUInt16BE(n + 2);
    return n;
  }

  /** IV for AES-CM: k_s·2^16 XOR SSRC·2^64 XOR i·2^16 (RFC 3711 §4.1.1). */
  private static cmIv(salt: Buffer, ssrc: number, index: bigint): Buffer {
    const iv = Buffer.alloc(16);
    salt.copy(iv, 0);
    const mix = Buffer.alloc(16);
    mix.writeUInt32BE(ssrc, 4);
    mix.writeBigUInt64BE(index << 16n, 8);
    for (let i = 0; i < 16; i++) iv[i] ^= mix[i];
    return iv;
  }

  private static gcmIv(salt: Buffer, ssrc: number, hi: number, lo: number, loBytes: 2 | 4): Buffer {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(ssrc, 2);
    if (loBytes === 2) {
      iv.writeUInt32BE(hi, 6);
      iv.writeUInt16BE(lo, 10);
    } else {
      iv.writeUInt32BE(lo & 0x7fffffff, 8);
    }
    for (let i = 0; i < 12; i++) iv[i] ^= salt[i];
    return iv;
  }

  /** Protects one RTP packet for the given ROC. */
  protect(rtpPacket: Uint8Array, roc: number): Buffer {
    const pkt = Buffer.from(rtpPacket);
    const h = ReferenceSrtp.headerLength(pkt);
    const seq = pkt.readUInt16BE(2);
    const ssrc = pkt.readUInt32BE(8);
    if (this.p.gcm) {
      const c = createCipheriv(
        this.cipherName as 'aes-128-gcm',
        this.rtp.k_e,
        ReferenceSrtp.gcmIv(this.rtp.k_s, ssrc, roc, seq, 2),
      );
      c.setAAD(pkt.subarray(0, h));
      const body = Buffer.concat([c.update(pkt.subarray(h)), c.final()]);
      return Buffer.concat([pkt.subarray(0, h), body, c.getAuthTag()]);
    }
    const index = (BigInt(roc) << 16n) | BigInt(seq);
    const enc = ctr(this.rtp.k_e, ReferenceSrtp.cmIv(this.rtp.k_s, ssrc, index), pkt.subarray(h));
    const authed = Buffer.concat([pkt.subarray(0, h), enc]);
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc);
    const tag = createHmac('sha1', this.rtp.k_a).update(authed).update(rocBytes).digest().subarray(0, this.p.tag);
    return Buffer.concat([authed, tag]);
  }

  /** Unprotects one SRTP packet for the given ROC; undefined when authentication fails. */
  unprotect(srtpPacket: Uint8Array, roc: number): Buffer | undefined {
    const pkt = Buffer.from(srtpPacket);
    const h = ReferenceSrtp.headerLength(pkt);
    const seq = pkt.readUInt16BE(2);
    const ssrc = pkt.readUInt32BE(8);
    if (this.p.gcm) {
      const d = createDecipheriv(
        this.cipherName as 'aes-128-gcm',
        this.rtp.k_e,
        ReferenceSrtp.gcmIv(this.rtp.k_s, ssrc, roc, seq, 2),
      );
      d.setAAD(pkt.subarray(0, h));
      d.setAuthTag(pkt.subarray(pkt.length - 16));
      try {
        const body = Buffer.concat([d.update(pkt.subarray(h, pkt.length - 16)), d.final()]);
        return Buffer.concat([pkt.subarray(0, h), body]);
      } catch {
        return undefined;
      }
    }
    const authed = pkt.subarray(0, pkt.length - this.p.tag);
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc);
    const tag = createHmac('sha1', this.rtp.k_a).update(authed).update(rocBytes).digest().subarray(0, this.p.tag);
    if (!timingSafeEqual(tag, pkt.subarray(pkt.length - this.p.tag))) return undefined;
    const index = (BigInt(roc) << 16n) | BigInt(seq);
    return Buffer.concat([
      authed.subarray(0, h),
      ctr(this.rtp.k_e, ReferenceSrtp.cmIv(this.rtp.k_s, ssrc, index), authed.subarray(h)),
    ]);
  }

  /** Protects one RTCP packet with SRTCP index `index`, encrypted (E = 1). */
  protectRtcp(rtcpPacket: Uint8Array, index: number): Buffer {
    const pkt = Buffer.from(rtcpPacket);
    const ssrc = pkt.readUInt32BE(4);
    const eIndex = Buffer.alloc(4);
    eIndex.writeUInt32BE((0x80000000 | index) >>> 0);
    if (this.p.gcm) {
      const c = createCipheriv(
        this.cipherName as 'aes-128-gcm',
        this.rtcp.k_e,
        ReferenceSrtp.gcmIv(this.rtcp.k_s, ssrc, 0, index, 4),
      );
      c.setAAD(Buffer.concat([pkt.subarray(0, 8), eIndex]));
      const body = Buffer.concat([c.update(pkt.subarray(8)), c.final()]);
      return Buffer.concat([pkt.subarray(0, 8), body, c.getAuthTag(), eIndex]);
    }
    const enc = ctr(this.rtcp.k_e, ReferenceSrtp.cmIv(this.rtcp.k_s, ssrc, BigInt(index)), pkt.subarray(8));
    const authed = Buffer.concat([pkt.subarray(0, 8), enc, eIndex]);
    const tag = createHmac('sha1', this.rtcp.k_a).update(authed).digest().subarray(0, this.p.rtcpTag);
    return Buffer.concat([authed, tag]);
  }
}
