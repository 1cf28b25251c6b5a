import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCoverage, fromHex, isParseError, toHex, utf8 } from '../../sim/wire';
import { internetChecksum } from '../../sim/net/checksum';
import { readPacket, writePacket, type TcpPacketSpec } from '../../sim/net/packet';
import {
  TCP_FLAG,
  describeFlags,
  readTcpSegment,
  writeTcpSegment,
  type TcpOption,
  type TcpSegment,
} from '../../sim/net/tcp-segment';
import { writePcapng } from '../../sim/net/pcapng-writer';
import { scratchDir, tsharkFields, writeScratch } from './tshark';

const PBX = { ip: '203.0.113.10', port: 40312 };
const SBC = { ip: '198.51.100.20', port: 5061 };
const opaque = (bytes: Uint8Array) => ({ bytes, fields: [{ name: 'Data', start: 0, end: bytes.length }] });
const noPayload = { bytes: new Uint8Array(0), fields: [] };

/**
 * An independent one's-complement sum (RFC 1071 §2): 32-bit accumulation of
 * big-endian words read with DataView, folded once at the end.
 */
function onesComplementSum(bytes: Uint8Array): number {
  const padded = new Uint8Array(bytes.length + (bytes.length % 2));
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 2) sum += view.getUint16(i);
  while (sum >>> 16) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function pseudoHeader(src: string, dst: string, length: number): Uint8Array {
  return Uint8Array.from([
    ...src.split('.').map(Number),
    ...dst.split('.').map(Number),
    0,
    6,
    length >> 8,
    length & 0xff,
  ]);
}

const syn: TcpPacketSpec = {
  transport: 'tcp',
  src: PBX,
  dst: SBC,
  ipId: 0x1c46,
  tcp: { seq: 0x9a3b2c1d, ack: 0, flags: TCP_FLAG.SYN, window: 65535, options: [{ kind: 'mss', mss: 1460 }] },
  payload: noPayload,
};

describe('Internet checksum', () => {
  it('matches the numerical example of RFC 1071 §3', () => {
    // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2; the checksum is its complement.
    expect(internetChecksum(fromHex('0001f203f4f5f6f7'))).toBe(~0xddf2 & 0xffff);
  });
});

