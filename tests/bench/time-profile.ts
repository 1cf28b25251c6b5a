/**
 * Where the time goes: runs a function under V8's sampling profiler (through
 * node:inspector) and sorts every sample into a category, so a benchmark can
 * print a breakdown beside its figures and the next change can be chosen from
 * numbers.
 *
 * A sample's category is found by walking its stack from the innermost frame
 * outwards: the first frame a rule claims decides. So the SHA-256 inside a
 * signature counts as signing, and the annotation written while sealing a
 * record counts as annotation. The profiler's own pseudo-frames name the rest:
 * "(garbage collector)", and "(idle)", when the thread waited — for a
 * WebCrypto job on the worker threads, for instance.
 */
import { Session } from 'node:inspector/promises';

export interface CategoryRule {
  category: string;
  /** A part of the frame's script URL (a folder such as `/sim/tls/`), if the rule looks at URLs. */
  url?: string;
  /** Function names the rule claims (in that URL, if one is given). */
  functions?: readonly string[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Breakdown {
  /** Milliseconds of samples per category, summed over the profiled calls. */
  ms: Map<string, number>;
  totalMs: number;
}

/** Runs `fn` `runs` times under the profiler and sorts the samples by `rules`. */
export async function profileCategories(
  fn: () => unknown,
  runs: number,
  rules: readonly CategoryRule[],
): Promise<Breakdown> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    for (let i = 0; i < runs; i++) await fn();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    return categorize(profile, rules);
  } finally {
    session.disconnect();
  }
}

function categorize(profile: Profile, rules: readonly CategoryRule[]): Breakdown {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const categoryOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = categoryOf.get(id);
    if (known !== undefined) return known;
    const { functionName, url } = byId.get(id)!.callFrame;
    let category: string | undefined;
    if (functionName === '(garbage collector)') category = 'garbage collection';
    else if (functionName === '(idle)') category = 'idle (waiting, e.g. on WebCrypto worker threads)';
    else if (functionName === '(root)') category = 'other';
    else {
      category = rules.find(
        (r) =>
          (r.url === undefined || url.includes(r.url)) &&
          (r.functions === undefined || r.functions.includes(functionName)),
      )?.category;
    }
    const up = parent.get(id);
    const result = category ?? (up === undefined ? 'other' : classify(up));
    categoryOf.set(id, result);
    return result;
  };
  const ms = new Map<string, number>();
  let totalMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // A sample's weight is the time until the next one (the deltas are in microseconds).
    const weight = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const category = classify(profile.samples[i]);
    ms.set(category, (ms.get(category) ?? 0) + weight);
    totalMs += weight;
  }
  return { ms, totalMs };
}

/** The breakdown as table rows, largest first: milliseconds per run and share of the whole. */
export function breakdownRows(
  b: Breakdown,
  runs: number,
  label = 'where the time goes',
): Array<Record<string, string>> {
  return [...b.ms]
    .sort((x, y) => y[1] - x[1])
    .map(([category, ms]) => ({
      [label]: category,
      'ms per run': (ms / runs).toFixed(2),
      share: `${((100 * ms) / b.totalMs).toFixed(1)}%`,
    }));
}
