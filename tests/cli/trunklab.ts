/**
 * Two ways to run `trunklab` in a test. `trunklab` calls the command's `main`
 * in this process with what bin/trunklab.js gives it (the carrier profile,
 * standard output, error and input), so a test pays for the command and not
 * for starting Node and tsx again. `trunklabProcess` runs the real
 * bin/trunklab.js as a child process: tests/cli/main.test.ts uses it to prove
 * the wiring the first one skips (exit status, streams, loading the profile).
 */
import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
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
  /** Called with each piece of standard output as the command writes it (a long-running command's events). */
  onStdout?: (text: string) => void;
}

export async function trunklab(args: string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const input = typeof options.input === 'string' ? new TextEncoder().encode(options.input) : options.input;
  const status = await main(args, {
    carrier: CARRIER,
    stdout: (text) => {
      stdout += text;
      options.onStdout?.(text);
    },
    stderr: (text) => void (stderr += text),
    readStdin: () => Promise.resolve(input ?? new Uint8Array()),
  });
  return { status, stdout, stderr };
}

export function trunklabProcess(args: string[], options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: options.input, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs bin/trunklab.js as a child process without blocking the event loop
 * (so a peer in the test can answer it). A run still going after `limitMs`
 * is killed and comes back with status null: the command did not end by
 * itself, which is what tests of "never hangs" look for.
 */
export function trunklabAsync(args: string[], limitMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), limitMs);
    proc.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export interface TrunklabServer {
  port: number;
  pid: number;
  /** Resolves with the exit status when the server ends. */
  exited: Promise<number | null>;
  output(): string;
  kill(): void;
}

/** Starts `trunklab tls-serve 0 …` and resolves once it listens, with its port. */
export async function trunklabServer(args: string[]): Promise<TrunklabServer> {
  const proc = spawn(process.execPath, [BIN, 'tls-serve', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tls-serve did not start: ${out}`)), 30_000);
    const check = () => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`tls-serve ended before listening: ${out}`));
    });
  });
  return {
    port,
    pid: proc.pid!,
    exited,
    output: () => out,
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill();
    },
  };
}
