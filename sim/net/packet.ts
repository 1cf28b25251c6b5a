/**
 * Whole packets as they cross the wire: an IPv4 header (RFC 791 §3.1), then a
 * TCP segment (RFC 9293 §3.1) or a UDP datagram (RFC 768).
 *
 * Senders describe a packet as a `PacketSpec` and `writePacket` computes its
 * bytes and checksums; receivers, taps and captures have only the bytes and
 * `readPacket` recovers the headers from them. Every host in the lab reads
 * what arrives with `readPacket`, so what a party acts on is what the wire
 * carried, never what the sender meant.
 */
import type { Field } from '../wire/field';
import { ParseError } from '../wire/parse-error';
import { formatEndpoint, formatIpv4, type Endpoint } from './address';
import { internetChecksum } from './checksum';
import { IP_PROTOCOL, readIpv4Packet, writeIpv4Packet, type Encoded, type ParsedIpv4Header } from './ipv4';
import { readTcpSegment, writeTcpSegment, type SequenceContext, type TcpOption } from './tcp-segment';
import { readUdpDatagram, writeUdpPacket } from './udp';

export interface TcpHeaderSpec {
  seq: number;
  ack: number;
  flags: number;
  window: number;
  urgentPointer?: number;
  options?: TcpOption[];
}

interface PacketCommon {
  src: Endpoint;
  dst: Endpoint;
  /** IPv4 Identification (RFC 791 §3.1). */
  ipId: number;
  ttl?: number;
  payload: Encoded;
}

export interface TcpPacketSpec extends PacketCommon {
  transport: 'tcp';
  tcp: TcpHeaderSpec;
  /** Initial sequence numbers, only so the annotations can show relative numbers. */
  sequence?: SequenceContext;
}

export interface UdpPacketSpec extends PacketCommon {
  transport: 'udp';
}

export type PacketSpec = TcpPacketSpec | UdpPacketSpec;

/** A packet before its host numbers it (IPv4 Identification). */
export type UnnumberedPacketSpec = Omit<TcpPacketSpec, 'ipId'> | Omit<UdpPacketSpec, 'ipId'>;

/**
 * @param payloadHandedOver a payload written for this packet alone, whose
 *   field tree may be moved into the packet's (see `writeUdpPacket`, `writeTcpSegment`)
 */
export function writePacket(p: PacketSpec, payloadHandedOver = false): Encoded {
  if (p.transport === 'udp') {
    return writeUdpPacket(
      { src: p.src.ip, dst: p.dst.ip, srcPort: p.src.port, dstPort: p.dst.port, ipId: p.ipId, ttl: p.ttl },
      p.payload,
      payloadHandedOver,
    );
  }
  const segment = writeTcpSegment(
    { src: p.src.ip, dst: p.dst.ip },
    {
      srcPort: p.src.port,
      dstPort: p.dst.port,
      seq: p.tcp.seq,
      ack: p.tcp.ack,
      flags: p.tcp.flags,
      window: p.tcp.window,
      urgentPointer: p.tcp.urgentPointer ?? 0,
      options: p.tcp.options ?? [],
    },
    p.payload,
    p.sequence,
    payloadHandedOver,
  );
  return writeIpv4Packet({ src: p.src.ip, dst: p.dst.ip, protocol: 'tcp', id: p.ipId, ttl: p.ttl }, segment);
}

/** What a receiver recovers from a packet's headers (no field tree: see `readPacket` for that). */
export interface DecodedPacket {
  ip: ParsedIpv4Header;
  src: Endpoint;
  dst: Endpoint;
  transport:
    | {
        kind: 'tcp';
        seq: number;
        ack: number;
        flags: number;
        window: number;
        urgentPointer: number;
        options: TcpOption[];
      }
    | { kind: 'udp' }
    /** Another protocol, or an IP fragment: the lab's hosts do not read these. */
    | { kind: 'other' };
  payload: Uint8Array;
  /** Offset of the transport payload in the packet. */
  payloadOffset: number;
  /** Both the IP header checksum and the transport checksum are right. */
  checksumValid: boolean;
}

/** A packet's headers and the field tree that explains every byte. */
export interface ParsedPacket extends DecodedPacket {
  fields: Field[];
}

/**
 * Parses a raw IPv4 packet down to its transport payload. Malformed headers
 * are `ParseError`s. `payloadFields`, when the caller knows what the payload
 * is, explain it (ranges relative to the payload's first byte).
 */
