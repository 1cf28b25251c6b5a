/**
 * The page's side of the engine worker: one worker, requests answered in
 * order, each a Promise of a Timeline.
 */
import type { Timeline } from '../../sim/index';
import type { EngineRequest, EngineResponse } from './engine-protocol';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (t: Timeline) => void; reject: (e: Error) => void }>();

function engine(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'trunklab-engine' });
    worker.onmessage = (event: MessageEvent<EngineResponse>) => {
      const r = event.data;
      const waiter = pending.get(r.requestId);
      if (!waiter) return;
      pending.delete(r.requestId);
      if (r.ok) waiter.resolve(r.timeline);
      else waiter.reject(new Error(r.error));
    };
  }
  return worker;
}

export function runInEngine(scenario: string, seed: number): Promise<Timeline> {
  const requestId = nextId++;
  const request: EngineRequest = { requestId, scenario, seed };
  return new Promise((resolve, reject) => {
    pending.set(requestId, { resolve, reject });
    engine().postMessage(request);
  });
}
