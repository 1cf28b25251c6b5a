/**
 * Whatever bit an attacker flips in whatever SIP message, the run goes on
 * to an outcome the parties' code reached: no exception, no hang, and every
 * byte of every packet still explained. Over plain SIP the receiver reads
 * the altered message (or drops what no longer parses); over TLS the
 * receiver's tag check refuses it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCoverage, fromHex } from '../../sim/wire';
import { ALERT_CODE } from '../../sim/tls/alert';
import { runSetup } from './runs';

const PLAIN_SIP = { transport: 'udp' as const, port: 'plain' as const, media: { offer: 'rtp' as const } };

describe('a flipped bit anywhere in the SIP', () => {
  it('over plain UDP: the run ends with an outcome, every byte explained', async () => {
    await fc.assert(
      // The PBX sends at most five SIP messages: REGISTER twice, INVITE, ACK, BYE.
      fc.asyncProperty(fc.nat({ max: 4 }), fc.nat({ max: 12_000 }), async (after, bit) => {
        const t = await runSetup(
          {
            carrier: { srtp: { required: false } },
            pbx: PLAIN_SIP,
            attacker: { kind: 'tamper', target: 'sip', packets: 1, after, bit },
          },
          1,
          'sip-bit-flip',
        );
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
    const t = await runSetup(
      {
        carrier: { srtp: { required: false } },
        pbx: PLAIN_SIP,
        attacker: { kind: 'tamper', target: 'sip', packets: 1, after: 2, bit: 7245 },
      },
      1,
      'sip-bit-flip',
    );
    const answer = t.steps.find((s) => s.from === 'sbc' && s.summary.startsWith('400 '));
    expect(answer, 'the SBC answers the altered INVITE with 400').toBeDefined();
    expect(t.steps.some((s) => s.from === 'pbx' && s.summary.includes('ACK'))).toBe(false);
    // With its answer dropped, the PBX's INVITE transaction times out (RFC 3261 §17.1.1.2, Timer B).
    expect(t.outcome).toMatchObject({ ok: false, stage: 'sip', reason: '408' });
  });

  it('over TLS: the SBC refuses the altered record with an alert, whichever message and bit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 4 }), fc.nat({ max: 6000 }), async (after, bit) => {
        const t = await runSetup({ attacker: { kind: 'tamper', target: 'sip', packets: 1, after, bit } }, 1, 'tls-bit');
        // A flip in the ciphertext fails the tag (bad_record_mac); one in the 5-byte record header
        // breaks the framing or the version instead. Either way the SBC refuses with an alert.
        const altered = t.steps.find((s) => s.summary.endsWith('(tampered)'))!;
        const length = fromHex(altered.bytes).length - 40;
        expect(t.outcome.stage).toBe('tls');
        expect(Object.keys(ALERT_CODE)).toContain(t.outcome.reason);
        if (bit % (8 * length) >= 5 * 8) expect(t.outcome.reason).toBe('bad_record_mac');
        expect(t.outcome.summary).toMatch(/^The SBC ended the TLS connection with the PBX/);
      }),
      { numRuns: 25 },
    );
  });
});
