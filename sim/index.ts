/**
 * The engine's public API: what the site and the `trunklab` command use.
 * Everything it returns is plain, serializable data (see timeline.ts).
 */
import type { CarrierProfile } from './carrier';
import type { CallAudio, Timeline } from './timeline';
import { decodeG711ToFloat32 } from './rtp/g711';
import { fromHex } from './wire/bytes';
import { SCENARIOS, findScenario } from './scenarios/catalogue';
import type { ScenarioInfo } from './scenarios/scenario';

export type * from './timeline';
export type * from './carrier';
export type { Field, Layer } from './wire/field';
export type { ScenarioInfo, ExpectedOutcome, WhatIf } from './scenarios/scenario';
export { specUrl } from './wire/field';
export { runFingerprint } from './run-fingerprint';
export { runExports, exportRun } from './run-exports';
export type { RunExportKind, RunExportFile } from './run-exports';
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

/** G.711's sample rate (ITU-T G.711; RFC 3551 §4.5.14). */
export const CALL_AUDIO_SAMPLE_RATE = 8000;

/** PCM samples in [-1, 1) of what a party hears, for the Web Audio API. */
export function callAudioSamples(audio: CallAudio): Float32Array {
  return decodeG711ToFloat32(audio.law, fromHex(audio.payload));
}
