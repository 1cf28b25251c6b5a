/**
 * A live figure's ladder window and lens switch (site/components/figure/
 * figure-data.ts): the window always holds the step and as many rows as the
 * run allows, and the switch offers the parties that read a step differently.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/index';
import { runScenario } from '../../sim/index';
import { figureFrame, LADDER_ROWS, ladderWindow, partiesThatDiffer } from '../../site/components/figure/figure-data';

describe('the ladder window', () => {
  it('holds the step and min(total, LADDER_ROWS) rows, within the run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.nat(), (total, at) => {
        const index = at % total;
        const { first, last } = ladderWindow(total, index);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(last).toBeLessThanOrEqual(total);
        expect(last - first).toBe(Math.min(total, LADDER_ROWS));
        expect(index >= first && index < last).toBe(true);
      }),
    );
  });
});

describe('a figure’s first frame', () => {
  it('carries the step, the run’s length and the rows around it, as the engine wrote them', async () => {
    const run = await runScenario('eavesdrop-secure', { seed: 1, carrier: carrier as CarrierProfile });
    const invite = run.steps.find((s) => s.summary === 'INVITE')!;
    const frame = figureFrame(run.steps, invite.index);
    expect(frame.total).toBe(run.steps.length);
    expect(frame.step).toBe(invite);
    expect(frame.rows.map((r) => r.index)).toContain(invite.index);
    for (const row of frame.rows) {
      const s = run.steps[row.index];
      expect(row).toMatchObject({ from: s.from, to: s.to, protocol: s.protocol, summary: s.summary });
      expect(row.attacker).toBe(s.views.attacker.access);
    }
    // The endpoints decrypt the INVITE; the attacker on the path has its size only.
    expect(partiesThatDiffer(invite)).toEqual(['pbx', 'attacker', 'sbc']);
  });

  it('offers no lens switch where everyone who saw the packet reads the same', async () => {
    const run = await runScenario('secure-call', { seed: 1, carrier: carrier as CarrierProfile });
    const hello = run.steps.find((s) => s.summary === 'ClientHello')!;
    expect(partiesThatDiffer(hello)).toEqual([]);
  });
});
