/**
 * The engine's home in the browser: scenarios run here, off the main thread,
 * and the page receives the finished Timeline as plain data, with the run's
 * fingerprint, its call audio as PCM and its export files on request. The
 * page never computes protocol data; everything it shows comes from here.
 */
import 'reflect-metadata';
import {
  CALL_AUDIO_SAMPLE_RATE,
  callAudioSamples,
  exportExercise,
  exportRun,
  runExports,
  runFingerprint,
  runScenario,
} from '../../sim/index';
import type { Step, Timeline } from '../../sim/index';
import { runOptions } from './run-options';
import {
  runKeyString,
  type AudioResult,
  type EngineRequest,
  type EngineResponse,
  type ExportFile,
  type ExportKind,
  type RunKey,
  type RunResult,
} from './engine-protocol';
import { cancelCapture, capturedTimeline, openCaptureFile } from './capture-reading';

/** Recent runs, so audio and exports for the run on screen need no second run. */
const CACHE_SIZE = 4;
const runs = new Map<string, Promise<Timeline>>();

/** How long steps may wait to be posted together: the first goes at once, the rest in batches. */
const BATCH_MS = 40;

/**
 * A run, from the cache or computed now; `progress` hears its steps as the engine yields them
 * (a run already cached, or being computed for another request, has none to report).
 */
function run(key: RunKey, progress?: (steps: Step[]) => void): Promise<Timeline> {
  if (key.scenario.startsWith('capture:')) {
    const captured = capturedTimeline(key.scenario);
    return captured
      ? Promise.resolve(captured)
      : Promise.reject(new Error('this capture is no longer open; open it again'));
  }
  const id = runKeyString(key);
  let timeline = runs.get(id);
  if (!timeline) {
    let batch: Step[] = [];
    let sent = -Infinity;
    const flush = () => {
      if (batch.length > 0) progress?.(batch);
      batch = [];
      sent = performance.now();
    };
    timeline = runScenario(key.scenario, runOptions(key), (step) => {
      batch.push(step);
      if (performance.now() - sent >= BATCH_MS) flush();
    }).then((t) => {
      flush();
      return t;
    });
    runs.set(id, timeline);
    timeline.catch(() => runs.delete(id));
    while (runs.size > CACHE_SIZE) runs.delete(runs.keys().next().value!);
  }
  return timeline;
}

/** The files this run can be exported as: the engine's, then the Timeline as JSON. */
function exportsFor(timeline: Timeline): ExportKind[] {
  return [...runExports(timeline), 'timeline'];
}

function exportFile(timeline: Timeline, kind: ExportKind): ExportFile {
  if (kind !== 'timeline') return exportRun(timeline, kind);
  return {
    kind,
    filename: `${timeline.scenario}-seed${timeline.seed}.timeline.json`,
    mime: 'application/json',
    bytes: new TextEncoder().encode(JSON.stringify(timeline, null, 2) + '\n'),
  };
}

self.onmessage = async (event: MessageEvent<EngineRequest>) => {
  const request = event.data;
  let response: EngineResponse;
  const transfer: Transferable[] = [];
  if (request.type === 'cancel-capture') {
    cancelCapture(request.target);
    return;
  }
  if (request.type === 'open-capture') {
    try {
      const result = await openCaptureFile(request, (reading) =>
        self.postMessage({ requestId: request.requestId, reading } satisfies EngineResponse),
      );
      response = { requestId: request.requestId, ok: true, result };
    } catch (e) {
      response = { requestId: request.requestId, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    self.postMessage(response);
    return;
  }
  try {
    const timeline = await run(request.run, (steps) =>
      self.postMessage({ requestId: request.requestId, progress: steps } satisfies EngineResponse),
    );
    if (request.type === 'run') {
      const result: RunResult = { timeline, fingerprint: runFingerprint(timeline), exports: exportsFor(timeline) };
      response = { requestId: request.requestId, ok: true, result };
    } else if (request.type === 'audio') {
      const track = timeline.audio?.find((a) => a.party === request.party);
      if (!track) throw new Error(`this run has no audio for ${request.party}`);
      const result: AudioResult = {
        party: request.party,
        sampleRate: CALL_AUDIO_SAMPLE_RATE,
        samples: callAudioSamples(track),
      };
      transfer.push(result.samples.buffer);
      response = { requestId: request.requestId, ok: true, result };
    } else {
      const file = request.exercise ? exportExercise(timeline, request.kind) : exportFile(timeline, request.kind);
      transfer.push(file.bytes.buffer);
      response = { requestId: request.requestId, ok: true, result: file };
    }
  } catch (e) {
    response = { requestId: request.requestId, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage(response, { transfer });
};
