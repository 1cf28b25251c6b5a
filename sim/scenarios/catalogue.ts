/** The scenario catalogue: every scenario the lab and `trunklab run` offer. */
import type { Timeline } from '../timeline';
import type { RunOptions, ScenarioInfo } from './scenario';
import { optionsKeepalive, runOptionsKeepalive } from './options-keepalive';

export interface Scenario extends ScenarioInfo {
  run(options: RunOptions): Promise<Timeline>;
}

export const SCENARIOS: readonly Scenario[] = [{ ...optionsKeepalive, run: runOptionsKeepalive }];

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
