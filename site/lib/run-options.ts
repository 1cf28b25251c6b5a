/**
 * The engine's options for a run key: the one place the page's worker and
 * the build (the lab's first frame) turn a key into a run, so both compute
 * the same bytes for it. The carrier is the site's profile, as everywhere.
 */
import type { CarrierProfile, ScenarioRunOptions } from '../../sim/index';
import carrier from '../../content/carrier.json';
import type { RunKey } from './engine-protocol';

export function runOptions(key: RunKey): ScenarioRunOptions {
  return {
    seed: key.seed,
    whatIf: key.whatIf,
    carrier: carrier as CarrierProfile,
    ...(key.talkMs !== undefined ? { audioMs: key.talkMs } : {}),
  };
}
