/**
 * Finding the RTP streams in a capture (RFC 3550 §5.1, Appendix A.1's
 * validity checks): a UDP payload is taken for RTP when it is long enough
 * for a header, carries version 2, a payload type outside RTCP's range
 * (RFC 5761 §4: 72–76 collide with SR/RR/SDES/BYE/APP), and a CSRC list and
 * extension that fit. A stream is one (source, destination, SSRC); the
 * likelier it is real media, the more of its packets follow each other in
 * sequence. RTCP and SRTCP (packet types 200–204) are noted by sender SSRC.
 *
 * The finder keeps a few payloads of each stream so that a key can be tried
 * on them: with SRTP, the stream a key belongs to is the one whose packets
 * authenticate under it.
 */
import { describePayloadType, hex32 } from './rtp-packet';

export interface StreamEndpoints {
  ipVersion: 4 | 6;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

export interface RtpStreamCandidate extends StreamEndpoints {
  ssrc: number;
  packets: number;
  /** Packets whose sequence number is one more than the previous one's. */
  inSequence: number;
  payloadTypes: number[];
  firstSequence: number;
  /** The first few payloads, copied, to try keys on. */
  samples: Uint8Array[];
}

const SAMPLES_KEPT = 4;

export function looksLikeRtp(p: Uint8Array): boolean {
  if (p.length < 12 || p[0] >> 6 !== 2) return false;
  const pt = p[1] & 0x7f;
  if (pt >= 72 && pt <= 76) return false;
  let header = 12 + 4 * (p[0] & 0x0f);
  if (p[0] & 0x10) {
    if (header + 4 > p.length) return false;
    header += 4 + 4 * ((p[header + 2] << 8) | p[header + 3]);
  }
  return header <= p.length;
}

export function looksLikeRtcp(p: Uint8Array): boolean {
  return p.length >= 8 && p[0] >> 6 === 2 && p[1] >= 200 && p[1] <= 204;
}

export function streamKey(e: StreamEndpoints, ssrc: number): string {
  return `${e.src}|${e.srcPort}|${e.dst}|${e.dstPort}|${ssrc >>> 0}`;
}

export function describeStream(s: RtpStreamCandidate): string {
  const arrow =
    s.ipVersion === 6
      ? `[${s.src}]:${s.srcPort} → [${s.dst}]:${s.dstPort}`
      : `${s.src}:${s.srcPort} → ${s.dst}:${s.dstPort}`;
  const pts = s.payloadTypes.map(describePayloadType).join(', ');
  return `${arrow}, SSRC ${hex32(s.ssrc)}, ${s.packets} packets (${pts})`;
}

export class RtpStreamFinder {
  private readonly streams = new Map<string, RtpStreamCandidate & { lastSequence: number }>();
  /** SRTCP/RTCP packets seen, by sender SSRC. */
  readonly rtcpBySsrc = new Map<number, number>();

  offer(endpoints: StreamEndpoints, payload: Uint8Array): void {
    if (looksLikeRtcp(payload)) {
      const ssrc = ((payload[4] << 24) | (payload[5] << 16) | (payload[6] << 8) | payload[7]) >>> 0;
      this.rtcpBySsrc.set(ssrc, (this.rtcpBySsrc.get(ssrc) ?? 0) + 1);
      return;
    }
    if (!looksLikeRtp(payload)) return;
    const ssrc = ((payload[8] << 24) | (payload[9] << 16) | (payload[10] << 8) | payload[11]) >>> 0;
    const seq = (payload[2] << 8) | payload[3];
    const pt = payload[1] & 0x7f;
    const key = streamKey(endpoints, ssrc);
    let s = this.streams.get(key);
    if (!s) {
      s = {
        ...endpoints,
        ssrc,
        packets: 0,
        inSequence: 0,
        payloadTypes: [],
        firstSequence: seq,
        samples: [],
        lastSequence: seq,
      };
      this.streams.set(key, s);
    } else if (((s.lastSequence + 1) & 0xffff) === seq) {
      s.inSequence++;
    }
    s.packets++;
    s.lastSequence = seq;
    if (!s.payloadTypes.includes(pt) && s.payloadTypes.length < 8) s.payloadTypes.push(pt);
    if (s.samples.length < SAMPLES_KEPT) s.samples.push(payload.slice());
  }

  /** Candidate streams, likeliest first: most packets in sequence, then most packets. */
  candidates(): RtpStreamCandidate[] {
    return [...this.streams.values()]
      .map(({ lastSequence: _lastSequence, ...s }) => s)
      .sort((a, b) => b.inSequence - a.inSequence || b.packets - a.packets);
  }
}
