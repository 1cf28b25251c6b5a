/**
 * The page's side of the engine worker: one worker per page, shared by the
 * lab and any live steps on it, started on first use. Each request is a
 * Promise of the worker's answer.
 */
import type { Party, Step } from '../../sim/index';
import type {
  AudioResult,
  CaptureProgress,
  CaptureResult,
  EngineRequest,
  EngineResponse,
  EngineResult,
  ExportFile,
  ExportKind,
  RunKey,
  RunResult,
} from './engine-protocol';

type Ask = EngineRequest extends infer R ? (R extends { requestId: number } ? Omit<R, 'requestId'> : never) : never;

let worker: Worker | undefined;
let nextId = 1;
interface Waiter {
  resolve: (r: EngineResult) => void;
  reject: (e: Error) => void;
  progress?: (steps: Step[]) => void;
  reading?: (p: CaptureProgress) => void;
}
const pending = new Map<number, Waiter>();

function engine(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'trunklab-engine' });
    worker.onmessage = (event: MessageEvent<EngineResponse>) => {
      const r = event.data;
      const waiter = pending.get(r.requestId);
      if (!waiter) return;
      if ('progress' in r) {
        waiter.progress?.(r.progress);
        return;
      }
      if ('reading' in r) {
        waiter.reading?.(r.reading);
        return;
      }
      pending.delete(r.requestId);
      if (r.ok) waiter.resolve(r.result);
      else waiter.reject(new Error(r.error));
    };
    worker.onerror = (event) => {
      // A worker that fails answers nothing: fail every waiter rather than hang, and start afresh next time.
      const error = new Error(event.message || 'the engine worker stopped');
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      worker?.terminate();
      worker = undefined;
    };
  }
  return worker;
}

function ask<T extends EngineResult>(
  request: Ask,
  progress?: (steps: Step[]) => void,
  reading?: (p: CaptureProgress) => void,
  requestId = nextId++,
): Promise<T> {
  return new Promise((resolve, reject) => {
    pending.set(requestId, { resolve: resolve as (r: EngineResult) => void, reject, progress, reading });
    engine().postMessage({ ...request, requestId } as EngineRequest);
  });
}

/**
 * Starts the worker now, so that its code is loaded while the page is: a page that must work
 * offline once loaded (the training page) asks for it on mount, not at its first run.
 */
export function startEngine(): void {
  engine();
}

/** Runs a scenario; `progress` hears its steps as the engine yields them, before the run is done. */
export function runInEngine(run: RunKey, progress?: (steps: Step[]) => void): Promise<RunResult> {
  return ask<RunResult>({ type: 'run', run }, progress);
}

export function audioFromEngine(run: RunKey, party: Party): Promise<AudioResult> {
  return ask<AudioResult>({ type: 'audio', run, party });
}

export function exportFromEngine(run: RunKey, kind: ExportKind, exercise = false): Promise<ExportFile> {
  return ask<ExportFile>({ type: 'export', run, kind, ...(exercise ? { exercise } : {}) });
}

/**
 * Opens a capture file (and an NSS key log) in the worker, which reads them
 * itself: nothing is uploaded anywhere. `reading` hears how far it got;
 * `cancel` stops it, and the promise then rejects.
 */
export function openCaptureInEngine(
  capture: File,
  keyLog: File | undefined,
  reading: (p: CaptureProgress) => void,
): { result: Promise<CaptureResult>; cancel: () => void } {
  const requestId = nextId++;
  const result = ask<CaptureResult>(
    { type: 'open-capture', capture, name: capture.name, ...(keyLog ? { keyLog } : {}) },
    undefined,
    reading,
    requestId,
  );
  return {
    result,
    cancel: () => engine().postMessage({ type: 'cancel-capture', target: requestId, requestId: nextId++ }),
  };
}
