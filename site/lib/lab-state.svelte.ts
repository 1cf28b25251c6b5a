/**
 * The lab's shared state: which scenario, seed and what-ifs, how far the run
 * has been stepped, which packet is open and through whose eyes, and whether
 * it is playing. Components read and change it; none of them computes
 * protocol data — the Timeline comes whole from the engine worker.
 *
 * A change a person makes calls `onnavigate`, which the full lab connects to
 * the browser history (lab-history.ts); a live step in an article leaves it
 * unconnected.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { Party, ScenarioInfo, Step, Timeline } from '../../sim/index';
import type { CaptureResult, RunKey, RunResult } from './engine-protocol';
import { runInEngine } from './engine-client';
import { isMedia } from './ladder-rows';
import type { NamedField } from './field-names';
import { runStops, stopHolding, type Stop } from './run-stops';
import { framedSteps, showsRun, type FirstFrame } from './first-frame';
import { defaultScenario, type LabLocation } from './lab-url';
import { UI } from './ui-text';

/** How long Play shows each signalling packet at 1×, and each media packet (real time: one per 20 ms). */
export const PLAY_SIGNALLING_MS = 900;
export const PLAY_MEDIA_MS = 20;

export type NavigationMode = 'push' | 'replace';

export interface StartPosition {
  /** Packets sent, from 1. */
  step?: number;
  /** Packet open in the inspector, from 1. */
  packet?: number;
}

export class LabState {
  readonly scenarios: readonly ScenarioInfo[];
  scenario = $state('');
  seed = $state(1);
  whatIf = $state<Record<string, string>>({});
  /** Seconds each side of the call talks; undefined: the engine's spoken phrase. */
  talk = $state<number | undefined>(undefined);
  /** The finished run on screen; raw, because a Timeline is large and never changes once made. */
  result = $state.raw<RunResult | undefined>(undefined);
  /** The steps of the run being computed, as the engine yields them. */
  streamed = $state.raw<Step[]>([]);
  /** The build's first frame of the run being computed, when it is that run: drawn until the engine's steps replace it. */
  frame = $state.raw<FirstFrame | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  running = $state(false);
  /** How many packets have been sent so far (0 = none yet). */
  shown = $state(0);
  /** Index of the packet open in the inspector. */
  selected = $state<number | undefined>(undefined);
  lens = $state<Party>('pbx');
  /** Names the reader gave the PBX and SBC sides of an opened capture (its own words for its own trunk). */
  partyNames = $state<Partial<Record<Party, string>>>({});
  /** The field the address asked the inspector to open (`&field=…`), until another packet is opened. */
  field = $state<NamedField | undefined>(undefined);
  playing = $state(false);
  speed = $state(1);
  /** Media runs in the ladder that are opened, by their first step index. */
  readonly openRuns = new SvelteSet<number>();
  /** Problems with the link the lab was opened from. */
  notices = $state<string[]>([]);
  /** The last thing said to screen readers (a polite live region reads it). */
  announcement = $state('');

  onnavigate: ((mode: NavigationMode) => void) | undefined;

