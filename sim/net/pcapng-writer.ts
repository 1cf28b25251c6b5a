/**
 * A pcapng capture file (draft-ietf-opsawg-pcapng) that Wireshark and tshark
 * open and decrypt with no other file:
 *
 * 1. Section Header Block (§4.1): byte-order magic, version 1.0, the writing
 *    application's name.
 * 2. Decryption Secrets Block (§4.7), when TLS secrets are given: type
 *    0x544c534b ("TLSK"), holding an NSS key log, placed before any packet
 *    that needs it (as `editcap --inject-secrets` places it).
 * 3. Interface Description Block (§4.2): link type 228, LINKTYPE_IPV4 (raw
 *    IPv4 packets with no link-layer header), microsecond timestamps.
 * 4. One Enhanced Packet Block (§4.3) per packet, stamped with the virtual
 *    clock's time, optionally with a comment (opt_comment, §3.5).
 *
 * Blocks are little-endian, as the byte-order magic announces (§4.1), and
 * every body is padded to 32 bits (§3.1). Written through `ByteWriter`, so the
 * file's own bytes are explained like a packet's.
 */
import { ByteWriter } from '../wire/writer';
import { utf8 } from '../wire/bytes';
import type { Annotation, Field } from '../wire/field';

const SPEC = 'draft-ietf-opsawg-pcapng';
/** LINKTYPE_IPV4: each packet begins with an IPv4 header (tcpdump.org link-layer header types). */
export const LINKTYPE_IPV4 = 228;
/** Secrets Type for a TLS key log in a Decryption Secrets Block (§4.7). */
export const SECRETS_TYPE_TLS = 0x544c534b;

const BLOCK_TYPE = { shb: 0x0a0d0d0a, idb: 0x00000001, epb: 0x00000006, dsb: 0x0000000a } as const;

export interface CapturedPacket {
  /** When the packet crossed the wire, in milliseconds since the Unix epoch (the virtual clock's reading). */
  timeMs: number;
  /** The raw IPv4 packet. */
  bytes: Uint8Array;
  /** The packet's field tree, to explain the packet data inside the file too. */
  fields?: readonly Field[];
  /** Shown by Wireshark as the packet comment. */
  comment?: string;
}

export interface PcapngOptions {
  /** shb_userappl (§4.1). */
  application?: string;
  /** if_name (§4.2). */
  interfaceName?: string;
  /** if_description (§4.2). */
  interfaceDescription?: string;
  /** An NSS key log (see sim/tls/key-log.ts) to embed in a Decryption Secrets Block. */
  tlsKeyLog?: string;
}

/**
 * Little-endian numbers and 32-bit-aligned blocks over a `ByteWriter` (which
 * writes network byte order): pcapng numbers use the order the magic announces.
 */
class BlockWriter {
  readonly w = new ByteWriter(4096);
  /** First Block Total Length fields, known only when their block ends. */
  private readonly lengths: Array<{ at: number; total: number }> = [];

  u16(v: number, a: Annotation<number>): void {
    this.w.bytes(Uint8Array.of(v & 0xff, v >>> 8), describeNumber(a, v));
  }

  u32(v: number, a: Annotation<number>): void {
    this.w.bytes(Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24), describeNumber(a, v));
  }

  i64(v: bigint, a: Annotation<number>): void {
    const out = new Uint8Array(8);
    for (let i = 0, x = BigInt.asUintN(64, v); i < 8; i++, x >>= 8n) out[i] = Number(x & 0xffn);
    this.w.bytes(out, { name: a.name, value: typeof a.value === 'string' ? a.value : String(v), spec: a.spec });
  }

  /** A block: type, total length, body, total length again (§3.1). */
  block(name: string, type: number, spec: string, body: () => void, value?: string): void {
    const done = this.w.group({ name, layer: 'pcap', spec, value });
    const start = this.w.length;
    this.u32(type, { name: 'Block Type', value: `0x${type.toString(16).padStart(8, '0')}`, spec: `${SPEC} §3.1` });
    const at = this.w.length;
    this.u32(0, { name: 'Block Total Length', spec: `${SPEC} §3.1` });
    body();
    const total = this.w.length - start + 4;
    this.u32(total, {
      name: 'Block Total Length',
      value: `${total} bytes`,
      note: 'Repeated at the end so a reader can walk the file backwards.',
      spec: `${SPEC} §3.1`,
    });
    done();
    this.lengths.push({ at, total });
  }

  pad(length: number, what: string): void {
    const n = (4 - (length % 4)) % 4;
    if (n > 0) {
      this.w.bytes(new Uint8Array(n), { name: 'Padding', note: `Pads the ${what} to 32 bits.`, spec: `${SPEC} §3.1` });
    }
  }

  /** Options (§3.5): code, length, value padded to 32 bits; the list ends with opt_endofopt. */
  options(list: Array<{ code: number; name: string; text: string }>): void {
    if (list.length === 0) return;
    const done = this.w.group({ name: 'Options', spec: `${SPEC} §3.5` });
    for (const o of list) {
      const bytes = utf8(o.text);
      const one = this.w.group({ name: o.name, value: o.text, spec: `${SPEC} §3.5` });
      this.u16(o.code, { name: 'Option Code', value: `${o.code} (${o.name})` });
      this.u16(bytes.length, { name: 'Option Length', value: `${bytes.length} bytes` });
      this.w.bytes(bytes, { name: 'Option Value', value: o.text });
      this.pad(bytes.length, 'option value');
      one();
    }
    this.u16(0, {
      name: 'Option Code',
      value: '0 (opt_endofopt)',
      note: 'Ends the option list.',
      spec: `${SPEC} §3.5`,
    });
    this.u16(0, { name: 'Option Length', value: '0 bytes', spec: `${SPEC} §3.5` });
    done();
  }

  finish(): { bytes: Uint8Array; fields: Field[] } {
    const out = this.w.finish();
    for (const { at, total } of this.lengths) {
      out.bytes.set(Uint8Array.of(total & 0xff, (total >>> 8) & 0xff, (total >>> 16) & 0xff, total >>> 24), at);
      const field = findField(out.fields, at);
      if (field) field.value = `${total} bytes`;
    }
    return out;
  }
}

