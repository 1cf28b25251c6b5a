/**
 * The steps of a scenario whose embed page the build draws in full, so that
 * a help centre's frame shows its step as soon as the page arrives, before
 * any script: the first step, every step the lab's Next stops at (each
 * flight's lead packet, each media run's first; site/lib/run-stops.ts), and
 * every step that carries a failure. These are the steps the lab's "copy
 * embed snippet" offers as a reader steps through a run. Any other step is
 * still served, by the scenario's own page, which computes it in the
 * reader's browser.
 *
 * The runs come from the build's one run per scenario (scenario-steps.ts),
 * shared with the articles' figures, at the lab's default seed.
 */
import { listScenarios, type ScenarioInfo, type Step } from '../../../sim/index';
import { DEFAULT_SEED } from '../../lib/lab-url';
import { runStops } from '../../lib/run-stops';
import { ARTICLE_SEED, articleRun } from '../docs/scenario-steps';
import { figureFrame, type FigureFrame } from '../figure/figure-data';

// The embeds open on the lab's default seed; the build's shared runs are the articles'.
if (ARTICLE_SEED !== DEFAULT_SEED) throw new Error('embeds and articles must share the lab’s default seed');

/** The step numbers (from 1, as the lab's `step`) drawn at build time, in order. */
export function prerenderedSteps(steps: readonly Step[]): number[] {
  const picked = new Set<number>(steps.length > 0 ? [0] : []);
  for (const stop of runStops(steps)) picked.add(stop.lead);
  for (const step of steps) if (step.failure !== undefined) picked.add(step.index);
  return [...picked].sort((a, b) => a - b).map((index) => index + 1);
}

export interface PrerenderedStep {
  scenario: ScenarioInfo;
  /** From 1. */
  step: number;
  frame: FigureFrame;
}

/** Every scenario's drawn steps, with the first frame of each. */
export async function everyPrerenderedStep(): Promise<PrerenderedStep[]> {
  const all: PrerenderedStep[] = [];
  for (const scenario of listScenarios()) {
    const { steps } = await articleRun(scenario.id);
    for (const step of prerenderedSteps(steps)) all.push({ scenario, step, frame: figureFrame(steps, step - 1) });
  }
  return all;
}

/** Each scenario's drawn step numbers, for the loader, which sends a frame to the page drawn for its step. */
export async function prerenderedStepsByScenario(): Promise<Record<string, number[]>> {
  const byScenario: Record<string, number[]> = {};
  for (const scenario of listScenarios())
    byScenario[scenario.id] = prerenderedSteps((await articleRun(scenario.id)).steps);
  return byScenario;
}
