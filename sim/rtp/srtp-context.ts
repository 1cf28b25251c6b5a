/**
 * An SRTP cryptographic context (RFC 3711 §3.2): the session keys derived
 * from one SDES master key and salt, and, per SSRC, the rollover counter,
 * the highest sequence number and the replay lists that SRTP (§3.3) and
 * SRTCP (§3.4) keep.
 *
 * Receiving (§3.3): estimate the packet index (Appendix A), check the replay
 * list, verify the tag, decrypt, and only then update the ROC and the replay
 * list. A packet that fails authentication or is a replay is dropped and
 * reported as a value, and counted — never thrown.
 *
 * An SDES key protects one direction: the PBX and the SBC each hold a
 * context for the key they sent (to protect) and one for the key they
 * received (to unprotect).
 */
import { toHex } from '../wire/bytes';
import type { KeyEvent, Party } from '../timeline';
import { deriveSrtpSessionKeys, checkMasterKey, srtpKeyEvents, type SrtpSessionKeys } from './srtp-key-derivation';
import { SRTP_SUITES, type SrtpSuite, type SrtpSuiteName } from './srtp-suite';
import { SrtpTransform } from './srtp-transform';
import { ReplayWindow, DEFAULT_REPLAY_WINDOW } from './replay-window';
import { RolloverCounter } from './packet-index';

/** Why a packet was dropped, in the words of RFC 3711 §3.3 and libsrtp's status codes. */
export type SrtpFailureReason =
  /** The tag did not verify (§3.3 step 5): wrong key, wrong suite, wrong ROC, or tampering. */
  | 'auth_failure'
  /** The index was already received, or is older than the replay window (§3.3.2). */
  | 'replay'
  /** Too short, not RTP version 2, or a header longer than the packet. */
  | 'malformed'
  /** The MKI in the packet names another master key (§3.1). */
  | 'unknown_mki';

export interface Unprotected {
  ok: true;
  /** Bytes of plain RTP (or RTCP) written to the output. */
  length: number;
  ssrc: number;
  /** SRTP: the ROC the packet belonged to and its 48-bit index; SRTCP: the 31-bit index and ROC 0. */
  roc: number;
  index: number;
  /** SRTCP only: whether the E flag said the packet was encrypted. */
  encrypted: boolean;
}

export interface Dropped {
  ok: false;
  reason: SrtpFailureReason;
  detail: string;
  ssrc?: number;
  index?: number;
}

export type UnprotectOutcome = Unprotected | Dropped;

export interface SrtpCounters {
  /** Packets offered to unprotect. */
  packets: number;
  /** Packets that authenticated and were decrypted. */
  decrypted: number;
  authFailures: number;
  replays: number;
  malformed: number;
}

export interface SrtpContextOptions {
  /** Replay window size in packets (RFC 3711 §3.3.2); default 128. */
  replayWindow?: number;
  /** A master key identifier to send, and to expect, after the payload (RFC 3711 §3.1; RFC 4568 §6.1 `|MKI:length`). */
  mki?: Uint8Array;
  /** The ROC to assume for an SSRC's first packet (a capture that starts after the sequence number has wrapped). */
  initialRoc?: number;
}

interface StreamState {
  /** Receiver: ROC and s_l (§3.3.1). */
  rollover: RolloverCounter;
  replay: ReplayWindow;
  /** Sender: ROC and last sequence number sent. */
  sendRoc: number;
  sendLastSeq: number;
  sending: boolean;
  /** SRTCP: next index to send (starts at 0, §3.4) and the replay list for received indices. */
  srtcpSendIndex: number;
  srtcpReplay: ReplayWindow;
}

const RTP_HEADER = 12;
const SRTCP_TRAILER = 4;

