/**
 * Reading packet captures as a stream: classic pcap (the libpcap file format,
 * draft-ietf-opsawg-pcap §4–§5) and pcapng (draft-ietf-opsawg-pcapng §4: the
 * Section Header, Interface Description, Enhanced Packet, Simple Packet and
 * obsolete Packet blocks), in either byte order and timestamp resolution.
 *
 * `CaptureReader` is fed the file in chunks of any size and hands back each
 * packet as soon as its record is complete; it holds at most one record, so
 * memory stays bounded however large the capture is. It runs in the browser
 * too (no Node APIs): the CLI feeds it from a file, the site from a `File`.
 *
 * The file and section headers are read through wire/ (they are read once and
 * shown); the per-packet record headers, read hundreds of thousands of times,
 * with direct byte access. Bad input is a `ParseError` naming the offset.
 *
 * A pcapng Decryption Secrets Block (pcapng §4.7) is handed to `onSecrets`
 * as it is read: a capture may carry its own TLS key log, placed before the
 * packets it decrypts.
 *
 * `ipPacketOf` unwraps a captured frame — Ethernet (with 802.1Q tags), raw
 * IP, IPv4, IPv6, Linux cooked v1 and v2, or BSD loopback — down to the IP
 * packet it carries, and `udpDatagramOf` further to its UDP datagram (RFC
 * 768) over IPv4 (RFC 791) or IPv6 (RFC 8200).
 */
import { ByteReader } from '../wire/reader';
import { ParseError } from '../wire/parse-error';
import type { Field } from '../wire/field';
import { formatIpv6 } from './address';

export { formatIpv6 };

/** Link-layer header types (tcpdump.org LINKTYPE_ values) this reader unwraps. */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export function describeLinkType(t: number): string {
  const names: Record<number, string> = {
    0: 'BSD loopback (0)',
    1: 'Ethernet (1)',
    101: 'raw IP (101)',
    113: 'Linux cooked capture (113)',
    228: 'raw IPv4 (228)',
    229: 'raw IPv6 (229)',
    276: 'Linux cooked capture v2 (276)',
  };
  return names[t] ?? `link type ${t}`;
}

export interface CaptureRecord {
  /** 1-based position in the file. */
  number: number;
  linkType: number;
  /** Capture time: whole seconds since 1970 and nanoseconds within the second. */
  seconds: number;
  nanoseconds: number;
  /** The captured bytes (a view valid until the next `push`: copy to keep them). */
  data: Uint8Array;
  /** Length on the wire; larger than `data` when the capture was cut at the snap length. */
  originalLength: number;
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** No record this large is a real packet: refusing it keeps memory bounded. */
export const MAX_RECORD_BYTES = 1 << 20;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;

/** Secrets Type of a TLS key log in a Decryption Secrets Block (pcapng §4.7): "TLSK". */
export const SECRETS_TYPE_TLS_KEY_LOG = 0x544c534b;

/** The content of a Decryption Secrets Block (pcapng §4.7). */
export interface DecryptionSecrets {
  /** Secrets Type: `SECRETS_TYPE_TLS_KEY_LOG` for an NSS key log. */
  type: number;
  data: Uint8Array;
}

export interface CaptureReaderOptions {
  /** Hears each Decryption Secrets Block as it is read, before the packets after it. */
  onSecrets?: (secrets: DecryptionSecrets) => void;
}

interface PcapngInterface {
  linkType: number;
  /** Timestamp units per second, as a bigint (if_tsresol, default 10^6). */
  unitsPerSecond: bigint;
}

const EMPTY = new Uint8Array(0);

export class CaptureReader {
  private buf: Uint8Array = EMPTY;
  /** File offset of buf[0]. */
  private bufOffset = 0;
  private fmt: CaptureFormat | undefined;
  private littleEndian = true;
  private nanosecond = false;
  private linkType = 0;
  private interfaces: PcapngInterface[] = [];
  private count = 0;
  /** The annotated file header (pcap) or first section header (pcapng). */
  headerFields: Field[] = [];

  constructor(private readonly options: CaptureReaderOptions = {}) {}

  get format(): CaptureFormat | undefined {
    return this.fmt;
  }

