/**
 * A run is a pure function of (scenario, options, seed): the same seed gives
 * byte-identical Timelines and captures, whatever ran before (the carrier's
 * PKI is shared between runs, never a source of difference); another seed
 * gives other bytes with the same outcome; live runs use real randomness and
 * say so.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exportRun, listScenarios, runFingerprint, runScenario } from '../../sim/index';
import { profile } from './runs';

const expected = new Map(listScenarios().map((s) => [s.id, s.expected]));

describe('same seed, same bytes', () => {
  it.each(['secure-call', 'sdes-over-plain-sip', 'mitm-self-signed', 'srtp-replay', 'record-now-decrypt-later'])(
    '%s: identical Timeline, pcapng and media pcap',
    async (id) => {
      const a = await runScenario(id, { seed: 42, carrier: profile });
      const b = await runScenario(id, { seed: 42, carrier: profile });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      for (const kind of ['pcapng', 'mermaid', 'keylog', 'media-pcap'] as const) {
        if (!a.keyLog && kind === 'keylog') continue;
        if (!a.audio && kind === 'media-pcap') continue;
        expect(Buffer.from(exportRun(b, kind).bytes).equals(Buffer.from(exportRun(a, kind).bytes)), kind).toBe(true);
      }
      const c = await runScenario(id, { seed: 43, carrier: profile });
      expect(runFingerprint(c)).not.toBe(runFingerprint(a));
      expect(c.outcome).toMatchObject({ ok: a.outcome.ok, stage: a.outcome.stage, reason: a.outcome.reason });
    },
  );

  it('what-ifs are part of the input: the same choices give the same bytes, another choice other bytes', async () => {
    const a = await runScenario('secure-call', { seed: 7, carrier: profile, whatIf: { tls: '1.2' } });
    const b = await runScenario('secure-call', { seed: 7, carrier: profile, whatIf: { tls: '1.2' } });
    const c = await runScenario('secure-call', { seed: 7, carrier: profile });
    expect(runFingerprint(b)).toBe(runFingerprint(a));
    expect(runFingerprint(c)).not.toBe(runFingerprint(a));
  });

  it('a live run uses real randomness and says so', async () => {
    const a = await runScenario('tls-version-mismatch', { seed: 1, carrier: profile, live: true });
    const b = await runScenario('tls-version-mismatch', { seed: 1, carrier: profile, live: true });
    expect(a.live).toBe(true);
    expect(runFingerprint(a)).not.toBe(runFingerprint(b));
    expect(a.outcome.reason).toBe('protocol_version');
  });
});

describe('any seed', () => {
  it('ends each quick scenario the way the catalogue says', async () => {
    const quick = [
      'mitm-wrong-name',
      'no-client-cert',
      'cipher-mismatch',
      'digest-wrong-password',
      'tls-record-tamper',
    ];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(...quick), async (seed, id) => {
        const t = await runScenario(id, { seed, carrier: profile });
        const want = expected.get(id)!;
        return t.outcome.ok === want.ok && t.outcome.stage === want.stage && t.outcome.reason === want.reason;
      }),
      { numRuns: 12 },
    );
  });
});
