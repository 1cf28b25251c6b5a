/** The scenario catalogue: every scenario the lab and `trunklab run` offer, in the order they are listed. */
import type { Step, Timeline } from '../timeline';
import type { RunOptions, ScenarioDefinition, ScenarioInfo } from './scenario';
import { optionsKeepalive, runOptionsKeepalive } from './options-keepalive';
import { SECURE_CALLS } from './secure-calls';
import { HANDSHAKE_FAILURES } from './handshake-failures';
import { CALL_FAILURES } from './call-failures';
import { ATTACK_SCENARIOS } from './attack-scenarios';
import { OPERATIONAL_SCENARIOS } from './operations';
import { runScenarioSteps } from './run-scenario';
import { whatIfInfo } from './setup';

export interface Scenario extends ScenarioInfo {
  /** Runs it, yielding each step when it is final; the generator's value is the whole Timeline. */
  steps(options: RunOptions): AsyncGenerator<Step, Timeline, void>;
}

/** The catalogue's definitions that the trunk runner interprets. */
export const DEFINITIONS: readonly ScenarioDefinition[] = [
  ...SECURE_CALLS,
  ...HANDSHAKE_FAILURES,
  ...CALL_FAILURES,
  ...ATTACK_SCENARIOS,
  ...OPERATIONAL_SCENARIOS,
];

function fromDefinition(d: ScenarioDefinition): Scenario {
  const { setup: _setup, whatIf, ...info } = d;
  return {
    ...info,
    ...(whatIf ? { whatIf: whatIf.map(whatIfInfo) } : {}),
    steps: (options) => runScenarioSteps(d, options),
  };
}

/** The keepalive first: the smallest exchange, and the one the catalogue builds up from. */
export const SCENARIOS: readonly Scenario[] = [
  {
    ...optionsKeepalive,
    // The keepalive is two packets: it runs whole, then yields them.
    async *steps(options) {
      const timeline = await runOptionsKeepalive(options);
      for (const step of timeline.steps) yield step;
      return timeline;
    },
  },
  ...DEFINITIONS.map(fromDefinition),
];

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
