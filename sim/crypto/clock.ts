/**
 * The virtual clock. Nothing in `sim/` reads the wall clock: time is a value
 * the scenario sets (a certificate's validity, a PBX whose clock is wrong) and
 * that the network advances as packets travel.
 */

export interface Clock {
  /** Milliseconds since the Unix epoch, as this clock reads. */
  now(): number;
}

export class VirtualClock implements Clock {
  constructor(private ms: number) {}

  /** A clock that starts at an ISO 8601 instant, e.g. `2026-11-26T09:00:00Z`. */
  static at(iso: string): VirtualClock {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 time: ${iso}`);
    return new VirtualClock(ms);
  }

  now(): number {
    return this.ms;
  }

  date(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`the clock only moves forward (asked to move ${ms} ms)`);
    this.ms += ms;
  }
}

/** A clock that reads another one shifted by a fixed offset: a device whose clock is wrong. */
export class SkewedClock implements Clock {
  constructor(
    private readonly base: Clock,
    readonly skewMs: number,
  ) {}

  now(): number {
    return this.base.now() + this.skewMs;
  }
}
