/**
 * UDP datagrams (RFC 768) inside IPv4. Plain SIP on port 5060 and all RTP and
 * SRTP travel this way on a trunk.
 */
import { ByteWriter } from '../wire/writer';
import { ipv4Bytes } from './address';
import { internetChecksum } from './checksum';
import { IP_PROTOCOL, writeIpv4Packet, type Encoded } from './ipv4';

export interface UdpAddressing {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IPv4 identification of the packet that carries it. */
  ipId: number;
}

const SPEC = 'RFC 768';

/** Writes an IPv4 packet carrying one UDP datagram around `payload`. */
export function writeUdpPacket(a: UdpAddressing, payload: Encoded): Encoded {
  const length = 8 + payload.bytes.length;
  // The checksum covers a pseudo-header of addresses, protocol and length (RFC 768).
  const pseudo = new Uint8Array(12);
  pseudo.set(ipv4Bytes(a.src), 0);
  pseudo.set(ipv4Bytes(a.dst), 4);
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

  const w = new ByteWriter(length);
  const udp = w.group({ name: 'UDP', layer: 'udp', value: `${a.srcPort} → ${a.dstPort}`, spec: SPEC });
  w.uint16(a.srcPort, { name: 'Source port', spec: SPEC });
  w.uint16(a.dstPort, { name: 'Destination port', value: describePort(a.dstPort), spec: SPEC });
  w.uint16(length, { name: 'Length', value: `${length} bytes`, note: 'Header and payload.', spec: SPEC });
  w.uint16(checksum, {
    name: 'Checksum',
    value: `0x${checksum.toString(16).padStart(4, '0')}`,
    note: 'Covers the addresses, the header and the payload.',
    spec: SPEC,
  });
  w.embed(payload);
  udp();
  return writeIpv4Packet({ src: a.src, dst: a.dst, protocol: 'udp', id: a.ipId }, w.finish());
}

/** Names the well-known ports a trunk uses (RFC 3261 §19.1.2). */
export function describePort(port: number): string {
  if (port === 5060) return '5060 (SIP, unencrypted)';
  if (port === 5061) return '5061 (SIP over TLS)';
  return String(port);
}
