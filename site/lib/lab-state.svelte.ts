/**
 * The lab's shared state: which scenario, which seed, how far the run has
 * been stepped, which packet is open and through whose eyes. Components read
 * and change it; none of them computes protocol data.
 */
import type { Party, Step, Timeline } from '../../sim/index';
import { runInEngine } from './engine-client';

export class LabState {
  scenario = $state('options-keepalive');
  seed = $state(1);
  timeline = $state<Timeline | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  /** How many packets have been sent so far (0 = none yet). */
  shown = $state(0);
  /** Index of the packet open in the inspector. */
  selected = $state<number | undefined>(undefined);
  lens = $state<Party>('pbx');

  readonly total = $derived(this.timeline?.steps.length ?? 0);
  readonly visibleSteps = $derived<Step[]>(this.timeline?.steps.slice(0, this.shown) ?? []);
  readonly selectedStep = $derived<Step | undefined>(
    this.selected === undefined ? undefined : this.timeline?.steps[this.selected],
  );

  async load(scenario = this.scenario, seed = this.seed): Promise<void> {
    this.scenario = scenario;
    this.seed = seed;
    this.error = undefined;
    this.timeline = undefined;
    try {
      this.timeline = await runInEngine(scenario, seed);
      this.goTo(Math.min(1, this.total));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  goTo(shown: number): void {
    this.shown = Math.max(0, Math.min(this.total, shown));
    this.selected = this.shown > 0 ? this.shown - 1 : undefined;
  }

  next(): void {
    this.goTo(this.shown + 1);
  }

  previous(): void {
    this.goTo(this.shown - 1);
  }

  restart(): void {
    this.goTo(this.total > 0 ? 1 : 0);
  }
}
