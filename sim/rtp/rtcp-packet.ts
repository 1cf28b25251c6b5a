/**
 * RTCP (RFC 3550 §6): the control packets that travel beside a media stream.
 * A trunk's endpoints send compound packets (§6.1) that begin with a sender
 * report (SR, §6.4.1) or receiver report (RR, §6.4.2) and always carry an SDES
 * packet with the sender's CNAME (§6.5.1). SRTCP (RFC 3711 §3.4) encrypts
 * everything after the first eight bytes of such a compound packet.
 *
 * Sender report:
 *  |V=2|P|    RC   |   PT=SR=200   |             length            |
 *  |                         SSRC of sender                        |
 *  |              NTP timestamp, most significant word             |
 *  |             NTP timestamp, least significant word             |
 *  |                         RTP timestamp                         |
 *  |                     sender's packet count                     |
 *  |                      sender's octet count                     |
 *  |                 report blocks (24 bytes each)                 |
 */
import { ByteWriter } from '../wire/writer';
import { ByteReader } from '../wire/reader';
import { ParseError } from '../wire/parse-error';
import type { Field } from '../wire/field';
import { fromUtf8, toHex } from '../wire/bytes';
import { hex32, type Encoded } from './rtp-packet';

export const RTCP_PACKET_TYPE = { SR: 200, RR: 201, SDES: 202, BYE: 203, APP: 204 } as const;

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970) (RFC 5905 §6). */
const NTP_UNIX_OFFSET = 2208988800;

export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the last report, in 1/256ths. */
  fractionLost: number;
  /** Cumulative packets lost (24-bit signed). */
  cumulativeLost: number;
  /** Extended highest sequence number received: cycles << 16 | highest. */
  highestSequence: number;
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received. */
  lastSr: number;
  /** Delay since that SR, in 1/65536 seconds. */
  delaySinceLastSr: number;
}

export interface SenderReport {
  ssrc: number;
  /** Wall-clock time of the report, as milliseconds since the Unix epoch (the virtual clock's reading). */
  wallClockMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: ReportBlock[];
}

const SR_SPEC = 'RFC 3550 §6.4.1';
const SDES_SPEC = 'RFC 3550 §6.5';

/** The 64-bit NTP timestamp (RFC 3550 §4) of a Unix time in milliseconds. */
export function ntpTimestamp(unixMs: number): bigint {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds + NTP_UNIX_OFFSET) << 32n) | BigInt(fraction);
}

/** Formats an NTP timestamp as ISO 8601 (for the inspector). */
export function describeNtp(ntp: bigint): string {
  const seconds = Number(ntp >> 32n) - NTP_UNIX_OFFSET;
  const ms = Math.floor((Number(ntp & 0xffffffffn) / 2 ** 32) * 1000);
  return new Date(seconds * 1000 + ms).toISOString();
}

function writeCommonHeader(w: ByteWriter, count: number, pt: number, words: number, countName: string, spec: string) {
  w.uint8(0x80 | count, {
    name: `V, P, ${countName}`,
    value: `version 2, no padding, ${count} ${countName === 'RC' ? 'report block(s)' : 'chunk(s)'}`,
    spec,
  });
  w.uint8(pt, { name: 'Packet type', value: describeRtcpType(pt), spec });
  w.uint16(words, {
    name: 'Length',
    value: `${words} (${(words + 1) * 4} bytes)`,
    note: 'In 32-bit words minus one, so that zero is a valid length.',
    spec,
  });
}

export function describeRtcpType(pt: number): string {
  switch (pt) {
    case 200:
      return 'SR (sender report, 200)';
    case 201:
      return 'RR (receiver report, 201)';
    case 202:
      return 'SDES (source description, 202)';
    case 203:
      return 'BYE (goodbye, 203)';
    case 204:
      return 'APP (application-defined, 204)';
    default:
      return `unknown (${pt})`;
  }
}

function writeReportBlock(w: ByteWriter, b: ReportBlock, i: number) {
  const block = w.group({ name: `Report block ${i + 1}`, value: `about ${hex32(b.ssrc)}`, spec: SR_SPEC });
  w.uint32(b.ssrc >>> 0, {
    name: 'SSRC',
    value: hex32(b.ssrc),
    note: 'The stream this block reports on.',
    spec: SR_SPEC,
  });
  w.uint8(b.fractionLost, {
    name: 'Fraction lost',
    value: `${((b.fractionLost / 256) * 100).toFixed(1)} %`,
    spec: SR_SPEC,
  });
  w.uint24(b.cumulativeLost & 0xffffff, {
    name: 'Cumulative packets lost',
    value: String(b.cumulativeLost),
    spec: SR_SPEC,
  });
  w.uint32(b.highestSequence >>> 0, {
    name: 'Extended highest sequence number',
    value: `cycle ${b.highestSequence >>> 16}, sequence ${b.highestSequence & 0xffff}`,
    spec: SR_SPEC,
  });
  w.uint32(b.jitter >>> 0, { name: 'Interarrival jitter', value: `${b.jitter} timestamp units`, spec: SR_SPEC });
  w.uint32(b.lastSr >>> 0, { name: 'Last SR (LSR)', value: hex32(b.lastSr), spec: SR_SPEC });
  w.uint32(b.delaySinceLastSr >>> 0, {
    name: 'Delay since last SR (DLSR)',
    value: `${(b.delaySinceLastSr / 65536).toFixed(3)} s`,
    spec: SR_SPEC,
  });
  block();
}

