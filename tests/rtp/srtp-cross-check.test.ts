/**
 * The engine's SRTP against the independent node:crypto implementation in
 * reference-srtp.ts (OpenSSL's AES, HMAC and GCM), for every suite, across a
 * sequence-number wrap, with CSRCs, header extensions and padding; plus
 * property tests of the transform's guarantees.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toHex } from '../../sim/wire';
import { SrtpContext } from '../../sim/rtp/srtp-context';
import { SRTP_SUITE_NAMES, SRTP_SUITES } from '../../sim/rtp/srtp-suite';
import { writeRtpPacket, type RtpPacket } from '../../sim/rtp/rtp-packet';
import { ReferenceSrtp } from './reference-srtp';

function keySaltFor(name: (typeof SRTP_SUITE_NAMES)[number], seed: number): Uint8Array {
  const s = SRTP_SUITES[name];
  return Uint8Array.from({ length: s.keyLength + s.saltLength }, (_, i) => (i * 37 + seed * 101 + 7) & 0xff);
}

const rtpArbitrary = fc.record({
  marker: fc.boolean(),
  payloadType: fc.constantFrom(0, 8, 13, 101),
  timestamp: fc.integer({ min: 0, max: 0xffffffff }),
  ssrc: fc.integer({ min: 0, max: 0xffffffff }),
  csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 3 }),
  extension: fc.option(
    fc.record({ profile: fc.constant(0xbede), data: fc.uint8Array({ minLength: 4, maxLength: 4 }) }),
    { nil: undefined },
  ),
  payload: fc.uint8Array({ minLength: 0, maxLength: 200 }),
  paddingLength: fc.constantFrom(0, 0, 1, 4),
});

function rtpBytes(p: Omit<RtpPacket, 'sequenceNumber'>, seq: number): Uint8Array {
  return writeRtpPacket({ ...p, sequenceNumber: seq }).bytes;
}

describe('cross-check with node:crypto', () => {
  for (const name of SRTP_SUITE_NAMES) {
    it(`${name}: byte-identical SRTP across a sequence wrap, and SRTCP`, () => {
      const keySalt = keySaltFor(name, 3);
      const ours = SrtpContext.fromKeySalt(name, keySalt);
      const theirs = new ReferenceSrtp(name, keySalt);
      const receiver = SrtpContext.fromKeySalt(name, keySalt);
      const seqs = [65533, 65534, 65535, 0, 1, 2];
      for (const [i, seq] of seqs.entries()) {
        const roc = seq < 100 ? 1 : 0;
        const plain = rtpBytes(
          {
            marker: i === 0,
            payloadType: 0,
            timestamp: 1000 + i * 160,
            ssrc: 0x1234abcd,
            csrcs: [],
            payload: new Uint8Array(160).fill(i),
            paddingLength: 0,
          },
          seq,
        );
        const protectedOurs = ours.protect(plain);
        expect(toHex(protectedOurs)).toBe(toHex(theirs.protect(plain, roc)));
        expect(toHex(theirs.unprotect(protectedOurs, roc)!)).toBe(toHex(plain));
        const back = receiver.unprotect(protectedOurs);
        expect(back.ok && toHex(back.packet)).toBe(toHex(plain));
        expect(back.ok && back.result.roc).toBe(roc);
      }
      const rtcp = Uint8Array.from([0x80, 200, 0, 6, 0x12, 0x34, 0xab, 0xcd, ...new Uint8Array(20).fill(9)]);
      expect(toHex(ours.protectRtcp(rtcp, { index: 5 }))).toBe(toHex(theirs.protectRtcp(rtcp, 5)));
      const back = receiver.unprotectRtcp(theirs.protectRtcp(rtcp, 7));
      expect(back.ok && toHex(back.packet)).toBe(toHex(rtcp));
    });
  }

  it('agrees with node:crypto on random packets with CSRCs, extensions and padding', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SRTP_SUITE_NAMES),
        rtpArbitrary,
        fc.integer({ min: 0, max: 65535 }),
        (name, p, seq) => {
          const keySalt = keySaltFor(name, seq);
          const plain = rtpBytes(p, seq);
          const ours = SrtpContext.fromKeySalt(name, keySalt).protect(plain);
          expect(toHex(ours)).toBe(toHex(new ReferenceSrtp(name, keySalt).protect(plain, 0)));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('properties', () => {
  it('unprotect(protect(p)) = p for every suite', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SRTP_SUITE_NAMES),
        rtpArbitrary,
        fc.integer({ min: 0, max: 65535 }),
        (name, p, seq) => {
          const keySalt = keySaltFor(name, 1);
          const plain = rtpBytes(p, seq);
          const r = SrtpContext.fromKeySalt(name, keySalt).unprotect(
            SrtpContext.fromKeySalt(name, keySalt).protect(plain),
          );
          expect(r.ok && toHex(r.packet)).toBe(toHex(plain));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any single-bit change in a protected packet fails authentication (or breaks its header)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SRTP_SUITE_NAMES),
        rtpArbitrary,
        fc.integer({ min: 0, max: 65535 }),
        fc.nat(),
        (name, p, seq, bitSeed) => {
          const keySalt = keySaltFor(name, 2);
          const protectedPacket = SrtpContext.fromKeySalt(name, keySalt).protect(rtpBytes(p, seq));
          const bit = bitSeed % (protectedPacket.length * 8);
          const flipped = protectedPacket.slice();
          flipped[bit >> 3] ^= 1 << (bit & 7);
          const receiver = SrtpContext.fromKeySalt(name, keySalt);
          const r = receiver.unprotect(flipped);
          expect(r.ok).toBe(false);
          // A flip in the version, CC, X or extension length may make the header unreadable;
          // every other flip is caught by the tag.
          if (!r.ok) expect(['auth_failure', 'malformed']).toContain(r.reason);
          const headerBits = (12 + 4 * p.csrcs.length + (p.extension ? 4 : 0)) * 8;
          if (!r.ok && r.reason === 'malformed') expect(bit).toBeLessThan(headerBits);
          expect(receiver.counters.decrypted).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('SRTCP: any single-bit change fails authentication', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SRTP_SUITE_NAMES),
        fc.uint8Array({ minLength: 20, maxLength: 60 }),
        fc.nat(),
        (name, body, bitSeed) => {
          const rtcp = Uint8Array.from([0x80, 200, 0, 0, 1, 2, 3, 4, ...body]);
          const keySalt = keySaltFor(name, 4);
          const protectedPacket = SrtpContext.fromKeySalt(name, keySalt).protectRtcp(rtcp);
          const bit = bitSeed % (protectedPacket.length * 8);
          if (bit < 2) return; // the version bits make it "not RTCP" before any crypto runs
          const flipped = protectedPacket.slice();
          flipped[bit >> 3] ^= 1 << (bit & 7);
          const r = SrtpContext.fromKeySalt(name, keySalt).unprotectRtcp(flipped);
          expect(r.ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('replays are dropped and counted, and so is a packet older than the window', () => {
    for (const name of SRTP_SUITE_NAMES) {
      const keySalt = keySaltFor(name, 5);
      const sender = SrtpContext.fromKeySalt(name, keySalt);
      const receiver = SrtpContext.fromKeySalt(name, keySalt);
      const packets = Array.from({ length: 200 }, (_, i) =>
        sender.protect(
          rtpBytes(
            {
              marker: false,
              payloadType: 8,
              timestamp: i * 160,
              ssrc: 42,
              csrcs: [],
              payload: new Uint8Array(160),
              paddingLength: 0,
            },
            (65500 + i) & 0xffff,
          ),
        ),
      );
      // Deliver out of order within the window: all accepted.
      for (const i of [1, 0, 3, 2, ...Array.from({ length: 196 }, (_, k) => k + 4)])
        expect(receiver.unprotect(packets[i]).ok).toBe(true);
      const again = receiver.unprotect(packets[150]);
      expect(again).toMatchObject({ ok: false, reason: 'replay' });
      const ancient = receiver.unprotect(packets[5]);
      expect(ancient).toMatchObject({ ok: false, reason: 'replay' });
      expect(!ancient.ok && ancient.detail).toMatch(/older than the replay window/);
      expect(receiver.counters).toEqual({ packets: 202, decrypted: 200, authFailures: 0, replays: 2, malformed: 0 });
      // The stream crossed the wrap at seq 65535 → 0: the receiver's ROC followed it.
      expect(receiver.receiverRoc(42)).toBe(1);
    }
  });

  it('an authentication failure does not move the replay window or the ROC', () => {
    const keySalt = keySaltFor('AES_CM_128_HMAC_SHA1_80', 6);
    const sender = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', keySalt);
    const receiver = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', keySalt);
    const mk = (seq: number) =>
      sender.protect(
        rtpBytes(
          {
            marker: false,
            payloadType: 0,
            timestamp: 0,
            ssrc: 7,
            csrcs: [],
            payload: new Uint8Array(160),
            paddingLength: 0,
          },
          seq,
        ),
      );
    expect(receiver.unprotect(mk(65535)).ok).toBe(true);
    const forged = mk(0);
    forged[forged.length - 1] ^= 0xff;
    expect(receiver.unprotect(forged)).toMatchObject({ ok: false, reason: 'auth_failure' });
    expect(receiver.receiverRoc(7)).toBe(0);
  });

  it('a capture that starts after a wrap decrypts once told the ROC', () => {
    const keySalt = keySaltFor('AEAD_AES_128_GCM', 7);
    const sender = SrtpContext.fromKeySalt('AEAD_AES_128_GCM', keySalt, { initialRoc: 3 });
    const packet = sender.protect(
      rtpBytes(
        {
          marker: false,
          payloadType: 0,
          timestamp: 0,
          ssrc: 9,
          csrcs: [],
          payload: new Uint8Array(160),
          paddingLength: 0,
        },
        100,
      ),
    );
    expect(SrtpContext.fromKeySalt('AEAD_AES_128_GCM', keySalt).unprotect(packet)).toMatchObject({
      ok: false,
      reason: 'auth_failure',
    });
    expect(SrtpContext.fromKeySalt('AEAD_AES_128_GCM', keySalt, { initialRoc: 3 }).unprotect(packet)).toMatchObject({
      ok: true,
    });
  });

  it('carries and checks an MKI (RFC 3711 §3.1)', () => {
    for (const name of SRTP_SUITE_NAMES) {
      const keySalt = keySaltFor(name, 8);
      const mki = Uint8Array.of(0, 0, 0, 1);
      const sender = SrtpContext.fromKeySalt(name, keySalt, { mki });
      const plain = rtpBytes(
        {
          marker: false,
          payloadType: 0,
          timestamp: 0,
          ssrc: 9,
          csrcs: [],
          payload: new Uint8Array(160),
          paddingLength: 0,
        },
        1,
      );
      const packet = sender.protect(plain);
      expect(packet.length).toBe(plain.length + 4 + SRTP_SUITES[name].srtpTagLength);
      const r = SrtpContext.fromKeySalt(name, keySalt, { mki }).unprotect(packet);
      expect(r.ok && toHex(r.packet)).toBe(toHex(plain));
      expect(
        SrtpContext.fromKeySalt(name, keySalt, { mki: Uint8Array.of(0, 0, 0, 2) }).unprotect(packet),
      ).toMatchObject({ ok: false, reason: 'unknown_mki' });
      const rtcp = Uint8Array.from([0x80, 200, 0, 1, 0, 0, 0, 9]);
      const rc = SrtpContext.fromKeySalt(name, keySalt, { mki }).unprotectRtcp(sender.protectRtcp(rtcp));
      expect(rc.ok && toHex(rc.packet)).toBe(toHex(rtcp));
    }
  });

  it('a verdict without decrypting is the verdict unprotect gives, with the same counters, ROC and replay list', () => {
    for (const name of SRTP_SUITE_NAMES) {
      const keySalt = keySaltFor(name, 8);
      const sender = SrtpContext.fromKeySalt(name, keySalt);
      const packets = Array.from({ length: 300 }, (_, i) =>
        sender.protect(
          rtpBytes(
            {
              marker: false,
              payloadType: 0,
              timestamp: i * 160,
              ssrc: 99,
              csrcs: [],
              payload: new Uint8Array(160).fill(i & 0xff),
              paddingLength: 0,
            },
            (65400 + i) & 0xffff,
          ),
        ),
      );
      const tampered = packets[200].slice();
      tampered[30] ^= 0x04;
      // Across the wrap, with a replay, a changed copy, a packet older than the window and a cut one.
      const order = [
        ...packets.slice(0, 150),
        packets[149],
        tampered,
        ...packets.slice(150),
        packets[3],
        packets[7].subarray(0, 10),
      ];
      const decrypting = SrtpContext.fromKeySalt(name, keySalt);
      const counting = SrtpContext.fromKeySalt(name, keySalt);
      const out = new Uint8Array(2048);
      for (const p of order) {
        const a = decrypting.unprotectInto(p, out);
        const b = counting.acceptWithoutDecrypting(p);
        expect(b).toEqual(a.ok ? undefined : a);
      }
      expect(counting.counters).toEqual(decrypting.counters);
      expect(counting.counters).toMatchObject({ decrypted: 300, replays: 2, authFailures: 1, malformed: 1 });
      expect(counting.receiverRoc(99)).toBe(1);
    }
  });

  it('never throws on random bytes: every outcome is a value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SRTP_SUITE_NAMES), fc.uint8Array({ maxLength: 120 }), (name, bytes) => {
        const ctx = SrtpContext.fromKeySalt(name, keySaltFor(name, 9));
        const r = ctx.unprotect(bytes);
        const rc = ctx.unprotectRtcp(bytes);
        expect(typeof r.ok).toBe('boolean');
        expect(typeof rc.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
