/**
 * What a scenario is: a carrier profile, the parties' configuration, an
 * optional fault or attack, and what a trainee should learn from it. The
 * outcome a scenario expects is stated for tests and the catalogue listing;
 * the outcome a run reports always comes from running the protocol code.
 */
import type { CarrierProfile } from '../carrier';
import type { Outcome } from '../timeline';

export interface ExpectedOutcome {
  ok: boolean;
  stage: Outcome['stage'];
  /** The reason code the run is expected to end with (`ok`, `unknown_ca`, `488`). */
  reason: string;
}

/**
 * A what-if the lab offers for a scenario: one setting a trainee can change
 * before re-running with the same seed (TLS 1.2 or 1.3, static RSA or ECDHE,
 * SRTP on or off, attacker on or off).
 */
export interface WhatIf {
  /** Key in `RunOptions.whatIf` and in the lab's URL: `tls`, `keyExchange`, `srtp`, `attacker`. */
  id: string;
  /** The setting, in words: `TLS version`. */
  label: string;
  choices: Array<{ value: string; label: string }>;
  /** The value the scenario runs with when none is given. */
  default: string;
}

export interface ScenarioInfo {
  id: string;
  title: string;
  /** One or two sentences: what happens. */
  summary: string;
  /** What a trainee should take away. */
  lesson: string;
  /** The article that explains it (site-relative). */
  article: string;
  expected: ExpectedOutcome;
  /** Settings the lab lets a trainee change and re-run, if any. */
  whatIf?: WhatIf[];
}

export interface RunOptions {
  seed: number;
  carrier: CarrierProfile;
  /** Use real randomness; the run cannot be replayed. */
  live?: boolean;
  /** Chosen what-if values by `WhatIf.id`; a scenario uses its defaults for the rest. */
  whatIf?: Record<string, string>;
}