/**
 * Writes a compound RTCP packet: a sender report followed by an SDES packet
 * naming the sender's CNAME (RFC 3550 §6.1 requires both).
 */
export function writeSenderReportCompound(sr: SenderReport, cname: string): Encoded {
  if (sr.reports.length > 31) throw new RangeError('an SR carries at most 31 report blocks');
  const w = new ByteWriter(64);
  const compound = w.group({ name: 'RTCP', layer: 'rtcp', value: 'compound packet: SR + SDES', spec: 'RFC 3550 §6.1' });

  const srGroup = w.group({ name: 'Sender report', value: `from ${hex32(sr.ssrc)}`, spec: SR_SPEC });
  writeCommonHeader(w, sr.reports.length, RTCP_PACKET_TYPE.SR, 6 + 6 * sr.reports.length, 'RC', SR_SPEC);
  w.uint32(sr.ssrc >>> 0, { name: 'SSRC of sender', value: hex32(sr.ssrc), spec: SR_SPEC });
  const ntp = ntpTimestamp(sr.wallClockMs);
  w.uint64(ntp, {
    name: 'NTP timestamp',
    value: describeNtp(ntp),
    note: 'When this report was sent, by the wall clock; pairs with the RTP timestamp for lip sync and round-trip time.',
    spec: SR_SPEC,
  });
  w.uint32(sr.rtpTimestamp >>> 0, {
    name: 'RTP timestamp',
    note: 'The same instant on the media clock of the stream.',
    spec: SR_SPEC,
  });
  w.uint32(sr.packetCount >>> 0, { name: "Sender's packet count", spec: SR_SPEC });
  w.uint32(sr.octetCount >>> 0, {
    name: "Sender's octet count",
    note: 'Payload bytes sent, headers excluded.',
    spec: SR_SPEC,
  });
  sr.reports.forEach((b, i) => writeReportBlock(w, b, i));
  srGroup();

  // SDES with one chunk: SSRC, the CNAME item, then a null item and zero padding to a 32-bit boundary (§6.5).
  const name = new TextEncoder().encode(cname);
  if (name.length > 255) throw new RangeError('a CNAME is at most 255 bytes');
  const itemsLength = 2 + name.length;
  const terminator = 4 - (itemsLength % 4); // at least one null byte ends the list
  const sdesBytes = 4 + 4 + itemsLength + terminator;
  const sdes = w.group({ name: 'Source description', value: `CNAME ${cname}`, spec: SDES_SPEC });
  writeCommonHeader(w, 1, RTCP_PACKET_TYPE.SDES, sdesBytes / 4 - 1, 'SC', SDES_SPEC);
  w.uint32(sr.ssrc >>> 0, { name: 'SSRC', value: hex32(sr.ssrc), spec: SDES_SPEC });
  w.uint8(1, {
    name: 'Item type',
    value: 'CNAME (1)',
    note: 'The canonical name that ties a sender’s streams together.',
    spec: 'RFC 3550 §6.5.1',
  });
  w.uint8(name.length, { name: 'Item length', spec: SDES_SPEC });
  w.bytes(name, { name: 'CNAME', value: cname, spec: 'RFC 3550 §6.5.1' });
  w.bytes(new Uint8Array(terminator), {
    name: 'End of list and padding',
    note: 'A null item ends the chunk; zeros fill it to a 32-bit boundary.',
    spec: SDES_SPEC,
  });
  sdes();
  compound();
  return w.finish();
}

export interface RtcpPacketSummary {
  packetType: number;
  /** First SSRC in the packet (the sender for SR/RR/SDES). */
  ssrc: number;
  senderReport?: SenderReport;
  cname?: string;
}

