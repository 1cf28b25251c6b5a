/**
 * Runs for the scenario tests, each computed once per test file: a run is a
 * pure function of (scenario, options, seed), so sharing it changes nothing.
 * Also runs a definition built in a test (scenarios are data), and reads
 * what a party learned from a step's views.
 */
import { runScenario, type Step, type Timeline } from '../../sim/index';
import { runScenarioSteps } from '../../sim/scenarios/run-scenario';
import type { RunOptions, ScenarioDefinition, SetupPatch } from '../../sim/scenarios/scenario';
import { secureTrunk } from '../../sim/scenarios/setup';
import { fromHex, fromUtf8 } from '../../sim/wire';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

export const profile = carrier as CarrierProfile;

const cache = new Map<string, Promise<Timeline>>();

export function run(id: string, options: Partial<Omit<RunOptions, 'carrier'>> = {}): Promise<Timeline> {
  const key = JSON.stringify([id, options]);
  let t = cache.get(key);
  if (!t) {
    t = runScenario(id, { seed: 1, carrier: profile, ...options });
    cache.set(key, t);
  }
  return t;
}

/** Runs a secure trunk changed by `patch`, as a scenario of its own. */
export async function runSetup(patch: SetupPatch, seed = 1, id = 'test-trunk'): Promise<Timeline> {
  const definition: ScenarioDefinition = {
    id,
    title: id,
    summary: '',
    lesson: '',
    article: '/docs/secure-trunk/',
    expected: { ok: true, stage: 'complete', reason: 'ok' },
    setup: secureTrunk(patch),
  };
  const steps = runScenarioSteps(definition, { seed, carrier: profile });
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}

/** Everything a party could read of the run, as text: the wire bytes it read in full and the layers it decrypted. */
export function readableText(t: Timeline, party: 'pbx' | 'attacker' | 'sbc', from?: Step['from']): string {
  return t.steps
    .filter((s) => !from || s.from === from)
    .map((s) => {
      const v = s.views[party];
      if (v.access === 'none') return '';
      const layers = v.layers.map((l) => latin1(fromHex(l.bytes))).join('\n');
      return v.access === 'all' ? `${latin1(fromHex(s.bytes))}\n${layers}` : layers;
    })
    .join('\n');
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/** The SIP messages a party read in full, in order (from the SIP layers of the steps it could read). */
export function sipRead(t: Timeline, party: 'pbx' | 'attacker' | 'sbc'): string[] {
  return t.steps.filter((s) => s.protocol === 'SIP' && s.views[party].access === 'all').map((s) => s.summary);
}

export function audioOf(t: Timeline, party: 'pbx' | 'attacker' | 'sbc') {
  return t.audio?.find((a) => a.party === party);
}

export { fromUtf8 };
