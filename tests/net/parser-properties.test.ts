/**
 * Property tests: the readers in net/ give only ParseError (or a typed
 * verdict) on any input, and the tap and its lenses, which read whatever
 * crosses the wire, never throw at all.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatBytes, isParseError, utf8 } from '../../sim/wire';
import { readUdpDatagram } from '../../sim/net/udp';
import { readKeyLog } from '../../sim/tls/key-log';
import { StreamReassembly } from '../../sim/net/stream-reassembly';
import { Tap } from '../../sim/net/tap';
import { trunkLenses } from '../../sim/net/trunk-lenses';
import { TlsLens } from '../../sim/net/tls-lens';
import { SipDatagramLens, SipStreamLens } from '../../sim/net/sip-lens';
import { RtpLens } from '../../sim/net/rtp-lens';
import { decodePacket, readPacket, writePacket } from '../../sim/net/packet';
import { TCP_FLAG } from '../../sim/net/tcp-segment';
import type { WirePacket } from '../../sim/net/wire-record';

function onlyParseErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!isParseError(e)) throw e;
  }
}

function record(index: number, bytes: Uint8Array): WirePacket {
  return {
    index,
    timeUs: index,
    from: 'pbx',
    to: 'sbc',
    src: { ip: '0.0.0.0', port: 0 },
    dst: { ip: '0.0.0.0', port: 0 },
    transport: 'other',
    bytes,
    fields: [],
    payloadOffset: 0,
    payloadLength: 0,
    origin: 'sent',
    fate: 'delivered',
    seenBy: ['pbx'],
  };
}

const memory = { knowledge: [], notes: new Map<string, unknown>() };
const flow = { transport: 'udp' as const, src: { ip: '192.0.2.1', port: 4000 }, dst: { ip: '192.0.2.2', port: 4002 } };

describe('readers in net/ throw nothing but ParseError', () => {
  it('UDP datagrams', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) =>
        onlyParseErrors(() => readUdpDatagram(b, { src: '192.0.2.1', dst: '192.0.2.2' })),
      ),
      { numRuns: 1000 },
    );
  });

  it('key logs', () => {
    const line = fc
      .tuple(
        fc.constantFrom('CLIENT_RANDOM', 'SERVER_TRAFFIC_SECRET_0', 'X', '#', ''),
        fc.stringMatching(/^[0-9a-fA-Fg ]{0,70}$/),
        fc.stringMatching(/^[0-9a-f]{0,100}$/),
      )
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.string()), { maxLength: 5 }), (lines) =>
        onlyParseErrors(() => readKeyLog(lines.join('\n'))),
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the fast header decoder agrees with the annotated reader', () => {
  /** The outcome of a reader: its error code, or what it decoded without the field tree. */
  function outcome(read: () => object): unknown {
    try {
      const { fields: _fields, ...rest } = read() as { fields?: unknown };
      return rest;
    } catch (e) {
      if (!isParseError(e)) throw e;
      return { error: e.code };
    }
  }

  it('on well-formed packets, packets with damaged headers, and random bytes', () => {
    const wellFormed = fc
      .tuple(
        fc.boolean(),
        fc.uint8Array({ maxLength: 60 }),
        fc.array(fc.constantFrom<'mss' | 'nop' | 'ts'>('mss', 'nop', 'ts'), { maxLength: 3 }),
      )
      .map(
        ([tcp, payload, opts]) =>
          writePacket(
            tcp
              ? {
                  transport: 'tcp',
                  src: { ip: '192.0.2.1', port: 1000 },
                  dst: { ip: '192.0.2.2', port: 5061 },
                  ipId: 7,
                  tcp: {
                    seq: 0x89abcdef,
                    ack: 1,
                    flags: TCP_FLAG.ACK,
                    window: 100,
                    options: opts.map((o) =>
                      o === 'mss'
                        ? { kind: 'mss', mss: 1460 }
                        : o === 'nop'
                          ? { kind: 'nop' }
                          : { kind: 'timestamps', value: 1, echo: 2 },
                    ),
                  },
                  payload: { bytes: payload, fields: [] },
                }
              : {
                  transport: 'udp',
                  src: { ip: '192.0.2.1', port: 1000 },
                  dst: { ip: '192.0.2.2', port: 5060 },
                  ipId: 7,
                  payload: { bytes: payload, fields: [] },
                },
          ).bytes,
      );
    const damaged = fc
      .tuple(
        wellFormed,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.nat(),
      )
      .map(([b, edits, cut]) => {
        const out = b.slice(0, b.length - (cut % 4 === 0 ? cut % 9 : 0));
        for (const [at, v] of edits) if (out.length) out[at % Math.min(out.length, 44)] = v;
        return out;
      });
    fc.assert(
      fc.property(fc.oneof(wellFormed, damaged, fc.uint8Array({ maxLength: 70 })), (bytes) => {
        expect(outcome(() => decodePacket(bytes))).toEqual(outcome(() => readPacket(bytes)));
      }),
      { numRuns: 4000 },
    );
  });
});

