/**
 * Whatever bit an attacker flips in whatever SIP message, the run goes on
 * to an outcome the parties' code reached: no exception, no hang, and every
 * byte of every packet still explained. Over plain SIP the receiver reads
 * the altered message (or drops what no longer parses); over TLS the
 * receiver never reads it: the tag check or the record's framing refuses it,
 * or, when the header claims a longer record, it waits for bytes that never come.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCoverage, fromHex } from '../../sim/wire';
import { ALERT_CODE } from '../../sim/tls/alert';
import type { Timeline } from '../../sim/index';
import { runSetup } from './runs';

const PLAIN_SIP = { transport: 'udp' as const, port: 'plain' as const, media: { offer: 'rtp' as const } };

/** A call over plain SIP (RTP allowed) whose PBX message number `after` (from 0) has bit `bit` flipped on the way. */
const plainSipWithFlip = (after: number, bit: number) =>
  runSetup(
    {
      carrier: { srtp: { required: false } },
      pbx: PLAIN_SIP,
      attacker: { kind: 'tamper', target: 'sip', packets: 1, after, bit },
    },
    1,
    'sip-bit-flip',
  );

describe('a flipped bit anywhere in the SIP', () => {
  it('over plain UDP: the run ends with an outcome, every byte explained', async () => {
    await fc.assert(
      // The PBX sends at most five SIP messages: REGISTER twice, INVITE, ACK, BYE.
      fc.asyncProperty(fc.nat({ max: 4 }), fc.nat({ max: 12_000 }), async (after, bit) => {
        const t = await plainSipWithFlip(after, bit);
        expect(['tcp', 'tls', 'sip', 'sdp', 'srtp', 'complete']).toContain(t.outcome.stage);
        // The first message always goes out; a later one only if the altered ones before let the call go on.
        if (after === 0) expect(t.steps.some((s) => s.summary.endsWith('(tampered)'))).toBe(true);
        for (const s of t.steps) {
          expect(checkCoverage(fromHex(s.bytes).length, s.fields).unexplained).toEqual([]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a flipped bit that takes the INVITE’s To away: the SBC’s 400 has no To, and the PBX drops it rather than ACK it (once found with seed -1713671136)', async () => {
    const t = await plainSipWithFlip(2, 7245);
    const answer = t.steps.find((s) => s.from === 'sbc' && s.summary.startsWith('400 '));
    expect(answer, 'the SBC answers the altered INVITE with 400').toBeDefined();
    expect(t.steps.some((s) => s.from === 'pbx' && s.summary.includes('ACK'))).toBe(false);
    // With its answer dropped, the PBX's INVITE transaction times out (RFC 3261 §17.1.1.2, Timer B).
    expect(t.outcome).toMatchObject({ ok: false, stage: 'sip', reason: '408' });
  });

  it('a flipped bit that spoils the INVITE’s c= line: the SBC refuses the offer with 488, it sends its audio nowhere (once found with seed 646726763)', async () => {
    const t = await plainSipWithFlip(2, 10114);
    expect(t.outcome).toMatchObject({ ok: false, stage: 'sdp', reason: '488', decidedBy: 'sbc' });
    expect(t.outcome.summary).toContain('no usable connection line (c=)');
  });

  it('over TLS: the SBC never reads the altered SIP, whichever message and bit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 4 }), fc.nat({ max: 6000 }), async (after, bit) => {
        const t = await runSetup({ attacker: { kind: 'tamper', target: 'sip', packets: 1, after, bit } }, 1, 'tls-bit');
        expectAlteredRecordRefused(t, bit);
      }),
      { numRuns: 25 },
    );
  });

  it('a flipped bit that lengthens the record: the SBC waits for the rest, as a TLS stack must, and the PBX times out (once found with seed -463934390)', async () => {
    const bit = 26;
    const t = await runSetup({ attacker: { kind: 'tamper', target: 'sip', packets: 1, after: 0, bit } }, 1, 'tls-bit');
    const record = alteredRecord(t);
    expect(declaredLength(record)).toBeGreaterThan(record.length - 5);
    expect(t.outcome).toMatchObject({ ok: false, stage: 'sip', reason: '408', decidedBy: 'pbx' });
    expectAlteredRecordRefused(t, bit);
  });
});

/** The TLS record the attacker altered: the tampered packet's bytes after its IPv4 and TCP headers. */
function alteredRecord(t: Timeline): Uint8Array {
  return fromHex(t.steps.find((s) => s.summary.endsWith('(tampered)'))!.bytes).subarray(40);
}

/** The length the record's header declares (RFC 8446 §5.1, `TLSCiphertext.length`). */
const declaredLength = (record: Uint8Array) => (record[3] << 8) | record[4];

/**
 * A flip in the ciphertext fails the tag (bad_record_mac); one in the 5-byte record header breaks the
 * framing or the version, and the SBC ends the connection with an alert. A flip that makes the header
 * declare a longer record than was sent (and no longer than a record may be) cannot be told from a
 * record still arriving: the SBC waits for the rest, as any TLS stack must, and either the PBX's
 * transaction times out first (RFC 3261 §17.1.1.2 and §17.1.2.2) or what the PBX sends next completes
 * the record and fails its tag. In no case is the altered SIP read.
 */
function expectAlteredRecordRefused(t: Timeline, bit: number): void {
  const record = alteredRecord(t);
  const lengthened = declaredLength(record) > record.length - 5 && declaredLength(record) <= 2 ** 14 + 256;
  if (lengthened && t.outcome.stage === 'sip') {
    expect(t.outcome).toMatchObject({ reason: '408', decidedBy: 'pbx' });
    return;
  }
  expect(t.outcome.stage).toBe('tls');
  expect(Object.keys(ALERT_CODE)).toContain(t.outcome.reason);
  if (bit % (8 * record.length) >= 5 * 8) expect(t.outcome.reason).toBe('bad_record_mac');
  expect(t.outcome.summary).toMatch(/^The SBC ended the TLS connection with the PBX/);
}
