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
}

export interface RunOptions {
  seed: number;
  carrier: CarrierProfile;
  /** Use real randomness; the run cannot be replayed. */
  live?: boolean;
}