describe('TCP segments (RFC 9293 §3.1)', () => {
  it('writes a SYN with an MSS option, byte for byte as the header layout says', () => {
    const packet = writePacket(syn);
    const tcp = packet.bytes.subarray(20);
    expect(toHex(tcp.subarray(0, 12))).toBe('9d78' + '13c5' + '9a3b2c1d' + '00000000');
    expect(tcp[12]).toBe(0x60); // data offset 6 words: 20 bytes + 4 of MSS option
    expect(tcp[13]).toBe(0x02); // SYN
    expect(toHex(tcp.subarray(14, 16))).toBe('ffff');
    expect(toHex(tcp.subarray(20, 24))).toBe('020405b4'); // kind 2, length 4, 1460
    expect(packet.bytes.length).toBe(44);
  });

  it('computes the checksum over the pseudo-header, as an independent sum confirms', () => {
    const payload = utf8('OPTIONS sips:sbc1.trunks.quillfeather.example SIP/2.0\r\n\r\n!'); // odd length
    for (const spec of [
      syn,
      { ...syn, tcp: { ...syn.tcp, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, seq: 1, ack: 2 }, payload: opaque(payload) },
    ]) {
      const tcp = writePacket(spec).bytes.subarray(20);
      // Summing a segment with its checksum in place gives all ones (RFC 1071 §1).
      expect(onesComplementSum(new Uint8Array([...pseudoHeader(PBX.ip, SBC.ip, tcp.length), ...tcp]))).toBe(0xffff);
    }
  });

  it('explains every byte and reads back what it wrote', () => {
    const payload = utf8('hello');
    const spec: TcpPacketSpec = {
      ...syn,
      tcp: {
        seq: 1000,
        ack: 2000,
        flags: TCP_FLAG.ACK | TCP_FLAG.PSH,
        window: 502,
        options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', value: 7, echo: 9 }],
      },
      payload: opaque(payload),
    };
    const packet = writePacket(spec);
    expect(checkCoverage(packet.bytes.length, packet.fields)).toEqual({ unexplained: [], misplaced: [] });
    const parsed = readPacket(packet.bytes);
    expect(parsed.checksumValid).toBe(true);
    expect(parsed.transport).toMatchObject({ kind: 'tcp', seq: 1000, ack: 2000, flags: 0x18, window: 502 });
    if (parsed.transport.kind === 'tcp') expect(parsed.transport.options).toEqual(spec.tcp.options);
    expect(parsed.payload).toEqual(payload);
    expect(checkCoverage(packet.bytes.length, parsed.fields)).toEqual({ unexplained: [], misplaced: [] });
  });

  it('shows relative sequence numbers and flag names', () => {
    const seg = writeTcpSegment(
      { src: PBX.ip, dst: SBC.ip },
      { srcPort: 1, dstPort: 2, seq: 101, ack: 201, flags: TCP_FLAG.ACK, window: 1, urgentPointer: 0, options: [] },
      noPayload,
      { iss: 100, irs: 200 },
    );
    const [tcp] = seg.fields;
    expect(tcp.children!.find((f) => f.name === 'Sequence number')?.value).toBe('101 (relative 1)');
    expect(tcp.children!.find((f) => f.name === 'Acknowledgment number')?.value).toBe('201 (relative 1)');
    expect(describeFlags(TCP_FLAG.SYN | TCP_FLAG.ACK)).toBe('ACK, SYN');
  });

  it('notices a corrupted byte through the checksum', () => {
    const packet = writePacket({ ...syn, payload: opaque(utf8('abc')) });
    packet.bytes[packet.bytes.length - 1] ^= 0x01;
    expect(readPacket(packet.bytes).checksumValid).toBe(false);
  });

  it('names what is wrong with malformed headers', () => {
    const good = writePacket(syn).bytes.subarray(20);
    const pseudo = { src: PBX.ip, dst: SBC.ip };
    const bad = (mutate: (b: Uint8Array) => void) => {
      const b = good.slice();
      mutate(b);
      return () => readTcpSegment(b, pseudo);
    };
    expect(bad((b) => (b[12] = 0x40))).toThrow(/data offset 4 is below the minimum of 5/);
    expect(bad((b) => (b[12] = 0xf0))).toThrow(/60-byte header/);
    expect(bad((b) => (b[21] = 9))).toThrow(/option says 9 bytes/);
    expect(bad((b) => (b[21] = 3))).toThrow(/length 3, the option needs 4/);
    expect(() => readTcpSegment(good.subarray(0, 13), pseudo)).toThrow(/needs/);
  });
});

const optionArb: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'nop' }),
  fc.integer({ min: 0, max: 0xffff }).map<TcpOption>((mss) => ({ kind: 'mss', mss })),
  fc.integer({ min: 0, max: 14 }).map<TcpOption>((shift) => ({ kind: 'window-scale', shift })),
  fc.constant<TcpOption>({ kind: 'sack-permitted' }),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }))
    .map<TcpOption>(([value, echo]) => ({ kind: 'timestamps', value, echo })),
  fc
    .tuple(fc.integer({ min: 6, max: 250 }), fc.uint8Array({ maxLength: 6 }))
    .filter(([type]) => type !== 8)
    .map<TcpOption>(([type, data]) => ({ kind: 'other', type, data })),
);

function optionSize(o: TcpOption): number {
  if (o.kind === 'other') return 2 + o.data.length;
  return { end: 1, nop: 1, mss: 4, 'window-scale': 3, 'sack-permitted': 2, sack: 2 + 8 * 4, timestamps: 10 }[o.kind];
}

const segmentArb = fc.record<TcpSegment>({
  srcPort: fc.integer({ min: 0, max: 0xffff }),
  dstPort: fc.integer({ min: 0, max: 0xffff }),
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  ack: fc.integer({ min: 0, max: 0xffffffff }),
  flags: fc.integer({ min: 0, max: 0xff }),
  window: fc.integer({ min: 0, max: 0xffff }),
  urgentPointer: fc.integer({ min: 0, max: 0xffff }),
  options: fc.array(optionArb, { maxLength: 4 }).filter((o) => o.reduce((n, x) => n + optionSize(x), 0) <= 40),
});

