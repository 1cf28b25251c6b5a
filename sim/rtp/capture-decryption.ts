/**
 * Decrypting SDES-keyed SRTP from a capture, packet by packet — what
 * `trunklab srtp-decrypt` does and Wireshark cannot (it has no SDES key input).
 *
 * 1. A first pass lists the RTP-looking streams (`RtpStreamFinder`).
 * 2. `findKeyedStream` tries the key on a few packets of each, for each suite
 *    the key's length allows and, when the capture started after the
 *    sequence number wrapped, for rollover counters up to a bound (RFC 3711
 *    §3.3.1: the ROC never travels in the packet). The stream whose packets
 *    authenticate is the one the key protects.
 * 3. A second pass unprotects that stream's SRTP packets and the SRTCP
 *    packets its sender sent, with a real replay window and ROC tracking, so
 *    failures and replays are counted as a receiver would count them.
 */
import { SrtpContext, type Dropped, type SrtpCounters } from './srtp-context';
import type { SrtpSuite } from './srtp-suite';
import type { RtpStreamCandidate, StreamEndpoints } from './rtp-stream-finder';
import { looksLikeRtcp } from './rtp-stream-finder';

export interface KeyedStream {
  stream: RtpStreamCandidate;
  suite: SrtpSuite;
  /** The rollover counter of the stream's first captured packet. */
  roc: number;
}

/** How far to look for the ROC of a capture that began mid-call: 256 wraps is about 93 hours of 20 ms audio. */
export const MAX_ROC_GUESS = 255;

export function findKeyedStream(
  candidates: readonly RtpStreamCandidate[],
  keySalt: Uint8Array,
  suites: readonly SrtpSuite[],
  options: { mki?: Uint8Array; maxRoc?: number; maxStreams?: number } = {},
): KeyedStream | undefined {
  const contexts = suites
    .filter((s) => s.keyLength + s.saltLength === keySalt.length)
    .map((s) => SrtpContext.fromKeySalt(s, keySalt, { mki: options.mki }));
  const maxRoc = options.maxRoc ?? MAX_ROC_GUESS;
  for (const stream of candidates.slice(0, options.maxStreams ?? 32)) {
    for (const ctx of contexts) {
      const sample = stream.samples[0];
      if (!sample) continue;
      for (let roc = 0; roc <= maxRoc; roc++) {
        if (ctx.authenticates(sample, roc)) return { stream, suite: ctx.suite, roc };
      }
    }
  }
  return undefined;
}

export type DecryptedPacket =
  { kind: 'rtp' | 'rtcp'; ok: true; plain: Uint8Array } | ({ kind: 'rtp' | 'rtcp' } & Dropped);

export class CaptureDecryption {
  private readonly ctx: SrtpContext;
  private readonly out = new Uint8Array(65536);

  constructor(
    readonly stream: StreamEndpoints & { ssrc: number },
    readonly suite: SrtpSuite,
    keySalt: Uint8Array,
    options: { mki?: Uint8Array; roc?: number } = {},
  ) {
    this.ctx = SrtpContext.fromKeySalt(suite, keySalt, { mki: options.mki, initialRoc: options.roc ?? 0 });
  }

  get srtp(): SrtpCounters {
    return this.ctx.counters;
  }

  get srtcp(): SrtpCounters {
    return this.ctx.rtcpCounters;
  }

  /**
   * Unprotects a datagram if it belongs to the stream: SRTP on the stream's
   * addresses and SSRC, or SRTCP from the same sender (same port, or the
   * next one up, RFC 3550 §11) naming the SSRC. Anything else: undefined.
   */
  offer(d: StreamEndpoints, payload: Uint8Array): DecryptedPacket | undefined {
    const s = this.stream;
    if (d.src !== s.src || d.dst !== s.dst) return undefined;
    if (payload.length < 12) return undefined;
    const rtcp = looksLikeRtcp(payload);
    const ssrcAt = rtcp ? 4 : 8;
    const ssrc =
      ((payload[ssrcAt] << 24) | (payload[ssrcAt + 1] << 16) | (payload[ssrcAt + 2] << 8) | payload[ssrcAt + 3]) >>> 0;
    if (ssrc !== s.ssrc) return undefined;
    if (rtcp) {
      if (d.srcPort !== s.srcPort && d.srcPort !== s.srcPort + 1) return undefined;
      const r = this.ctx.unprotectRtcp(payload);
      return r.ok ? { kind: 'rtcp', ok: true, plain: r.packet } : { kind: 'rtcp', ...r };
    }
    if (d.srcPort !== s.srcPort || d.dstPort !== s.dstPort) return undefined;
    const r = this.ctx.unprotectInto(payload, this.out);
    return r.ok ? { kind: 'rtp', ok: true, plain: this.out.subarray(0, r.length) } : { kind: 'rtp', ...r };
  }
}
