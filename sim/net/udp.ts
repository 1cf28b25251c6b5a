/**
 * UDP datagrams (RFC 768) inside IPv4. Plain SIP on port 5060 and all RTP and
 * SRTP travel this way on a trunk.
 */
import { ByteWriter } from '../wire/writer';
import { ByteReader } from '../wire/reader';
import { ParseError } from '../wire/parse-error';
import { shiftFields, type Annotation, type Field } from '../wire/field';
import { SharedPairTexts } from '../wire/shared-texts';
import { sharedIpv4Bytes } from './address';
import { transportPseudoHeader } from './pseudo-header';
import { internetChecksum } from './checksum';
import { IP_PROTOCOL, writeIpv4Header, type Encoded } from './ipv4';

export interface UdpAddressing {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IPv4 identification of the packet that carries it. */
  ipId: number;
  ttl?: number;
}

const SPEC = 'RFC 768';
/** The one header field whose annotation is the same in every datagram, made once. */
const SOURCE_PORT: Annotation<number> = { name: 'Source port', spec: SPEC };

/** `16384 → 20000`, made once per pair of ports: every datagram of a media stream shares it. */
const portPairTexts = new SharedPairTexts<number, number>();
const portPairText = (srcPort: number, dstPort: number) => `${srcPort} → ${dstPort}`;

/**
 * Writes an IPv4 packet carrying one UDP datagram around `payload`. With
 * `handedOver`, the payload was written for this datagram alone (a socket's
 * send): its field tree is moved into the packet's rather than copied, and the
 * caller must not use it again.
 */
export function writeUdpPacket(a: UdpAddressing, payload: Encoded, handedOver = false): Encoded {
  const length = 8 + payload.bytes.length;
  // The checksum covers a pseudo-header of addresses, protocol and length (RFC 768).
  const pseudo = new Uint8Array(12);
  pseudo.set(sharedIpv4Bytes(a.src), 0);
  pseudo.set(sharedIpv4Bytes(a.dst), 4);
  pseudo.set([0, IP_PROTOCOL.udp, length >> 8, length & 0xff], 8);
  const header = Uint8Array.of(
    a.srcPort >> 8,
    a.srcPort & 0xff,
    a.dstPort >> 8,
    a.dstPort & 0xff,
    length >> 8,
    length & 0xff,
    0,
    0,
  );
  // A computed zero is sent as all ones: zero means "no checksum" (RFC 768).
  const checksum = internetChecksum(pseudo, header, payload.bytes) || 0xffff;

  // The IPv4 header and the datagram in one buffer.
  const w = new ByteWriter(20 + length);
  const ip = writeIpv4Header(w, { src: a.src, dst: a.dst, protocol: 'udp', id: a.ipId, ttl: a.ttl }, length);
  const udp = w.group({
    name: 'UDP',
    layer: 'udp',
    value: portPairTexts.text(a.srcPort, a.dstPort, portPairText),
    spec: SPEC,
  });
  w.uint16(a.srcPort, SOURCE_PORT);
  w.uint16(a.dstPort, { name: 'Destination port', value: describePort(a.dstPort), spec: SPEC });
  w.uint16(length, { name: 'Length', value: `${length} bytes`, note: 'Header and payload.', spec: SPEC });
  w.uint16(checksum, {
    name: 'Checksum',
    value: `0x${checksum.toString(16).padStart(4, '0')}`,
    note: 'Covers the addresses, the header and the payload.',
    spec: SPEC,
  });
  if (handedOver) w.adopt(payload);
  else w.embed(payload);
  udp();
  ip();
  return w.finish();
}

/**
 * The same packet as `writeUdpPacket`, bytes only: for bulk output such as
 * the decrypted media of a long capture, where no one reads the field tree.
 * A property test holds the two byte for byte.
 */
