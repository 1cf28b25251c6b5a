/**
 * The engine's public API: what the site and the `trunklab` command use.
 * Everything it returns is plain, serializable data (see timeline.ts).
 */
import type { CarrierProfile } from './carrier';
import type { Timeline } from './timeline';
import { SCENARIOS, findScenario } from './scenarios/catalogue';
import type { ScenarioInfo } from './scenarios/scenario';

export type * from './timeline';
export type * from './carrier';
export type { Field, Layer } from './wire/field';
export type { ScenarioInfo, ExpectedOutcome, WhatIf } from './scenarios/scenario';
export { specUrl } from './wire/field';
export { runFingerprint } from './run-fingerprint';
export { PARTIES } from './timeline';

/** Id, title and expected outcome of every scenario, without their code. */
export function listScenarios(): ScenarioInfo[] {
  return SCENARIOS.map(({ id, title, summary, lesson, article, expected, whatIf }) => ({
    id,
    title,
    summary,
    lesson,
    article,
    expected,
    ...(whatIf ? { whatIf } : {}),
  }));
}

export class UnknownScenarioError extends Error {
  constructor(readonly id: string) {
    super(`unknown scenario "${id}"; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  }
}

/** Runs a scenario: a pure function of (scenario, carrier, seed) unless `live`. */
export async function runScenario(
  id: string,
  options: { seed: number; carrier: CarrierProfile; live?: boolean; whatIf?: Record<string, string> },
): Promise<Timeline> {
  const scenario = findScenario(id);
  if (!scenario) throw new UnknownScenarioError(id);
  return scenario.run(options);
}
