import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCoverage, fromHex, isParseError, toHex } from '../../sim/wire';
import { parseRtpPacket, writeRtpPacket, type RtpPacket } from '../../sim/rtp/rtp-packet';
import { G711Packetizer, SAMPLES_PER_PACKET } from '../../sim/rtp/g711-packetizer';
import { parseRtcpCompound, writeSenderReportCompound } from '../../sim/rtp/rtcp-packet';
import { HmacDrbg } from '../../sim/crypto/random';
import { randomRtpStart } from '../../sim/rtp/g711-packetizer';

const packet: RtpPacket = {
  marker: true,
  payloadType: 0,
  sequenceNumber: 0x1234,
  timestamp: 0xdecafbad,
  ssrc: 0xcafebabe,
  csrcs: [],
  payload: new Uint8Array(16).fill(0xab),
  paddingLength: 0,
};

describe('RTP packets (RFC 3550 §5.1)', () => {
  it('writes the fixed header bit for bit, as libsrtp’s reference packet has it', () => {
    // cisco/libsrtp test/srtp_driver.c srtp_plaintext_ref: 80 0f 12 34 de ca fb ad ca fe ba be, then 0xab bytes.
    const { bytes, fields } = writeRtpPacket({ ...packet, marker: false, payloadType: 15 });
    expect(toHex(bytes)).toBe('800f1234decafbadcafebabe' + 'ab'.repeat(16));
    expect(checkCoverage(bytes.length, fields)).toEqual({ unexplained: [], misplaced: [] });
  });

  it('round-trips CSRCs, a header extension and padding with every byte explained', () => {
    const p: RtpPacket = {
      ...packet,
      csrcs: [1, 0xffffffff],
      extension: { profile: 0xbede, data: fromHex('10ff0000') },
      paddingLength: 4,
    };
    const { bytes, fields } = writeRtpPacket(p);
    expect(bytes[0]).toBe(0x80 | 0x20 | 0x10 | 2);
    expect(bytes[bytes.length - 1]).toBe(4);
    const parsed = parseRtpPacket(bytes);
    expect(parsed.packet).toEqual(p);
    expect(checkCoverage(bytes.length, parsed.fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(checkCoverage(bytes.length, fields)).toEqual({ unexplained: [], misplaced: [] });
  });

  it('names what is wrong with bad packets', () => {
    const bad = (hex: string) => {
      try {
        parseRtpPacket(fromHex(hex));
      } catch (e) {
        return e;
      }
    };
    expect(bad('400f1234decafbadcafebabe')).toMatchObject({ code: 'invalid_value' });
    expect(bad('800f1234decafbad')).toMatchObject({ code: 'truncated' });
    expect(bad('820f1234decafbadcafebabe00000001')).toMatchObject({ code: 'truncated' }); // CC=2, one CSRC
    expect(bad('a00f1234decafbadcafebabe0005')).toMatchObject({ code: 'invalid_value' }); // padding count 5 > 2
  });

  it('parsers throw nothing but ParseError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        for (const parse of [parseRtpPacket, parseRtcpCompound]) {
          try {
            const r = parse(bytes);
            expect(checkCoverage(bytes.length, r.fields).unexplained).toEqual([]);
          } catch (e) {
            expect(isParseError(e)).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('G.711 packetization (RFC 3551 §4.5.14)', () => {
  it('cuts 20 ms packets: sequence +1, timestamp +160, marker on the first, counts kept for RTCP', () => {
    const start = randomRtpStart(HmacDrbg.fromSeed(1, 'rtp'));
    start.sequenceNumber = 65534;
    const p = new G711Packetizer('pcma', start);
    const packets = p.packetize(new Int16Array(SAMPLES_PER_PACKET * 3 + 10));
    expect(packets).toHaveLength(4);
    expect(packets.map((x) => x.sequenceNumber)).toEqual([65534, 65535, 0, 1]);
    expect(packets.map((x) => x.timestamp - start.timestamp)).toEqual([0, 160, 320, 480]);
    expect(packets.map((x) => x.marker)).toEqual([true, false, false, false]);
    expect(packets.every((x) => x.payloadType === 8 && x.payload.length === 160 && x.ssrc === start.ssrc)).toBe(true);
    // A-law silence is 0xd5 (G.711 Table 1a: +0 encodes as 0x80 XOR 0x55).
    expect(packets[3].payload[159]).toBe(0xd5);
    expect([p.packetsSent, p.octetsSent]).toEqual([4, 640]);
  });
});

describe('RTCP sender report (RFC 3550 §6.4.1) with SDES CNAME (§6.5.1)', () => {
  it('writes a compound packet whose lengths, NTP time and CNAME read back', () => {
    const wallClockMs = Date.parse('2026-11-26T09:00:01.500Z');
    const sr = {
      ssrc: 0x11223344,
      wallClockMs,
      rtpTimestamp: 123456,
      packetCount: 50,
      octetCount: 8000,
      reports: [
        {
          ssrc: 0x55667788,
          fractionLost: 3,
          cumulativeLost: -1,
          highestSequence: 0x10005,
          jitter: 12,
          lastSr: 0xabcd1234,
          delaySinceLastSr: 65536,
        },
      ],
    };
    const { bytes, fields } = writeSenderReportCompound(sr, 'pbx@harbourstreet.example');
    expect(checkCoverage(bytes.length, fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(bytes.length % 4).toBe(0);
    expect(bytes[1]).toBe(200);
    // SR length: 6 + 6 words per report block, minus one (§6.4.1).
    expect((bytes[2] << 8) | bytes[3]).toBe(12);
    // NTP seconds since 1900 for 2026-11-26T09:00:01Z, then half a second as 2^31.
    const ntpSeconds = (bytes[8] * 2 ** 24 + (bytes[9] << 16) + (bytes[10] << 8) + bytes[11]) >>> 0;
    expect(ntpSeconds).toBe(Math.floor(wallClockMs / 1000) + 2208988800);
    expect(toHex(bytes.subarray(12, 16))).toBe('80000000');
    const parsed = parseRtcpCompound(bytes);
    expect(parsed.packets.map((p) => p.packetType)).toEqual([200, 202]);
    expect(parsed.packets[0].senderReport).toEqual(sr);
    expect(parsed.packets[1].cname).toBe('pbx@harbourstreet.example');
    expect(checkCoverage(bytes.length, parsed.fields)).toEqual({ unexplained: [], misplaced: [] });
  });
});
