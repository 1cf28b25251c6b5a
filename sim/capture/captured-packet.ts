/**
 * The headers of one captured IP packet, read straight from the bytes: the
 * addresses (RFC 791 §3.1, RFC 8200 §3), the transport ports, TCP's
 * sequence numbers and flags (RFC 9293 §3.1), and where the payload starts.
 * No field tree is built here: this runs on every packet of a capture of any
 * length; the field tree of a packet someone looks at is built apart
 * (packet-fields.ts), by the same parsers the lab's own network uses.
 *
 * A capture is real traffic, so nothing here throws: a packet too short to
 * read, a fragment or another protocol is a value saying so.
 */
import { formatIpv6 } from '../net/address';
import type { FramedIpPacket } from '../net/pcap-reader';
import { SharedTexts } from '../wire/shared-texts';

export interface CapturedHeaders {
  version: 4 | 6;
  src: string;
  dst: string;
  transport: 'tcp' | 'udp' | 'other';
  /** The IP protocol number of what follows the IP headers. */
  protocolNumber: number;
  srcPort: number;
  dstPort: number;
  /** TCP only. */
  seq: number;
  ack: number;
  flags: number;
  /** Offset of the transport payload in the IP packet. */
  payloadOffset: number;
  /** The transport payload (a view into the packet). */
  payload: Uint8Array;
  /** The capture kept fewer bytes than the packet had (snap length): the payload is cut short. */
  cut: boolean;
  /** Only part of a fragmented datagram: its payload cannot be read on its own. */
  fragment: boolean;
}

/** Why a packet's headers could not be read. */
export type UnreadableHeaders = 'short' | 'bad-header';

const IPV6_EXTENSIONS = new Set([0, 43, 60]);

/** IPv4 addresses already formatted, by their 32-bit value: a capture's packets name a handful of hosts, again and again. */
const ipv4Texts = new SharedTexts<number>(4096);
const dottedQuad = (v: number) => `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;

function ipv4Text(b: Uint8Array, at: number): string {
  return ipv4Texts.text(((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0, dottedQuad);
}

export function readCapturedHeaders(ip: FramedIpPacket): CapturedHeaders | UnreadableHeaders {
  const b = ip.bytes;
  let at: number;
  let protocol: number;
  let fragment = false;
  let src: string;
  let dst: string;
  if (ip.version === 4) {
    const ihl = (b[0] & 0x0f) * 4;
    if (ihl < 20) return 'bad-header';
    if (b.length < ihl) return 'short';
    protocol = b[9];
    fragment = (((b[6] << 8) | b[7]) & 0x3fff) !== 0;
    src = ipv4Text(b, 12);
    dst = ipv4Text(b, 16);
    at = ihl;
  } else {
    protocol = b[6];
    src = formatIpv6(b.subarray(8, 24));
    dst = formatIpv6(b.subarray(24, 40));
    at = 40;
    // Hop-by-hop, routing and destination options may come before the payload (RFC 8200 §4).
    while (IPV6_EXTENSIONS.has(protocol)) {
      if (at + 2 > b.length) return 'short';
      const next = b[at];
      at += 8 + b[at + 1] * 8;
      protocol = next;
    }
    if (protocol === 44) {
      // The Fragment header (§4.5): a first fragment still carries the transport header, but not the whole payload.
      if (at + 8 > b.length) return 'short';
      protocol = b[at];
      fragment = true;
      at += 8;
    }
    if (at > b.length) return 'short';
  }
  // One object literal per packet, all fields in one order: this runs for every packet of a long capture.
  if (fragment || (protocol !== 6 && protocol !== 17)) {
    return headers(ip, src, dst, 'other', protocol, 0, 0, 0, 0, 0, at, b.subarray(at), ip.cut, fragment);
  }
  if (protocol === 17) {
    if (b.length - at < 8) return 'short';
    // The UDP length bounds the payload (RFC 768); a capture cut short keeps what it has.
    const length = (b[at + 4] << 8) | b[at + 5];
    if (length < 8) return 'bad-header';
    const end = at + length;
    return headers(
      ip,
      src,
      dst,
      'udp',
      protocol,
      (b[at] << 8) | b[at + 1],
      (b[at + 2] << 8) | b[at + 3],
      0,
      0,
      0,
      at + 8,
      b.subarray(at + 8, Math.min(end, b.length)),
      ip.cut || end > b.length,
      false,
    );
  }
  if (b.length - at < 20) return 'short';
  const dataOffset = (b[at + 12] >> 4) * 4;
  if (dataOffset < 20) return 'bad-header';
  if (b.length - at < dataOffset) return 'short';
  return headers(
    ip,
    src,
    dst,
    'tcp',
    protocol,
    (b[at] << 8) | b[at + 1],
    (b[at + 2] << 8) | b[at + 3],
    ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0,
    ((b[at + 8] << 24) | (b[at + 9] << 16) | (b[at + 10] << 8) | b[at + 11]) >>> 0,
    b[at + 13],
    at + dataOffset,
    b.subarray(at + dataOffset),
    ip.cut,
    false,
  );
}

function headers(
  ip: FramedIpPacket,
  src: string,
  dst: string,
  transport: CapturedHeaders['transport'],
  protocolNumber: number,
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flags: number,
  payloadOffset: number,
  payload: Uint8Array,
  cut: boolean,
  fragment: boolean,
): CapturedHeaders {
  return {
    version: ip.version,
    src,
    dst,
    transport,
    protocolNumber,
    srcPort,
    dstPort,
    seq,
    ack,
    flags,
    payloadOffset,
    payload,
    cut,
    fragment,
  };
}

/** `198.51.100.20:5061`, or `[2001:db8::1]:5061` for IPv6 (RFC 3986 §3.2.2). */
export function formatCapturedEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