export function encodeUdpPacket(a: UdpAddressing, payload: Uint8Array): Uint8Array {
  const udpLength = 8 + payload.length;
  const totalLength = 20 + udpLength;
  const out = new Uint8Array(totalLength);
  const view = new DataView(out.buffer);
  // IPv4 header (RFC 791 §3.1): version/IHL, TOS, length, id, don't fragment, TTL, protocol.
  view.setUint8(0, 0x45);
  view.setUint16(2, totalLength);
  view.setUint16(4, a.ipId);
  view.setUint16(6, 0x4000);
  view.setUint8(8, a.ttl ?? 64);
  view.setUint8(9, IP_PROTOCOL.udp);
  out.set(sharedIpv4Bytes(a.src), 12);
  out.set(sharedIpv4Bytes(a.dst), 16);
  view.setUint16(10, internetChecksum(out.subarray(0, 20)));
  // UDP header (RFC 768), then the payload.
  view.setUint16(20, a.srcPort);
  view.setUint16(22, a.dstPort);
  view.setUint16(24, udpLength);
  out.set(payload, 28);
  // The pseudo-header: the two addresses already in place, then protocol and length (RFC 768).
  const pseudoTail = Uint8Array.of(0, IP_PROTOCOL.udp, udpLength >> 8, udpLength & 0xff);
  view.setUint16(26, internetChecksum(out.subarray(12, 20), pseudoTail, out.subarray(20)) || 0xffff);
  return out;
}

/** Names the well-known ports a trunk uses (RFC 3261 §19.1.2). */
export function describePort(port: number): string {
  if (port === 5060) return '5060 (SIP, unencrypted)';
  if (port === 5061) return '5061 (SIP over TLS)';
  return String(port);
}

export interface ParsedUdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  payloadOffset: number;
  /** False when the checksum is wrong; a zero checksum (none sent, RFC 768) counts as valid. */
  checksumValid: boolean;
  /** One `UDP` field spanning the datagram; the payload is explained by `payloadFields` or one `Data` field. */
  fields: Field[];
}

/** Parses a UDP datagram found at `base` in a packet from `src` to `dst` (RFC 768; over IPv6, RFC 8200 §8.1). */
export function readUdpDatagram(
  bytes: Uint8Array,
  addresses: { src: string; dst: string },
  base = 0,
  payloadFields?: readonly Field[],
): ParsedUdpDatagram {
  const r = new ByteReader(bytes.subarray(0, Math.min(8, bytes.length)), base);
  const udp = r.group({ name: 'UDP', layer: 'udp', spec: SPEC });
  const srcPort = r.uint16({ name: 'Source port', spec: SPEC });
  const dstPort = r.uint16({ name: 'Destination port', value: describePort, spec: SPEC });
  const length = r.uint16({ name: 'Length', value: (v) => `${v} bytes`, spec: SPEC });
  const checksum = r.uint16({ name: 'Checksum', value: (v) => `0x${v.toString(16).padStart(4, '0')}`, spec: SPEC });
  udp({ value: `${srcPort} → ${dstPort}` });
  if (length < 8) throw new ParseError('invalid_value', `length ${length} is below the 8-byte header`, base + 4, 'UDP');
  if (length !== bytes.length) {
    throw new ParseError(
      length > bytes.length ? 'truncated' : 'length_mismatch',
      `length says ${length} bytes; the IP packet carries ${bytes.length}`,
      base + 4,
      'UDP',
    );
  }
  const group = r.fields[0];
  group.end = base + length;
  if (payloadFields) group.children!.push(...shiftFields(payloadFields, base + 8));
  else if (length > 8) {
    group.children!.push({
      name: 'Data',
      start: base + 8,
      end: base + length,
      value: `${length - 8} bytes`,
      note: 'The datagram the application sent.',
      spec: SPEC,
    });
  }
  const pseudo = transportPseudoHeader(addresses.src, addresses.dst, IP_PROTOCOL.udp, length);
  return {
    srcPort,
    dstPort,
    payload: bytes.slice(8, length),
    payloadOffset: 8,
    checksumValid: checksum === 0 || internetChecksum(pseudo, bytes) === 0,
    fields: r.fields,
  };
}
