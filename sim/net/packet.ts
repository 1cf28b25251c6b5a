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
import { formatEndpoint, type Endpoint } from './address';
import { readIpv4Packet, writeIpv4Packet, type Encoded, type ParsedIpv4Header } from './ipv4';
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

export function writePacket(p: PacketSpec): Encoded {
  if (p.transport === 'udp') {
    return writeUdpPacket(
      { src: p.src.ip, dst: p.dst.ip, srcPort: p.src.port, dstPort: p.dst.port, ipId: p.ipId, ttl: p.ttl },
      p.payload,
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
  );
  return writeIpv4Packet({ src: p.src.ip, dst: p.dst.ip, protocol: 'tcp', id: p.ipId, ttl: p.ttl }, segment);
}

/** What a receiver recovers from a packet's bytes. */
export interface ParsedPacket {
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

/** `10.0.0.1:5061 → 10.0.0.2:40000`: the flow a packet belongs to, as seen from its sender. */
export function describeFlow(p: { src: Endpoint; dst: Endpoint }): string {
  return `${formatEndpoint(p.src)} → ${formatEndpoint(p.dst)}`;
}
