/**
 * RTP data packets (RFC 3550 §5.1), written and parsed through wire/ so every
 * byte is explained: the fixed 12-byte header, the CSRC list, a header
 * extension (§5.3.1) and padding (§5.1, P bit), then the payload.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers             |
 */
import { ByteWriter } from '../wire/writer';
import { ByteReader } from '../wire/reader';
import { ParseError } from '../wire/parse-error';
import type { Annotation, Field } from '../wire/field';
import { toHex } from '../wire/bytes';
import { PACKET_TIME_MS, SAMPLES_PER_PACKET } from './g711-packetizer';

export interface RtpHeaderExtension {
  /** The 16-bit profile-defined value (0xBEDE for RFC 8285 one-byte headers). */
  profile: number;
  /** A multiple of four bytes. */
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension?: RtpHeaderExtension;
  payload: Uint8Array;
  /** Padding bytes at the end, the last of which counts them (P bit set when > 0). */
  paddingLength: number;
}

export interface Encoded {
  bytes: Uint8Array;
  fields: Field[];
}

const SPEC = 'RFC 3550 §5.1';

/** Names of the payload types a trunk sees (RFC 3551 §6, Table 4). */
export function describePayloadType(pt: number): string {
  switch (pt) {
    case 0:
      return 'PCMU (G.711 µ-law), 8000 Hz';
    case 8:
      return 'PCMA (G.711 A-law), 8000 Hz';
    case 9:
      return 'G722, 8000 Hz clock';
    case 13:
      return 'CN (comfort noise)';
    case 18:
      return 'G729, 8000 Hz';
    default:
      return pt >= 96 ? `${pt} (dynamic, named in the SDP)` : String(pt);
  }
}

export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * A header byte's reading, made once for each of its 256 values: every packet
 * of a stream has the same first two bytes, and would otherwise keep its own
 * copy of the same words.
 */
function byteReading(read: (b: number) => string): (b: number) => string {
  const made: string[] = [];
  return (b) => (made[b] ??= read(b));
}

/** The first byte: V, P, X, CC (RFC 3550 §5.1). */
const readFirstByte = byteReading(
  (b) =>
    `version ${b >> 6}, padding ${b & 0x20 ? 'yes' : 'no'}, extension ${b & 0x10 ? 'yes' : 'no'}, ${b & 0x0f} CSRC(s)`,
);
/** The second byte: M, PT (RFC 3550 §5.1). */
const readSecondByte = byteReading((b) => `marker ${b >> 7}, payload type ${describePayloadType(b & 0x7f)}`);