export class SrtpContext {
  readonly suite: SrtpSuite;
  readonly keys: SrtpSessionKeys;
  readonly counters: SrtpCounters = { packets: 0, decrypted: 0, authFailures: 0, replays: 0, malformed: 0 };
  readonly rtcpCounters: SrtpCounters = { packets: 0, decrypted: 0, authFailures: 0, replays: 0, malformed: 0 };
  private readonly srtp: SrtpTransform;
  private readonly srtcp: SrtpTransform;
  private readonly streams = new Map<number, StreamState>();
  private readonly mki: Uint8Array;
  private readonly windowSize: number;
  private readonly initialRoc: number;

  constructor(
    suite: SrtpSuite | SrtpSuiteName,
    masterKey: Uint8Array,
    masterSalt: Uint8Array,
    options: SrtpContextOptions = {},
  ) {
    this.suite = typeof suite === 'string' ? SRTP_SUITES[suite] : suite;
    checkMasterKey(this.suite, masterKey, masterSalt);
    this.keys = deriveSrtpSessionKeys(this.suite, masterKey, masterSalt);
    this.srtp = new SrtpTransform(this.suite, this.keys.srtp, this.suite.srtpTagLength);
    this.srtcp = new SrtpTransform(this.suite, this.keys.srtcp, this.suite.srtcpTagLength);
    this.mki = options.mki ?? new Uint8Array(0);
    this.windowSize = options.replayWindow ?? DEFAULT_REPLAY_WINDOW;
    this.initialRoc = options.initialRoc ?? 0;
  }

  /** A context from the `inline:` key||salt of an SDES a=crypto line (RFC 4568 §6.1). */
  static fromKeySalt(suite: SrtpSuite | SrtpSuiteName, keySalt: Uint8Array, options?: SrtpContextOptions): SrtpContext {
    const s = typeof suite === 'string' ? SRTP_SUITES[suite] : suite;
    if (keySalt.length !== s.keyLength + s.saltLength) {
      throw new RangeError(`${s.name} needs ${s.keyLength + s.saltLength} bytes of key||salt, got ${keySalt.length}`);
    }
    return new SrtpContext(s, keySalt.slice(0, s.keyLength), keySalt.slice(s.keyLength), options);
  }

  /** Bytes SRTP adds to an RTP packet: MKI and tag. */
  get srtpOverhead(): number {
    return this.mki.length + this.suite.srtpTagLength;
  }

  /** Bytes SRTCP adds to an RTCP packet: E||index, MKI and tag. */
  get srtcpOverhead(): number {
    return SRTCP_TRAILER + this.mki.length + this.suite.srtcpTagLength;
  }

  get mkiLength(): number {
    return this.mki.length;
  }

  /** The derivation trace of the six session keys, as `KeyEvent`s for `party`. */
  keyEvents(party: Party, direction = ''): KeyEvent[] {
    return srtpKeyEvents(party, this.suite, this.keys, direction);
  }

  /** The ROC the receiver currently holds for `ssrc` (undefined before its first packet). */
  receiverRoc(ssrc: number): number | undefined {
    return this.streams.get(ssrc >>> 0)?.rollover.roc;
  }

  private state(ssrc: number): StreamState {
    let s = this.streams.get(ssrc);
    if (!s) {
      s = {
        rollover: new RolloverCounter(this.initialRoc),
        replay: new ReplayWindow(this.windowSize),
        sendRoc: this.initialRoc,
        sendLastSeq: 0,
        sending: false,
        srtcpSendIndex: 0,
        srtcpReplay: new ReplayWindow(this.windowSize),
      };
      this.streams.set(ssrc, s);
    }
    return s;
  }

  // ---- SRTP ---------------------------------------------------------------

  /** Protects an RTP packet (RFC 3711 §3.3): a new array with the encrypted payload, MKI and tag. */
  protect(rtp: Uint8Array): Uint8Array {
    const out = new Uint8Array(rtp.length + this.srtpOverhead);
    this.protectInto(rtp, out);
    return out;
  }