  get packetsRead(): number {
    return this.count;
  }

  /** Link type of a classic pcap, or of the first pcapng interface. */
  get primaryLinkType(): number | undefined {
    return this.fmt === 'pcap' ? this.linkType : this.interfaces[0]?.linkType;
  }

  /**
   * Feeds the next chunk of the file; calls `onRecord` for every record it completes.
   *
   * The chunk is read where it lies: only a record cut by the chunk's edge is copied, joined from the bytes
   * held since the last chunk and as many of this one as its header says it still needs.
   */
  push(chunk: Uint8Array, onRecord: (r: CaptureRecord) => void): void {
    let from = 0;
    while (this.buf.length > 0 && from < chunk.length) {
      const take = Math.min(this.heldNeeds(), chunk.length - from);
      const joined = new Uint8Array(this.buf.length + take);
      joined.set(this.buf);
      joined.set(chunk.subarray(from, from + take), this.buf.length);
      from += take;
      this.buf = joined;
      this.consume(this.read(onRecord), false);
    }
    if (from < chunk.length) {
      this.buf = chunk.subarray(from);
      // Keep only the incomplete tail, copied, so the caller may reuse its chunk.
      this.consume(this.read(onRecord), true);
    }
  }

  /** Reads every whole record in `buf`; returns the bytes they took. */
  private read(onRecord: (r: CaptureRecord) => void): number {
    let at = 0;
    for (;;) {
      const used =
        this.fmt === undefined
          ? this.readFileHeader(at)
          : this.fmt === 'pcap'
            ? this.readPcapRecord(at, onRecord)
            : this.readPcapngBlock(at, onRecord);
      if (used === 0) return at;
      at += used;
    }
  }

  private consume(used: number, copy: boolean): void {
    this.buf = used === this.buf.length ? EMPTY : copy ? this.buf.slice(used) : this.buf.subarray(used);
    this.bufOffset += used;
  }

  /**
   * How many more bytes the record held in `buf` needs, as far as its header tells: the rest of the header
   * first, then the rest of the record. A length the header lies about is the record reader's to refuse.
   */
  private heldNeeds(): number {
    const held = this.buf.length;
    if (this.fmt === undefined) return Infinity;
    // A pcap record header is 16 bytes (draft-ietf-opsawg-pcap §5); a pcapng block is read from its first 12 (§3.1).
    const header = this.fmt === 'pcap' ? 16 : 12;
    if (held < header) return header - held;
    const total = this.fmt === 'pcap' ? 16 + this.u32(8) : this.u32(4);
    return Math.max(1, total - held);
  }

  /** Ends the stream: trailing bytes that do not make a whole record are an error. */
  end(): void {
    if (this.fmt === undefined) {
      throw new ParseError(
        'truncated',
        `${this.buf.length} byte(s) are not a pcap or pcapng file header`,
        0,
        'capture',
      );
    }
    if (this.buf.length > 0) {
      throw new ParseError(
        'truncated',
        `the capture ends inside a record (${this.buf.length} byte(s) left over)`,
        this.bufOffset,
        'capture',
      );
    }
  }

  private u32(at: number): number {
    const b = this.buf;
    return this.littleEndian
      ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0
      : ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  }

  private u16(at: number): number {
    const b = this.buf;
    return this.littleEndian ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1];
  }