describe('the tap and its lenses read anything without throwing', () => {
  it('random packets, and well-formed packets with random payloads on trunk ports', () => {
    const tap = new Tap(trunkLenses());
    const port = fc.constantFrom(5060, 5061, 20000, 40000);
    const packet = fc
      .tuple(
        fc.boolean(),
        port,
        port,
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xff }),
      )
      .map(
        ([tcp, sp, dp, payload, seq, flags]) =>
          writePacket(
            tcp
              ? {
                  transport: 'tcp',
                  src: { ip: '192.0.2.1', port: sp },
                  dst: { ip: '192.0.2.2', port: dp },
                  ipId: 1,
                  tcp: { seq, ack: 0, flags, window: 1 },
                  payload: { bytes: payload, fields: [] },
                }
              : {
                  transport: 'udp',
                  src: { ip: '192.0.2.1', port: sp },
                  dst: { ip: '192.0.2.2', port: dp },
                  ipId: 1,
                  payload: { bytes: payload, fields: [] },
                },
          ).bytes,
      );
    let i = 0;
    fc.assert(
      fc.property(fc.oneof(packet, fc.uint8Array({ maxLength: 100 })), (bytes) => {
        const o = tap.see(record(i++, bytes));
        expect(['all', 'metadata']).toContain(o.access);
      }),
      { numRuns: 1500 },
    );
  });

  it('TLS, SIP and RTP lenses on random chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }), (chunks) => {
        const tls = new TlsLens('PBX');
        const sip = new SipStreamLens('PBX', memory);
        // Random bytes after a plausible TLS record header, so the lens gets past the framing.
        tls.read(Uint8Array.of(22, 3, 3, 0, 40));
        for (const c of chunks) {
          tls.read(c);
          sip.read(c);
          new SipDatagramLens('PBX', memory).read(c);
          new RtpLens(flow, 'PBX', memory).read(c);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('SIP lens on SIP-shaped text', () => {
    const text = fc
      .tuple(
        fc.constantFrom('INVITE sip:a@b SIP/2.0', 'SIP/2.0 200 OK', 'REGISTER sips:x SIP/2.0'),
        fc.array(fc.constantFrom('Content-Length: 5', 'Content-Type: application/sdp', 'Via: SIP/2.0/UDP h', 'x'), {
          maxLength: 4,
        }),
        fc.string({ maxLength: 40 }),
      )
      .map(([start, headers, body]) => utf8(`${start}\r\n${headers.join('\r\n')}\r\n\r\n${body}`));
    fc.assert(
      fc.property(text, (b) => {
        new SipDatagramLens('SBC', memory).read(b);
        new SipStreamLens('SBC', memory).read(b);
      }),
      { numRuns: 500 },
    );
  });

  it('reassembly: random segments never throw; in-order segments give back the stream exactly', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 0xffffffff }),
            fc.integer({ min: 0, max: 0xff }),
            fc.uint8Array({ maxLength: 50 }),
          ),
          {
            maxLength: 20,
          },
        ),
        (segments) => {
          const r = new StreamReassembly();
          let out = 0;
          for (const [seq, flags, payload] of segments)
            out += r.push(seq, flags, payload).reduce((n, c) => n + c.length, 0);
          expect(out).toBeLessThanOrEqual(segments.reduce((n, s) => n + s[2].length, 0));
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 30 }), { maxLength: 10 }),
        fc.integer({ min: 0, max: 1000 }),
        (isn, pieces, shuffleSeed) => {
          const r = new StreamReassembly();
          r.push(isn, TCP_FLAG.SYN, new Uint8Array(0));
          let seq = (isn + 1) >>> 0;
          const segments = pieces.map((p) => {
            const s = { seq, p };
            seq = (seq + p.length) >>> 0;
            return s;
          });
          // Deliver out of order and with duplicates: the stream comes out in order, once.
          const order = segments.map((s, i) => ({ s, k: (i * 7919 + shuffleSeed) % 101 })).sort((a, b) => a.k - b.k);
          const got: Uint8Array[] = [];
          for (const { s } of [...order, ...order.slice(0, 2)]) got.push(...r.push(s.seq, TCP_FLAG.ACK, s.p));
          expect(concatBytes(...got)).toEqual(concatBytes(...pieces));
        },
      ),
      { numRuns: 500 },
    );
  });
});
