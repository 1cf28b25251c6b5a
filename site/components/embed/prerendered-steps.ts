/**
 * The steps of a scenario whose embed page the build draws in full, so that
 * a help centre's frame shows its step as soon as the page arrives, before
 * any script: the first step, every step the lab's Next stops at (each
 * flight's lead packet, each media run's first; site/lib/run-stops.ts), and
 * every step that carries a failure. These are the steps the lab's "copy
 * embed snippet" offers as a reader steps through a run. Any other step is
 * still served, by the scenario's own page, which computes it in the
 * reader's browser.
 */
import type { Step } from '../../../sim/index';
import { runStops } from '../../lib/run-stops';

/** The step numbers (from 1, as the lab's `step`) drawn at build time, in order. */
export function prerenderedSteps(steps: readonly Step[]): number[] {
  const picked = new Set<number>(steps.length > 0 ? [0] : []);
  for (const stop of runStops(steps)) picked.add(stop.lead);
  for (const step of steps) if (step.failure !== undefined) picked.add(step.index);
  return [...picked].sort((a, b) => a - b).map((index) => index + 1);
}
