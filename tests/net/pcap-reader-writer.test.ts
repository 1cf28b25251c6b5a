/**
 * Capture files against the tools that define them in practice: files that
 * Wireshark's text2pcap and editcap wrote (pcap and pcapng, Ethernet, IPv6,
 * nanosecond and big-endian variants) are read back, and the pcap files we
 * write and hand-build are read by tshark.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureReader, formatIpv6, LINKTYPE, udpDatagramOf, type CaptureRecord } from '../../sim/net/pcap-reader';
import { writePcap, writePcapHeader, writePcapRecord } from '../../sim/net/pcap-writer';
import { writeUdpPacket } from '../../sim/net/udp';
import { checkCoverage, isParseError, toHex } from '../../sim/wire';

const dir = mkdtempSync(join(tmpdir(), 'pcap-'));

function readAll(
  bytes: Uint8Array,
  chunk = bytes.length,
): { records: Array<CaptureRecord & { data: Uint8Array }>; reader: CaptureReader } {
  const reader = new CaptureReader();
  const records: Array<CaptureRecord & { data: Uint8Array }> = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    reader.push(bytes.subarray(at, at + chunk), (r) => records.push({ ...r, data: r.data.slice() }));
  }
  reader.end();
  return { records, reader };
}

function tshark(file: string, ...fields: string[]): string[] {
  return execFileSync('tshark', ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split('\n');
}

/** Writes `hexdump` lines (one packet per payload) and runs text2pcap with `args`. */
function text2pcap(name: string, payloads: string[], args: string[]): Uint8Array {
  const dump = payloads.map((p) => '0000 ' + p.match(/../g)!.join(' ') + '\n').join('');
  writeFileSync(join(dir, `${name}.txt`), dump);
  execFileSync('text2pcap', ['-q', ...args, join(dir, `${name}.txt`), join(dir, name)], { stdio: 'ignore' });
  return new Uint8Array(readFileSync(join(dir, name)));
}