function describeNumber(a: Annotation<number>, v: number): Annotation<Uint8Array> {
  const value = typeof a.value === 'function' ? a.value(v) : (a.value ?? String(v));
  return { name: a.name, value, note: a.note, spec: a.spec };
}

export function writePcapng(
  packets: readonly CapturedPacket[],
  options: PcapngOptions = {},
): { bytes: Uint8Array; fields: Field[] } {
  const le = new BlockWriter();
  const w = le.w;

  le.block('Section Header Block', BLOCK_TYPE.shb, `${SPEC} §4.1`, () => {
    le.u32(0x1a2b3c4d, {
      name: 'Byte-Order Magic',
      value: '0x1a2b3c4d (little-endian)',
      note: 'Tells the reader the byte order of every number in this section.',
      spec: `${SPEC} §4.1`,
    });
    le.u16(1, { name: 'Major Version', spec: `${SPEC} §4.1` });
    le.u16(0, { name: 'Minor Version', spec: `${SPEC} §4.1` });
    le.i64(-1n, { name: 'Section Length', value: '-1 (not given)', spec: `${SPEC} §4.1` });
    le.options([{ code: 4, name: 'shb_userappl', text: options.application ?? 'Secure Trunk Lab' }]);
  });

  if (options.tlsKeyLog !== undefined) {
    const secrets = utf8(options.tlsKeyLog);
    le.block(
      'Decryption Secrets Block',
      BLOCK_TYPE.dsb,
      `${SPEC} §4.7`,
      () => {
        le.u32(SECRETS_TYPE_TLS, {
          name: 'Secrets Type',
          value: '0x544c534b (TLS Key Log)',
          note: 'The secrets are an NSS key log: Wireshark decrypts TLS with them.',
          spec: `${SPEC} §4.7`,
        });
        le.u32(secrets.length, { name: 'Secrets Length', value: `${secrets.length} bytes`, spec: `${SPEC} §4.7` });
        w.bytes(secrets, {
          name: 'Secrets Data',
          value: `${options.tlsKeyLog!.split('\n').filter((l) => l && !l.startsWith('#')).length} key log line(s)`,
          note: 'The TLS secrets of the captured connections, one per line.',
          spec: `${SPEC} §4.7`,
        });
        le.pad(secrets.length, 'secrets');
      },
      'TLS key log',
    );
  }

  le.block('Interface Description Block', BLOCK_TYPE.idb, `${SPEC} §4.2`, () => {
    le.u16(LINKTYPE_IPV4, {
      name: 'LinkType',
      value: '228 (LINKTYPE_IPV4)',
      note: 'Each packet starts with its IPv4 header: the virtual wire has no link layer.',
      spec: `${SPEC} §4.2`,
    });
    le.u16(0, { name: 'Reserved', spec: `${SPEC} §4.2` });
    le.u32(0, { name: 'SnapLen', value: '0 (no limit)', spec: `${SPEC} §4.2` });
    const idbOptions = [{ code: 2, name: 'if_name', text: options.interfaceName ?? 'trunk' }];
    if (options.interfaceDescription) {
      idbOptions.push({ code: 3, name: 'if_description', text: options.interfaceDescription });
    }
    le.options(idbOptions);
  });

  for (const [i, p] of packets.entries()) {
    // Timestamps count microseconds since the epoch (the default if_tsresol of 10^-6, §4.2).
    const micros = BigInt(Math.round(p.timeMs * 1000));
    le.block(
      'Enhanced Packet Block',
      BLOCK_TYPE.epb,
      `${SPEC} §4.3`,
      () => {
        le.u32(0, { name: 'Interface ID', value: '0 (the trunk)', spec: `${SPEC} §4.3` });
        le.u32(Number(micros >> 32n), { name: 'Timestamp (Upper)', spec: `${SPEC} §4.3` });
        le.u32(Number(micros & 0xffffffffn), {
          name: 'Timestamp (Lower)',
          value: `${micros} µs since 1970`,
          note: 'The virtual clock when the packet crossed the wire.',
          spec: `${SPEC} §4.3`,
        });
        le.u32(p.bytes.length, { name: 'Captured Packet Length', value: `${p.bytes.length} bytes` });
        le.u32(p.bytes.length, { name: 'Original Packet Length', value: `${p.bytes.length} bytes` });
        if (p.fields) w.embed({ bytes: p.bytes, fields: [...p.fields] });
        else w.bytes(p.bytes, { name: 'Packet Data', value: `${p.bytes.length} bytes`, spec: `${SPEC} §4.3` });
        le.pad(p.bytes.length, 'packet data');
        if (p.comment) le.options([{ code: 1, name: 'opt_comment', text: p.comment }]);
      },
      `packet ${i + 1}`,
    );
  }

  return le.finish();
}

function findField(fields: readonly Field[], start: number): Field | undefined {
  for (const f of fields) {
    if (f.children?.length) {
      if (start >= f.start && start < f.end) return findField(f.children, start);
    } else if (f.start === start) return f;
  }
  return undefined;
}
