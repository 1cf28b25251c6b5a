/**
 * Opening a capture in the engine worker. The page hands the worker the File
 * objects the reader chose or dropped; the worker reads them itself, a chunk
 * at a time, so a large capture never blocks the page, its progress can be
 * shown, and a cancel request (handled between chunks) stops it. Nothing is
 * sent anywhere: the bytes go from the file to the engine (sim/capture).
 *
 * An opened capture is kept under a run key of its own, so the lab asks for
 * its audio and exports as it asks for a scenario's.
 */
import { CaptureOpening, runExports, runFingerprint } from '../../sim/index';
import type { Timeline } from '../../sim/index';
import type { CaptureProgress, CaptureResult, EngineRequest } from './engine-protocol';

/** Bytes read from the file at a time: large enough to be quick, small enough to answer a cancel at once. */
const CHUNK = 1 << 20;
/** Key logs are a few lines per connection; a larger file is not one. */
const MAX_KEY_LOG = 16 << 20;
/** How often progress is reported, in milliseconds. */
const PROGRESS_MS = 100;
/** Opened captures kept for audio and exports: the one on screen and the one before. */
const KEPT = 2;

const opened = new Map<string, Timeline>();
const cancelled = new Set<number>();
let count = 0;

export class CaptureCancelled extends Error {
  constructor() {
    super('Reading the capture was cancelled.');
  }
}

/** The Timeline of an opened capture, by the scenario of its run key. */
export function capturedTimeline(scenario: string): Timeline | undefined {
  return opened.get(scenario);
}

export function cancelCapture(target: number): void {
  cancelled.add(target);
}

export async function openCaptureFile(
  request: Extract<EngineRequest, { type: 'open-capture' }>,
  progress: (p: CaptureProgress) => void,
): Promise<CaptureResult> {
  const { requestId, capture, name } = request;
  try {
    if (request.keyLog && request.keyLog.size > MAX_KEY_LOG) {
      throw new Error(
        `the key log is ${(request.keyLog.size / 1e6).toFixed(0)} MB; an NSS key log is a few lines per connection`,
      );
    }
    const keyLog = request.keyLog ? await request.keyLog.text() : undefined;
    const opening = new CaptureOpening({ name, keyLog });
    let reported = 0;
    for (let at = 0; at < capture.size; at += CHUNK) {
      // Reading the next chunk lets the worker take other messages first: a cancel among them.
      const chunk = new Uint8Array(await capture.slice(at, at + CHUNK).arrayBuffer());
      if (cancelled.has(requestId)) throw new CaptureCancelled();
      opening.push(chunk);
      const now = performance.now();
      if (now - reported >= PROGRESS_MS) {
        reported = now;
        progress({ bytes: Math.min(at + CHUNK, capture.size), total: capture.size, packets: opening.packetsRead });
      }
    }
    const { timeline, report } = opening.end();
    const key = { scenario: `capture:${++count}`, seed: 0, whatIf: {} };
    opened.set(key.scenario, timeline);
    while (opened.size > KEPT) opened.delete(opened.keys().next().value!);
    progress({ bytes: capture.size, total: capture.size, packets: report.capture.packets });
    return {
      key,
      report,
      timeline,
      fingerprint: runFingerprint(timeline),
      exports: [...runExports(timeline), 'timeline'],
    };
  } finally {
    cancelled.delete(requestId);
  }
}
