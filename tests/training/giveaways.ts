/**
 * The words that would give an exercise away before it is answered: its
 * scenario's id, title, description and lesson, the run's outcome and the
 * remedy's words, and every ladder label the lab gives a packet that the
 * trainee's view labels otherwise (`REGISTER (tampered)`, `SRTP (replayed)`).
 */
import type { Exercise, ScenarioInfo, Timeline } from '../../sim/index';

export function giveaways(info: ScenarioInfo, run: Timeline, exercise: Exercise): string[] {
  const labels = run.steps.filter((s) => s.unmarked && s.unmarked.summary !== s.summary).map((s) => s.summary);
  return [
    ...new Set([
      info.id,
      info.title,
      info.summary,
      info.lesson,
      run.outcome.summary,
      exercise.remedy.cause,
      exercise.remedy.fix,
      ...labels,
    ]),
  ];
}
