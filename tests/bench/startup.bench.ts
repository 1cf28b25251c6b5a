/**
 * How fast `trunklab` starts, beside `openssl version` (a C program that
 * starts in milliseconds) and `node -e 0` (the floor any Node command pays),
 * measured in the same run: `trunklab --help` and a `cert-check` of a real
 * chain made by OpenSSL, each as the built JavaScript that bin/trunklab.js
 * runs (scripts/build-cli.js) and as the TypeScript compiled at start by tsx
 * (what bin/trunklab.js falls back to when the build is missing or stale).
 *
 * Each figure is the median of several runs, one at a time: the wall time,
 * and the processor time (user + system, read with bash's `times`), which a
 * machine busy with other work disturbs less.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildInteropPki } from '../tls/openssl-pki';
import { performance } from 'node:perf_hooks';
import { printTable } from './measure';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/trunklab.js`;
const RUNS = 9;

/** The same entry point as bin/trunklab.js's fallback: tsx compiling the TypeScript at start. */
const VIA_TSX = [
  '--input-type=module',
  '-e',
  `import { register } from 'tsx/esm/api'; register();
   const { runTrunklab } = await import(${JSON.stringify(`${ROOT}bin/trunklab-process.mts`)});
   await runTrunklab(process.argv.slice(1));`,
  // Without this, node would take `--help` for its own option.
  '--',
];

/** Runs a command to completion; returns its wall and processor milliseconds. */
function run(command: string, args: string[]): { wall: number; cpu: number } {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const start = performance.now();
  const r = spawnSync('bash', ['-c', `${quoted} >/dev/null 2>&1 || exit 3; times`], { cwd: ROOT, encoding: 'utf8' });
  const wall = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status})`);
  // The second line of `times`: the children's user and system time, e.g. "0m0.140s 0m0.020s".
  const [user, system] = r.stdout.trim().split('\n')[1].split(' ').map(minutesSeconds);
  return { wall, cpu: (user + system) * 1000 };
}

function minutesSeconds(text: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(text);
  if (!m) throw new Error(`unexpected times output: ${text}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall and processor milliseconds of RUNS runs. */
function measure(command: string, args: string[]): { wall: number; cpu: number } {
  const runs = Array.from({ length: RUNS }, () => run(command, args));
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)) };
}

export default async function bench(): Promise<void> {
  execFileSync(process.execPath, [`${ROOT}scripts/build-cli.js`], { stdio: 'inherit' });
  const pki = buildInteropPki();
  try {
    const check = ['cert-check', pki.server.ec.cert, '--ca', pki.ca, '--host', '127.0.0.1'];
    const openssl = measure('openssl', ['version']);
    const node = measure(process.execPath, ['-e', '0']);
    const row = (command: string, m: { wall: number; cpu: number }) => ({
      command,
      'wall ms': m.wall,
      'cpu ms': m.cpu,
      'wall / openssl': m.wall / openssl.wall,
      'wall / node -e 0': m.wall / node.wall,
      'cpu / node -e 0': m.cpu / node.cpu,
    });
    const rows: Array<Record<string, string | number>> = [row('openssl version', openssl), row('node -e 0', node)];
    for (const [label, args] of [
      ['trunklab --help (built)', [BIN, '--help']],
      ['trunklab cert-check (built)', [BIN, ...check]],
      ['trunklab --help (tsx)', [...VIA_TSX, '--help']],
      ['trunklab cert-check (tsx)', [...VIA_TSX, ...check]],
    ] as const) {
      rows.push(row(label, measure(process.execPath, [...args])));
    }
    printTable(rows);
  } finally {
    pki.dispose();
  }
}
