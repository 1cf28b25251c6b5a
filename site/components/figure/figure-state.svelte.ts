/**
 * A live figure's state: which step is shown, through whose eyes, and which
 * field is open. It starts from the build's first frame (or from nothing, in
 * an embed) and asks the engine worker for the whole run only when the
 * reader steps away from the first step, or shows the intent to (a pointer
 * over the figure, focus inside it): the worker computes every byte, as in
 * the lab, and the figure never does.
 */
import type { Party, Step } from '../../../sim/index';
import { runInEngine } from '../../lib/engine-client';
import { focusField, namedPathOf, placesOf, type FieldFocus, type NamedField } from '../../lib/field-names';
import type { FieldPath } from '../../lib/field-paths';
import { UI } from '../../lib/ui-text';
import { ladderRowOf, ladderWindow, type FigureFrame, type FigureStart, type LadderRow } from './figure-data';

export type EngineStatus = 'idle' | 'running' | 'done' | 'failed';

/** A field the reader chose: in which block of bytes (-1: the wire), and where in its tree. */
interface ChosenField {
  layer: number;
  path: FieldPath;
}

export class FigureState {
  readonly start: FigureStart;
  /** The run's steps known so far, by index: the first frame's one, then the engine's. */
  steps = $state.raw<Array<Step | undefined>>([]);
  /** Ladder rows known so far, by index. */
  rows = $state.raw<Array<LadderRow | undefined>>([]);
  total = $state(0);
  /** Whether `total` is the run's length (from the build, or the engine done), not just the steps so far. */
  final = $state(false);
  /** The step shown, from 0. */
  index = $state(0);
  lens = $state<Party>('pbx');
  chosen = $state<ChosenField | undefined>(undefined);
  /** A step the reader asked for that the engine has not reached yet. */
  waitingFor = $state<number | undefined>(undefined);
  engine = $state<EngineStatus>('idle');
  error = $state<string | undefined>(undefined);
  /** What a polite live region says after a step. */
  announcement = $state('');

  readonly step = $derived<Step | undefined>(this.steps[this.index]);
  readonly focus = $derived.by<FieldFocus | undefined>(() => this.#focus());
  /** The open field's name as the lab's address takes it: the article's own, or one written for it. */
  readonly focusName = $derived.by<NamedField | undefined>(() => {
    const focus = this.focus;
    if (!focus) return undefined;
    return focus.named && this.start.field ? this.start.field : namedPathOf(focus.place.fields, focus.path);
  });
  readonly window = $derived(ladderWindow(this.total, this.index));
  readonly atStart = $derived(this.index <= 0);
  readonly atEnd = $derived(this.final && this.index >= this.total - 1);

  constructor(start: FigureStart, frame?: FigureFrame) {
    this.start = start;
    this.lens = start.lens;
    this.index = start.step - 1;
    if (frame) {
      this.total = frame.total;
      this.final = true;
      const steps: Array<Step | undefined> = [];
      steps[frame.step.index] = frame.step;
      this.steps = steps;
      const rows: Array<LadderRow | undefined> = [];
      for (const row of frame.rows) rows[row.index] = row;
      this.rows = rows;
      this.index = frame.step.index;
    }
  }

  #focus(): FieldFocus | undefined {
    const step = this.step;
    if (!step) return undefined;
    const chosen = this.chosen;
    if (chosen) {
      const place = placesOf(step, this.lens).find((p) => p.layer === chosen.layer);
      if (place) return { place, path: chosen.path, fallback: false, named: false };
    }
    return focusField(step, this.lens, this.start.field);
  }

  /** Starts the engine's run of the scenario, once; the steps arrive as it computes them. */
  warm(): void {
    if (this.engine !== 'idle' && this.engine !== 'failed') return;
    this.engine = 'running';
    this.error = undefined;
    const key = { scenario: this.start.scenario.id, seed: this.start.seed, whatIf: {} };
    const take = (more: Step[]) => {
      const steps = [...this.steps];
      const rows = [...this.rows];
      for (const s of more) {
        steps[s.index] = s;
        rows[s.index] = ladderRowOf(s);
      }
      this.steps = steps;
      this.rows = rows;
      this.total = Math.max(this.total, steps.length);
      const wanted = this.waitingFor;
      if (wanted !== undefined && steps[wanted]) this.#show(wanted);
    };
    runInEngine(key, take).then(
      (result) => {
        take(result.timeline.steps);
        this.total = result.timeline.steps.length;
        this.final = true;
        this.engine = 'done';
        // An embed asked for a step past the end: the last one is shown, as the lab does.
        if (this.waitingFor !== undefined) this.#show(Math.min(this.waitingFor, this.total - 1));
      },
      (e: unknown) => {
        this.engine = 'failed';
        this.waitingFor = undefined;
        this.error = e instanceof Error ? e.message : String(e);
      },
    );
  }

  /** Shows step `index` (from 0) now if it is known, or as soon as the engine reaches it. */
  goTo(index: number): void {
    const to = Math.max(0, this.final ? Math.min(index, this.total - 1) : index);
    if (this.steps[to]) {
      this.#show(to);
      return;
    }
    this.waitingFor = to;
    this.warm();
  }

  previous(): void {
    if (!this.atStart) this.goTo(this.index - 1);
  }

  next(): void {
    if (!this.atEnd) this.goTo(this.index + 1);
  }

  setLens(lens: Party): void {
    if (lens === this.lens) return;
    this.lens = lens;
    this.chosen = undefined;
  }

  /** Opens a field the reader chose in the block of bytes `layer` (-1: the wire). */
  choose(layer: number, path: FieldPath): void {
    this.chosen = { layer, path };
  }

  #show(index: number): void {
    this.waitingFor = undefined;
    if (index !== this.index) this.chosen = undefined;
    this.index = index;
    const step = this.steps[index];
    if (step) {
      this.announcement = UI.announceStep(
        index + 1,
        this.final ? this.total : undefined,
        step.from,
        step.to,
        UI.stepLabel(step.protocol, step.summary),
      );
    }
  }
}