export function readPacket(bytes: Uint8Array, payloadFields?: readonly Field[]): ParsedPacket {
  const ip = readIpv4Packet(bytes);
  const group = ip.fields[0];
  const addresses = { src: ip.header.src, dst: ip.header.dst };
  const endpoints = (srcPort: number, dstPort: number) => ({
    src: { ip: ip.header.src, port: srcPort },
    dst: { ip: ip.header.dst, port: dstPort },
  });
  if (ip.header.protocol === 'tcp' && !ip.header.fragment) {
    const t = readTcpSegment(ip.payload, addresses, ip.payloadOffset, payloadFields);
    group.children!.push(...t.fields);
    return {
      ip: ip.header,
      ...endpoints(t.segment.srcPort, t.segment.dstPort),
      transport: {
        kind: 'tcp',
        seq: t.segment.seq,
        ack: t.segment.ack,
        flags: t.segment.flags,
        window: t.segment.window,
        urgentPointer: t.segment.urgentPointer,
        options: t.segment.options,
      },
      payload: t.payload,
      payloadOffset: ip.payloadOffset + t.payloadOffset,
      checksumValid: ip.header.checksumValid && t.checksumValid,
      fields: ip.fields,
    };
  }
  if (ip.header.protocol === 'udp' && !ip.header.fragment) {
    const u = readUdpDatagram(ip.payload, addresses, ip.payloadOffset, payloadFields);
    group.children!.push(...u.fields);
    return {
      ip: ip.header,
      ...endpoints(u.srcPort, u.dstPort),
      transport: { kind: 'udp' },
      payload: u.payload,
      payloadOffset: ip.payloadOffset + u.payloadOffset,
      checksumValid: ip.header.checksumValid && u.checksumValid,
      fields: ip.fields,
    };
  }
  if (ip.payload.length > 0) {
    group.children!.push({
      name: 'Data',
      start: ip.payloadOffset,
      end: bytes.length,
      value: `${ip.payload.length} bytes`,
      note: ip.header.fragment ? 'A fragment of a larger datagram.' : `Protocol ${ip.header.protocolNumber}.`,
    });
  }
  return {
    ip: ip.header,
    ...endpoints(0, 0),
    transport: { kind: 'other' },
    payload: ip.payload,
    payloadOffset: ip.payloadOffset,
    checksumValid: ip.header.checksumValid,
    fields: ip.fields,
  };
}

/**
 * The headers of a packet, read straight from the bytes without building a
 * field tree: what the hosts' stacks, the network's routing and a tap use on
 * every packet. It checks exactly what `readPacket` checks and throws the
 * same `ParseError` codes (the tests hold the two to each other).
 */
