import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeUdpPacket, writeUdpPacket } from '../../sim/net/udp';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));

describe('encodeUdpPacket', () => {
  it('writes the same bytes as the annotated writer (property)', () => {
    fc.assert(
      fc.property(
        ipv4,
        ipv4,
        fc.nat(65535),
        fc.nat(65535),
        fc.nat(65535),
        fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
        fc.uint8Array({ maxLength: 1400 }),
        (src, dst, srcPort, dstPort, ipId, ttl, payload) => {
          const a = { src, dst, srcPort, dstPort, ipId, ttl };
          expect(encodeUdpPacket(a, payload)).toEqual(writeUdpPacket(a, { bytes: payload, fields: [] }).bytes);
        },
      ),
      { numRuns: 500 },
    );
  });
});
