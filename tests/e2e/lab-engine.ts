/**
 * The engine as Node runs it, for the lab's browser tests to compare with:
 * the real `trunklab` command in a child process, and a fingerprint computed
 * independently with node:crypto over the bytes it prints.
 */
import { createHash } from 'node:crypto';
import type { ScenarioInfo, Step, Timeline } from '../../sim/index';
import { trunklab } from '../cli/trunklab';

export function scenariosInNode(): ScenarioInfo[] {
  const r = trunklab(['scenarios', '--json']);
  if (r.status !== 0) throw new Error(`trunklab scenarios failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ScenarioInfo[];
}

export function runInNode(scenario: string, seed = 1): Timeline {
  const r = trunklab(['run', scenario, '--seed', String(seed), '--json']);
  // 0: the run succeeded; 1: it ended in the failure the scenario is about. Both print the Timeline.
  if (r.status !== 0 && r.status !== 1) throw new Error(`trunklab run ${scenario} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Timeline;
}

/** SHA-256 over each packet's length (32-bit big-endian) and bytes, as sim/run-fingerprint.ts defines it. */
export function fingerprintInNode(timeline: Timeline): string {
  const h = createHash('sha256');
  for (const step of timeline.steps) {
    const bytes = Buffer.from(step.bytes, 'hex');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    h.update(length);
    h.update(bytes);
  }
  return h.digest('hex');
}

/** The first step of any scenario that the attacker sees only as ciphertext while the PBX reads inside it. */
export function findEncryptedStep(): { scenario: string; step: Step } | undefined {
  for (const info of scenariosInNode()) {
    const timeline = runInNode(info.id);
    const step = timeline.steps.find((s) => s.views.attacker.access === 'metadata' && s.views.pbx.layers.length > 0);
    if (step) return { scenario: info.id, step };
  }
  return undefined;
}
