/**
 * Which step the authors' article shows and quotes in its snippets: the one
 * the article prefers (a scenario and a ladder label, resolved by the engine
 * at build time, as LiveStep does), or, while the catalogue does not have
 * that scenario yet, the first packet of the first scenario it does have. So
 * every snippet in the article works when copied, whatever the catalogue.
 */
import { listScenarios, type ScenarioInfo } from '../../../sim/index';
import { resolveStep, type StepReference } from '../docs/scenario-steps';

export interface ExampleStep {
  scenario: ScenarioInfo;
  /** Packets sent, from 1. */
  step: number;
}

export async function exampleStep(prefer: StepReference): Promise<ExampleStep> {
  const resolution = await resolveStep(prefer);
  if (resolution.kind === 'resolved') return { scenario: resolution.step.scenario, step: resolution.step.number };
  if (resolution.kind === 'scenario-only') return { scenario: resolution.scenario, step: 1 };
  const first = listScenarios()[0];
  if (!first) throw new Error('the scenario catalogue is empty: there is nothing to embed');
  return { scenario: first, step: 1 };
}
