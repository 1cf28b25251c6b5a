/**
 * Timing helpers for `npm run bench`: run a function repeatedly for a time
 * budget and report operations per second, and print aligned result tables.
 */
import { performance } from 'node:perf_hooks';

export interface Rate {
  ops: number;
  seconds: number;
  perSecond: number;
}

/** Runs `fn` (which does `batch` operations per call) until `budgetMs` has passed, after a warm-up. */
export async function measureRate(
  fn: () => unknown,
  { batch = 1, budgetMs = 1500, warmupMs = 300 } = {},
): Promise<Rate> {
  const until = (ms: number) => performance.now() + ms;
  for (const end = until(warmupMs); performance.now() < end;) await fn();
  let ops = 0;
  const start = performance.now();
  for (const end = start + budgetMs; performance.now() < end; ops += batch) await fn();
  const seconds = (performance.now() - start) / 1000;
  return { ops, seconds, perSecond: ops / seconds };
}

/** A rate by the clock, and per second of this process's CPU time (all its threads). */
export interface RateAndCpu extends Rate {
  perCpuSecond: number;
}

/**
 * `measureRate`, also counting the CPU time the process spent. The machine's
 * cores are shared: when other work competes for them, the clock's rate falls
 * but the rate per CPU-second shows what the code itself costs.
 */
export async function measureRateAndCpu(
  fn: () => unknown,
  options: { batch?: number; budgetMs?: number; warmupMs?: number } = {},
): Promise<RateAndCpu> {
  const warmupMs = options.warmupMs ?? 300;
  const before = process.cpuUsage();
  const r = await measureRate(fn, { ...options, warmupMs });
  const used = process.cpuUsage(before);
  // The CPU time includes the warm-up: count only the measured share of it.
  const cpuSeconds = ((used.user + used.system) / 1e6) * (r.seconds / (r.seconds + warmupMs / 1000));
  return { ...r, perCpuSecond: r.ops / cpuSeconds };
}

/** Median of `runs` timings of `fn`, in milliseconds. */
export async function medianMs(fn: () => unknown, runs = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function printTable(rows: Array<Record<string, string | number>>): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === 'number' ? formatNumber(v) : v);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  console.log(keys.map((k, i) => k.padEnd(widths[i])).join('  '));
  for (const r of rows) console.log(keys.map((k, i) => cell(r[k]).padEnd(widths[i])).join('  '));
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
}
