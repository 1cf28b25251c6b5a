/**
 * Which embed steps the build draws on pages of their own
 * (site/components/embed/prerendered-steps.ts), on a real run: the first
 * step, every stop of the lab's Next (its lead packet) and every failure;
 * never a bare TCP acknowledgement nobody would embed; and the page of the
 * scenario (`?step=N`) hands a drawn step on to its own page's address.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import { runScenario, type Timeline } from '../../sim/index';
import type { CarrierProfile } from '../../sim/carrier';
import carrier from '../../content/carrier.json';
import { drawnStepAddress } from '../../site/components/embed/embed-request';
import { prerenderedSteps } from '../../site/components/embed/prerendered-steps';
import { isBareAck } from '../../site/lib/ladder-rows';
import { runStops } from '../../site/lib/run-stops';

let tamper: Timeline;
beforeAll(async () => {
  tamper = await runScenario('tls-record-tamper', { seed: 1, carrier: carrier as CarrierProfile });
});

describe('prerenderedSteps', () => {
  it('draws the first step, each stop’s lead and each failure, in order, once each', () => {
    const drawn = prerenderedSteps(tamper.steps);
    expect(drawn[0]).toBe(1);
    expect([...drawn].sort((a, b) => a - b)).toEqual(drawn);
    expect(new Set(drawn).size).toBe(drawn.length);
    for (const stop of runStops(tamper.steps)) expect(drawn).toContain(stop.lead + 1);
    const failures = tamper.steps.filter((s) => s.failure !== undefined);
    expect(failures.length).toBeGreaterThan(0);
    for (const s of failures) expect(drawn).toContain(s.index + 1);
    expect(drawn.filter((n) => isBareAck(tamper.steps[n - 1]) && n > 1)).toEqual([]);
    expect(drawn.length).toBeLessThan(tamper.steps.length);
  });

  it('draws nothing of an empty run', () => {
    expect(prerenderedSteps([])).toEqual([]);
  });
});

describe('drawnStepAddress', () => {
  it('moves the step into the path and keeps the other parameters, under any base path', () => {
    expect(
      drawnStepAddress('https://help.example.com/help/lab/embed/secure-call/?step=7&lens=attacker&theme=dark', 7),
    ).toBe('https://help.example.com/help/lab/embed/secure-call/7/?lens=attacker&theme=dark');
    expect(drawnStepAddress('http://127.0.0.1:4321/embed/srtp-replay/?step=12', 12)).toBe(
      'http://127.0.0.1:4321/embed/srtp-replay/12/',
    );
  });
});
