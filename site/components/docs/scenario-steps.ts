/**
 * Articles point at a scenario and at one step of its run by the step's
 * ladder label (`ClientHello`, `REGISTER`, `401 Unauthorized`), never by a
 * number typed by hand: the number is found by running the scenario with the
 * engine at build time, so a change in the engine moves the link with it.
 * The same resolution backs the build and the tests (tests/content), which
 * fail when a scenario or a step does not exist.
 */
import { listScenarios, runScenario, type ScenarioInfo, type Step, type Timeline } from '../../../sim/index';
import { carrier } from './carrier-profile';

/** The seed articles show: the lab's default, so the article and the lab show the same bytes. */
export const ARTICLE_SEED = 1;

export interface StepReference {
  scenario: string;
  /** The step's ladder label, exactly as the engine writes it. */
  at?: string;
  /** Which occurrence of that label, counting from 1 (a second `200 OK`, say). */
  occurrence?: number;
}

export interface ResolvedStep {
  scenario: ScenarioInfo;
  /** 1-based: the lab's `step` URL parameter (how many packets have been sent). */
  number: number;
  step: Step;
}

export type StepResolution =
  | { kind: 'resolved'; step: ResolvedStep }
  | { kind: 'scenario-only'; scenario: ScenarioInfo }
  | { kind: 'unknown-scenario'; scenario: string; known: string[] }
  | { kind: 'unknown-step'; scenario: ScenarioInfo; at: string; occurrence: number; labels: string[] };

const runs = new Map<string, Promise<Timeline>>();

/** One run per scenario per build, shared by every article that shows it. */
export function articleRun(scenario: string): Promise<Timeline> {
  let run = runs.get(scenario);
  if (!run) {
    run = runScenario(scenario, { seed: ARTICLE_SEED, carrier });
    runs.set(scenario, run);
  }
  return run;
}

export function findScenarioInfo(id: string): ScenarioInfo | undefined {
  return listScenarios().find((s) => s.id === id);
}

export async function resolveStep(ref: StepReference): Promise<StepResolution> {
  const scenario = findScenarioInfo(ref.scenario);
  if (!scenario) {
    return { kind: 'unknown-scenario', scenario: ref.scenario, known: listScenarios().map((s) => s.id) };
  }
  if (ref.at === undefined) return { kind: 'scenario-only', scenario };
  const occurrence = ref.occurrence ?? 1;
  const timeline = await articleRun(scenario.id);
  const matches = timeline.steps.filter((s) => s.summary === ref.at);
  const step = matches[occurrence - 1];
  if (!step) {
    return {
      kind: 'unknown-step',
      scenario,
      at: ref.at,
      occurrence,
      labels: [...new Set(timeline.steps.map((s) => s.summary))],
    };
  }
  return { kind: 'resolved', step: { scenario, number: step.index + 1, step } };
}

/** Says what is wrong with a reference, for build errors and test failures. */
export function describeProblem(resolution: StepResolution): string | undefined {
  switch (resolution.kind) {
    case 'unknown-scenario':
      return `unknown scenario "${resolution.scenario}" (the catalogue has: ${resolution.known.join(', ')})`;
    case 'unknown-step':
      return `scenario "${resolution.scenario.id}" has no step labelled "${resolution.at}" (occurrence ${resolution.occurrence}); its labels: ${resolution.labels.join(' | ')}`;
    default:
      return undefined;
  }
}
