/**
 * TCP segments (RFC 9293 §3.1), written and parsed through wire/ so every
 * header byte is explained, with the real checksum over the pseudo-header.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                           [Options]                           |
 * |                             Data                              |
 *
 * Options (RFC 9293 §3.2): End of Option List (0), No-Operation (1) and
 * Maximum Segment Size (2) are the ones every TCP must know; Window Scale (3)
 * and Timestamps (8) (RFC 7323 §2.2, §3.2), SACK-Permitted (4) and SACK (5)
 * (RFC 2018 §2, §3) are read too, since real stacks send them. Any other kind
 * is kept as its bytes.
 */
import { ByteWriter } from '../wire/writer';
import { ByteReader } from '../wire/reader';
import { ParseError } from '../wire/parse-error';
import { shiftFields, type Field } from '../wire/field';
import { transportPseudoHeader } from './pseudo-header';
import { internetChecksum } from './checksum';
import { IP_PROTOCOL, type Encoded } from './ipv4';
import { describePort } from './udp';

const SPEC = 'RFC 9293 §3.1';
const OPTION_SPEC = 'RFC 9293 §3.2';

/** The control bits, in their places in the flags byte (RFC 9293 §3.1; CWR and ECE from RFC 3168 §6.1). */
export const TCP_FLAG = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export type TcpOption =
  | { kind: 'end' }
  | { kind: 'nop' }
  | { kind: 'mss'; mss: number }
  | { kind: 'window-scale'; shift: number }
  | { kind: 'sack-permitted' }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  | { kind: 'timestamps'; value: number; echo: number }
  | { kind: 'other'; type: number; data: Uint8Array };

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The control bits as one byte; see `TCP_FLAG`. */
  flags: number;
  window: number;
  urgentPointer: number;
  options: TcpOption[];
}

/** Initial sequence numbers, so the annotations can show relative numbers as Wireshark does. */
export interface SequenceContext {
  /** The sender's initial sequence number. */
  iss?: number;
  /** The receiver's initial sequence number (what this segment's ACK counts from). */
  irs?: number;
}

/** The addresses the checksum's pseudo-header covers (RFC 9293 §3.1; over IPv6, RFC 8200 §8.1). */
export interface PseudoHeader {
  src: string;
  dst: string;
}

