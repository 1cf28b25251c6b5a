/**
 * `trunklab analyze` built receives the media's SRTP on a second thread
 * (sim/cli/srtp-receiver-thread.ts): it must print what the reading thread
 * alone prints, for calls whose media was tampered with or replayed too, and
 * a failure of that thread must end the command with one clear line, never
 * a hang. tests/global-setup.ts builds the worker this runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CarrierProfile } from '../../sim/carrier';
import { main } from '../../sim/cli/main';
import { exportRun } from '../../sim/index';
import { run } from '../scenarios/runs';
import { scratchDir } from '../net/tshark';
import { writeSecureCallCapture } from '../rtp/srtp-capture';
import { trunklab, trunklabProcess } from './trunklab';

const BUILT_WORKER = new URL('../../build/cli/srtp-receiver-worker.js', import.meta.url);
const CARRIER = (await import('../../content/carrier.json')).default as CarrierProfile;

let dir: string;
/** Each capture and the arguments that follow it. */
const captures: Record<string, string[]> = {};

beforeAll(async () => {
  dir = scratchDir();
  for (const id of ['secure-call', 'secure-call-tls12']) {
    const path = join(dir, `${id}.pcapng`);
    writeFileSync(path, exportRun(await run(id, { audioMs: 400 }), 'pcapng').bytes);
    captures[id] = [path];
  }
  // Media alone, keyed by hand, across a sequence wrap: packets changed on the way and packets sent twice.
  for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] as const) {
    const path = join(dir, `${suite}.pcap`);
    const c = writeSecureCallCapture(path, {
      suite,
      packets: 300,
      firstSequence: 65_480,
      tamper: [10, 11, 200],
      duplicate: [20, 150],
      rtcpEvery: 50,
    });
    captures[suite] = [path, '--key', c.callerKey, '--key', c.calleeKey];
  }
});

/** `trunklab analyze` in this process, its SRTP received by the worker at `worker`. */
async function analyzeWith(worker: URL, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(['analyze', ...args], {
    carrier: CARRIER,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => Promise.resolve(new Uint8Array()),
    srtpReceiverWorker: worker,
  });
  return { status, stdout, stderr };
}

describe('trunklab analyze with its SRTP received on a second thread', () => {
  it('prints what the reading thread alone prints: counts, authentication failures, replays and the first failure', async () => {
    for (const [id, args] of Object.entries(captures)) {
      const alone = await trunklab(['analyze', ...args, '--json']);
      const beside = await analyzeWith(BUILT_WORKER, [...args, '--json']);
      expect(beside, id).toEqual(alone);
      const text = await analyzeWith(BUILT_WORKER, args);
      expect(text, id).toEqual(await trunklab(['analyze', ...args]));
    }
    for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM']) {
      const report = JSON.parse((await trunklab(['analyze', ...captures[suite], '--json'])).stdout);
      expect(report.media[0]).toMatchObject({ packets: 302, decrypted: 297, authFailures: 3, replays: 2 });
      expect(report.failure).toMatchObject({ stage: 'srtp', reason: 'auth_failure' });
    }
  });

  it('the built command (bin/trunklab.js) prints the same', async () => {
    for (const id of ['secure-call', 'AES_CM_128_HMAC_SHA1_80']) {
      const built = trunklabProcess(['analyze', ...captures[id], '--json']);
      expect(JSON.parse(built.stdout), id).toEqual(
        JSON.parse((await trunklab(['analyze', ...captures[id], '--json'])).stdout),
      );
    }
  });

  it('a thread that fails or stops ends the command with one line and exit 2, never a hang', async () => {
    const throws = join(dir, 'throws.mjs');
    writeFileSync(
      throws,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new RangeError('the receiver broke'); });\n",
    );
    const exits = join(dir, 'exits.mjs');
    writeFileSync(
      exits,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n",
    );
    const missing = join(dir, 'missing-worker.js');
    const cases: Array<[string, RegExp]> = [
      [throws, /^trunklab analyze: internal error: the receiver broke\n$/],
      [
        exits,
        /^trunklab analyze: internal error: the SRTP receiver thread stopped \(exit code 3\) before it counted the media\n$/,
      ],
      [missing, /^trunklab analyze: internal error: Cannot find module .*missing-worker\.js/],
    ];
    for (const [script, message] of cases) {
      const r = await analyzeWith(pathToFileURL(script), [...captures['secure-call'], '--json']);
      expect(r.status, script).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('starts no thread for a capture without keyed SRTP', async () => {
    const mitm = join(dir, 'mitm.pcapng');
    writeFileSync(mitm, exportRun(await run('mitm-self-signed', { audioMs: 200 }), 'pcapng').bytes);
    // A worker that would fail if it were started: the command never starts it.
    const r = await analyzeWith(pathToFileURL(join(dir, 'no-such-worker.js')), [mitm, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
  });
});
