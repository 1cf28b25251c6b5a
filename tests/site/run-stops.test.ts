/**
 * Where Next step stops (site/lib/run-stops.ts) and the chapters
 * (site/lib/chapters.ts), on a real secure call and on made-up ladders:
 * every step belongs to exactly one stop, in order; a newcomer reaches the
 * BYE in at most twelve presses; each stop opens the packet it was sent for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import 'reflect-metadata';
import { runScenario, type Party, type Protocol, type Step, type Timeline } from '../../sim/index';
import type { CarrierProfile } from '../../sim/carrier';
import carrier from '../../content/carrier.json';
import { runStops, stopHolding } from '../../site/lib/run-stops';
import { chapters, phaseRuns } from '../../site/lib/chapters';

let secure: Timeline;
beforeAll(async () => {
  secure = await runScenario('secure-call', { seed: 1, carrier: carrier as CarrierProfile });
});

const label = (t: Timeline, i: number) => t.steps[i].summary;

describe('runStops on a secure call', () => {
  it('reaches the BYE in at most 12 presses of Next step, by way of the media as one stop', () => {
    const stops = runStops(secure.steps);
    const bye = secure.steps.findIndex((s) => s.summary === 'BYE');
    const presses = stopHolding(stops, bye) - stopHolding(stops, 0);
    expect(presses).toBeLessThanOrEqual(12);
    // The stop before the BYE is the call's media, folded; the one before it ends with the SIP ACK.
    const media = stops[stopHolding(stops, bye) - 1];
    expect(media.media).toBe(true);
    expect(secure.steps[media.lead].protocol).toBe('SRTP');
    expect(label(secure, stops[stopHolding(stops, bye) - 2].lead)).toBe('ACK');
  });

  it('opens each flight on what it was sent for', () => {
    const leads = runStops(secure.steps).map((s) => label(secure, s.lead));
    for (const wanted of ['ClientHello', 'REGISTER', '401 Unauthorized', 'INVITE', 'BYE'])
      expect(leads).toContain(wanted);
    // The SBC's answer to the INVITE (100 Trying, 180 Ringing, 200 OK at one instant) opens on the 200 OK.
    expect(leads).toContain('200 OK');
    expect(leads).not.toContain('100 Trying');
  });

  it('gives the chapters in order, each starting where its phase does', () => {
    const list = chapters(secure.steps);
    expect(list.map((c) => c.phase)).toEqual(['tcp', 'tls', 'registration', 'call-setup', 'media', 'hang-up']);
    expect(label(secure, list[1].first)).toBe('ClientHello');
    expect(label(secure, list[5].first)).toBe('BYE');
    expect(list.at(-1)!.last).toBe(secure.steps.length - 1);
    expect(phaseRuns(secure.steps)).toMatch(/^tcp 0-2 tls 3-\d+ registration /);
  });
});

/** A step reduced to what stops read: sender, time, protocol, label, failure. */
function step(index: number, from: Party, time: number, protocol: Protocol, summary: string, failure?: string): Step {
  const view = { access: 'all' as const, summary: '', layers: [] };
  return {
    index,
    phase: 'call-setup',
    time,
    from,
    to: from === 'pbx' ? 'sbc' : 'pbx',
    src: '',
    dst: '',
    transport: protocol === 'TCP' || protocol === 'TLS' || protocol === 'SIP' ? 'tcp' : 'udp',
    protocol,
    summary,
    bytes: '',
    fields: [],
    views: { pbx: view, attacker: view, sbc: view },
    explanation: '',
    articles: [],
    events: [],
    ...(failure ? { failure } : {}),
  };
}

describe('runStops on any ladder', () => {
  const kinds: Array<[Protocol, string]> = [
    ['TCP', 'ACK'],
    ['TCP', 'SYN'],
    ['TLS', 'Finished'],
    ['SIP', 'INVITE'],
    ['SRTP', 'SRTP'],
    ['SRTCP', 'SRTCP'],
  ];
  const ladders = fc.array(
    fc.record({
      kind: fc.constantFrom(...kinds),
      from: fc.constantFrom<Party>('pbx', 'sbc', 'attacker'),
      later: fc.boolean(),
      failed: fc.boolean().map((b) => (b ? 'auth_failure' : undefined)),
    }),
    { maxLength: 60 },
  );

  it('puts every step in exactly one stop, in order, each leading with one of its own', () => {
    fc.assert(
      fc.property(ladders, (rows) => {
        let time = 0;
        const steps = rows.map((r, i) => step(i, r.from, (time += r.later ? 20 : 0), r.kind[0], r.kind[1], r.failed));
        const stops = runStops(steps);
        const covered = stops.flatMap((s) => Array.from({ length: s.last - s.first + 1 }, (_, k) => s.first + k));
        expect(covered).toEqual(steps.map((s) => s.index));
        for (const s of stops) {
          expect(s.lead).toBeGreaterThanOrEqual(s.first);
          expect(s.lead).toBeLessThanOrEqual(s.last);
          const failed = steps.slice(s.first, s.last + 1).find((x) => x.failure);
          if (failed && !s.media) expect(s.lead).toBe(failed.index);
        }
        for (const st of steps) expect(stopHolding(stops, st.index)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
