/**
 * The run's chapters: its phases (the engine tags each step with one, see
 * sim/scenarios/phase-of-step.ts) in the order the run first reaches them,
 * each starting at its first step and running up to the next chapter's.
 * Only the phases the run has: a run that fails stops in the phase that
 * failed.
 */
import type { Phase, Step } from '../../sim/index';

export interface Chapter {
  phase: Phase;
  /** Index of its first step. */
  first: number;
  /** Index of the step before the next chapter starts (or of the run's last step). */
  last: number;
}

export function chapters(steps: readonly Step[]): Chapter[] {
  const out: Chapter[] = [];
  const seen = new Set<Phase>();
  for (const s of steps) {
    if (seen.has(s.phase)) continue;
    seen.add(s.phase);
    const before = out.at(-1);
    if (before) before.last = s.index - 1;
    out.push({ phase: s.phase, first: s.index, last: steps.length - 1 });
  }
  return out;
}

/** `tcp 0-2 tls 3-17 …`: each step's phase, run-length encoded, for comparing runs. */
export function phaseRuns(steps: readonly Step[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= steps.length; i++) {
    if (i === steps.length || steps[i].phase !== steps[start].phase) {
      parts.push(`${steps[start].phase} ${start}-${i - 1}`);
      start = i;
    }
  }
  return parts.join(' ');
}