  private readFileHeader(at: number): number {
    const b = this.buf;
    if (b.length - at < 4) return 0;
    const be = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    const le = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
    if (be === PCAPNG_SHB) {
      // A section header block opens a pcapng file; it carries no packet.
      this.fmt = 'pcapng';
      const used = this.readPcapngBlock(at, () => undefined);
      if (used === 0) this.fmt = undefined; // not all here yet
      return used;
    }
    if (be !== PCAP_MAGIC_US && be !== PCAP_MAGIC_NS && le !== PCAP_MAGIC_US && le !== PCAP_MAGIC_NS) {
      throw new ParseError(
        'invalid_value',
        `not a capture file: it starts with 0x${be.toString(16).padStart(8, '0')}, not a pcap (a1b2c3d4) or pcapng (0a0d0d0a) magic number`,
        0,
        'capture',
      );
    }
    if (b.length - at < 24) return 0;
    this.littleEndian = le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS;
    this.nanosecond = (this.littleEndian ? le : be) === PCAP_MAGIC_NS;
    const r = new ByteReader(b.subarray(at, at + 24));
    const SPEC = 'draft-ietf-opsawg-pcap §4';
    const done = r.group({ name: 'pcap file header', layer: 'pcap', spec: SPEC });
    r.uint32({
      name: 'Magic number',
      value: `${this.littleEndian ? 'little' : 'big'}-endian, ${this.nanosecond ? 'nanosecond' : 'microsecond'} timestamps`,
      spec: SPEC,
    });
    const major = this.u16(at + 4);
    r.uint16({ name: 'Major version', value: String(major), spec: SPEC });
    r.uint16({ name: 'Minor version', value: String(this.u16(at + 6)), spec: SPEC });
    r.uint32({ name: 'Reserved (time zone)', spec: SPEC });
    r.uint32({ name: 'Reserved (accuracy)', spec: SPEC });
    r.uint32({ name: 'Snap length', value: `${this.u32(at + 16)} bytes`, spec: SPEC });
    // The link type is the low 16 bits; the top bits may carry FCS information (§4).
    this.linkType = this.u32(at + 20) & 0xffff;
    r.uint32({ name: 'Link type', value: describeLinkType(this.linkType), spec: SPEC });
    done();
    if (major !== 2)
      throw new ParseError('unsupported', `pcap major version ${major}; only version 2 exists`, 4, 'pcap file header');
    this.headerFields = r.fields;
    this.fmt = 'pcap';
    return 24;
  }

  private readPcapRecord(at: number, onRecord: (r: CaptureRecord) => void): number {
    if (this.buf.length - at < 16) return 0;
    const included = this.u32(at + 8);
    if (included > MAX_RECORD_BYTES) {
      throw new ParseError(
        'too_large',
        `record ${this.count + 1} claims ${included} bytes; no packet is that large`,
        this.bufOffset + at + 8,
        'pcap record',
      );
    }
    if (this.buf.length - at < 16 + included) return 0;
    const sub = this.u32(at + 4);
    this.count++;
    onRecord({
      number: this.count,
      linkType: this.linkType,
      seconds: this.u32(at),
      nanoseconds: this.nanosecond ? sub : sub * 1000,
      data: this.buf.subarray(at + 16, at + 16 + included),
      originalLength: this.u32(at + 12),
    });
    return 16 + included;
  }