describe('TCP parser properties', () => {
  it('reads back any segment it writes, with every byte explained', () => {
    fc.assert(
      fc.property(segmentArb, fc.uint8Array({ maxLength: 64 }), (segment, data) => {
        const pseudo = { src: '192.0.2.1', dst: '192.0.2.2' };
        const written = writeTcpSegment(pseudo, segment, opaque(data));
        expect(checkCoverage(written.bytes.length, written.fields).unexplained).toEqual([]);
        const parsed = readTcpSegment(written.bytes, pseudo);
        expect(parsed.checksumValid).toBe(true);
        expect(parsed.payload).toEqual(data);
        const { options, ...rest } = parsed.segment;
        const { options: wrote, ...expected } = segment;
        expect(rest).toEqual(expected);
        // Zero padding reads as End of Option List (RFC 9293 §3.2).
        expect(options.filter((o) => o.kind !== 'end')).toEqual(wrote);
        expect(checkCoverage(written.bytes.length, parsed.fields)).toEqual({ unexplained: [], misplaced: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('throws nothing but ParseError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          const parsed = readTcpSegment(bytes, { src: '192.0.2.1', dst: '192.0.2.2' });
          expect(checkCoverage(bytes.length, parsed.fields).unexplained).toEqual([]);
        } catch (e) {
          if (!isParseError(e)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but ParseError on random IPv4 packets', () => {
    const ipLike = fc
      .tuple(fc.constantFrom(6, 17, 1), fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.boolean())
      .map(([protocol, body, exactLength]) => {
        const total = 20 + body.length;
        const header = Uint8Array.of(
          0x45,
          0,
          total >> 8,
          exactLength ? total & 0xff : (body[0] ?? 0),
          0,
          1,
          0x40,
          0,
          64,
        );
        const b = new Uint8Array(total);
        b.set(header);
        b[9] = protocol;
        b.set([192, 0, 2, 1, 192, 0, 2, 2], 12);
        b.set(body, 20);
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(ipLike, fc.uint8Array({ maxLength: 80 })), (bytes) => {
        try {
          const parsed = readPacket(bytes);
          expect(checkCoverage(bytes.length, parsed.fields)).toEqual({ unexplained: [], misplaced: [] });
        } catch (e) {
          if (!isParseError(e)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TCP segments in tshark', () => {
  it('decodes the header, the MSS option and the data, and finds every checksum good', () => {
    const packets = [
      writePacket(syn),
      writePacket({
        transport: 'tcp',
        src: SBC,
        dst: PBX,
        ipId: 1,
        tcp: {
          seq: 0x11223344,
          ack: 0x9a3b2c1e,
          flags: TCP_FLAG.SYN | TCP_FLAG.ACK,
          window: 65535,
          options: [{ kind: 'mss', mss: 1400 }],
        },
        payload: noPayload,
      }),
      writePacket({
        transport: 'tcp',
        src: PBX,
        dst: SBC,
        ipId: 0x1c47,
        tcp: { seq: 0x9a3b2c1e, ack: 0x11223345, flags: TCP_FLAG.ACK | TCP_FLAG.PSH, window: 65535 },
        payload: opaque(utf8('abcde')),
      }),
      writePacket({ transport: 'udp', src: PBX, dst: { ip: SBC.ip, port: 5060 }, ipId: 9, payload: opaque(utf8('x')) }),
    ];
    const dir = scratchDir();
    const file = writeScratch(
      dir,
      'segments.pcapng',
      writePcapng(packets.map((p, i) => ({ timeMs: 1_800_000_000_000 + i, bytes: p.bytes }))).bytes,
    );
    const rows = tsharkFields(
      file,
      [
        'ip.checksum.status',
        'tcp.checksum.status',
        'udp.checksum.status',
        'tcp.flags',
        'tcp.options.mss_val',
        'data.data',
      ],
      ['-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'],
    );
    expect(rows).toEqual([
      ['1', '1', '', '0x0002', '1460', ''],
      ['1', '1', '', '0x0012', '1400', ''],
      ['1', '1', '', '0x0018', '', '6162636465'],
      ['1', '', '1', '', '', '78'],
    ]);
  });
});