  /** The finished run: its outcome, audio and exports exist once the engine is done. */
  readonly timeline = $derived<Timeline | undefined>(this.result?.timeline);
  readonly complete = $derived(this.result !== undefined);
  /** The run's steps so far: all of them once it is complete, or once a first frame outlines them. */
  readonly steps = $derived<Step[]>(
    this.result?.timeline.steps ?? (this.frame ? framedSteps(this.frame, this.streamed) : this.streamed),
  );
  readonly total = $derived(this.steps.length);
  /** How many of the steps are whole, to be opened: beyond them, a first frame's outlines wait for the engine. */
  readonly ready = $derived(
    this.result || !this.frame ? this.total : Math.max(this.streamed.length, this.frame.whole.length),
  );
  /** Whether the run's length is known: it is complete, or the first frame outlines all of it. */
  readonly whole = $derived(this.complete || this.frame !== undefined);
  readonly visibleSteps = $derived<Step[]>(this.steps.slice(0, this.shown));
  readonly selectedStep = $derived<Step | undefined>(
    this.selected === undefined ? undefined : this.steps[this.selected],
  );
  readonly info = $derived.by<ScenarioInfo | undefined>(() => this.scenarios.find((s) => s.id === this.scenario));
  readonly finished = $derived(this.complete && this.shown === this.total);
  /** Whether the run carries a call's media (so how long the parties talk matters). */
  readonly hasMedia = $derived(this.steps.some(isMedia));
  /** Set while a capture file, rather than a scenario's run, is on screen. */
  readonly capture = $derived(this.result?.timeline.capture);
  /** Where Next and Previous step stop: flights and media runs (run-stops.ts). */
  readonly stops = $derived<Stop[]>(runStops(this.steps));
  /** Previous step has nowhere to go: the first stop is all that has been sent. */
  readonly atStart = $derived(this.total === 0 || this.#at <= (this.stops[0]?.last ?? 0) + 1);
  readonly atEnd = $derived(this.total === 0 || this.#at >= this.total);
  /** The step that proves a failed run's failure, once the run is complete. */
  readonly failureStep = $derived(this.timeline?.outcome.ok === false ? this.timeline.outcome.step : undefined);

  /**
   * A move to steps the engine has not sent yet (Next step pressed on a first frame, say): made as
   * soon as they arrive, so no press is lost while the engine starts.
   */
  #waiting = $state.raw<{ shown: number; selected: number | undefined; mode: NavigationMode | undefined }>();
  /** How many packets are sent once the move waiting for the engine is made. */
  get #at(): number {
    return this.#waiting?.shown ?? this.shown;
  }
  /** The build's first frame of the lab's default run, for the page's whole life. */
  readonly #frame: FirstFrame | undefined;

  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the reader has moved since the run was loaded (a failed run then stays where they are). */
  #moved = false;

  /**
   * `frame`, when given, is drawn at once when it shows the run asked for (on the server too, so the
   * page arrives with it): the first packet sent and open, the whole run on the ladder.
   */
  constructor(scenarios: readonly ScenarioInfo[], initial?: Partial<LabLocation>, frame?: FirstFrame) {
    this.scenarios = scenarios;
    this.scenario = initial?.scenario ?? defaultScenario(scenarios);
    this.seed = initial?.seed ?? 1;
    this.lens = initial?.lens ?? 'pbx';
    this.whatIf = { ...(initial?.whatIf ?? {}) };
    this.talk = initial?.talk;
    this.#frame = frame;
    if (showsRun(frame, this.runKey)) {
      this.frame = frame;
      this.#place({});
    }
  }

  get runKey(): RunKey {
    return {
      scenario: this.scenario,
      seed: this.seed,
      whatIf: { ...this.whatIf },
      ...(this.talk !== undefined ? { talkMs: this.talk * 1000 } : {}),
    };
  }

  /** Where the lab is, for its URL. */
  get location(): LabLocation {
    return {
      scenario: this.scenario,
      seed: this.seed,
      step: this.shown > 0 ? this.shown : undefined,
      packet: this.selected !== undefined && this.selected !== this.shown - 1 ? this.selected + 1 : undefined,
      lens: this.lens,
      ...(this.field !== undefined ? { field: this.field } : {}),
      whatIf: { ...this.whatIf },
      ...(this.talk !== undefined ? { talk: this.talk } : {}),
    };
  }

  /**
   * Runs a scenario in the engine worker and shows it at `position` as soon
   * as the engine has yielded that far, before the whole run is computed. A
   * run started later wins: answers to older requests are dropped.
   */
  async load(key: Partial<RunKey> = {}, position: StartPosition = {}): Promise<void> {
    this.pause();
    const generation = ++this.#generation;
    if (key.scenario !== undefined && key.scenario !== this.scenario) this.openRuns.clear();
    this.scenario = key.scenario ?? this.scenario;
    this.seed = key.seed ?? this.seed;
    this.whatIf = { ...(key.whatIf ?? this.whatIf) };
    if ('talkMs' in key) this.talk = key.talkMs === undefined ? undefined : key.talkMs / 1000;
    this.error = undefined;
    this.running = true;
    this.result = undefined;
    this.streamed = [];
    this.#waiting = undefined;
    this.#moved = false;
    // The build's first frame of this run stays on screen (the same packets the engine is about to
    // send); any other run starts from nothing.
    const frame = showsRun(this.#frame, this.runKey) ? this.#frame : undefined;
    this.frame = frame;
    const wanted = position.step ?? 1;
    let placed = frame !== undefined && this.ready >= wanted;
    if (placed) {
      this.#place(position);
    } else {
      this.shown = 0;
      this.selected = undefined;
    }
    try {
      const result = await runInEngine(this.runKey, (steps) => {
        if (generation !== this.#generation) return;
        this.streamed = [...this.streamed, ...steps];
        if (!placed && this.ready >= wanted) {
          placed = true;
          this.#place(position);
        }
        this.#arrived();
      });
      if (generation !== this.#generation) return;
      this.result = result;
      this.streamed = [];
      this.frame = undefined;
      if (!placed) this.#place(position);
      this.#arrived();
      // A failed run opens on the packet that proves it, unless the link named a step or the reader moved.
      const proof = result.timeline.outcome.step;
      if (position.step === undefined && !this.#moved && !result.timeline.outcome.ok && proof !== undefined) {
        this.#show(proof + 1, proof, undefined);
      }
    } catch (e) {
      if (generation !== this.#generation) return;
      this.result = undefined;
      this.shown = 0;
      this.selected = undefined;
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (generation === this.#generation) this.running = false;
    }
  }

  #place({ step, packet }: StartPosition): void {
    const total = this.total;
    let shown = Math.min(1, this.ready);
    if (step !== undefined) {
      if (step > total) this.notices = [...this.notices, UI.url.stepTooFar(step, total)];
      shown = Math.min(step, this.ready);
    }
    this.shown = shown;
    this.selected = shown > 0 ? shown - 1 : undefined;
    if (packet !== undefined && packet >= 1 && packet <= shown) this.selected = packet - 1;
    this.#announce();
  }

  /** Shows the run at a location without recording it (back and forward, or a first visit). */
  async apply(location: LabLocation): Promise<void> {
    this.lens = location.lens;
    this.field = location.field;
    const same =
      this.result !== undefined &&
      location.scenario === this.scenario &&
      location.seed === this.seed &&
      JSON.stringify(sorted(location.whatIf)) === JSON.stringify(sorted(this.whatIf)) &&
      location.talk === this.talk;
    if (same) {
      this.pause();
      this.#place({ step: location.step, packet: location.packet });
    } else {
      await this.load(
        { scenario: location.scenario, seed: location.seed, whatIf: location.whatIf, talkMs: talkMs(location.talk) },
        { step: location.step, packet: location.packet },
      );
    }
  }

  #navigate(mode: NavigationMode = 'push'): void {
    // A capture lives only in this page: no link can open it again, so the address keeps the last scenario.
    if (this.capture) return;
    this.onnavigate?.(mode);
  }

  /** Shows a capture the engine opened, from its first packet, in place of the run on screen. */
  showCapture(result: CaptureResult): void {
    this.pause();
    ++this.#generation;
    this.openRuns.clear();
    // The seed stays as it was: a capture has none, and the worker finds it by its key's scenario alone.
    this.scenario = result.key.scenario;
    this.whatIf = {};
    this.talk = undefined;
    this.error = undefined;
    this.running = false;
    this.streamed = [];
    this.frame = undefined;
    this.#waiting = undefined;
    this.result = result;
    this.partyNames = {};
    this.#place({});
  }

  async choose(key: Partial<RunKey>): Promise<void> {
    // What was wrong with the link the lab was opened from no longer matters once the reader chooses.
    this.notices = [];
    const keep = key.scenario === undefined || key.scenario === this.scenario;
    // A what-if or a new seed re-runs the same scenario: stay at the same step to compare.
    await this.load(
      key,
      keep ? { step: this.shown, packet: this.selected === undefined ? undefined : this.selected + 1 } : {},
    );
    this.#navigate();
  }

  goTo(shown: number, mode: NavigationMode = 'push'): void {
    const next = Math.max(0, Math.min(this.total, shown));
    this.#show(next, next > 0 ? next - 1 : undefined, mode);
  }

  /**
   * Shows the run with `shown` packets sent and packet `selected` open; `mode` undefined records no
   * history entry. Packets the engine has not sent yet are waited for.
   */
  #show(shown: number, selected: number | undefined, mode: NavigationMode | undefined = 'push'): void {
    if (mode !== undefined) this.#moved = true;
    if (shown > this.ready) {
      this.#waiting = { shown, selected, mode };
      return;
    }
    this.#waiting = undefined;
    if (shown === this.shown && selected === this.selected) return;
    if (selected !== this.selected) this.field = undefined;
    this.shown = shown;
    this.selected = selected;
    this.#announce();
    if (mode !== undefined) this.#navigate(mode);
  }

  /** Makes the move that waited for the engine, once it has sent that far. */
  #arrived(): void {
    const waiting = this.#waiting;
    if (waiting && waiting.shown <= this.ready) this.#show(waiting.shown, waiting.selected, waiting.mode);
  }

  /** Sends the next stop: the rest of the flight under way, or the next flight or media run. */
  next(): void {
    const stops = this.stops;
    const shown = this.#at;
    const at = shown === 0 ? -1 : stopHolding(stops, shown - 1);
    const stop = at >= 0 && stops[at].last > shown - 1 ? stops[at] : stops[at + 1];
    if (stop) this.#show(stop.last + 1, stop.lead);
    else if (shown < this.total) this.goTo(shown + 1);
  }

  /** Back to the stop before the one shown. */
  previous(): void {
    this.pause();
    const stops = this.stops;
    const stop = stops[stopHolding(stops, this.#at - 1) - 1];
    if (stop) this.#show(stop.last + 1, stop.lead);
  }

  restart(): void {
    this.pause();
    const first = this.stops[0];
    if (first) this.#show(first.last + 1, first.lead);
    else this.goTo(this.total > 0 ? 1 : 0);
  }

  /**
   * Opens a packet in the inspector. One not sent yet (drawn dimmed on the ladder) is reached first:
   * the run goes on to the end of the stop that holds it.
   */
  select(index: number): void {
    if (index < 0 || index >= this.total || index === this.selected) return;
    if (index < this.shown) {
      this.#waiting = undefined;
      this.#moved = true;
      this.field = undefined;
      this.selected = index;
      this.#navigate();
      return;
    }
    const stop = this.stops[stopHolding(this.stops, index)];
    this.#show(Math.max(index + 1, stop ? stop.last + 1 : 0), index);
  }

  /** Jumps to a step, with everything before it sent: a chapter's first step, the failure's proof. */
  jumpTo(index: number): void {
    if (index < 0 || index >= this.total) return;
    this.pause();
    this.#show(index + 1, index);
  }

  setLens(lens: Party): void {
    if (lens === this.lens) return;
    this.lens = lens;
    this.#navigate();
  }

  toggleRun(first: number): void {
    if (this.openRuns.has(first)) this.openRuns.delete(first);
    else this.openRuns.add(first);
  }

  /** Opens (or closes) a media run's row and its first packet: reached first if it was not yet. */
  openRun(first: number): void {
    this.toggleRun(first);
    if (this.openRuns.has(first) || first >= this.shown) this.select(first);
  }

  play(): void {
    if (this.total === 0 || this.playing) return;
    if (this.finished) this.goTo(1, 'replace');
    this.playing = true;
    this.#schedule();
  }

  pause(): void {
    this.playing = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  #schedule(): void {
    const steps = this.steps;
    const upcoming = steps[this.shown];
    const current = steps[this.shown - 1];
    const media = upcoming !== undefined && current !== undefined && isMedia(upcoming) && isMedia(current);
    const delay = (media ? PLAY_MEDIA_MS : PLAY_SIGNALLING_MS) / this.speed;
    this.#timer = setTimeout(() => {
      if (!this.playing) return;
      // Caught up with a run still being computed: wait for its next step.
      if (this.shown < this.total) this.goTo(this.shown + 1, 'replace');
      if (this.shown >= this.total && this.complete) this.pause();
      else this.#schedule();
    }, delay);
  }

  #announce(): void {
    const steps = this.steps;
    const step = steps[this.selected ?? this.shown - 1];
    if (!step) {
      this.announcement = '';
      return;
    }
    const before = steps[step.index - 1];
    // Fifty media packets a second are not worth fifty announcements: say when media starts.
    if (isMedia(step)) {
      if (!before || !isMedia(before)) this.announcement = UI.announceRun(UI.stepLabel(step.protocol, step.summary));
    } else {
      this.announcement = UI.announceStep(
        step.index + 1,
        this.complete ? this.total : undefined,
        step.from,
        step.to,
        UI.stepLabel(step.protocol, step.summary),
      );
    }
    if (this.shown === this.total && this.timeline) {
      const o = this.timeline.outcome;
      this.announcement += ` ${UI.announceEnd(o.ok ? `${UI.outcomeOk}. ${o.summary}` : `${UI.outcomeFailed(o.stage, o.reason)}. ${o.summary}`)}`;
    }
  }
}

function talkMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
