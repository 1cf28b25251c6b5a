import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCoverage, isParseError, leafFields } from '../../sim/wire';
import { SrtpContext } from '../../sim/rtp/srtp-context';
import { SRTP_SUITE_NAMES, SRTP_SUITES } from '../../sim/rtp/srtp-suite';
import { describeSrtcpPacket, describeSrtpPacket } from '../../sim/rtp/srtp-packet-fields';
import { writeRtpPacket } from '../../sim/rtp/rtp-packet';
import { writeSenderReportCompound } from '../../sim/rtp/rtcp-packet';
import { parseSdesKey } from '../../sim/rtp/sdes-key';
import { writeUdpPacket } from '../../sim/net/udp';
import { RtpStreamFinder } from '../../sim/rtp/rtp-stream-finder';

const keySalt = (n: number) => Uint8Array.from({ length: n }, (_, i) => i + 1);

describe('every byte of a protected packet is named', () => {
  for (const name of SRTP_SUITE_NAMES) {
    const suite = SRTP_SUITES[name];
    for (const mki of [undefined, Uint8Array.of(0, 1)]) {
      it(`${name}${mki ? ' with an MKI' : ''}: SRTP and SRTCP, inside UDP/IPv4`, () => {
        const ctx = SrtpContext.fromKeySalt(name, keySalt(suite.keyLength + suite.saltLength), { mki });
        const rtp = writeRtpPacket({
          marker: true,
          payloadType: 0,
          sequenceNumber: 7,
          timestamp: 1,
          ssrc: 0xabc,
          csrcs: [5],
          payload: new Uint8Array(160),
          paddingLength: 0,
        });
        const srtp = ctx.protect(rtp.bytes);
        const d = describeSrtpPacket(srtp, { suite, mkiLength: mki?.length });
        expect(checkCoverage(srtp.length, d.fields)).toEqual({ unexplained: [], misplaced: [] });
        const names = leafFields(d.fields).map((f) => f.name);
        expect(names).toContain('Encrypted payload');
        expect(names).toContain(suite.kind === 'aead-aes-gcm' ? 'GCM authentication tag' : 'Authentication tag');
        expect(names.includes('MKI')).toBe(mki !== undefined);
        const tag = leafFields(d.fields).find((f) => f.name.endsWith('uthentication tag'))!;
        expect(tag.end - tag.start).toBe(suite.srtpTagLength);

        const onWire = writeUdpPacket(
          { src: '203.0.113.10', dst: '198.51.100.20', srcPort: 40000, dstPort: 20000, ipId: 1 },
          { bytes: srtp, fields: d.fields },
        );
        expect(checkCoverage(onWire.bytes.length, onWire.fields)).toEqual({ unexplained: [], misplaced: [] });

        const rtcp = writeSenderReportCompound(
          { ssrc: 0xabc, wallClockMs: 0, rtpTimestamp: 1, packetCount: 1, octetCount: 160, reports: [] },
          'pbx@example',
        );
        for (const encrypt of [true, false]) {
          const srtcp = ctx.protectRtcp(rtcp.bytes, { encrypt });
          const c = describeSrtcpPacket(srtcp, { suite, mkiLength: mki?.length });
          expect(checkCoverage(srtcp.length, c.fields)).toEqual({ unexplained: [], misplaced: [] });
          expect(c.summary).toMatchObject({ ssrc: 0xabc, packetType: 200, encrypted: encrypt, index: encrypt ? 0 : 1 });
        }
      });
    }
  }

  it('the describers throw nothing but ParseError on random bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SRTP_SUITE_NAMES), fc.uint8Array({ maxLength: 80 }), (name, bytes) => {
        for (const describe of [describeSrtpPacket, describeSrtcpPacket]) {
          try {
            const r = describe(bytes, { suite: SRTP_SUITES[name] });
            expect(checkCoverage(bytes.length, r.fields).unexplained).toEqual([]);
          } catch (e) {
            expect(isParseError(e)).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('SDES inline keys (RFC 4568 §6.1)', () => {
  const b64 = 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz'; // 30 bytes, the RFC's example
  it('reads a bare inline: key, and a whole a=crypto line with lifetime and MKI', () => {
    expect(parseSdesKey(`inline:${b64}`)).toMatchObject({ ok: true, key: { keySalt: expect.any(Uint8Array) } });
    const line = parseSdesKey(`a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:${b64}|2^20|1:4`);
    expect(line).toMatchObject({
      ok: true,
      key: { suite: 'AES_CM_128_HMAC_SHA1_32', lifetime: 2 ** 20, mki: { value: 1, length: 4 } },
    });
    expect(line.ok && Array.from(line.key.mki!.bytes)).toEqual([0, 0, 0, 1]);
  });

  it('says what is wrong with a bad key', () => {
    const error = (t: string) => {
      const r = parseSdesKey(t);
      return r.ok ? '' : r.error;
    };
    expect(error(b64)).toMatch(/must start with "inline:"/);
    expect(error('inline:')).toMatch(/nothing follows/);
    expect(error('inline:not*base64')).toMatch(/not valid base64/);
    expect(error('inline:AAAA')).toMatch(/decodes to 3 bytes/);
    expect(error(`1 AES_CM_128_HMAC_SHA1_80 inline:${b64}AAAA`)).toMatch(/needs 30 bytes/);
    expect(error(`1 AES_CM_128_HMAC_SHA1_99 inline:${b64}`)).toMatch(/unknown crypto suite/);
    expect(error(`inline:${b64}|banana`)).toMatch(/neither a lifetime/);
  });
});

describe('inputs from the outside never throw', () => {
  it('parseSdesKey answers every string with a value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((t) => `inline:${t}`),
          fc.string().map((t) => `1 AES_CM_128_HMAC_SHA1_80 inline:${t}`),
        ),
        (text) => {
          const r = parseSdesKey(text);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the stream finder takes any UDP payload', () => {
    const finder = new RtpStreamFinder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (payload) => {
        finder.offer({ ipVersion: 4, src: '192.0.2.1', srcPort: 1, dst: '192.0.2.2', dstPort: 2 }, payload);
      }),
      { numRuns: 2000 },
    );
    expect(Array.isArray(finder.candidates())).toBe(true);
  });
});
