/**
 * What a live figure is told and what it draws from: the scenario, step,
 * lens and named field it opens on, and the first frame the build computes
 * (the step itself and the few ladder rows around it), so the figure shows
 * its step before any script runs and needs the engine only when the reader
 * steps away from it.
 */
import type { Party, Protocol, Step } from '../../../sim/index';
import type { NamedField } from '../../lib/field-names';

/** How many ladder rows a figure shows around its step. */
export const LADDER_ROWS = 5;
/** Rows shown before the step; the rest after it, as far as the run goes. */
const ROWS_BEFORE = 3;

export interface FigureScenario {
  id: string;
  title: string;
}

/** Where a figure opens. */
export interface FigureStart {
  scenario: FigureScenario;
  seed: number;
  /** The step, counted from 1 as the lab's address counts it. */
  step: number;
  lens: Party;
  field?: NamedField;
  /** The lenses the reader may switch between; one or none: no switch. */
  parties: Party[];
}

/** One ladder row: who sent what to whom. */
export interface LadderRow {
  index: number;
  from: Party;
  to: Party;
  protocol: Protocol;
  summary: string;
  failure?: string;
  /** What an attacker on the path makes of it, for the ladder's mark. */
  attacker: 'all' | 'metadata' | 'none';
}

/** The build's first frame: the step, the run's length and the rows around the step. */
export interface FigureFrame {
  total: number;
  rows: LadderRow[];
  step: Step;
}

export function ladderRowOf(step: Step): LadderRow {
  const row: LadderRow = {
    index: step.index,
    from: step.from,
    to: step.to,
    protocol: step.protocol,
    summary: step.summary,
    attacker: step.views.attacker.access,
  };
  if (step.failure !== undefined) row.failure = step.failure;
  return row;
}

/** The indices `[first, last)` of the rows shown around step `index` of a run of `total`. */
export function ladderWindow(total: number, index: number, size = LADDER_ROWS): { first: number; last: number } {
  const first = Math.max(0, Math.min(index - ROWS_BEFORE, total - size));
  return { first, last: Math.min(total, first + size) };
}

/** The first frame of a figure at step `index` (from 0) of a run. */
export function figureFrame(steps: readonly Step[], index: number): FigureFrame {
  const { first, last } = ladderWindow(steps.length, index);
  return { total: steps.length, rows: steps.slice(first, last).map(ladderRowOf), step: steps[index] };
}

/**
 * The lenses worth switching between at a step: the parties that saw it, when
 * they do not all read the same of it (an endpoint decrypts what an attacker
 * only sees the size of). One party or none means there is nothing to compare.
 */
export function partiesThatDiffer(step: Step): Party[] {
  const parties = (['pbx', 'attacker', 'sbc'] as const).filter((p) => step.views[p].access !== 'none');
  const readings = new Set(
    parties.map((p) => `${step.views[p].access}|${step.views[p].layers.map((l) => l.title).join('|')}`),
  );
  return readings.size > 1 ? parties : [];
}
