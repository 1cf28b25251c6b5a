/**
 * IPv4 packets (RFC 791 §3.1), written through wire/ so every header byte is
 * explained. No options, no fragmentation: the lab's packets fit one MTU.
 */
import { ByteWriter } from '../wire/writer';
import { ByteReader } from '../wire/reader';
import { ParseError } from '../wire/parse-error';
import type { Annotation, Field } from '../wire/field';
import { SharedPairTexts, SharedTexts } from '../wire/shared-texts';
import { formatIpv4, sharedIpv4Bytes } from './address';
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

/**
 * Writes an IPv4 packet around `payload`, a transport layer written for this
 * packet alone: its field tree becomes part of the packet's (moved, not copied).
 */
export function writeIpv4Packet(h: Ipv4Header, payload: Encoded): Encoded {
  const w = new ByteWriter(20 + payload.bytes.length);
  const ip = writeIpv4Header(w, h, payload.bytes.length);
  w.adopt(payload);
  ip();
  return w.finish();
}

/* The annotations of the header's fixed fields, made once: every packet of a run has them. */
const VERSION_IHL: Annotation<number> = { name: 'Version, IHL', value: 'IPv4, 20-byte header', spec: SPEC };
const TYPE_OF_SERVICE: Annotation<number> = {
  name: 'Type of service',
  value: '0',
  note: 'No priority marking.',
  spec: SPEC,
};
const IDENTIFICATION: Annotation<number> = {
  name: 'Identification',
  note: 'Numbers the packets a host sends.',
  spec: SPEC,
};
const FLAGS_DONT_FRAGMENT: Annotation<number> = { name: 'Flags, fragment offset', value: "Don't fragment", spec: SPEC };

/* The texts every packet between the same two hosts repeats, made once per address and per pair. */
const addressTexts = new SharedTexts<string>();
const flowTexts = new SharedPairTexts<string, string>();
const addressText = (ip: string) => formatIpv4(sharedIpv4Bytes(ip));
const flowText = (src: string, dst: string) => `${src} → ${dst}`;

/**
 * Writes the 20-byte header of a packet whose payload (`payloadLength`
 * bytes) the caller writes next, into the same writer: the `IPv4` group stays
 * open for it, and the returned function closes it.
 */
export function writeIpv4Header(w: ByteWriter, h: Ipv4Header, payloadLength: number): () => void {
  const totalLength = 20 + payloadLength;
  const ttl = h.ttl ?? 64;
  const src = sharedIpv4Bytes(h.src);
  const dst = sharedIpv4Bytes(h.dst);
  const protocol = IP_PROTOCOL[h.protocol];
  // The checksum covers the header with the checksum field as zero (RFC 791 §3.1).
  const draft = new Uint8Array(20);
  draft[0] = 0x45;
  draft[2] = totalLength >> 8;
  draft[3] = totalLength & 0xff;
  draft[4] = h.id >> 8;
  draft[5] = h.id & 0xff;
  draft[6] = 0x40;
  draft[8] = ttl;
  draft[9] = protocol;
  draft.set(src, 12);
  draft.set(dst, 16);
  const checksum = internetChecksum(draft);

  const ip = w.group({ name: 'IPv4', layer: 'ipv4', value: flowTexts.text(h.src, h.dst, flowText), spec: SPEC });
  w.uint8(0x45, VERSION_IHL);
  w.uint8(0, TYPE_OF_SERVICE);
  w.uint16(totalLength, { name: 'Total length', value: `${totalLength} bytes`, spec: SPEC });
  w.uint16(h.id, IDENTIFICATION);
  w.uint16(0x4000, FLAGS_DONT_FRAGMENT);
  w.uint8(ttl, { name: 'Time to live', value: `${ttl} hops`, spec: SPEC });
  w.uint8(protocol, { name: 'Protocol', value: `${h.protocol.toUpperCase()} (${protocol})`, spec: SPEC });
  w.uint16(checksum, {
    name: 'Header checksum',
    value: `0x${checksum.toString(16).padStart(4, '0')}`,
    note: 'Protects the header only; the payload has its own checksum.',
    spec: 'RFC 1071 §4.1',
  });
  w.bytes(src, { name: 'Source address', value: addressTexts.text(h.src, addressText), spec: SPEC });
  w.bytes(dst, { name: 'Destination address', value: addressTexts.text(h.dst, addressText), spec: SPEC });
  return ip;
}