  /** Protects `rtp` into `out` (at least `rtp.length + srtpOverhead` bytes); returns the length written. */
  protectInto(rtp: Uint8Array, out: Uint8Array): number {
    const headerLength = rtpHeaderLength(rtp, rtp.length);
    if (headerLength < 0) throw new RangeError(`not an RTP packet: ${malformedDetail(headerLength, rtp.length)}`);
    const seq = (rtp[2] << 8) | rtp[3];
    const ssrc = readUint32(rtp, 8);
    const s = this.state(ssrc);
    // The sender's ROC counts wraps of the sequence number it sends (§3.3.1).
    if (s.sending && seq < s.sendLastSeq && s.sendLastSeq - seq > 0x8000) s.sendRoc = (s.sendRoc + 1) >>> 0;
    s.sending = true;
    s.sendLastSeq = seq;
    const roc = s.sendRoc;
    const t = this.srtp;
    let end: number;
    if (t.isAead) {
      out.set(rtp, 0);
      // The header just copied to `out` is the associated data (RFC 7714 §8.2).
      t.sealSrtpInPlace(ssrc, roc, seq, out, headerLength, rtp.length);
      end = rtp.length + t.tagLength;
      out.set(this.mki, end);
      end += this.mki.length;
    } else {
      out.set(rtp, 0);
      t.cryptCounterMode(ssrc, roc * 65536 + seq, out, headerLength, rtp.length);
      end = rtp.length;
      out.set(this.mki, end);
      // The authenticated portion is header || encrypted payload; the MKI is not covered (§3.1).
      t.writeTag(out, rtp.length, roc, out, end + this.mki.length);
      end += this.mki.length + t.tagLength;
    }
    return end;
  }

  /** Unprotects an SRTP packet; the plain RTP packet, or why it was dropped. */
  unprotect(srtp: Uint8Array): { ok: true; packet: Uint8Array; result: Unprotected } | Dropped {
    const out = new Uint8Array(srtp.length);
    const r = this.unprotectInto(srtp, out);
    return r.ok ? { ok: true, packet: out.subarray(0, r.length), result: r } : r;
  }

  /** Unprotects into `out` (at least `srtp.length` bytes). */
  unprotectInto(srtp: Uint8Array, out: Uint8Array): UnprotectOutcome {
    const dropped = this.receive(srtp, out);
    if (dropped) return dropped;
    const a = this.accepted;
    return { ok: true, length: a.length, ssrc: a.ssrc, roc: a.roc, index: a.index, encrypted: true };
  }

  /**
   * Receives an SRTP packet as `unprotectInto` does — index estimate, replay
   * list, tag, then the ROC and replay list move — but leaves the payload
   * encrypted: for a reader that needs only the receiver's verdict (`trunklab
   * analyze` counts packets, it prints no audio). With AES-CM the keystream
   * XOR that would follow a verified tag cannot fail (§3.3 steps 5–6), so the
   * verdict is the one decrypting would give. AES-GCM's tag is checked by
   * decrypting (RFC 7714 §8.2), into a scratch buffer. Returns why the
   * packet was dropped, or undefined when it was accepted: nothing is
   * allocated for a packet that authenticates.
   */
  acceptWithoutDecrypting(srtp: Uint8Array): Dropped | undefined {
    return this.receive(srtp, undefined);
  }

  /** The last packet `receive` accepted, kept as numbers rather than a result object per packet. */
  private readonly accepted = { length: 0, ssrc: 0, roc: 0, index: 0 };

