/**
 * IPv4 packets (RFC 791 §3.1), written through wire/ so every header byte is
 * explained. No options, no fragmentation: the lab's packets fit one MTU.
 */
import { ByteWriter } from '../wire/writer';
import type { Field } from '../wire/field';
import { formatIpv4, ipv4Bytes } from './address';
import { internetChecksum } from './checksum';

export const IP_PROTOCOL = { tcp: 6, udp: 17 } as const;

export interface Ipv4Header {
  src: string;
  dst: string;
  protocol: keyof typeof IP_PROTOCOL;
  /** Identification (RFC 791 §3.1); hosts count it up per packet. */
  id: number;
  ttl?: number;
}

export interface Encoded {
  bytes: Uint8Array;
  fields: Field[];
}

const SPEC = 'RFC 791 §3.1';

export function writeIpv4Packet(h: Ipv4Header, payload: Encoded): Encoded {
  const totalLength = 20 + payload.bytes.length;
  const ttl = h.ttl ?? 64;
  const src = ipv4Bytes(h.src);
  const dst = ipv4Bytes(h.dst);
  const protocol = IP_PROTOCOL[h.protocol];
  // The checksum covers the header with the checksum field as zero (RFC 791 §3.1).
  const draft = new Uint8Array(20);
  draft.set([0x45, 0, totalLength >> 8, totalLength & 0xff, h.id >> 8, h.id & 0xff, 0x40, 0, ttl, protocol]);
  draft.set(src, 12);
  draft.set(dst, 16);
  const checksum = internetChecksum(draft);

  const w = new ByteWriter(totalLength);
  const ip = w.group({ name: 'IPv4', layer: 'ipv4', value: `${h.src} → ${h.dst}`, spec: SPEC });
  w.uint8(0x45, { name: 'Version, IHL', value: 'IPv4, 20-byte header', spec: SPEC });
  w.uint8(0, { name: 'Type of service', value: '0', note: 'No priority marking.', spec: SPEC });
  w.uint16(totalLength, { name: 'Total length', value: `${totalLength} bytes`, spec: SPEC });
  w.uint16(h.id, { name: 'Identification', note: 'Numbers the packets a host sends.', spec: SPEC });
  w.uint16(0x4000, { name: 'Flags, fragment offset', value: "Don't fragment", spec: SPEC });
  w.uint8(ttl, { name: 'Time to live', value: `${ttl} hops`, spec: SPEC });
  w.uint8(protocol, { name: 'Protocol', value: `${h.protocol.toUpperCase()} (${protocol})`, spec: SPEC });
  w.uint16(checksum, {
    name: 'Header checksum',
    value: `0x${checksum.toString(16).padStart(4, '0')}`,
    note: 'Protects the header only; the payload has its own checksum.',
    spec: 'RFC 1071 §4.1',
  });
  w.bytes(src, { name: 'Source address', value: formatIpv4(src), spec: SPEC });
  w.bytes(dst, { name: 'Destination address', value: formatIpv4(dst), spec: SPEC });
  w.embed(payload);
  ip();
  return w.finish();
}