  private readPcapngBlock(at: number, onRecord: (r: CaptureRecord) => void): number {
    const b = this.buf;
    if (b.length - at < 12) return 0;
    const typeBe = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    if (typeBe === PCAPNG_SHB) {
      // The byte-order magic decides how this section's numbers are read (pcapng §4.1).
      const magicBe = ((b[at + 8] << 24) | (b[at + 9] << 16) | (b[at + 10] << 8) | b[at + 11]) >>> 0;
      const magicLe = (b[at + 8] | (b[at + 9] << 8) | (b[at + 10] << 16) | (b[at + 11] << 24)) >>> 0;
      if (magicBe === PCAPNG_BYTE_ORDER) this.littleEndian = false;
      else if (magicLe === PCAPNG_BYTE_ORDER) this.littleEndian = true;
      else
        throw new ParseError(
          'invalid_value',
          'pcapng section header has no valid byte-order magic',
          this.bufOffset + at + 8,
          'Section Header Block',
        );
    }
    const type = this.u32(at);
    const length = this.u32(at + 4);
    if (length < 12 || length % 4 !== 0) {
      throw new ParseError(
        'invalid_value',
        `pcapng block length ${length} is not a multiple of 4 of at least 12`,
        this.bufOffset + at + 4,
        'pcapng block',
      );
    }
    if (length > MAX_RECORD_BYTES)
      throw new ParseError('too_large', `pcapng block of ${length} bytes`, this.bufOffset + at + 4, 'pcapng block');
    if (b.length - at < length) return 0;
    if (this.u32(at + length - 4) !== length) {
      throw new ParseError(
        'length_mismatch',
        'the block’s trailing length differs from its leading one',
        this.bufOffset + at + length - 4,
        'pcapng block',
      );
    }
    const body = at + 8;
    const bodyEnd = at + length - 4;
    const need = (n: number, what: string) => {
      if (bodyEnd - body < n)
        throw new ParseError('truncated', `${what} needs ${n} bytes of body`, this.bufOffset + at, what);
    };
    switch (type) {
      case PCAPNG_SHB: {
        need(16, 'Section Header Block');
        this.interfaces = [];
        if (this.headerFields.length === 0) this.headerFields = this.describeSectionHeader(at, length);
        break;
      }
      case 1: {
        need(8, 'Interface Description Block');
        this.interfaces.push({ linkType: this.u16(body), unitsPerSecond: this.tsResolution(body + 8, bodyEnd) });
        break;
      }
      case 6:
      case 2: {
        // The Enhanced Packet Block and the obsolete Packet Block differ only in their first
        // field: a 32-bit interface id, or a 16-bit one followed by a drops count.
        const block = type === 6 ? 'Enhanced Packet Block' : 'Packet Block';
        need(20, block);
        const captured = this.u32(body + 12);
        if (captured > bodyEnd - body - 20) {
          throw new ParseError(
            'truncated',
            `packet of ${captured} bytes overruns its block`,
            this.bufOffset + body + 12,
            block,
          );
        }
        const interfaceId = type === 6 ? this.u32(body) : this.u16(body);
        this.emitPcapng(
          interfaceId,
          this.u32(body + 4),
          this.u32(body + 8),
          body + 20,
          captured,
          this.u32(body + 16),
          onRecord,
        );
        break;
      }
      case 3: {
        need(4, 'Simple Packet Block');
        const original = this.u32(body);
        const captured = Math.min(original, bodyEnd - body - 4);
        this.emitPcapng(0, 0, 0, body + 4, captured, original, onRecord);
        break;
      }
      case 10: {
        need(8, 'Decryption Secrets Block');
        const secretsLength = this.u32(body + 4);
        if (secretsLength > bodyEnd - body - 8) {
          throw new ParseError(
            'length_mismatch',
            `secrets of ${secretsLength} bytes overrun their block`,
            this.bufOffset + body + 4,
            'Decryption Secrets Block',
          );
        }
        this.options.onSecrets?.({
          type: this.u32(body),
          data: this.buf.slice(body + 8, body + 8 + secretsLength),
        });
        break;
      }
      default:
        // Name resolution, statistics, custom blocks: nothing here needs them.
        break;
    }
    return length;
  }

  private emitPcapng(
    interfaceId: number,
    high: number,
    low: number,
    dataAt: number,
    captured: number,
    original: number,
    onRecord: (r: CaptureRecord) => void,
  ): void {
    const iface = this.interfaces[interfaceId];
    if (!iface) {
      throw new ParseError(
        'invalid_value',
        `packet names interface ${interfaceId}, but the section describes ${this.interfaces.length}`,
        this.bufOffset + dataAt,
        'pcapng packet',
      );
    }
    const units = (BigInt(high) << 32n) | BigInt(low);
    const seconds = units / iface.unitsPerSecond;
    const rest = units % iface.unitsPerSecond;
    this.count++;
    onRecord({
      number: this.count,
      linkType: iface.linkType,
      seconds: Number(seconds),
      nanoseconds: Number((rest * 1_000_000_000n) / iface.unitsPerSecond),
      data: this.buf.subarray(dataAt, dataAt + captured),
      originalLength: original,
    });
  }

  /** if_tsresol (option 9, pcapng §4.2): 10^-n, or 2^-n when the top bit is set; default 10^-6. */
  private tsResolution(optionsAt: number, end: number): bigint {
    for (let at = optionsAt; at + 4 <= end;) {
      const code = this.u16(at);
      const length = this.u16(at + 2);
      if (code === 0) break;
      if (code === 9 && length >= 1 && at + 5 <= end) {
        const v = this.buf[at + 4];
        const exponent = BigInt(v & 0x7f);
        return v & 0x80 ? 2n ** exponent : 10n ** exponent;
      }
      at += 4 + Math.ceil(length / 4) * 4;
    }
    return 1_000_000n;
  }