  /** RFC 3711 §3.3 for a received packet: why it was dropped, or undefined (and `accepted` says what it was). */
  private receive(srtp: Uint8Array, out: Uint8Array | undefined): Dropped | undefined {
    this.counters.packets++;
    const t = this.srtp;
    const trailer = this.mki.length + t.tagLength;
    const authenticated = srtp.length - trailer;
    const headerLength = rtpHeaderLength(srtp, authenticated);
    if (headerLength < 0) {
      this.counters.malformed++;
      return { ok: false, reason: 'malformed', detail: malformedDetail(headerLength, srtp.length, trailer) };
    }
    const seq = (srtp[2] << 8) | srtp[3];
    const ssrc = readUint32(srtp, 8);
    if (!this.mkiMatches(srtp, t.isAead ? srtp.length - this.mki.length : authenticated)) {
      return this.dropUnknownMki(ssrc);
    }
    const s = this.state(ssrc);
    // The estimate as two numbers, not an object: this runs for every packet of a call.
    const roc = s.rollover.rocFor(seq);
    const index = roc * 65536 + seq;
    if (index < 0 || s.replay.check(index) !== 'fresh') {
      this.counters.replays++;
      const why =
        index < 0 || s.replay.check(index) === 'too_old' ? 'older than the replay window' : 'already received';
      return {
        ok: false,
        reason: 'replay',
        detail: `packet index ${index} (seq ${seq}) is ${why}`,
        ssrc,
        index,
      };
    }
    let length: number;
    if (t.isAead) {
      const sealedEnd = srtp.length - this.mki.length;
      if (sealedEnd - headerLength < 16) {
        this.counters.malformed++;
        return { ok: false, reason: 'malformed', detail: 'shorter than a GCM tag after the header', ssrc };
      }
      // Decrypts straight into `out` once the tag verifies; nothing is allocated for the packet.
      const into = out ?? this.scratch(srtp.length);
      if (!t.openSrtpInto(ssrc, roc >>> 0, seq, srtp, headerLength, sealedEnd - 16, into, headerLength)) {
        return this.dropAuthFailure(ssrc, index, seq);
      }
      if (out) for (let j = 0; j < headerLength; j++) out[j] = srtp[j];
      length = sealedEnd - 16;
    } else {
      if (!t.verifyTag(srtp, authenticated, roc >>> 0, authenticated + this.mki.length)) {
        return this.dropAuthFailure(ssrc, index, seq);
      }
      if (out) {
        for (let j = 0; j < authenticated; j++) out[j] = srtp[j];
        t.cryptCounterMode(ssrc, index, out, headerLength, authenticated);
      }
      length = authenticated;
    }
    // Only an authenticated packet moves the ROC and the replay list (§3.3.1, §3.3.2).
    s.rollover.accept(roc, seq);
    s.replay.accept(index);
    this.counters.decrypted++;
    const a = this.accepted;
    a.length = length;
    a.ssrc = ssrc;
    a.roc = roc;
    a.index = index;
    return undefined;
  }

  /**
   * Whether `srtp` authenticates under this key if its ROC is `roc`, without
   * touching any state or counter: how a capture reader finds the stream a
   * key belongs to, and the ROC of a capture that began mid-call.
   */
  authenticates(srtp: Uint8Array, roc: number): boolean {
    const t = this.srtp;
    const authenticated = srtp.length - this.mki.length - t.tagLength;
    const headerLength = rtpHeaderLength(srtp, authenticated);
    if (headerLength < 0) return false;
    if (t.isAead) {
      const sealedEnd = srtp.length - this.mki.length;
      if (sealedEnd - 16 < headerLength) return false;
      const scratch = new Uint8Array(srtp.length);
      const seq = (srtp[2] << 8) | srtp[3];
      return t.openSrtpInto(readUint32(srtp, 8), roc >>> 0, seq, srtp, headerLength, sealedEnd - 16, scratch, 0);
    }
    return t.verifyTag(srtp, authenticated, roc >>> 0, authenticated + this.mki.length);
  }

  // ---- SRTCP --------------------------------------------------------------

