/**
 * Messages between the page and the engine worker. The page asks; the
 * worker runs the engine and answers with plain data (and, for audio and
 * export files, transferable buffers).
 */
import type { CaptureReport, Party, RunExportKind, Step, Timeline } from '../../sim/index';

/** What identifies a run: the same key always gives the same bytes. */
export interface RunKey {
  scenario: string;
  seed: number;
  whatIf: Record<string, string>;
  /** How long each side of the call talks, in ms; undefined: the engine's spoken phrase. */
  talkMs?: number;
}

/**
 * Files the worker can make from a run: the engine's exports (which ones a run
 * offers depends on what it has: no TLS, no key log) and the Timeline itself.
 */
export type ExportKind = RunExportKind | 'timeline';

export interface RunResult {
  timeline: Timeline;
  /** SHA-256 of the run's wire bytes, computed by the engine in the worker (sim/run-fingerprint.ts). */
  fingerprint: string;
  exports: ExportKind[];
}

export interface AudioResult {
  party: Party;
  sampleRate: number;
  samples: Float32Array;
}

export interface ExportFile {
  kind: ExportKind;
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/** A capture opened in the engine: shown like a run, under its own key, with the diagnosis. */
export interface CaptureResult extends RunResult {
  /** The key audio and export requests name it by. */
  key: RunKey;
  report: CaptureReport;
}

/** How far the engine has read a capture file. */
export interface CaptureProgress {
  bytes: number;
  total: number;
  packets: number;
}

export type EngineRequest =
  | { requestId: number; type: 'run'; run: RunKey }
  | { requestId: number; type: 'audio'; run: RunKey; party: Party }
  /** `exercise`: the file as an exercise offers it, named after the exercise and with no mark of the answer. */
  | { requestId: number; type: 'export'; run: RunKey; kind: ExportKind; exercise?: boolean }
  /** Read a capture file (and its key log) in the worker: the files never leave the browser. */
  | { requestId: number; type: 'open-capture'; capture: Blob; name: string; keyLog?: Blob }
  /** Stop reading the capture that request `target` opens. */
  | { requestId: number; type: 'cancel-capture'; target: number };

export type EngineResult = RunResult | AudioResult | ExportFile | CaptureResult;

export type EngineResponse =
  | { requestId: number; ok: true; result: EngineResult }
  | { requestId: number; ok: false; error: string }
  /** Steps of a run still being computed, in order, as the engine yields them. */
  | { requestId: number; progress: Step[] }
  /** How far a capture has been read. */
  | { requestId: number; reading: CaptureProgress };

export function runKeyString(key: RunKey): string {
  const whatIf = Object.keys(key.whatIf)
    .sort()
    .map((k) => `${k}=${key.whatIf[k]}`)
    .join('&');
  return `${key.scenario}|${key.seed}|${whatIf}|${key.talkMs ?? ''}`;
}
