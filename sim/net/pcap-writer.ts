/**
 * Writing classic pcap files (draft-ietf-opsawg-pcap §4–§5): a 24-byte file
 * header, then a 16-byte record header before each packet. Microsecond
 * timestamps and little-endian numbers, the form every tool reads
 * (tcpdump, Wireshark, tshark). Decrypted media leaves the lab this way.
 *
 * Headers are written through wire/, so the file's own bytes are explained
 * like any packet's. The writer is a stream: `header()` once, then `record()`
 * per packet, so a capture of any length is written without holding it.
 */
import { ByteWriter } from '../wire/writer';
import type { Field } from '../wire/field';
import { describeLinkType } from './pcap-reader';

export interface Encoded {
  bytes: Uint8Array;
  fields: Field[];
}

const SPEC = 'draft-ietf-opsawg-pcap §4';
const RECORD_SPEC = 'draft-ietf-opsawg-pcap §5';

/** The largest packet a record may hold (the snap length written in the header). */
export const PCAP_SNAPLEN = 262144;

/** The 24-byte file header for packets of `linkType`. */
export function writePcapHeader(linkType: number): Encoded {
  const w = new ByteWriter(24);
  const done = w.group({ name: 'pcap file header', layer: 'pcap', spec: SPEC });
  // Little-endian throughout: the magic number written in host order tells readers so.
  w.bytes(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1), {
    name: 'Magic number',
    value: '0xa1b2c3d4, little-endian, microsecond timestamps',
    spec: SPEC,
  });
  w.bytes(le16(2), { name: 'Major version', value: '2', spec: SPEC });
  w.bytes(le16(4), { name: 'Minor version', value: '4', spec: SPEC });
  w.bytes(le32(0), { name: 'Reserved (time zone)', value: '0', note: 'Timestamps are UTC.', spec: SPEC });
  w.bytes(le32(0), { name: 'Reserved (accuracy)', value: '0', spec: SPEC });
  w.bytes(le32(PCAP_SNAPLEN), {
    name: 'Snap length',
    value: `${PCAP_SNAPLEN} bytes`,
    note: 'No packet was cut short.',
    spec: SPEC,
  });
  w.bytes(le32(linkType), { name: 'Link type', value: describeLinkType(linkType), spec: SPEC });
  done();
  return w.finish();
}

/** One record: capture time, lengths, then the packet. */
export function writePcapRecord(time: { seconds: number; nanoseconds: number }, packet: Uint8Array): Encoded {
  if (packet.length > PCAP_SNAPLEN) throw new RangeError(`a packet of ${packet.length} bytes exceeds the snap length`);
  const micro = Math.floor(time.nanoseconds / 1000);
  const w = new ByteWriter(16 + packet.length);
  const done = w.group({ name: 'pcap record', layer: 'pcap', spec: RECORD_SPEC });
  w.bytes(le32(time.seconds), {
    name: 'Timestamp (seconds)',
    value: `${time.seconds} s since 1970`,
    spec: RECORD_SPEC,
  });
  w.bytes(le32(micro), { name: 'Timestamp (microseconds)', value: `${micro} µs`, spec: RECORD_SPEC });
  w.bytes(le32(packet.length), { name: 'Captured length', value: `${packet.length} bytes`, spec: RECORD_SPEC });
  w.bytes(le32(packet.length), { name: 'Original length', value: `${packet.length} bytes`, spec: RECORD_SPEC });
  w.bytes(packet, { name: 'Packet', value: `${packet.length} bytes`, spec: RECORD_SPEC });
  done();
  return w.finish();
}

/** A whole pcap file of `packets` (for small captures held in memory). */
export function writePcap(
  linkType: number,
  packets: ReadonlyArray<{ seconds: number; nanoseconds: number; bytes: Uint8Array }>,
): Uint8Array {
  const parts = [writePcapHeader(linkType).bytes, ...packets.map((p) => writePcapRecord(p, p.bytes).bytes)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function le16(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff);
}

function le32(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}