  /**
   * Protects a compound RTCP packet (RFC 3711 §3.4; RFC 7714 §9): encrypts all
   * but the first eight bytes (unless `encrypt` is false), appends E || SRTCP
   * index, the MKI and the tag. The index counts up from 0 per SSRC unless given.
   */
  protectRtcp(rtcp: Uint8Array, options: { encrypt?: boolean; index?: number } = {}): Uint8Array {
    if (rtcp.length < 8 || rtcp[0] >> 6 !== 2) throw new RangeError('not an RTCP packet: needs version 2 and 8 bytes');
    const encrypt = options.encrypt ?? true;
    const ssrc = readUint32(rtcp, 4);
    const s = this.state(ssrc);
    const index = options.index ?? s.srtcpSendIndex;
    if (!Number.isInteger(index) || index < 0 || index > 0x7fffffff) throw new RangeError('the SRTCP index is 31 bits');
    s.srtcpSendIndex = (index + 1) & 0x7fffffff;
    const eIndex = ((encrypt ? 0x80000000 : 0) | index) >>> 0;
    const t = this.srtcp;
    const out = new Uint8Array(rtcp.length + this.srtcpOverhead);
    if (t.isAead) {
      const trailer = uint32Bytes(eIndex);
      // RFC 7714 §9.2: AAD = first 8 bytes || E||index, plaintext the rest; unencrypted, all is AAD (§9.3? §17.3).
      const aad = encrypt ? concat(rtcp.subarray(0, 8), trailer) : concat(rtcp, trailer);
      const sealed = t.sealSrtcp(ssrc, index, aad, encrypt ? rtcp.subarray(8) : new Uint8Array(0));
      out.set(encrypt ? rtcp.subarray(0, 8) : rtcp, 0);
      const at = encrypt ? 8 : rtcp.length;
      out.set(sealed, at);
      out.set(trailer, at + sealed.length);
      out.set(this.mki, at + sealed.length + 4);
    } else {
      out.set(rtcp, 0);
      if (encrypt) t.cryptCounterMode(ssrc, index, out, 8, rtcp.length);
      out.set(uint32Bytes(eIndex), rtcp.length);
      out.set(this.mki, rtcp.length + 4);
      // Authenticated portion: the whole RTCP packet || E || index (§3.4).
      t.writeTag(out, rtcp.length + 4, undefined, out, rtcp.length + 4 + this.mki.length);
    }
    return out;
  }

  /** Unprotects an SRTCP packet; the plain RTCP packet, or why it was dropped. */
  unprotectRtcp(srtcp: Uint8Array): { ok: true; packet: Uint8Array; result: Unprotected } | Dropped {
    const c = this.rtcpCounters;
    c.packets++;
    const t = this.srtcp;
    if (srtcp.length < 8 + this.srtcpOverhead || srtcp[0] >> 6 !== 2) {
      c.malformed++;
      return {
        ok: false,
        reason: 'malformed',
        detail: `an SRTCP packet of this suite is at least ${8 + this.srtcpOverhead} bytes with version 2`,
      };
    }
    const ssrc = readUint32(srtcp, 4);
    // The E||index word sits before the MKI and tag (AES-CM) or after the GCM tag and before the MKI (AEAD).
    const trailerAt = t.isAead ? srtcp.length - this.mki.length - 4 : srtcp.length - t.tagLength - this.mki.length - 4;
    const eIndex = readUint32(srtcp, trailerAt);
    const encrypted = (eIndex & 0x80000000) !== 0;
    const index = eIndex & 0x7fffffff;
    if (!this.mkiMatches(srtcp, t.isAead ? srtcp.length - this.mki.length : trailerAt + 4))
      return this.dropUnknownMki(ssrc, c);
    const s = this.state(ssrc);
    if (s.srtcpReplay.check(index) !== 'fresh') {
      c.replays++;
      return {
        ok: false,
        reason: 'replay',
        detail: `SRTCP index ${index} is ${s.srtcpReplay.check(index) === 'too_old' ? 'older than the replay window' : 'already received'}`,
        ssrc,
        index,
      };
    }
    let packet: Uint8Array;
    if (t.isAead) {
      const trailer = srtcp.subarray(trailerAt, trailerAt + 4);
      const body = srtcp.subarray(0, trailerAt);
      let plain: Uint8Array | undefined;
      if (encrypted) {
        plain = t.openSrtcp(ssrc, index, concat(srtcp.subarray(0, 8), trailer), body.subarray(8));
        packet = plain ? concat(srtcp.subarray(0, 8), plain) : new Uint8Array(0);
      } else {
        const clear = body.subarray(0, body.length - 16);
        plain = t.openSrtcp(ssrc, index, concat(clear, trailer), body.subarray(body.length - 16));
        packet = clear.slice();
      }
      if (!plain) {
        c.authFailures++;
        return {
          ok: false,
          reason: 'auth_failure',
          detail: `SRTCP index ${index}: the GCM tag does not verify`,
          ssrc,
          index,
        };
      }
    } else {
      if (!t.verifyTag(srtcp, trailerAt + 4, undefined, trailerAt + 4 + this.mki.length)) {
        c.authFailures++;
        return {
          ok: false,
          reason: 'auth_failure',
          detail: `SRTCP index ${index}: the HMAC-SHA1 tag does not verify`,
          ssrc,
          index,
        };
      }
      packet = srtcp.slice(0, trailerAt);
      if (encrypted) t.cryptCounterMode(ssrc, index, packet, 8, packet.length);
    }
    s.srtcpReplay.accept(index);
    c.decrypted++;
    return { ok: true, packet, result: { ok: true, length: packet.length, ssrc, roc: 0, index, encrypted } };
  }

