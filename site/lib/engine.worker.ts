/**
 * The engine's home in the browser: scenarios run here, off the main thread,
 * and the page receives the finished Timeline as plain data.
 */
import 'reflect-metadata';
import { runScenario } from '../../sim/index';
import type { CarrierProfile } from '../../sim/index';
import carrier from '../../content/carrier.json';
import type { EngineRequest, EngineResponse } from './engine-protocol';

self.onmessage = async (event: MessageEvent<EngineRequest>) => {
  const { requestId, scenario, seed } = event.data;
  let response: EngineResponse;
  try {
    const timeline = await runScenario(scenario, { seed, carrier: carrier as CarrierProfile });
    response = { requestId, ok: true, timeline };
  } catch (e) {
    response = { requestId, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage(response);
};
