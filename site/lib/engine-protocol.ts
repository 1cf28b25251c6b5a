/**
 * Messages between the page and the engine worker. The page asks; the
 * worker runs the engine and answers with plain data (and, for audio and
 * export files, transferable buffers).
 */
import type { Party, RunExportKind, Step, Timeline } from '../../sim/index';

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

export type EngineRequest =
  | { requestId: number; type: 'run'; run: RunKey }
  | { requestId: number; type: 'audio'; run: RunKey; party: Party }
  | { requestId: number; type: 'export'; run: RunKey; kind: ExportKind };

export type EngineResult = RunResult | AudioResult | ExportFile;

export type EngineResponse =
  | { requestId: number; ok: true; result: EngineResult }
  | { requestId: number; ok: false; error: string }
  /** Steps of a run still being computed, in order, as the engine yields them. */
  | { requestId: number; progress: Step[] };

export function runKeyString(key: RunKey): string {
  const whatIf = Object.keys(key.whatIf)
    .sort()
    .map((k) => `${k}=${key.whatIf[k]}`)
    .join('&');
  return `${key.scenario}|${key.seed}|${whatIf}|${key.talkMs ?? ''}`;
}
