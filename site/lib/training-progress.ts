/**
 * A trainee's progress through a set, kept in the browser (localStorage,
 * one entry per set) so that a set can be left and resumed; the score; and
 * the result a trainee hands back to the trainer as JSON.
 *
 * Each exercise has three parts worth POINTS_PER_PART each: the packet
 * that proves the cause, the cause, the fix. Each hint taken costs
 * HINT_COST, down to zero for the exercise.
 */
import type { Exercise } from '../../sim/index';
import { encodeSet, type TrainingSet } from './training-set';

export const POINTS_PER_PART = 10;
export const HINT_COST = 5;
export const HINTS = 3;

export interface Answer {
  /** The step index of the packet the trainee marked as the proof. */
  proof?: number;
  cause?: string;
  fix?: string;
}

export interface Marks {
  proof: boolean;
  cause: boolean;
  fix: boolean;
}

export interface ExerciseRecord {
  answer: Answer;
  hints: number;
  startedAt: string;
  /** Set once the answers were checked: they can no longer change. */
  checkedAt?: string;
  marks?: Marks;
  /** The packets that proved it in the trainee's run (step indexes). */
  proving?: number[];
}

export interface Progress {
  startedAt: string;
  /** The exercise the trainee is on; `items.length` when the set is done. */
  current: number;
  records: ExerciseRecord[];
}

const KEY_PREFIX = 'trunklab-training:';

export function scoreOf(record: ExerciseRecord): number {
  if (!record.marks) return 0;
  const right = Number(record.marks.proof) + Number(record.marks.cause) + Number(record.marks.fix);
  return Math.max(0, right * POINTS_PER_PART - record.hints * HINT_COST);
}

export const maxScore = (set: TrainingSet) => set.items.length * 3 * POINTS_PER_PART;

export function loadProgress(set: TrainingSet): Progress | undefined {
  try {
    const raw = localStorage.getItem(KEY_PREFIX + encodeSet(set));
    if (!raw) return undefined;
    const p = JSON.parse(raw) as Progress;
    return Array.isArray(p.records) && Number.isInteger(p.current) ? p : undefined;
  } catch {
    // Storage blocked or its entry unreadable: start the set afresh.
    return undefined;
  }
}

export function saveProgress(set: TrainingSet, progress: Progress): void {
  try {
    localStorage.setItem(KEY_PREFIX + encodeSet(set), JSON.stringify(progress));
  } catch {
    // Storage blocked or full: the set still works, it just cannot be resumed.
  }
}

export function clearProgress(set: TrainingSet): void {
  try {
    localStorage.removeItem(KEY_PREFIX + encodeSet(set));
  } catch {
    // Nothing kept, nothing to clear.
  }
}

export function newRecord(): ExerciseRecord {
  return { answer: {}, hints: 0, startedAt: new Date().toISOString() };
}

/** The result a trainee downloads and hands back: every answer, the hints, the time and the score. */
export function resultDocument(set: TrainingSet, progress: Progress, exercises: readonly Exercise[], link: string) {
  const items = set.items.map((item, n) => {
    const record = progress.records[n] ?? newRecord();
    const exercise = exercises.find((e) => e.scenario === item.scenario)!;
    const chosen = (list: Exercise['causes'], id?: string) => list.find((c) => c.id === id)?.text ?? null;
    return {
      number: n + 1,
      scenario: item.scenario,
      seed: item.seed,
      stage: exercise.stage,
      about: exercise.remedy.article.title,
      proof: {
        packet: record.answer.proof === undefined ? null : record.answer.proof + 1,
        right: record.marks?.proof ?? false,
        provingPackets: (record.proving ?? []).map((i) => i + 1),
      },
      cause: {
        chosen: chosen(exercise.causes, record.answer.cause),
        right: record.marks?.cause ?? false,
        answer: exercise.causes[0].text,
      },
      fix: {
        chosen: chosen(exercise.fixes, record.answer.fix),
        right: record.marks?.fix ?? false,
        answer: exercise.fixes[0].text,
      },
      hints: record.hints,
      seconds: record.checkedAt
        ? Math.round((Date.parse(record.checkedAt) - Date.parse(record.startedAt)) / 1000)
        : null,
      score: scoreOf(record),
    };
  });
  return {
    title: set.title,
    link,
    startedAt: progress.startedAt,
    finishedAt: progress.records.at(-1)?.checkedAt ?? null,
    score: items.reduce((n, i) => n + i.score, 0),
    maxScore: maxScore(set),
    exercises: items,
  };
}

export type TrainingResult = ReturnType<typeof resultDocument>;