export function decodePacket(bytes: Uint8Array): DecodedPacket {
  if (bytes.length < 1) fail('truncated', 'needs 1 byte(s), 0 left', 0, 'IPv4 › Version, IHL');
  const version = bytes[0] >> 4;
  if (version !== 4) fail('invalid_value', `version ${version} is not 4`, 0, 'IPv4');
  const headerLength = (bytes[0] & 0x0f) * 4;
  if (headerLength < 20) fail('invalid_value', `IHL ${headerLength / 4} is below the minimum of 5`, 0, 'IPv4');
  if (bytes.length < 4) fail('truncated', `the header needs 20 bytes, ${bytes.length} captured`, bytes.length, 'IPv4');
  const totalLength = (bytes[2] << 8) | bytes[3];
  if (totalLength < headerLength)
    fail('invalid_value', `total length ${totalLength} is shorter than the header`, 2, 'IPv4');
  if (totalLength > bytes.length)
    fail('truncated', `total length says ${totalLength} bytes; ${bytes.length} captured`, 2, 'IPv4');
  if (totalLength < bytes.length) {
    fail('trailing_bytes', `${bytes.length - totalLength} byte(s) after the packet`, totalLength, 'IPv4');
  }
  const protocolNumber = bytes[9];
  const protocol = protocolNumber === IP_PROTOCOL.tcp ? 'tcp' : protocolNumber === IP_PROTOCOL.udp ? 'udp' : undefined;
  const fragment = (((bytes[6] << 8) | bytes[7]) & 0x3fff) !== 0;
  const ip: ParsedIpv4Header = {
    src: formatIpv4(bytes.subarray(12, 16)),
    dst: formatIpv4(bytes.subarray(16, 20)),
    protocol,
    protocolNumber,
    id: (bytes[4] << 8) | bytes[5],
    ttl: bytes[8],
    headerLength,
    fragment,
    checksumValid: internetChecksum(bytes.subarray(0, headerLength)) === 0,
  };
  const segment = bytes.subarray(headerLength);
  if (protocol === 'tcp' && !fragment) {
    const n = segment.length;
    const dataOffset = n > 12 ? (segment[12] >> 4) * 4 : 20;
    if (n > 12 && dataOffset < 20) {
      fail('invalid_value', `data offset ${dataOffset / 4} is below the minimum of 5`, headerLength + 12, 'TCP');
    }
    if (n < 20) fail('truncated', `a TCP header needs 20 bytes, ${n} captured`, headerLength + n, 'TCP');
    if (dataOffset > n) {
      fail(
        'truncated',
        `data offset says a ${dataOffset}-byte header; the segment has ${n} bytes`,
        headerLength + 12,
        'TCP',
      );
    }
    // Options, when there are any, are read by readTcpSegment itself, so they fail the same way.
    const options =
      dataOffset > 20
        ? readTcpSegment(segment.subarray(0, dataOffset), { src: ip.src, dst: ip.dst }, headerLength).segment.options
        : [];
    return {
      ip,
      src: { ip: ip.src, port: (segment[0] << 8) | segment[1] },
      dst: { ip: ip.dst, port: (segment[2] << 8) | segment[3] },
      transport: {
        kind: 'tcp',
        seq: ((segment[4] << 24) | (segment[5] << 16) | (segment[6] << 8) | segment[7]) >>> 0,
        ack: ((segment[8] << 24) | (segment[9] << 16) | (segment[10] << 8) | segment[11]) >>> 0,
        flags: segment[13],
        window: (segment[14] << 8) | segment[15],
        urgentPointer: (segment[18] << 8) | segment[19],
        options,
      },
      // Views, not copies: a packet's bytes are never changed once on the wire.
      payload: segment.subarray(dataOffset),
      payloadOffset: headerLength + dataOffset,
      checksumValid: ip.checksumValid && internetChecksum(pseudoHeader(bytes, protocolNumber, n), segment) === 0,
    };
  }
  if (protocol === 'udp' && !fragment) {
    const n = segment.length;
    if (n < 8) fail('truncated', `a UDP header needs 8 bytes, ${n} captured`, headerLength + n, 'UDP');
    const length = (segment[4] << 8) | segment[5];
    if (length < 8) fail('invalid_value', `length ${length} is below the 8-byte header`, headerLength + 4, 'UDP');
    if (length !== n) {
      fail(
        length > n ? 'truncated' : 'length_mismatch',
        `length says ${length} bytes; the IP packet carries ${n}`,
        headerLength + 4,
        'UDP',
      );
    }
    const checksum = (segment[6] << 8) | segment[7];
    return {
      ip,
      src: { ip: ip.src, port: (segment[0] << 8) | segment[1] },
      dst: { ip: ip.dst, port: (segment[2] << 8) | segment[3] },
      transport: { kind: 'udp' },
      payload: segment.subarray(8),
      payloadOffset: headerLength + 8,
      checksumValid:
        ip.checksumValid && (checksum === 0 || internetChecksum(pseudoHeader(bytes, protocolNumber, n), segment) === 0),
    };
  }
  return {
    ip,
    src: { ip: ip.src, port: 0 },
    dst: { ip: ip.dst, port: 0 },
    transport: { kind: 'other' },
    payload: segment.subarray(0, totalLength - headerLength),
    payloadOffset: headerLength,
    checksumValid: ip.checksumValid,
  };
}

/**
 * `decodePacket` for bytes on the wire, decoded once: the network routing a
 * packet, the host receiving it and a tap watching the path all read the same
 * bytes, which never change once sent (the attacker's alterations are new
 * packets). The result is shared, so its readers must not change it; a
 * `ParseError` is remembered and thrown again.
 */
export function decodeWirePacket(bytes: Uint8Array): DecodedPacket {
  let decoded = wireDecodings.get(bytes);
  if (decoded === undefined) {
    try {
      decoded = decodePacket(bytes);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      decoded = e;
    }
    wireDecodings.set(bytes, decoded);
  }
  if (decoded instanceof ParseError) throw decoded;
  return decoded;
}

const wireDecodings = new WeakMap<Uint8Array, DecodedPacket | ParseError>();

/*
 * decodePacket's helpers, at module level: it runs several times for every
 * packet of a run, and a closure made per call costs more than its work.
 */
function fail(code: ParseError['code'], message: string, offset: number, field: string): never {
  throw new ParseError(code, message, offset, field);
}

/** The pseudo-header a TCP or UDP checksum covers (RFC 9293 §3.1, RFC 768): addresses, protocol, length. */
function pseudoHeader(packet: Uint8Array, protocolNumber: number, length: number): Uint8Array {
  const out = new Uint8Array(12);
  out.set(packet.subarray(12, 20));
  out[9] = protocolNumber;
  out[10] = length >> 8;
  out[11] = length & 0xff;
  return out;
}

/** `10.0.0.1:5061 → 10.0.0.2:40000`: the flow a packet belongs to, as seen from its sender. */
export function describeFlow(p: { src: Endpoint; dst: Endpoint }): string {
  return `${formatEndpoint(p.src)} → ${formatEndpoint(p.dst)}`;
}
