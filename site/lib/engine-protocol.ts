/** Messages between the page and the engine worker. */
import type { Timeline } from '../../sim/index';

export interface EngineRequest {
  requestId: number;
  scenario: string;
  seed: number;
}

export type EngineResponse =
  { requestId: number; ok: true; timeline: Timeline } | { requestId: number; ok: false; error: string };
