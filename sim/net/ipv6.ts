/**
 * IPv6 packets (RFC 8200) as a capture holds them, parsed through wire/ so
 * every byte is explained: the fixed 40-byte header (§3), then the extension
 * headers a packet may carry before its TCP or UDP payload (§4): Hop-by-Hop
 * Options (§4.3), Routing (§4.4), Fragment (§4.5) and Destination Options
 * (§4.6). The lab's own network is IPv4; real trunks increasingly are not.
 */
import { ByteReader } from '../wire/reader';
import { ParseError } from '../wire/parse-error';
import type { Field } from '../wire/field';
import { formatIpv6 } from './address';

const SPEC = 'RFC 8200 §3';

/** Extension headers (RFC 8200 §4.1) that this reader walks over, with the section that defines each. */
const EXTENSIONS: Record<number, [string, string]> = {
  0: ['Hop-by-Hop Options header', 'RFC 8200 §4.3'],
  43: ['Routing header', 'RFC 8200 §4.4'],
  44: ['Fragment header', 'RFC 8200 §4.5'],
  60: ['Destination Options header', 'RFC 8200 §4.6'],
};

export interface ParsedIpv6Header {
  src: string;
  dst: string;
  /** The upper-layer protocol after any extension headers: 6 TCP, 17 UDP. */
  protocolNumber: number;
  protocol: 'tcp' | 'udp' | undefined;
  hopLimit: number;
  /** A Fragment header with a non-zero offset or More Fragments set: the payload is only part of a datagram. */
  fragment: boolean;
}

export interface ParsedIpv6Packet {
  header: ParsedIpv6Header;
  /** The upper-layer bytes, after the extension headers, up to Payload Length. */
  payload: Uint8Array;
  payloadOffset: number;
  /** One `IPv6` field spanning the packet, holding the headers' fields; the caller adds the payload's. */
  fields: Field[];
}

export function describeNextHeader(v: number): string {
  if (v === 6) return 'TCP (6)';
  if (v === 17) return 'UDP (17)';
  if (v === 58) return 'ICMPv6 (58)';
  if (v === 59) return 'No next header (59)';
  return EXTENSIONS[v] ? `${EXTENSIONS[v][0]} (${v})` : String(v);
}

/**
 * Parses an IPv6 packet that must be exactly 40 + Payload Length bytes.
 * Malformed headers are `ParseError`s naming the field.
 */
export function readIpv6Packet(bytes: Uint8Array): ParsedIpv6Packet {
  const r = new ByteReader(bytes);
  const ip = r.group({ name: 'IPv6', layer: 'ipv6', spec: SPEC });
  const first = r.uint32({
    name: 'Version, traffic class, flow label',
    value: (v) => `IPv${v >>> 28}, traffic class ${(v >>> 20) & 0xff}, flow label 0x${(v & 0xfffff).toString(16)}`,
    note: 'The flow label lets routers keep the packets of one flow together.',
    spec: SPEC,
  });
  if (first >>> 28 !== 6) throw new ParseError('invalid_value', `version ${first >>> 28} is not 6`, 0, 'IPv6');
  const payloadLength = r.uint16({
    name: 'Payload length',
    value: (v) => `${v} bytes`,
    note: 'Everything after this 40-byte header, extension headers included.',
    spec: SPEC,
  });
  let next = r.uint8({ name: 'Next header', value: describeNextHeader, spec: SPEC });
  const hopLimit = r.uint8({ name: 'Hop limit', value: (v) => `${v} hops`, spec: SPEC });
  const src = formatIpv6(r.bytes(16, { name: 'Source address', value: formatIpv6, spec: SPEC }));
  const dst = formatIpv6(r.bytes(16, { name: 'Destination address', value: formatIpv6, spec: SPEC }));
  if (40 + payloadLength > bytes.length) {
    throw new ParseError(
      'truncated',
      `payload length says ${payloadLength} bytes; ${bytes.length - 40} captured`,
      4,
      'IPv6',
    );
  }
  if (40 + payloadLength < bytes.length) {
    throw new ParseError(
      'trailing_bytes',
      `${bytes.length - 40 - payloadLength} byte(s) after the packet`,
      40 + payloadLength,
      'IPv6',
    );
  }
  let fragment = false;
  while (EXTENSIONS[next]) {
    const [name, spec] = EXTENSIONS[next];
    const done = r.group({ name, spec });
    const following = r.uint8({ name: 'Next header', value: describeNextHeader, spec });
    if (next === 44) {
      // The Fragment header is fixed at 8 bytes (§4.5).
      r.uint8({ name: 'Reserved', spec });
      const word = r.uint16({
        name: 'Fragment offset, M flag',
        value: (v) => `offset ${(v >> 3) * 8}${v & 1 ? ', more fragments' : ''}`,
        spec,
      });
      r.uint32({ name: 'Identification', spec });
      fragment ||= word >> 3 !== 0 || (word & 1) === 1;
    } else {
      // Length in 8-octet units, not counting the first 8 octets (§4.3, §4.4, §4.6).
      const units = r.uint8({ name: 'Header extension length', value: (v) => `${8 + v * 8} bytes`, spec });
      r.bytes(6 + units * 8, {
        name: next === 43 ? 'Routing data' : 'Options',
        value: (b) => `${b.length} bytes`,
        spec,
      });
    }
    done();
    next = following;
  }
  ip({ value: `${src} → ${dst}` });
  const fields = r.fields;
  fields[0].end = bytes.length;
  const protocol = next === 6 ? 'tcp' : next === 17 ? 'udp' : undefined;
  return {
    header: { src, dst, protocolNumber: next, protocol, hopLimit, fragment },
    payload: bytes.slice(r.offset),
    payloadOffset: r.offset,
    fields,
  };
}
