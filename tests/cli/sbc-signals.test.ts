/**
 * `trunklab sbc` stops cleanly on Ctrl+C from the moment it says it is
 * listening. A supervisor (or a test) that sends SIGINT as soon as it reads
 * the `listening` line must find the SBC's handler in place: with no listener,
 * Node leaves SIGINT to its default action and the process dies by the
 * signal, with no `stopped` line and no exit status. On a busy machine the
 * SBC could be paused between writing that line and installing its handler
 * while the reader already acted on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeRehearsalPki, type RehearsalPki } from './rehearsal-pki';
import { trunklab } from './trunklab';

let dir: string;
let pki: RehearsalPki;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-sbc-signals-'));
  pki = await makeRehearsalPki(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('handles Ctrl+C before it prints that it is listening, and then stops with status 0', async () => {
  const before = new Set(process.listeners('SIGINT'));
  const handlersWhenListening: number[] = [];
  const run = trunklab(
    ['sbc', '--listen', '127.0.0.1:0', '--json', '--ca-dir', pki.ca, '--user', 'u', '--password', 'p'],
    {
      onStdout: (text) => {
        if (text.includes('"event":"listening"')) {
          handlersWhenListening.push(process.listeners('SIGINT').filter((l) => !before.has(l)).length);
          // Then Ctrl+C, as a supervisor reading the line would send it (on the next turn, so that a handler
          // installed too late still stops the SBC and the count above is what fails).
          setImmediate(() => {
            for (const listener of process.listeners('SIGINT').filter((l) => !before.has(l))) {
              (listener as (signal: NodeJS.Signals) => void)('SIGINT');
            }
          });
        }
      },
    },
  );
  const result = await run;
  // What the first Ctrl+C left behind (a second one leaves at once) is this test's to remove.
  for (const listener of process.listeners('SIGINT').filter((l) => !before.has(l))) process.off('SIGINT', listener);
  expect(handlersWhenListening).toEqual([1]);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toContain('"event":"stopped"');
});