/** Writes the header fields (everything before the payload) into `w`. */
export function writeRtpHeader(w: ByteWriter, p: Omit<RtpPacket, 'payload'>): void {
  if (p.csrcs.length > 15) throw new RangeError(`RTP carries at most 15 CSRCs, got ${p.csrcs.length}`);
  if (p.extension && p.extension.data.length % 4 !== 0) {
    throw new RangeError('an RTP header extension is a whole number of 32-bit words');
  }
  const padded = p.paddingLength > 0;
  const first = 0x80 | (padded ? 0x20 : 0) | (p.extension ? 0x10 : 0) | p.csrcs.length;
  w.uint8(first, {
    name: 'V, P, X, CC',
    value: readFirstByte(first),
    note: 'Version 2 is the only RTP there is; P, X and CC say what follows the fixed header.',
    spec: SPEC,
  });
  const second = (p.marker ? 0x80 : 0) | p.payloadType;
  w.uint8(second, {
    name: 'M, PT',
    value: readSecondByte(second),
    note: p.marker
      ? 'The marker starts a talkspurt: the receiver may resynchronise its playout (RFC 3551 §4.1).'
      : 'Which codec the payload is in; the SDP offer and answer agreed on it.',
    spec: SPEC,
  });
  w.uint16(p.sequenceNumber, {
    name: 'Sequence number',
    note: 'Counts packets up by one, so the receiver sees losses and reordering; SRTP extends it to a 48-bit index.',
    spec: SPEC,
  });
  w.uint32(p.timestamp, {
    name: 'Timestamp',
    value: `${p.timestamp >>> 0} (sampling instant, 8000 per second)`,
    note: `Counts samples, not packets: ${SAMPLES_PER_PACKET} per ${PACKET_TIME_MS} ms packet of G.711.`,
    spec: SPEC,
  });
  w.uint32(p.ssrc >>> 0, {
    name: 'SSRC',
    value: hex32(p.ssrc),
    note: 'Names this stream; chosen at random, and part of the SRTP counter and nonce.',
    spec: SPEC,
  });
  p.csrcs.forEach((c, i) =>
    w.uint32(c >>> 0, {
      name: `CSRC ${i + 1}`,
      value: hex32(c),
      note: 'A source a mixer combined into this packet.',
      spec: SPEC,
    }),
  );
  if (p.extension) {
    const ext = w.group({ name: 'Header extension', spec: 'RFC 3550 §5.3.1' });
    w.uint16(p.extension.profile, {
      name: 'Defined by profile',
      value: `0x${p.extension.profile.toString(16).padStart(4, '0')}${p.extension.profile === 0xbede ? ' (one-byte elements, RFC 8285 §4.2)' : ''}`,
      spec: 'RFC 3550 §5.3.1',
    });
    w.uint16(p.extension.data.length / 4, {
      name: 'Length',
      value: `${p.extension.data.length / 4} word(s)`,
      note: 'In 32-bit words, not counting this four-byte extension header.',
      spec: 'RFC 3550 §5.3.1',
    });
    w.bytes(p.extension.data, {
      name: 'Extension data',
      value: toHex(p.extension.data),
      note: 'Authenticated by SRTP but not encrypted (RFC 3711 §3.1).',
      spec: 'RFC 3550 §5.3.1',
    });
    ext();
  }
}

/** Writes the padding (RFC 3550 §5.1): zeros, then a byte that counts them all. */
/** The fixed part of every RTP header, before any CSRC list or extension (RFC 3550 §5.1). */
export const RTP_FIXED_HEADER_LENGTH = 12;

export function writeRtpPadding(w: ByteWriter, paddingLength: number): void {
  if (paddingLength === 0) return;
  if (paddingLength > 255) throw new RangeError('RTP padding is at most 255 bytes');
  const pad = w.group({ name: 'Padding', spec: SPEC });
  if (paddingLength > 1) w.bytes(new Uint8Array(paddingLength - 1), { name: 'Padding bytes', spec: SPEC });
  w.uint8(paddingLength, { name: 'Padding count', note: 'Counts the padding bytes, itself included.', spec: SPEC });
  pad();
}

/** Writes a whole RTP packet. `describePayload` may annotate the payload's bytes. */
export function writeRtpPacket(p: RtpPacket, payloadNote?: { value?: string; note?: string }): Encoded {
  const w = new ByteWriter(RTP_FIXED_HEADER_LENGTH + p.payload.length + p.paddingLength);
  const rtp = w.group({
    name: 'RTP',
    layer: 'rtp',
    value: `seq ${p.sequenceNumber}, ${describePayloadType(p.payloadType)}`,
    spec: SPEC,
  });
  writeRtpHeader(w, p);
  w.bytes(p.payload, {
    name: 'Payload',
    value: payloadNote?.value ?? `${p.payload.length} bytes`,
    note: payloadNote?.note ?? 'The media itself, in the codec the payload type names.',
    spec: SPEC,
  });
  writeRtpPadding(w, p.paddingLength);
  rtp();
  return w.finish();
}

export interface ParsedRtpHeader extends Omit<RtpPacket, 'payload' | 'paddingLength'> {
  padding: boolean;
  /** Bytes of header: 12 + 4·CC (+ 4 + extension). */
  headerLength: number;
}

/*
 * What readRtpHeader says about each field, made once: a receiver reads every
 * packet of a call with them.
 */