  private describeSectionHeader(at: number, length: number): Field[] {
    const SPEC = 'draft-ietf-opsawg-pcapng §4.1';
    const r = new ByteReader(this.buf.subarray(at, at + length));
    const done = r.group({ name: 'Section Header Block', layer: 'pcap', spec: SPEC });
    r.uint32({ name: 'Block type', value: 'Section Header (0x0a0d0d0a)', spec: SPEC });
    r.uint32({ name: 'Block total length', value: `${length} bytes`, spec: SPEC });
    r.uint32({ name: 'Byte-order magic', value: this.littleEndian ? 'little-endian' : 'big-endian', spec: SPEC });
    r.uint16({ name: 'Major version', value: String(this.u16(at + 12)), spec: SPEC });
    r.uint16({ name: 'Minor version', value: String(this.u16(at + 14)), spec: SPEC });
    r.uint64({ name: 'Section length', spec: SPEC });
    r.bytes(length - 28, { name: 'Options', value: (o) => `${o.length} bytes`, spec: SPEC });
    r.uint32({ name: 'Block total length (again)', spec: SPEC });
    done();
    return r.fields;
  }
}

// ---- frames to UDP datagrams ------------------------------------------------

export interface UdpDatagram {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IPv4 Identification (0 for IPv6). */
  ipId: number;
  ttl: number;
  /** The UDP payload (a view into the frame). */
  payload: Uint8Array;
  /** True when the capture cut the datagram short (snap length). */
  truncated: boolean;
}

/** Why a frame yielded no datagram: not IP, not UDP, a fragment, or too short to read. */
export type NotUdp = 'not-ip' | 'not-udp' | 'fragment' | 'short' | 'unknown-link';

/** Why a frame holds no IP packet: another protocol, too short to read, or a link type this reader does not know. */
export type NotIp = 'not-ip' | 'short' | 'unknown-link';

/** The IP packet a frame carries. */
export interface FramedIpPacket {
  version: 4 | 6;
  /** Where the IP header starts in the frame (the link-layer header's length). */
  offset: number;
  /**
   * The packet: from its header to the length its header states, so link-layer
   * padding and trailers are left out (a view into the frame).
   */
  bytes: Uint8Array;
  /** True when the capture kept fewer bytes than the header states (snap length). */
  cut: boolean;
}

/** Unwraps a captured frame to the IP packet it carries. */
export function ipPacketOf(linkType: number, frame: Uint8Array): FramedIpPacket | NotIp {
  let at: number;
  let etherType: number | undefined;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (frame.length < 14) return 'short';
      at = 12;
      etherType = (frame[at] << 8) | frame[at + 1];
      at += 2;
      // 802.1Q and 802.1ad tags: four bytes each before the real EtherType.
      while ((etherType === 0x8100 || etherType === 0x88a8) && at + 4 <= frame.length) {
        etherType = (frame[at + 2] << 8) | frame[at + 3];
        at += 4;
      }
      break;
    }
    case LINKTYPE.LINUX_SLL:
      if (frame.length < 16) return 'short';
      etherType = (frame[14] << 8) | frame[15];
      at = 16;
      break;
    case LINKTYPE.LINUX_SLL2:
      if (frame.length < 20) return 'short';
      etherType = (frame[0] << 8) | frame[1];
      at = 20;
      break;
    case LINKTYPE.NULL: {
      if (frame.length < 4) return 'short';
      // The address family in the capturing host's byte order: 2 is IPv4; 24, 28 and 30 are IPv6.
      const family = frame[0] | frame[3];
      etherType = family === 2 ? 0x0800 : family === 24 || family === 28 || family === 30 ? 0x86dd : 0;
      at = 4;
      break;
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      at = 0;
      break;
    default:
      return 'unknown-link';
  }
  if (at >= frame.length) return 'short';
  const version = frame[at] >> 4;
  if (etherType !== undefined && etherType !== 0x0800 && etherType !== 0x86dd) return 'not-ip';
  if (version === 4) {
    if (frame.length - at < 20) return 'short';
    // Total Length (RFC 791 §3.1); a frame may pad a short packet (Ethernet's 60-byte minimum).
    const end = at + ((frame[at + 2] << 8) | frame[at + 3]);
    return { version: 4, offset: at, bytes: frame.subarray(at, Math.min(end, frame.length)), cut: end > frame.length };
  }
  if (version === 6) {
    if (frame.length - at < 40) return 'short';
    // Payload Length counts what follows the 40-byte header (RFC 8200 §3); 0 is a jumbogram's (RFC 2675), read to the frame's end.
    const payloadLength = (frame[at + 4] << 8) | frame[at + 5];
    const end = payloadLength === 0 ? frame.length : at + 40 + payloadLength;
    return { version: 6, offset: at, bytes: frame.subarray(at, Math.min(end, frame.length)), cut: end > frame.length };
  }
  return 'not-ip';
}