/** Parses a compound RTCP packet; a `ParseError` says what was wrong and where. */
export function parseRtcpCompound(bytes: Uint8Array, base = 0): { packets: RtcpPacketSummary[]; fields: Field[] } {
  const r = new ByteReader(bytes, base);
  const compound = r.group({ name: 'RTCP', layer: 'rtcp', spec: 'RFC 3550 §6.1' });
  const packets: RtcpPacketSummary[] = [];
  if (bytes.length < 4) throw r.error('truncated', 'an RTCP packet is at least 4 bytes', 'RTCP');
  while (r.remaining > 0) {
    const start = r.offset;
    const pt = bytes[start + 1];
    const group = r.group({ name: describeRtcpType(pt), spec: 'RFC 3550 §6.4' });
    const first = r.uint8({
      name: 'V, P, count',
      value: (b) => `version ${b >> 6}, padding ${b & 0x20 ? 'yes' : 'no'}, count ${b & 0x1f}`,
      spec: 'RFC 3550 §6.4.1',
    });
    if (first >> 6 !== 2) throw r.error('invalid_value', `RTCP version is ${first >> 6}, not 2`, 'V');
    r.uint8({ name: 'Packet type', value: describeRtcpType, spec: 'RFC 3550 §6.4.1' });
    const words = r.uint16({ name: 'Length', value: (v) => `${v} (${(v + 1) * 4} bytes)`, spec: 'RFC 3550 §6.4.1' });
    const end = start + (words + 1) * 4;
    if (end > bytes.length) {
      throw new ParseError(
        'truncated',
        `length says ${(words + 1) * 4} bytes, ${bytes.length - start} remain`,
        base + start + 2,
        'RTCP › Length',
      );
    }
    const count = first & 0x1f;
    const bodyLength = end - r.offset;
    const summary: RtcpPacketSummary = { packetType: pt, ssrc: 0 };
    if (pt === RTCP_PACKET_TYPE.SR && bodyLength >= 24 + 24 * count) {
      const ssrc = r.uint32({ name: 'SSRC of sender', value: hex32, spec: SR_SPEC });
      const ntp = r.uint64({ name: 'NTP timestamp', value: describeNtp, spec: SR_SPEC });
      const rtpTimestamp = r.uint32({ name: 'RTP timestamp', spec: SR_SPEC });
      const packetCount = r.uint32({ name: "Sender's packet count", spec: SR_SPEC });
      const octetCount = r.uint32({ name: "Sender's octet count", spec: SR_SPEC });
      const reports: ReportBlock[] = [];
      for (let i = 0; i < count; i++) reports.push(readReportBlock(r, i));
      const seconds = Number(ntp >> 32n) - NTP_UNIX_OFFSET;
      const wallClockMs = seconds * 1000 + Math.floor((Number(ntp & 0xffffffffn) / 2 ** 32) * 1000);
      summary.ssrc = ssrc;
      summary.senderReport = { ssrc, wallClockMs, rtpTimestamp, packetCount, octetCount, reports };
    } else if (pt === RTCP_PACKET_TYPE.SDES && bodyLength >= 4) {
      summary.ssrc = r.uint32({ name: 'SSRC', value: hex32, spec: SDES_SPEC });
      while (r.offset < end && bytes[r.offset] !== 0 && r.offset + 2 <= end) {
        const type = r.uint8({ name: 'Item type', value: (t) => (t === 1 ? 'CNAME (1)' : String(t)), spec: SDES_SPEC });
        const length = r.uint8({ name: 'Item length', spec: SDES_SPEC });
        if (r.offset + length > end)
          throw r.error('truncated', `item of ${length} bytes runs past the packet`, 'SDES item');
        const text = r.bytes(length, {
          name: type === 1 ? 'CNAME' : 'Item text',
          value: (b) => fromUtf8(b),
          spec: SDES_SPEC,
        });
        if (type === 1 && summary.cname === undefined) summary.cname = fromUtf8(text);
      }
    } else if (bodyLength >= 4) {
      summary.ssrc = r.uint32({ name: 'SSRC', value: hex32, spec: 'RFC 3550 §6.4' });
    }
    if (r.offset < end) {
      const sdesTail = pt === RTCP_PACKET_TYPE.SDES && summary.ssrc !== 0;
      r.bytes(end - r.offset, {
        name: sdesTail ? 'End of list and padding' : 'Rest of packet',
        value: toHex,
        spec: sdesTail ? SDES_SPEC : 'RFC 3550 §6',
      });
    }
    group();
    packets.push(summary);
  }
  compound();
  return { packets, fields: r.fields };
}

function readReportBlock(r: ByteReader, i: number): ReportBlock {
  const block = r.group({ name: `Report block ${i + 1}`, spec: SR_SPEC });
  const ssrc = r.uint32({ name: 'SSRC', value: hex32, spec: SR_SPEC });
  const fractionLost = r.uint8({ name: 'Fraction lost', spec: SR_SPEC });
  const lost = r.uint24({ name: 'Cumulative packets lost', spec: SR_SPEC });
  const highestSequence = r.uint32({ name: 'Extended highest sequence number', spec: SR_SPEC });
  const jitter = r.uint32({ name: 'Interarrival jitter', spec: SR_SPEC });
  const lastSr = r.uint32({ name: 'Last SR (LSR)', value: hex32, spec: SR_SPEC });
  const delaySinceLastSr = r.uint32({ name: 'Delay since last SR (DLSR)', spec: SR_SPEC });
  block();
  const cumulativeLost = lost & 0x800000 ? lost - 0x1000000 : lost;
  return { ssrc, fractionLost, cumulativeLost, highestSequence, jitter, lastSr, delaySinceLastSr };
}
