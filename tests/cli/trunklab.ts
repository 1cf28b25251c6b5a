/**
 * Two ways to run `trunklab` in a test. `trunklab` calls the command's `main`
 * in this process with what bin/trunklab.js gives it (the carrier profile,
 * standard output, error and input), so a test pays for the command and not
 * for starting Node and tsx again. `trunklabProcess` runs the real
 * bin/trunklab.js as a child process: tests/cli/main.test.ts uses it to prove
 * the wiring the first one skips (exit status, streams, loading the profile).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CarrierProfile } from '../../sim/carrier';
import { main } from '../../sim/cli/main';

const BIN = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));
const CARRIER = JSON.parse(
  readFileSync(new URL('../../content/carrier.json', import.meta.url), 'utf8'),
) as CarrierProfile;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Standard input, for `-` in place of a file. */
  input?: string | Uint8Array;
}

export async function trunklab(args: string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const input = typeof options.input === 'string' ? new TextEncoder().encode(options.input) : options.input;
  const status = await main(args, {
    carrier: CARRIER,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => Promise.resolve(input ?? new Uint8Array()),
  });
  return { status, stdout, stderr };
}

export function trunklabProcess(args: string[], options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: options.input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