/** Unwraps a captured frame to the UDP datagram it carries. */
export function udpDatagramOf(linkType: number, frame: Uint8Array): UdpDatagram | NotUdp {
  const ip = ipPacketOf(linkType, frame);
  if (typeof ip === 'string') return ip;
  return ip.version === 4 ? ipv4Udp(ip.bytes, 0) : ipv6Udp(ip.bytes, 0);
}

function ipv4Udp(f: Uint8Array, at: number): UdpDatagram | NotUdp {
  if (f.length - at < 20) return 'short';
  const ihl = (f[at] & 0x0f) * 4;
  if (ihl < 20 || f.length - at < ihl) return 'short';
  if (f[at + 9] !== 17) return 'not-udp';
  const fragment = ((f[at + 6] << 8) | f[at + 7]) & 0x3fff; // MF flag and offset (RFC 791 §3.1)
  if (fragment !== 0) return 'fragment';
  const totalLength = (f[at + 2] << 8) | f[at + 3];
  const udp = at + ihl;
  return udpOf(f, udp, Math.min(at + totalLength, f.length), at + totalLength > f.length, {
    ipVersion: 4,
    // Formatted in place: this runs for every packet of a long capture.
    src: `${f[at + 12]}.${f[at + 13]}.${f[at + 14]}.${f[at + 15]}`,
    dst: `${f[at + 16]}.${f[at + 17]}.${f[at + 18]}.${f[at + 19]}`,
    ipId: (f[at + 4] << 8) | f[at + 5],
    ttl: f[at + 8],
  });
}

function ipv6Udp(f: Uint8Array, at: number): UdpDatagram | NotUdp {
  if (f.length - at < 40) return 'short';
  const payloadLength = (f[at + 4] << 8) | f[at + 5];
  let next = f[at + 6];
  let p = at + 40;
  // Skip the extension headers a UDP datagram may follow (RFC 8200 §4): hop-by-hop, routing, destination options.
  while ((next === 0 || next === 43 || next === 60) && p + 2 <= f.length) {
    const nextNext = f[p];
    p += 8 + f[p + 1] * 8;
    next = nextNext;
  }
  if (next === 44) return 'fragment';
  if (next !== 17) return 'not-udp';
  const end = at + 40 + payloadLength;
  return udpOf(f, p, Math.min(end, f.length), end > f.length, {
    ipVersion: 6,
    src: formatIpv6(f.subarray(at + 8, at + 24)),
    dst: formatIpv6(f.subarray(at + 24, at + 40)),
    ipId: 0,
    ttl: f[at + 7],
  });
}

function udpOf(
  f: Uint8Array,
  udp: number,
  ipEnd: number,
  cut: boolean,
  ip: Pick<UdpDatagram, 'ipVersion' | 'src' | 'dst' | 'ipId' | 'ttl'>,
): UdpDatagram | NotUdp {
  if (ipEnd - udp < 8) return 'short';
  const udpLength = (f[udp + 4] << 8) | f[udp + 5];
  if (udpLength < 8) return 'short';
  const end = Math.min(udp + udpLength, ipEnd);
  return {
    ipVersion: ip.ipVersion,
    src: ip.src,
    dst: ip.dst,
    ipId: ip.ipId,
    ttl: ip.ttl,
    srcPort: (f[udp] << 8) | f[udp + 1],
    dstPort: (f[udp + 2] << 8) | f[udp + 3],
    payload: f.subarray(udp + 8, end),
    truncated: cut || udp + udpLength > ipEnd,
  };
}
