/**
 * Which packets of a run prove an exercise's cause, from its proof pattern
 * (scenarios/training.ts). Kept apart from the rest of the training code,
 * with nothing to import, so the training page can grade an answer in the
 * browser without loading the engine outside its worker.
 */
import type { Step } from '../timeline';
import type { ProofPattern } from '../scenarios/training';

/** The indexes of the steps a proof pattern picks out of a run: the packets that prove the cause. */
export function provingSteps(steps: readonly Step[], proof: ProofPattern): number[] {
  let start = -1;
  if (proof.after !== undefined) {
    for (const s of steps)
      if (s.from === proof.from && `${s.protocol} ${s.summary}`.startsWith(proof.after)) start = s.index;
  }
  const matching = steps.filter((s) => s.index > start && s.from === proof.from && s.summary.startsWith(proof.summary));
  return (proof.which === 'first' ? matching.slice(0, 1) : matching).map((s) => s.index);
}