  // ---- helpers ------------------------------------------------------------

  private scratchBuffer = new Uint8Array(0);

  /** A reused buffer of at least `length` bytes, for plaintext nobody reads. */
  private scratch(length: number): Uint8Array {
    if (this.scratchBuffer.length < length) this.scratchBuffer = new Uint8Array(Math.max(length, 2048));
    return this.scratchBuffer;
  }

  private mkiMatches(packet: Uint8Array, at: number): boolean {
    for (let j = 0; j < this.mki.length; j++) if (packet[at + j] !== this.mki[j]) return false;
    return true;
  }

  private dropUnknownMki(ssrc: number, c: SrtpCounters = this.counters): Dropped {
    c.authFailures++;
    return { ok: false, reason: 'unknown_mki', detail: `the MKI is not ${toHex(this.mki)}`, ssrc };
  }

  private dropAuthFailure(ssrc: number, index: number, seq: number): Dropped {
    this.counters.authFailures++;
    return {
      ok: false,
      reason: 'auth_failure',
      detail: `seq ${seq} (index ${index}): the ${this.srtp.isAead ? 'GCM' : 'HMAC-SHA1'} tag does not verify`,
      ssrc,
      index,
    };
  }
}

/**
 * Length of the RTP header (fixed part, CSRCs, extension) if it fits in
 * `limit` bytes; otherwise a negative code: -1 too short, -2 not version 2,
 * -3 header runs past the limit.
 */
export function rtpHeaderLength(packet: Uint8Array, limit: number): number {
  if (limit < RTP_HEADER) return -1;
  const first = packet[0];
  if (first >> 6 !== 2) return -2;
  let length = RTP_HEADER + 4 * (first & 0x0f);
  if (first & 0x10) {
    if (length + 4 > limit) return -3;
    length += 4 + 4 * ((packet[length + 2] << 8) | packet[length + 3]);
  }
  return length > limit ? -3 : length;
}

function malformedDetail(code: number, length: number, trailer = 0): string {
  if (code === -2) return 'the RTP version is not 2';
  if (code === -1)
    return `${length} bytes is too short for an RTP header${trailer ? ` and a ${trailer}-byte trailer` : ''}`;
  return 'the CSRC list or header extension runs past the end of the packet';
}

function readUint32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function uint32Bytes(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