const FIRST_BYTE: Annotation<number> = { name: 'V, P, X, CC', value: readFirstByte, spec: SPEC };
const SECOND_BYTE: Annotation<number> = { name: 'M, PT', value: readSecondByte, spec: SPEC };
const SEQUENCE_NUMBER: Annotation<number> = { name: 'Sequence number', spec: SPEC };
const TIMESTAMP: Annotation<number> = { name: 'Timestamp', value: (t) => `${t} (sampling instant)`, spec: SPEC };
const SSRC: Annotation<number> = { name: 'SSRC', value: hex32, spec: SPEC };

/** Reads the header fields with `r`, stopping where the payload starts. */
export function readRtpHeader(r: ByteReader): ParsedRtpHeader {
  const first = r.uint8(FIRST_BYTE);
  if (first >> 6 !== 2) throw r.error('invalid_value', `RTP version is ${first >> 6}, not 2`, 'V');
  const second = r.uint8(SECOND_BYTE);
  const sequenceNumber = r.uint16(SEQUENCE_NUMBER);
  const timestamp = r.uint32(TIMESTAMP);
  const ssrc = r.uint32(SSRC);
  const csrcs: number[] = [];
  for (let i = 0; i < (first & 0x0f); i++) csrcs.push(r.uint32({ name: `CSRC ${i + 1}`, value: hex32, spec: SPEC }));
  let extension: RtpHeaderExtension | undefined;
  if (first & 0x10) {
    const ext = r.group({ name: 'Header extension', spec: 'RFC 3550 §5.3.1' });
    const profile = r.uint16({
      name: 'Defined by profile',
      value: (v) => `0x${v.toString(16).padStart(4, '0')}`,
      spec: 'RFC 3550 §5.3.1',
    });
    const words = r.uint16({ name: 'Length', value: (v) => `${v} word(s)`, spec: 'RFC 3550 §5.3.1' });
    const data = r.bytes(words * 4, { name: 'Extension data', value: toHex, spec: 'RFC 3550 §5.3.1' });
    ext();
    extension = { profile, data };
  }
  return {
    marker: (second & 0x80) !== 0,
    payloadType: second & 0x7f,
    sequenceNumber,
    timestamp,
    ssrc,
    csrcs,
    extension,
    padding: (first & 0x20) !== 0,
    headerLength: r.offset,
  };
}

/**
 * Parses an RTP packet (`base` is its offset in an outer packet, for field ranges).
 * Bad input gives a `ParseError`.
 */
export function parseRtpPacket(bytes: Uint8Array, base = 0): { packet: RtpPacket; fields: Field[] } {
  const r = new ByteReader(bytes, base);
  const rtp = r.group({ name: 'RTP', layer: 'rtp', spec: SPEC });
  const h = readRtpHeader(r);
  let paddingLength = 0;
  if (h.padding) {
    if (r.remaining === 0) throw r.error('truncated', 'the P bit is set but no padding count follows', 'Padding');
    paddingLength = bytes[bytes.length - 1];
    if (paddingLength === 0 || paddingLength > r.remaining) {
      throw new ParseError(
        'invalid_value',
        `padding count ${paddingLength} does not fit the ${r.remaining} byte(s) after the header`,
        base + bytes.length - 1,
        'RTP › Padding count',
      );
    }
  }
  const payload = r.bytes(r.remaining - paddingLength, {
    name: 'Payload',
    value: (p) => `${p.length} bytes`,
    spec: SPEC,
  });
  if (paddingLength > 0) {
    const pad = r.group({ name: 'Padding', spec: SPEC });
    if (paddingLength > 1) r.bytes(paddingLength - 1, { name: 'Padding bytes', spec: SPEC });
    r.uint8({ name: 'Padding count', spec: SPEC });
    pad();
  }
  rtp({ value: `seq ${h.sequenceNumber}, ${describePayloadType(h.payloadType)}` });
  r.expectEnd('RTP');
  const { padding: _padding, headerLength: _headerLength, ...header } = h;
  return { packet: { ...header, payload, paddingLength }, fields: r.fields };
}
