/**
 * The engine as Node runs it, for the lab's browser tests to compare with:
 * the `trunklab` command's own `main` (tests/cli/trunklab.ts, as
 * bin/trunklab.js calls it, in this process), and a fingerprint computed
 * independently with node:crypto over the bytes it prints. To find which
 * scenarios show a feature (keys, media, what-ifs), the catalogue is also
 * run in this process, once.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { listScenarios, runScenario } from '../../sim/index';
import type { CarrierProfile, ScenarioInfo, Step, Timeline } from '../../sim/index';
import { trunklab } from '../cli/trunklab';

const CARRIER = JSON.parse(
  readFileSync(new URL('../../content/carrier.json', import.meta.url), 'utf8'),
) as CarrierProfile;

let runs: Promise<Array<{ info: ScenarioInfo; timeline: Timeline }>> | undefined;

/** Every scenario of the catalogue run with seed 1, in this process. */
export function catalogueRuns(): Promise<Array<{ info: ScenarioInfo; timeline: Timeline }>> {
  runs ??= Promise.all(
    listScenarios().map(async (info) => ({
      info,
      timeline: await runScenario(info.id, { seed: 1, carrier: CARRIER }),
    })),
  );
  return runs;
}

/** The first scenario (in catalogue order) whose run has a step that `test` accepts, and that step. */
export async function findStepWhere(
  test: (step: Step, timeline: Timeline) => boolean,
): Promise<{ info: ScenarioInfo; timeline: Timeline; step: Step } | undefined> {
  for (const { info, timeline } of await catalogueRuns()) {
    const step = timeline.steps.find((s) => test(s, timeline));
    if (step) return { info, timeline, step };
  }
  return undefined;
}

/** The Timeline `trunklab run SCENARIO --seed SEED --json` prints. */
export async function runInNode(scenario: string, seed = 1): Promise<Timeline> {
  const r = await trunklab(['run', scenario, '--seed', String(seed), '--json']);
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
export async function findEncryptedStep(): Promise<{ scenario: string; step: Step } | undefined> {
  const found = await findStepWhere((s) => s.views.attacker.access === 'metadata' && s.views.pbx.layers.length > 0);
  return found && { scenario: found.info.id, step: found.step };
}
