/**
 * The network's agenda: every packet arrival and every timer (retransmission,
 * delayed ACK, a scenario's "after 20 ms") is an event at a virtual time.
 *
 * Events run in time order; events at the same microsecond run in the order
 * they were scheduled, so a run is deterministic. Times are whole
 * microseconds since the run began, so sums never pick up floating-point
 * noise.
 */

export interface ScheduledEvent {
  readonly timeUs: number;
  readonly label: string;
  /** Stops the event from running; a no-op once it has run. */
  cancel(): void;
  readonly cancelled: boolean;
}

interface Entry extends ScheduledEvent {
  order: number;
  run: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private readonly heap: Entry[] = [];
  private order = 0;
  private current = 0;

  /** The time of the event being run (or of the last one run). */
  get nowUs(): number {
    return this.current;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `run` at `timeUs` (never before now). */
  at(timeUs: number, label: string, run: () => void): ScheduledEvent {
    if (!Number.isInteger(timeUs)) throw new RangeError(`event times are whole microseconds, got ${timeUs}`);
    const entry: Entry = {
      timeUs: Math.max(timeUs, this.current),
      label,
      order: this.order++,
      run,
      cancelled: false,
      cancel() {
        entry.cancelled = true;
      },
    };
    this.push(entry);
    return entry;
  }

  /** Runs the next event; false when none is left. */
  step(): boolean {
    for (;;) {
      const next = this.pop();
      if (!next) return false;
      if (next.cancelled) continue;
      this.current = next.timeUs;
      next.cancelled = true;
      next.run();
      return true;
    }
  }

  /** Moves time forward to `timeUs` with nothing happening (no event may be due before it). */
  advanceTo(timeUs: number): void {
    const next = this.peekTimeUs();
    if (next !== undefined && next < timeUs) throw new Error(`an event is due at ${next} µs, before ${timeUs} µs`);
    this.current = Math.max(this.current, timeUs);
  }

  /** Time of the next event that will run, if any. */
  peekTimeUs(): number | undefined {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap[0]?.timeUs;
  }

  private before(a: Entry, b: Entry): boolean {
    return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.order < b.order);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