export interface ParsedIpv4Header {
  src: string;
  dst: string;
  /** TCP or UDP; undefined for any other protocol number. */
  protocol: keyof typeof IP_PROTOCOL | undefined;
  protocolNumber: number;
  id: number;
  ttl: number;
  headerLength: number;
  /** More Fragments set or a non-zero offset: the payload is only part of a datagram. */
  fragment: boolean;
  checksumValid: boolean;
}

export interface ParsedIpv4Packet {
  header: ParsedIpv4Header;
  /** The bytes after the header, up to Total Length. */
  payload: Uint8Array;
  payloadOffset: number;
  /** One `IPv4` field spanning the packet, holding the header's fields; the caller adds the payload's. */
  fields: Field[];
}

/**
 * Parses an IPv4 packet as a raw-IP capture holds it: the packet must be
 * exactly Total Length bytes. Malformed headers are `ParseError`s; a wrong
 * header checksum is reported in `checksumValid` for the caller to act on.
 */
export function readIpv4Packet(bytes: Uint8Array): ParsedIpv4Packet {
  const r = new ByteReader(bytes);
  const ip = r.group({ name: 'IPv4', layer: 'ipv4', spec: SPEC });
  const versionIhl = r.uint8({
    name: 'Version, IHL',
    value: (v) => `IPv${v >> 4}, ${(v & 0x0f) * 4}-byte header`,
    spec: SPEC,
  });
  if (versionIhl >> 4 !== 4) throw new ParseError('invalid_value', `version ${versionIhl >> 4} is not 4`, 0, 'IPv4');
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < 20) {
    throw new ParseError('invalid_value', `IHL ${headerLength / 4} is below the minimum of 5`, 0, 'IPv4');
  }
  r.uint8({ name: 'Type of service', spec: SPEC });
  const totalLength = r.uint16({ name: 'Total length', value: (v) => `${v} bytes`, spec: SPEC });
  if (totalLength < headerLength) {
    throw new ParseError('invalid_value', `total length ${totalLength} is shorter than the header`, 2, 'IPv4');
  }
  if (totalLength > bytes.length) {
    throw new ParseError('truncated', `total length says ${totalLength} bytes; ${bytes.length} captured`, 2, 'IPv4');
  }
  if (totalLength < bytes.length) {
    throw new ParseError(
      'trailing_bytes',
      `${bytes.length - totalLength} byte(s) after the packet`,
      totalLength,
      'IPv4',
    );
  }
  const id = r.uint16({ name: 'Identification', spec: SPEC });
  const fragmentWord = r.uint16({ name: 'Flags, fragment offset', value: describeFragmentWord, spec: SPEC });
  const ttl = r.uint8({ name: 'Time to live', value: (v) => `${v} hops`, spec: SPEC });
  const protocolNumber = r.uint8({ name: 'Protocol', value: describeProtocol, spec: SPEC });
  r.uint16({ name: 'Header checksum', value: (v) => `0x${v.toString(16).padStart(4, '0')}`, spec: 'RFC 1071 §4.1' });
  const src = formatIpv4(r.bytes(4, { name: 'Source address', value: formatIpv4, spec: SPEC }));
  const dst = formatIpv4(r.bytes(4, { name: 'Destination address', value: formatIpv4, spec: SPEC }));
  if (headerLength > 20) {
    r.bytes(headerLength - 20, { name: 'Options', note: 'IP options; the lab never sends any.', spec: SPEC });
  }
  ip({ value: `${src} → ${dst}` });
  const fields = r.fields;
  fields[0].end = totalLength;
  const protocol = protocolNumber === IP_PROTOCOL.tcp ? 'tcp' : protocolNumber === IP_PROTOCOL.udp ? 'udp' : undefined;
  return {
    header: {
      src,
      dst,
      protocol,
      protocolNumber,
      id,
      ttl,
      headerLength,
      fragment: (fragmentWord & 0x3fff) !== 0,
      checksumValid: internetChecksum(bytes.subarray(0, headerLength)) === 0,
    },
    payload: bytes.slice(headerLength, totalLength),
    payloadOffset: headerLength,
    fields,
  };
}

function describeFragmentWord(v: number): string {
  const parts = [];
  if (v & 0x4000) parts.push("Don't fragment");
  if (v & 0x2000) parts.push('More fragments');
  if (v & 0x1fff) parts.push(`offset ${(v & 0x1fff) * 8}`);
  return parts.length ? parts.join(', ') : 'none';
}

function describeProtocol(v: number): string {
  if (v === IP_PROTOCOL.tcp) return 'TCP (6)';
  if (v === IP_PROTOCOL.udp) return 'UDP (17)';
  return String(v);
}
