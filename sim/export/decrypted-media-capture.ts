/**
 * The call's media as its receivers decrypted it, as a classic pcap
 * (link type 228, raw IPv4): each SRTP or SRTCP packet a receiver accepted,
 * with the RTP or RTCP packet it recovered (RFC 3711 §3.3, §3.4) in place
 * of the protected one, in the same IPv4 and UDP headers, at the same time.
 * Plain RTP and RTCP go in as they crossed the wire. Packets a receiver
 * dropped (tag failures, replays) are left out, as its player left them out.
 *
 * Wireshark cannot decrypt SDES-keyed SRTP itself (its keys travel in SIP
 * that TLS protects): this file is what it needs to analyse or play the
 * audio (Telephony › RTP › RTP Streams, with the RTP heuristic on).
 */
import type { Step, Timeline } from '../timeline';
import { fromHex } from '../wire/bytes';
import { writePacket } from '../net/packet';
import { writePcap } from '../net/pcap-writer';
import { LINKTYPE_IPV4 } from '../net/pcapng-writer';

const PROTECTED = new Set(['SRTP', 'SRTCP']);
const PLAIN = new Set(['RTP', 'RTCP']);

/** The plain RTP or RTCP packet the receiver of a step recovered, if it accepted it. */
function recovered(step: Step): Uint8Array | undefined {
  const wire = fromHex(step.bytes);
  if (PLAIN.has(step.protocol)) return wire.subarray(20 + 8);
  if (!PROTECTED.has(step.protocol) || step.failure) return undefined;
  const view = step.views[step.to];
  if (view.access !== 'all') return undefined;
  const layer = view.layers.find((l) => /^RTC?P/.test(l.title));
  return layer ? fromHex(layer.bytes) : undefined;
}

function endpoint(text: string): { ip: string; port: number } {
  const at = text.lastIndexOf(':');
  return { ip: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

/** Whether the run has media its receivers could read: the export is offered only then. */
export function hasDecryptedMedia(t: Timeline): boolean {
  return t.steps.some((s) => recovered(s) !== undefined);
}

export function decryptedMediaCapture(t: Timeline): Uint8Array {
  const start = Date.parse(t.startedAt);
  if (Number.isNaN(start)) throw new RangeError(`the timeline's start is not an ISO 8601 time: ${t.startedAt}`);
  const packets = [];
  for (const step of t.steps) {
    const payload = recovered(step);
    if (!payload) continue;
    const wire = fromHex(step.bytes);
    const { bytes } = writePacket({
      transport: 'udp',
      src: endpoint(step.src),
      dst: endpoint(step.dst),
      // The original IPv4 Identification and TTL (RFC 791 §3.1), so the two captures line up.
      ipId: (wire[4] << 8) | wire[5],
      ttl: wire[8],
      payload: { bytes: payload, fields: [] },
    });
    const ms = start + step.time;
    const seconds = Math.floor(ms / 1000);
    packets.push({ seconds, nanoseconds: Math.round((ms - seconds * 1000) * 1e6), bytes });
  }
  return writePcap(LINKTYPE_IPV4, packets);
}
