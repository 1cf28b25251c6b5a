/**
 * An exercise's capture as files (run-exports.ts), written from the run as
 * the trainee reads it before answering (unmarked-steps.ts): named after
 * the exercise, not its scenario, with no packet comment that names a
 * failure or what the attacker did, and the key log's comment (NSS key log
 * format, draft-ietf-tls-keylogfile §3) naming the exercise too.
 */
import type { Timeline } from '../timeline';
import { exportRun, type RunExportFile } from '../run-exports';
import { EXERCISE_FILE_KINDS, EXERCISE_FILE_NAME } from './exercise-files';
import { unmarkedSteps } from './unmarked-steps';
import { readKeyLog, writeKeyLog } from '../tls/key-log';

export function exportExercise(timeline: Timeline, kind: string): RunExportFile {
  const allowed = EXERCISE_FILE_KINDS.find((k) => k === kind);
  if (!allowed) throw new Error(`an exercise offers no ${kind} file: it would state the answer`);
  const keyLog = timeline.keyLog
    ? writeKeyLog(readKeyLog(timeline.keyLog), `${EXERCISE_FILE_NAME}: TLS secrets of the run's connections`)
    : undefined;
  return exportRun(
    {
      ...timeline,
      scenario: EXERCISE_FILE_NAME,
      steps: unmarkedSteps(timeline.steps),
      ...(keyLog ? { keyLog } : {}),
    },
    allowed,
  );
}