describe('reading captures written by Wireshark’s tools', () => {
  const payloads = ['8000000100000000deadbeef' + 'ab'.repeat(20), '8000000200000a00deadbeef' + 'cd'.repeat(20)];

  it('pcap, Ethernet + IPv4 + UDP, in any chunk size', () => {
    const file = text2pcap('eth.pcap', payloads, [
      '-F',
      'pcap',
      '-e',
      '0x800',
      '-4',
      '192.0.2.1,198.51.100.20',
      '-u',
      '40000,20000',
    ]);
    for (const chunk of [1, 7, 64, file.length]) {
      const { records, reader } = readAll(file, chunk);
      expect(reader.format).toBe('pcap');
      expect(records).toHaveLength(2);
      const d = udpDatagramOf(records[1].linkType, records[1].data);
      expect(d).toMatchObject({
        ipVersion: 4,
        src: '192.0.2.1',
        dst: '198.51.100.20',
        srcPort: 40000,
        dstPort: 20000,
        truncated: false,
      });
      expect(typeof d !== 'string' && toHex(d.payload)).toBe(payloads[1]);
    }
  });

  it('pcapng (the default of text2pcap), IPv6, and a file editcap turned to nanoseconds', () => {
    const ng = text2pcap('v6.pcapng', payloads, ['-6', '2001:db8::1,2001:db8::20', '-u', '40000,20000']);
    const { records, reader } = readAll(ng, 13);
    expect(reader.format).toBe('pcapng');
    const d = udpDatagramOf(records[0].linkType, records[0].data);
    expect(d).toMatchObject({ ipVersion: 6, src: '2001:db8::1', dst: '2001:db8::20', dstPort: 20000 });
    execFileSync('editcap', ['-F', 'nsecpcap', join(dir, 'v6.pcapng'), join(dir, 'ns.pcap')]);
    const ns = readAll(new Uint8Array(readFileSync(join(dir, 'ns.pcap'))));
    expect(ns.records.map((r) => [r.seconds, r.nanoseconds])).toEqual(records.map((r) => [r.seconds, r.nanoseconds]));
  });

  it('a chunk buffer the caller fills again after each push: every record as read from the whole file', () => {
    // trunklab analyze reads the file into one buffer it reuses: a record cut by a chunk's edge must be kept
    // as a copy, and records read in place must be handed over before the buffer is overwritten.
    const sizes = Array.from({ length: 40 }, (_, i) => '80' + 'a5'.repeat(11 + ((i * 37) % 300)));
    const files = [
      text2pcap('reused.pcap', sizes, ['-F', 'pcap', '-e', '0x800', '-4', '192.0.2.1,198.51.100.20', '-u', '1,2']),
      text2pcap('reused.pcapng', sizes, ['-6', '2001:db8::1,2001:db8::20', '-u', '40000,20000']),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 20 }),
        (file, chunks) => {
          const whole = readAll(file).records.map((r) => [r.number, r.seconds, r.nanoseconds, toHex(r.data)]);
          const reader = new CaptureReader();
          const seen: unknown[] = [];
          const buffer = new Uint8Array(900);
          for (let at = 0, i = 0; at < file.length; i++) {
            const n = Math.min(chunks[i % chunks.length], file.length - at);
            buffer.set(file.subarray(at, at + n));
            reader.push(buffer.subarray(0, n), (r) => seen.push([r.number, r.seconds, r.nanoseconds, toHex(r.data)]));
            buffer.fill(0xee);
            at += n;
          }
          reader.end();
          expect(seen).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('times match tshark’s reading of the same file', () => {
    const file = text2pcap('t.pcap', payloads, [
      '-F',
      'pcap',
      '-t',
      '%Y-%m-%d %H:%M:%S.',
      '-e',
      '0x800',
      '-4',
      '192.0.2.1,192.0.2.2',
      '-u',
      '1,2',
    ]);
    const times = tshark(join(dir, 't.pcap'), 'frame.time_epoch');
    const { records } = readAll(file);
    expect(records.map((r) => Number(`${r.seconds}.${String(r.nanoseconds).padStart(9, '0')}`))).toEqual(
      times.map(Number),
    );
  });
});

describe('writing and hand-built captures that tshark reads', () => {
  it('our pcap of raw IPv4/UDP packets', () => {
    const packets = [1, 2, 3].map((i) => ({
      seconds: 1_800_000_000 + i,
      nanoseconds: i * 1000,
      bytes: writeUdpPacket(
        { src: '203.0.113.10', dst: '198.51.100.20', srcPort: 40000, dstPort: 20000 + i, ipId: i },
        { bytes: new Uint8Array(10).fill(i), fields: [{ name: 'data', start: 0, end: 10 }] },
      ).bytes,
    }));
    const file = writePcap(LINKTYPE.RAW, packets);
    writeFileSync(join(dir, 'ours.pcap'), file);
    // With checksum validation on, tshark reports status 1 ("good") for both IPv4 and UDP checksums.
    const checked = execFileSync(
      'tshark',
      [
        '-r',
        join(dir, 'ours.pcap'),
        '-o',
        'ip.check_checksum:TRUE',
        '-o',
        'udp.check_checksum:TRUE',
        '-T',
        'fields',
        '-e',
        'udp.dstport',
        '-e',
        'ip.checksum.status',
        '-e',
        'udp.checksum.status',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(checked.trim().split('\n')).toEqual(['20001\t1\t1', '20002\t1\t1', '20003\t1\t1']);
    const { records } = readAll(file);
    expect(records.map((r) => r.data)).toEqual(packets.map((p) => p.bytes));
    const header = writePcapHeader(LINKTYPE.RAW);
    expect(checkCoverage(24, header.fields)).toEqual({ unexplained: [], misplaced: [] });
    const record = writePcapRecord(packets[0], packets[0].bytes);
    expect(checkCoverage(record.bytes.length, record.fields)).toEqual({ unexplained: [], misplaced: [] });
  });

  it('Linux cooked captures (v1 and v2), a VLAN tag, and a big-endian file', () => {
    const ip = writeUdpPacket(
      { src: '192.0.2.5', dst: '192.0.2.6', srcPort: 5004, dstPort: 5006, ipId: 9 },
      { bytes: Uint8Array.of(1, 2, 3, 4), fields: [{ name: 'd', start: 0, end: 4 }] },
    ).bytes;
    // SLL (113): packet type, ARPHRD_ETHER, address length 6, address padded to 8, protocol 0x0800.
    const sll = Uint8Array.from([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, ...ip]);
    // SLL2 (276): protocol, reserved, interface index, ARPHRD, packet type, address length, address.
    const sll2 = Uint8Array.from([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, ...ip]);
    const vlan = Uint8Array.from([...new Uint8Array(12).fill(2), 0x81, 0x00, 0x00, 0x64, 0x08, 0x00, ...ip]);
    for (const [linkType, frame, name] of [
      [LINKTYPE.LINUX_SLL, sll, 'sll'],
      [LINKTYPE.LINUX_SLL2, sll2, 'sll2'],
      [LINKTYPE.ETHERNET, vlan, 'vlan'],
    ] as const) {
      writeFileSync(join(dir, `${name}.pcap`), writePcap(linkType, [{ seconds: 1, nanoseconds: 0, bytes: frame }]));
      expect(tshark(join(dir, `${name}.pcap`), 'udp.dstport')).toEqual(['5006']);
      const { records } = readAll(new Uint8Array(readFileSync(join(dir, `${name}.pcap`))));
      expect(udpDatagramOf(records[0].linkType, records[0].data)).toMatchObject({ src: '192.0.2.5', dstPort: 5006 });
    }
    // Big-endian, nanosecond magic, raw IPv4 (228).
    const be = new Uint8Array(24 + 16 + ip.length);
    const v = new DataView(be.buffer);
    v.setUint32(0, 0xa1b23c4d);
    v.setUint16(4, 2);
    v.setUint16(6, 4);
    v.setUint32(16, 65535);
    v.setUint32(20, LINKTYPE.IPV4);
    v.setUint32(24, 1_700_000_000);
    v.setUint32(28, 123_456_789);
    v.setUint32(32, ip.length);
    v.setUint32(36, ip.length);
    be.set(ip, 40);
    writeFileSync(join(dir, 'be.pcap'), be);
    expect(tshark(join(dir, 'be.pcap'), 'frame.time_epoch', 'udp.dstport')).toEqual(['1700000000.123456789\t5006']);
    const { records } = readAll(be, 5);
    expect(records[0]).toMatchObject({ seconds: 1_700_000_000, nanoseconds: 123_456_789, linkType: LINKTYPE.IPV4 });
  });
});

describe('bad input', () => {
  it('says what is wrong: not a capture, truncated, absurd lengths', () => {
    const fail = (bytes: Uint8Array) => {
      try {
        readAll(bytes);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    };
    expect(fail(new TextEncoder().encode('INVITE sip:bob@example.com SIP/2.0\r\n'))?.message).toMatch(
      /not a capture file/,
    );
    expect(fail(new Uint8Array(0))?.message).toMatch(/not a pcap or pcapng file header/);
    const ok = writePcap(LINKTYPE.RAW, [{ seconds: 1, nanoseconds: 0, bytes: new Uint8Array(40) }]);
    expect(fail(ok.subarray(0, ok.length - 3))?.message).toMatch(/ends inside a record/);
    const huge = ok.slice();
    new DataView(huge.buffer).setUint32(24 + 8, 0x7fffffff, true);
    expect(fail(huge)).toMatchObject({ code: 'too_large' });
  });

  it('throws nothing but ParseError on random bytes, after a valid header or not', () => {
    const header = writePcapHeader(LINKTYPE.ETHERNET).bytes;
    const ngHeader = Uint8Array.from([
      0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255,
      28, 0, 0, 0,
    ]);
    fc.assert(
      fc.property(
        fc.constantFrom(new Uint8Array(0), header, ngHeader),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        (prefix, body, chunk) => {
          const bytes = new Uint8Array([...prefix, ...body]);
          try {
            const { records } = readAll(bytes, chunk);
            for (const r of records) udpDatagramOf(r.linkType, r.data);
          } catch (e) {
            expect(isParseError(e)).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('formats IPv6 addresses as RFC 5952 says', () => {
    const addr = (hex: string) => formatIpv6(Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))));
    expect(addr('20010db8000000000000000000000001')).toBe('2001:db8::1');
    expect(addr('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1');
    expect(addr('00000000000000000000000000000000')).toBe('::');
  });
});
