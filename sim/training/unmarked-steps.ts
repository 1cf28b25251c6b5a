/**
 * A run's steps as a trainee reads them before answering: what the packets
 * show, without the marks that name the answer. No step carries its
 * failure (finding the proof is the exercise), and a step the run knows
 * more about than its packet shows (a copy the attacker altered or replayed,
 * the packet that carries the run's failure) reads with its unmarked words
 * (timeline.ts `Step.unmarked`): a neutral ladder label, an explanation
 * without the attacker's doing, no link to the scenario's own article.
 *
 * Kept apart, with nothing to import, so the training page can use it
 * without loading the engine outside its worker.
 */
import type { PartyView, Step } from '../timeline';

export function unmarkedStep(step: Step): Step {
  const { failure: _failure, unmarked, ...rest } = step;
  if (!unmarked) return rest;
  const view = (v: PartyView, summary: string): PartyView => ({ ...v, summary });
  return {
    ...rest,
    summary: unmarked.summary,
    explanation: unmarked.explanation,
    articles: unmarked.articles,
    views: {
      pbx: view(rest.views.pbx, unmarked.views.pbx),
      attacker: view(rest.views.attacker, unmarked.views.attacker),
      sbc: view(rest.views.sbc, unmarked.views.sbc),
    },
  };
}

export function unmarkedSteps(steps: readonly Step[]): Step[] {
  return steps.map(unmarkedStep);
}
