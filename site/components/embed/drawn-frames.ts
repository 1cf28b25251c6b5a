/**
 * The embed pages' first frames, computed by the build (prerendered-steps.ts
 * says which steps have one): from the build's one run per scenario
 * (site/components/docs/scenario-steps.ts), shared with the articles'
 * figures, at the lab's default seed.
 */
import { listScenarios, type ScenarioInfo } from '../../../sim/index';
import { DEFAULT_SEED } from '../../lib/lab-url';
import { ARTICLE_SEED, articleRun } from '../docs/scenario-steps';
import { figureFrame, type FigureFrame } from '../figure/figure-data';
import { prerenderedSteps } from './prerendered-steps';

// The embeds open on the lab's default seed; the build's shared runs are the articles'.
if (ARTICLE_SEED !== DEFAULT_SEED) throw new Error('embeds and articles must share the lab’s default seed');

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
