/**
 * How fast `trunklab` starts, beside `openssl version` (a C program that
 * starts in milliseconds) and `node -e 0` (the floor any Node command pays),
 * measured in the same run: `trunklab --help` and a `cert-check` of a real
 * chain made by OpenSSL, each as the built JavaScript that bin/trunklab.js
 * runs (scripts/build-cli.js) and as the TypeScript compiled at start by tsx
 * (what bin/trunklab.js falls back to when the build is missing or stale).
 *
 * Each figure is the median of ROUNDS runs. The runs are interleaved: each
 * round runs every command once, starting from a different one each round,
 * so that a spell of load elsewhere on the machine falls on all of them alike.
 * Two figures: the wall time, and the processor time (user + system, read
 * with bash's `times`), which a machine busy with other work disturbs less.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildInteropPki } from '../tls/openssl-pki';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { printTable } from './measure';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/trunklab.js`;
const ROUNDS = 15;

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

/** Runs a command to completion, which must exit with `status`; returns its wall and processor milliseconds. */
function run(command: string, args: string[], status = 0): { wall: number; cpu: number } {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const start = performance.now();
  const r = spawnSync('bash', ['-c', `${quoted} >/dev/null 2>&1; status=$?; times; exit $status`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const wall = performance.now() - start;
  if (r.status !== status) throw new Error(`${command} ${args.join(' ')} exited ${r.status}, not ${status}`);
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

type Invocation = [command: string, args: string[], status?: number];

/** Median wall and processor milliseconds of each command, over `rounds` interleaved rounds. */
function measureInterleaved(commands: Invocation[], rounds: number): Array<{ wall: number; cpu: number }> {
  const runs = commands.map(() => [] as Array<{ wall: number; cpu: number }>);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (round + k) % commands.length;
      runs[i].push(run(...commands[i]));
    }
  }
  return runs.map((r) => ({ wall: median(r.map((x) => x.wall)), cpu: median(r.map((x) => x.cpu)) }));
}

export default async function bench(): Promise<void> {
  execFileSync(process.execPath, [`${ROOT}scripts/build-cli.js`], { stdio: 'inherit' });
  const pki = buildInteropPki();
  try {
    const check = ['cert-check', pki.server.ec.cert, '--ca', pki.ca, '--host', '127.0.0.1'];
    const node = process.execPath;
    const labelled: Array<[string, Invocation]> = [
      ['openssl version', ['openssl', ['version']]],
      ['node -e 0', [node, ['-e', '0']]],
      ['trunklab --help (built)', [node, [BIN, '--help']]],
      ['trunklab frobnicate (built; usage error)', [node, [BIN, 'frobnicate'], 2]],
      ['trunklab cert-check (built)', [node, [BIN, ...check]]],
    ];
    if (process.env.NODE_EXTRA_CA_CERTS) {
      // Node reads and parses the certificates this names before it runs a line of JavaScript (some tens of
      // milliseconds for a system bundle): the same two commands without it, to show that share of the floor.
      const without = (args: string[]): Invocation => ['env', ['-u', 'NODE_EXTRA_CA_CERTS', node, ...args]];
      labelled.push(
        ['node -e 0 (no NODE_EXTRA_CA_CERTS)', without(['-e', '0'])],
        ['trunklab --help (built; no NODE_EXTRA_CA_CERTS)', without([BIN, '--help'])],
      );
    }
    // The fallback takes seconds a run: fewer rounds of it, after the rest.
    const fallback: Array<[string, Invocation]> = [
      ['trunklab --help (tsx)', [node, [...VIA_TSX, '--help']]],
      ['trunklab cert-check (tsx)', [node, [...VIA_TSX, ...check]]],
    ];
    const figures = [
      ...measureInterleaved(
        labelled.map(([, invocation]) => invocation),
        ROUNDS,
      ),
      ...measureInterleaved(
        fallback.map(([, invocation]) => invocation),
        3,
      ),
    ];
    labelled.push(...fallback);
    const [openssl, nodeAlone] = figures;
    const rows = labelled.map(([command], i) => ({
      command,
      'wall ms': figures[i].wall,
      'cpu ms': figures[i].cpu,
      'wall / openssl': figures[i].wall / openssl.wall,
      'wall / node -e 0': figures[i].wall / nodeAlone.wall,
      'cpu / node -e 0': figures[i].cpu / nodeAlone.cpu,
      'cpu − node -e 0': figures[i].cpu - nodeAlone.cpu,
    }));
    console.log(
      `${ROUNDS} interleaved rounds (the tsx fallback: 3); medians; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    printTable(rows);
  } finally {
    pki.dispose();
  }
}