/** `SYN, ACK` style names of the flags that are set, in the order Wireshark prints them. */
export function describeFlags(flags: number): string {
  const names = (['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const).filter((n) => flags & TCP_FLAG[n]);
  return names.length ? names.join(', ') : 'none';
}

/** The number of sequence numbers a segment occupies: its data, plus one each for SYN and FIN (RFC 9293 §3.4). */
export function segmentLength(flags: number, payloadLength: number): number {
  return payloadLength + (flags & TCP_FLAG.SYN ? 1 : 0) + (flags & TCP_FLAG.FIN ? 1 : 0);
}

/** Sequence arithmetic is modulo 2^32 (RFC 9293 §3.4). */
export function seqAdd(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** a − b as a signed 32-bit distance, so comparisons survive wrap-around (RFC 9293 §3.4). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

function pseudoHeader(p: PseudoHeader, tcpLength: number): Uint8Array {
  return transportPseudoHeader(p.src, p.dst, IP_PROTOCOL.tcp, tcpLength);
}

function optionsLength(options: readonly TcpOption[]): number {
  let n = 0;
  for (const o of options) {
    if (o.kind === 'end' || o.kind === 'nop') n += 1;
    else if (o.kind === 'mss') n += 4;
    else if (o.kind === 'window-scale') n += 3;
    else if (o.kind === 'sack-permitted') n += 2;
    else if (o.kind === 'sack') n += 2 + 8 * o.blocks.length;
    else if (o.kind === 'timestamps') n += 10;
    else n += 2 + o.data.length;
  }
  return n;
}

function relative(v: number, base: number | undefined): string {
  return base === undefined ? String(v) : `${v} (relative ${seqDiff(v, base) >>> 0})`;
}

/**
 * Writes a TCP segment around `payload`. The checksum covers the pseudo-header
 * of source and destination address, protocol 6 and TCP length, then the
 * header and the data (RFC 9293 §3.1). With `handedOver`, the payload was cut
 * for this segment alone (a connection's send stream): its field tree is moved
 * into the segment's rather than copied, and the caller must not use it again.
 */
export function writeTcpSegment(
  pseudo: PseudoHeader,
  s: TcpSegment,
  payload: Encoded,
  context: SequenceContext = {},
  handedOver = false,
): Encoded {
  const endAt = s.options.findIndex((o) => o.kind === 'end');
  if (endAt >= 0 && endAt !== s.options.length - 1) {
    throw new RangeError('End of Option List must be the last TCP option (RFC 9293 §3.2)');
  }
  const optionBytes = optionsLength(s.options);
  const padding = (4 - (optionBytes % 4)) % 4;
  const headerLength = 20 + optionBytes + padding;
  if (headerLength > 60) throw new RangeError(`TCP options take ${optionBytes} bytes; at most 40 fit`);
  const tcpLength = headerLength + payload.bytes.length;

  // The checksum is computed over the finished bytes with the checksum field zero, then written in.
  const w = new ByteWriter(tcpLength);
  const tcp = w.group({
    name: 'TCP',
    layer: 'tcp',
    value: `${s.srcPort} → ${s.dstPort} [${describeFlags(s.flags)}]`,
    spec: SPEC,
  });
  w.uint16(s.srcPort, { name: 'Source port', value: describePort(s.srcPort), spec: SPEC });
  w.uint16(s.dstPort, { name: 'Destination port', value: describePort(s.dstPort), spec: SPEC });
  w.uint32(s.seq, {
    name: 'Sequence number',
    value: relative(s.seq, context.iss),
    note:
      s.flags & TCP_FLAG.SYN
        ? 'The initial sequence number, chosen at random so that others cannot guess it (RFC 9293 §3.4.1).'
        : 'Number of the first data byte in this segment; the receiver uses it to put the stream in order.',
    spec: SPEC,
  });
  w.uint32(s.ack, {
    name: 'Acknowledgment number',
    value: s.flags & TCP_FLAG.ACK ? relative(s.ack, context.irs) : `${s.ack} (not used: ACK is not set)`,
    note: 'The next sequence number the sender expects: every byte before it has arrived.',
    spec: SPEC,
  });
  w.uint8((headerLength / 4) << 4, {
    name: 'Data offset, reserved',
    value: `${headerLength}-byte header (${headerLength / 4} words)`,
    note: 'Where the data begins; the low four bits are reserved and zero.',
    spec: SPEC,
  });
  w.uint8(s.flags, {
    name: 'Flags',
    value: describeFlags(s.flags),
    note: flagNote(s.flags),
    spec: SPEC,
  });
  w.uint16(s.window, {
    name: 'Window',
    value: `${s.window} bytes`,
    note: 'How many more bytes the sender is ready to receive after the acknowledged one (flow control).',
    spec: SPEC,
  });
  const checksumAt = w.length;
  // The value is known once the segment is whole; the note is written now, so the field's shape is final.
  w.uint16(0, {
    name: 'Checksum',
    note: 'Covers a pseudo-header of addresses, protocol and length, then the header and the data.',
    spec: SPEC,
  });
  w.uint16(s.urgentPointer, {
    name: 'Urgent pointer',
    value: s.flags & TCP_FLAG.URG ? String(s.urgentPointer) : `${s.urgentPointer} (not used: URG is not set)`,
    spec: SPEC,
  });
  if (optionBytes + padding > 0) {
    const opts = w.group({ name: 'Options', value: `${optionBytes + padding} bytes`, spec: OPTION_SPEC });
    for (const o of s.options) writeOption(w, o);
    // Zero fill is read as End of Option List, then padding (RFC 9293 §3.2).
    const ended = s.options.some((o) => o.kind === 'end');
    if (padding > 0 && !ended) writeOption(w, { kind: 'end' });
    const rest = ended ? padding : padding - 1;
    if (rest > 0) {
      w.bytes(new Uint8Array(rest), { name: 'Padding', note: 'Fills the header to a multiple of 4.', spec: SPEC });
    }
    opts();
  }
  if (handedOver) w.adopt(payload);
  else w.embed(payload);
  tcp();
  const out = w.finish();

  const checksum = internetChecksum(pseudoHeader(pseudo, tcpLength), out.bytes);
  out.bytes[checksumAt] = checksum >> 8;
  out.bytes[checksumAt + 1] = checksum & 0xff;
  const checksumField = findLeaf(out.fields, checksumAt);
  checksumField.value = `0x${checksum.toString(16).padStart(4, '0')}`;
  return out;
}

function flagNote(flags: number): string {
  if (flags & TCP_FLAG.RST) return 'RST: the connection is refused or torn down at once.';
  if (flags & TCP_FLAG.SYN && flags & TCP_FLAG.ACK) return 'SYN-ACK: the second step of the three-way handshake.';
  if (flags & TCP_FLAG.SYN) return 'SYN: opens a connection, the first step of the three-way handshake.';
  if (flags & TCP_FLAG.FIN) return 'FIN: the sender has no more data to send.';
  if (flags & TCP_FLAG.PSH) return 'PSH: deliver the data to the application without waiting for more.';
  if (flags & TCP_FLAG.ACK) return 'ACK: acknowledges what has arrived.';
  return 'No control bits.';
}

function findLeaf(fields: readonly Field[], start: number): Field {
  for (const f of fields) {
    if (f.children?.length) {
      if (start >= f.start && start < f.end) return findLeaf(f.children, start);
    } else if (f.start === start) return f;
  }
  throw new Error(`no field starts at ${start}`);
}

function writeOption(w: ByteWriter, o: TcpOption): void {
  switch (o.kind) {
    case 'end':
      w.uint8(0, { name: 'End of option list', value: 'kind 0', spec: OPTION_SPEC });
      return;
    case 'nop':
      w.uint8(1, { name: 'No-operation', value: 'kind 1', note: 'Aligns the next option.', spec: OPTION_SPEC });
      return;
    case 'mss': {
      const done = w.group({ name: 'Maximum segment size', value: `${o.mss} bytes`, spec: 'RFC 9293 §3.7.1' });
      w.uint8(2, { name: 'Kind', value: 'MSS (2)', spec: OPTION_SPEC });
      w.uint8(4, { name: 'Length', value: '4 bytes', spec: OPTION_SPEC });
      w.uint16(o.mss, {
        name: 'MSS',
        value: `${o.mss} bytes`,
        note: 'The largest segment data the sender will accept; the peer cuts its stream at this size.',
        spec: 'RFC 9293 §3.7.1',
      });
      done();
      return;
    }
    case 'window-scale': {
      const done = w.group({ name: 'Window scale', value: `shift ${o.shift}`, spec: 'RFC 7323 §2.2' });
      w.uint8(3, { name: 'Kind', value: 'Window scale (3)', spec: 'RFC 7323 §2.2' });
      w.uint8(3, { name: 'Length', value: '3 bytes', spec: 'RFC 7323 §2.2' });
      w.uint8(o.shift, { name: 'Shift count', value: `× ${2 ** Math.min(o.shift, 14)}`, spec: 'RFC 7323 §2.2' });
      done();
      return;
    }
    case 'sack-permitted': {
      const done = w.group({ name: 'SACK permitted', spec: 'RFC 2018 §2' });
      w.uint8(4, { name: 'Kind', value: 'SACK permitted (4)', spec: 'RFC 2018 §2' });
      w.uint8(2, { name: 'Length', value: '2 bytes', spec: 'RFC 2018 §2' });
      done();
      return;
    }
    case 'sack': {
      const done = w.group({ name: 'SACK', value: `${o.blocks.length} block(s)`, spec: 'RFC 2018 §3' });
      w.uint8(5, { name: 'Kind', value: 'SACK (5)', spec: 'RFC 2018 §3' });
      w.uint8(2 + 8 * o.blocks.length, { name: 'Length', spec: 'RFC 2018 §3' });
      for (const [left, right] of o.blocks) {
        w.uint32(left, { name: 'Left edge', spec: 'RFC 2018 §3' });
        w.uint32(right, { name: 'Right edge', spec: 'RFC 2018 §3' });
      }
      done();
      return;
    }
    case 'timestamps': {
      const done = w.group({ name: 'Timestamps', spec: 'RFC 7323 §3.2' });
      w.uint8(8, { name: 'Kind', value: 'Timestamps (8)', spec: 'RFC 7323 §3.2' });
      w.uint8(10, { name: 'Length', value: '10 bytes', spec: 'RFC 7323 §3.2' });
      w.uint32(o.value, { name: 'TSval', spec: 'RFC 7323 §3.2' });
      w.uint32(o.echo, { name: 'TSecr', spec: 'RFC 7323 §3.2' });
      done();
      return;
    }
    case 'other': {
      const done = w.group({ name: `Option ${o.type}`, value: `${o.data.length + 2} bytes`, spec: OPTION_SPEC });
      w.uint8(o.type, { name: 'Kind', spec: OPTION_SPEC });
      w.uint8(o.data.length + 2, { name: 'Length', spec: OPTION_SPEC });
      if (o.data.length) w.bytes(o.data, { name: 'Data', note: 'An option this stack does not interpret.' });
      done();
      return;
    }
  }
}

export interface ParsedTcpSegment {
  segment: TcpSegment;
  /** The segment's data. */
  payload: Uint8Array;
  /** Offset of the data within the bytes given to the parser. */
  payloadOffset: number;
  /** Whether the checksum matches (a receiver discards the segment when it does not). */
  checksumValid: boolean;
  /** One `TCP` field spanning the segment: the header's fields, then the data's. */
  fields: Field[];
}

/**
 * Parses a TCP segment. `base` is the segment's offset within the packet, so
 * field ranges are packet offsets. The data is explained by `payloadFields`
 * when the caller knows what it is (ranges relative to the data's first byte),
 * else by one `Data` field. Any malformation is a `ParseError`; a wrong
 * checksum is not: the caller decides what to do about it (`checksumValid`).
 */
export function readTcpSegment(
  bytes: Uint8Array,
  pseudo: PseudoHeader,
  base = 0,
  payloadFields?: readonly Field[],
): ParsedTcpSegment {
  // The data offset (RFC 9293 §3.1) bounds the header; read it before trusting anything after it.
  const headerLength = bytes.length > 12 ? (bytes[12] >> 4) * 4 : 20;
  if (bytes.length > 12 && headerLength < 20) {
    throw new ParseError(
      'invalid_value',
      `data offset ${headerLength / 4} is below the minimum of 5`,
      base + 12,
      'TCP',
    );
  }
  if (bytes.length >= 20 && headerLength > bytes.length) {
    throw new ParseError(
      'truncated',
      `data offset says a ${headerLength}-byte header; the segment has ${bytes.length} bytes`,
      base + 12,
      'TCP',
    );
  }
  const r = new ByteReader(bytes.subarray(0, Math.min(headerLength, bytes.length)), base);
  const tcp = r.group({ name: 'TCP', layer: 'tcp', spec: SPEC });
  const srcPort = r.uint16({ name: 'Source port', value: describePort, spec: SPEC });
  const dstPort = r.uint16({ name: 'Destination port', value: describePort, spec: SPEC });
  const seq = r.uint32({ name: 'Sequence number', spec: SPEC });
  const ack = r.uint32({ name: 'Acknowledgment number', spec: SPEC });
  r.uint8({
    name: 'Data offset, reserved',
    value: (v) => `${(v >> 4) * 4}-byte header (${v >> 4} words)`,
    spec: SPEC,
  });
  const flags = r.uint8({ name: 'Flags', value: describeFlags, spec: SPEC });
  const window = r.uint16({ name: 'Window', value: (v) => `${v} bytes`, spec: SPEC });
  r.uint16({ name: 'Checksum', value: (v) => `0x${v.toString(16).padStart(4, '0')}`, spec: SPEC });
  const urgentPointer = r.uint16({ name: 'Urgent pointer', spec: SPEC });
  const options: TcpOption[] = [];
  if (headerLength > 20) {
    const opts = r.group({ name: 'Options', value: `${headerLength - 20} bytes`, spec: OPTION_SPEC });
    readOptions(r, options);
    opts();
  }
  tcp({ value: `${srcPort} → ${dstPort} [${describeFlags(flags)}]` });
  r.expectEnd('TCP header');

  const payload = bytes.slice(headerLength);
  const group = r.fields[0];
  group.end = base + bytes.length;
  if (payloadFields) group.children!.push(...shiftFields(payloadFields, base + headerLength));
  else if (payload.length > 0) {
    group.children!.push({
      name: 'Data',
      start: base + headerLength,
      end: base + bytes.length,
      value: `${payload.length} bytes`,
      note: 'Bytes of the stream this segment carries.',
      spec: SPEC,
    });
  }
  const checksumValid = internetChecksum(pseudoHeader(pseudo, bytes.length), bytes) === 0;
  return {
    segment: { srcPort, dstPort, seq, ack, flags, window, urgentPointer, options },
    payload,
    payloadOffset: headerLength,
    checksumValid,
    fields: r.fields,
  };
}

function readOptions(r: ByteReader, out: TcpOption[]): void {
  while (r.remaining > 0) {
    const kind = r.peekUint8()!;
    if (kind === 0) {
      r.uint8({ name: 'End of option list', value: 'kind 0', spec: OPTION_SPEC });
      out.push({ kind: 'end' });
      // Whatever follows End of Option List is padding (RFC 9293 §3.2).
      if (r.remaining > 0) r.rest({ name: 'Padding', note: 'Fills the header to a multiple of 4.', spec: SPEC });
      return;
    }
    if (kind === 1) {
      r.uint8({ name: 'No-operation', value: 'kind 1', spec: OPTION_SPEC });
      out.push({ kind: 'nop' });
      continue;
    }
    if (r.remaining < 2) throw r.error('truncated', `option kind ${kind} has no length byte`, `Option ${kind}`);
    const length = r.data[r.offset + 1];
    if (length < 2) throw r.error('invalid_value', `option length ${length} is below 2`, `Option ${kind}`);
    if (length > r.remaining) {
      throw r.error('length_mismatch', `option says ${length} bytes, ${r.remaining} remain`, `Option ${kind}`);
    }
    const fixed: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };
    if (fixed[kind] !== undefined && fixed[kind] !== length) {
      throw r.error('invalid_value', `length ${length}, the option needs ${fixed[kind]}`, `Option ${kind}`);
    }
    if (kind === 5 && (length - 2) % 8 !== 0) {
      throw r.error('invalid_value', `SACK length ${length} is not 2 + 8n`, 'SACK');
    }
    const names: Record<number, [string, string]> = {
      2: ['Maximum segment size', 'RFC 9293 §3.7.1'],
      3: ['Window scale', 'RFC 7323 §2.2'],
      4: ['SACK permitted', 'RFC 2018 §2'],
      5: ['SACK', 'RFC 2018 §3'],
      8: ['Timestamps', 'RFC 7323 §3.2'],
    };
    const [name, spec] = names[kind] ?? [`Option ${kind}`, OPTION_SPEC];
    const done = r.group({ name, spec });
    r.uint8({ name: 'Kind', spec });
    r.uint8({ name: 'Length', value: (v) => `${v} bytes`, spec });
    if (kind === 2) {
      const mss = r.uint16({ name: 'MSS', value: (v) => `${v} bytes`, spec });
      out.push({ kind: 'mss', mss });
      done({ value: `${mss} bytes` });
    } else if (kind === 3) {
      const shift = r.uint8({ name: 'Shift count', spec });
      out.push({ kind: 'window-scale', shift });
      done({ value: `shift ${shift}` });
    } else if (kind === 4) {
      out.push({ kind: 'sack-permitted' });
      done();
    } else if (kind === 5) {
      const blocks: Array<[number, number]> = [];
      for (let i = 0; i < (length - 2) / 8; i++) {
        blocks.push([r.uint32({ name: 'Left edge', spec }), r.uint32({ name: 'Right edge', spec })]);
      }
      out.push({ kind: 'sack', blocks });
      done({ value: `${blocks.length} block(s)` });
    } else if (kind === 8) {
      const value = r.uint32({ name: 'TSval', spec });
      const echo = r.uint32({ name: 'TSecr', spec });
      out.push({ kind: 'timestamps', value, echo });
      done();
    } else {
      const data = length > 2 ? r.bytes(length - 2, { name: 'Data' }) : new Uint8Array(0);
      out.push({ kind: 'other', type: kind, data });
      done({ value: `${length} bytes` });
    }
  }
}
