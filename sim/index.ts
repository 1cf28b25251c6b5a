/**
 * The engine's public API: what the site and the `trunklab` command use.
 * Everything it returns is plain, serializable data (see timeline.ts).
 */
import type { CallAudio, Step, Timeline } from './timeline';
import { decodeG711ToFloat32 } from './rtp/g711';
import { fromHex } from './wire/bytes';
import { DEFINITIONS, SCENARIOS, findScenario } from './scenarios/catalogue';
import type { CarrierProfile } from './carrier';
import type { Remedy } from './timeline';
import { exerciseOf, type Exercise } from './training/exercise';
import type { RunOptions as ScenarioRunOptions, ScenarioInfo } from './scenarios/scenario';

export type * from './timeline';
export type * from './carrier';
export type { Field, Layer } from './wire/field';
export type { ScenarioInfo, ExpectedOutcome, WhatIf, RunOptions as ScenarioRunOptions } from './scenarios/scenario';
export { specUrl } from './wire/field';
export { runFingerprint } from './run-fingerprint';
export { runExports, exportRun } from './run-exports';
export type { RunExportKind, RunExportFile } from './run-exports';
export { PARTIES, PHASES } from './timeline';
export { UnknownWhatIfError } from './scenarios/setup';
export { CaptureOpening, openCapture } from './capture/open-capture';
export type { OpenedCapture, OpenCaptureOptions } from './capture/open-capture';
export type { CaptureReport, MediaReport, TlsReport, SipReport } from './capture/capture-analysis';
export type { CaptureFailure, StageReport, TrunkStage } from './capture/diagnosis';
export { MAX_CAPTURE_STEPS } from './capture/capture-steps';
export { provingSteps } from './training/proof';
export { unmarkedSteps } from './training/unmarked-steps';
export { exportExercise } from './training/exercise-exports';
export { EXERCISE_FILE_KINDS } from './training/exercise-files';
export type { Exercise, ExerciseChoice } from './training/exercise';
export type { TrainingStage, ProofPattern } from './scenarios/training';
export { ENGINE_FACTS } from './engine-facts';
export { labCertificates, type LabCertificate } from './scenarios/credentials';
export { RUN_START } from './scenarios/run-scenario';

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

/**
 * The words a failing scenario teaches for its failure — why it happens and
 * what to change, with the troubleshooting section on it — as the given
 * carrier reads them: the ones the lab shows beside a run that fails this
 * way, and the troubleshooting article prints. Undefined for a scenario
 * that does not fail.
 */
export function scenarioRemedy(id: string, carrier: CarrierProfile): Remedy | undefined {
  const remedy = DEFINITIONS.find((d) => d.id === id)?.remedies?.[0];
  return remedy && { cause: remedy.cause(carrier), fix: remedy.fix(carrier), article: remedy.article };
}

/**
 * Every failing scenario as a "Diagnose the trunk" exercise, written for the
 * given carrier: the symptom, the causes and fixes to choose from, and the
 * scenario's remedy to explain the answers (sim/training/exercise.ts).
 */
export function listExercises(carrier: CarrierProfile): Exercise[] {
  return DEFINITIONS.flatMap((d) => exerciseOf(d, carrier) ?? []);
}

export class UnknownScenarioError extends Error {
  constructor(readonly id: string) {
    super(`unknown scenario "${id}"; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  }
}

/**
 * Runs a scenario step by step: each step is yielded as soon as it is final,
 * so a page can show the first packets while the call is still being
 * computed; the generator's return value is the whole Timeline.
 */
export function streamScenario(id: string, options: ScenarioRunOptions): AsyncGenerator<Step, Timeline, void> {
  const scenario = findScenario(id);
  if (!scenario) throw new UnknownScenarioError(id);
  return scenario.steps(options);
}

/**
 * Runs a scenario: a pure function of (scenario, options, seed) unless `live`.
 * `onStep` hears each step as soon as it is final.
 */
export async function runScenario(
  id: string,
  options: ScenarioRunOptions,
  onStep?: (step: Step) => void,
): Promise<Timeline> {
  const steps = streamScenario(id, options);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
    onStep?.(next.value);
  }
}

/** G.711's sample rate (ITU-T G.711; RFC 3551 §4.5.14). */
export const CALL_AUDIO_SAMPLE_RATE = 8000;

/** PCM samples in [-1, 1) of what a party hears, for the Web Audio API. */
export function callAudioSamples(audio: CallAudio): Float32Array {
  return decodeG711ToFloat32(audio.law, fromHex(audio.payload));
}
