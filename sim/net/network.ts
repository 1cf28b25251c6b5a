/**
 * The virtual network: hosts, the links between them, and the agenda that
 * moves packets along those links in virtual time.
 *
 * A packet leaves its sender when the sender's link is free (serialization at
 * the link's bit rate), travels for the link's latency, and is handed to the
 * host that owns its destination address, which reads it from the bytes. The
 * network advances the `VirtualClock` to each event's time as it runs it, and
 * records every packet as it crosses the wire (`records`).
 *
 * A link may have a middlebox on it, the attacker's position on the path:
 * packets between the link's two ends reach the middlebox's host first, and
 * the middlebox decides (forward, drop, intercept, or send something else
 * instead). The network knows nothing of TLS, SIP or RTP; what the middlebox
 * does to the bytes is up to the scenario that configures it.
 */
import type { VirtualClock } from '../crypto/clock';
import type { RandomSource } from '../crypto/random';
import { isParseError } from '../wire/parse-error';
import type { Encoded } from './ipv4';
import { decodeWirePacket, type DecodedPacket } from './packet';
import { EventQueue, type ScheduledEvent } from './event-queue';
import { Host, type HostOptions } from './host';
import type { PacketOrigin, StreamPosition, WirePacket } from './wire-record';

/** A packet reaching a middlebox: its record so far, and its headers as the bytes state them. */
export interface InFlightPacket {
  record: WirePacket;
  parsed: DecodedPacket;
}

export type PathDecision =
  | { action: 'forward' }
  | { action: 'drop'; note: string }
  /** Hand it to the middlebox's own host, which answers for the addressee (see `Host.claim`). */
  | { action: 'intercept' }
  /** Send these packets on instead of it. */
  | { action: 'replace'; note: string; origin: Extract<PacketOrigin, 'tampered' | 'rewritten'>; packets: Encoded[] };

export interface Middlebox {
  onPacket(packet: InFlightPacket): PathDecision;
}

export interface LinkOptions {
  /** One-way latency between the two ends. */
  latencyMs: number;
  /** A host on the path, and what it does to passing packets. */
  via?: {
    host: Host;
    middlebox: Middlebox;
    /** Where it sits: the share of the latency from the link's first host to it (default ½). */
    at?: number;
  };
}

interface Link {
  a: Host;
  b: Host;
  latencyUs: number;
  via?: { host: Host; middlebox: Middlebox; aToViaUs: number };
}

interface Route {
  latencyUs: number;
  via?: { host: Host; middlebox: Middlebox; toViaUs: number };
}

export interface RunLimits {
  /** Stop before events later than this (virtual milliseconds since the run began). */
  untilMs?: number;
  /** Stop after this many events. */
  maxEvents?: number;
}

export interface TransmitMeta {
  origin: PacketOrigin;
  stream?: StreamPosition;
  derivedFrom?: number;
  note?: string;
}

export class Network {
  /** Every packet that crossed the wire, in the order it was sent. */
  readonly records: WirePacket[] = [];
  readonly startMs: number;
  private readonly queue = new EventQueue();
  private readonly hosts: Host[] = [];
  private readonly links: Link[] = [];
  private readonly watchers: Array<(r: WirePacket) => void> = [];
  /** Work an event's handlers started and that must finish before the next event (see `settle`). */
  private readonly pending: Promise<unknown>[] = [];

  constructor(
    readonly clock: VirtualClock,
    private readonly random: RandomSource,
  ) {
    this.startMs = clock.now();
  }

  addHost(options: HostOptions): Host {
    if (this.hosts.some((h) => h.ip === options.ip)) throw new Error(`address ${options.ip} is taken`);
    const host = new Host(
      options,
      {
        nowUs: () => this.nowUs(),
        schedule: (delayUs, label, run) => this.schedule(delayUs, label, run),
        transmit: (from, packet, meta) => this.transmit(from, packet, meta),
        settle: (result) => this.settle(result),
      },
      this.random.fork(`host ${options.name} ${options.ip}`),
    );
    this.hosts.push(host);
    return host;
  }

  /** Joins two hosts (or replaces the link between them, to put a middlebox on the path or take it off). */
  link(a: Host, b: Host, options: LinkOptions): void {
    const at = options.via?.at ?? 0.5;
    if (!(at >= 0 && at <= 1)) throw new RangeError(`a middlebox sits between the ends: at = ${at}`);
    const latencyUs = Math.round(options.latencyMs * 1000);
    const existing = this.links.findIndex((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
    if (existing >= 0) this.links.splice(existing, 1);
    this.links.push({
      a,
      b,
      latencyUs,
      via: options.via && {
        host: options.via.host,
        middlebox: options.via.middlebox,
        aToViaUs: Math.round(latencyUs * at),
      },
    });
  }

  /** The host whose own address is `ip`. */
  hostFor(ip: string): Host | undefined {
    return this.hosts.find((h) => h.ip === ip);
  }

  /** Microseconds since the run began (the time of the event being run). */
  nowUs(): number {
    return this.queue.nowUs;
  }

  /**
   * Runs `run` after `delayUs`; the clock reads that time while it runs. If
   * `run` returns a promise, the next event waits for it (see `settle`).
   */
  schedule(delayUs: number, label: string, run: () => unknown): ScheduledEvent {
    const t = this.queue.nowUs + Math.max(0, Math.round(delayUs));
    return this.queue.at(t, label, () => {
      this.syncClock(t);
      this.settle(run());
    });
  }

  /** `schedule` in milliseconds, for scenarios: "after 20 ms, send the next RTP packet". */
  after(ms: number, label: string, run: () => unknown): ScheduledEvent {
    return this.schedule(ms * 1000, label, run);
  }

  /**
   * Holds the next event until `result` (if it is a promise) has settled.
   * Handlers may be asynchronous (a TLS endpoint awaits WebCrypto); their work
   * happens at the virtual instant of the event that started it, and events
   * never interleave with it, so a run stays deterministic.
   */
  settle(result: unknown): void {
    if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      this.pending.push(result as Promise<unknown>);
    }
  }

  /**
   * Runs the next event and waits for the work it started; false when nothing
   * is left to do. An event whose handlers were all synchronous (every RTP
   * packet of a call) answers at once, without a promise: a run has a thousand
   * such events, and a turn of the microtask queue for each costs more than the event.
   */
  step(): boolean | Promise<boolean> {
    const ran = this.queue.step();
    if (this.pending.length === 0) return ran;
    return this.drain().then(() => ran);
  }

  /**
   * Runs events in time order until none is left, or until the next one lies
   * beyond `untilMs` (virtual milliseconds since the start), or `maxEvents` ran.
   * Returns the number of events run.
   */
  async run(options: RunLimits = {}): Promise<number> {
    let n = 0;
    while (this.due(n, options)) {
      this.queue.step();
      n++;
      if (this.pending.length) await this.drain();
    }
    return this.stopAt(n, options);
  }

  /** `run` for handlers that are all synchronous; fails if one returns a promise. */
  runSync(options: RunLimits = {}): number {
    let n = 0;
    while (this.due(n, options)) {
      this.queue.step();
      n++;
      if (this.pending.length) throw new Error('an event handler returned a promise: use run(), not runSync()');
    }
    return this.stopAt(n, options);
  }

  private limitUs(options: RunLimits): number | undefined {
    return options.untilMs === undefined ? undefined : Math.round(options.untilMs * 1000);
  }

  private due(n: number, options: RunLimits): boolean {
    if (options.maxEvents !== undefined && n >= options.maxEvents) return false;
    const next = this.queue.peekTimeUs();
    const limit = this.limitUs(options);
    return next !== undefined && (limit === undefined || next <= limit);
  }

  /** After a run bounded by time, the clock reads the bound. */
  private stopAt(n: number, options: RunLimits): number {
    const limit = this.limitUs(options);
    if (limit !== undefined && limit > this.queue.nowUs && (this.queue.peekTimeUs() ?? Infinity) > limit) {
      this.queue.advanceTo(limit);
      this.syncClock(limit);
    }
    return n;
  }

  private async drain(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
  }

  /** Calls `watch` with each record as it is made (a runner can show steps before the run ends). */
  watch(watch: (r: WirePacket) => void): () => void {
    this.watchers.push(watch);
    return () => this.watchers.splice(this.watchers.indexOf(watch), 1);
  }

  /**
   * Puts a packet on the wire from `from`: its bytes as given (a host's
   * stack, or an attacker replaying or forging). Returns its record.
   */
  transmit(from: Host, packet: Encoded, meta: TransmitMeta): WirePacket {
    const now = this.nowUs();
    const start = Math.max(now, from.txFreeAtUs);
    const txUs = Math.ceil((packet.bytes.length * 8 * 1e6) / from.linkBitsPerSecond);
    from.txFreeAtUs = start + txUs;

    let parsed: DecodedPacket | undefined;
    try {
      parsed = decodeWirePacket(packet.bytes);
    } catch (e) {
      if (!isParseError(e)) throw e;
    }
    const dstHost = parsed && this.hostFor(parsed.dst.ip);
    const t = parsed?.transport;
    const record: WirePacket = {
      index: this.records.length,
      timeUs: start,
      from: from.party,
      to: dstHost?.party ?? from.party,
      src: parsed?.src ?? { ip: '0.0.0.0', port: 0 },
      dst: parsed?.dst ?? { ip: '0.0.0.0', port: 0 },
      transport: t?.kind ?? 'other',
      bytes: packet.bytes,
      fields: packet.fields,
      payloadOffset: parsed?.payloadOffset ?? 0,
      payloadLength: parsed?.payload.length ?? 0,
      ...(t?.kind === 'tcp' ? { tcp: { seq: t.seq, ack: t.ack, flags: t.flags, window: t.window } } : {}),
      ...(meta.stream ? { stream: meta.stream } : {}),
      origin: meta.origin,
      ...(meta.derivedFrom !== undefined ? { derivedFrom: meta.derivedFrom } : {}),
      fate: 'in-flight',
      seenBy: [from.party],
      ...(meta.note ? { note: meta.note } : {}),
    };
    this.records.push(record);
    for (const w of this.watchers) w(record);

    const route = dstHost && this.route(from, dstHost);
    if (!parsed || !dstHost || !route) {
      record.fate = parsed ? 'unroutable' : 'malformed';
      record.note ??= parsed ? `No route to ${parsed.dst.ip}.` : 'The bytes are not an IPv4 packet.';
      return record;
    }
    const sentBy = start + txUs - now;
    if (route.via) {
      const via = route.via;
      this.schedule(sentBy + via.toViaUs, `reaches ${via.host.name}`, () =>
        this.atMiddlebox(record, parsed, via, dstHost, route.latencyUs - via.toViaUs),
      );
    } else {
      this.schedule(sentBy + route.latencyUs, `reaches ${dstHost.name}`, () => this.arrive(record, dstHost));
    }
    return record;
  }

  private atMiddlebox(
    record: WirePacket,
    parsed: DecodedPacket,
    via: NonNullable<Route['via']>,
    dst: Host,
    remainingUs: number,
  ): void {
    if (!record.seenBy.includes(via.host.party)) record.seenBy.push(via.host.party);
    const decision = via.middlebox.onPacket({ record, parsed });
    switch (decision.action) {
      case 'forward':
        this.schedule(remainingUs, `reaches ${dst.name}`, () => this.arrive(record, dst));
        return;
      case 'drop':
        record.to = via.host.party;
        record.arrivalUs = this.nowUs();
        record.fate = 'dropped';
        record.note = decision.note;
        return;
      case 'intercept': {
        record.to = via.host.party;
        record.arrivalUs = this.nowUs();
        const fate = via.host.receive(record);
        record.fate = fate === 'delivered' ? 'intercepted' : fate;
        return;
      }
      case 'replace':
        record.to = via.host.party;
        record.arrivalUs = this.nowUs();
        record.fate = 'replaced';
        record.note = decision.note;
        record.replacedBy = decision.packets.map(
          (p) =>
            this.transmit(via.host, p, {
              origin: decision.origin,
              derivedFrom: record.index,
              note: decision.note,
              stream: record.stream,
            }).index,
        );
        return;
    }
  }

  private arrive(record: WirePacket, host: Host): void {
    record.arrivalUs = this.nowUs();
    record.to = host.party;
    if (!record.seenBy.includes(host.party)) record.seenBy.push(host.party);
    record.fate = host.receive(record);
  }

  private route(from: Host, to: Host): Route | undefined {
    for (const l of this.links) {
      if (!((l.a === from && l.b === to) || (l.a === to && l.b === from))) continue;
      if (!l.via || l.via.host === from || l.via.host === to) return { latencyUs: l.latencyUs };
      const toViaUs = from === l.a ? l.via.aToViaUs : l.latencyUs - l.via.aToViaUs;
      return { latencyUs: l.latencyUs, via: { host: l.via.host, middlebox: l.via.middlebox, toViaUs } };
    }
    // The middlebox's own host reaches either end over its part of the path.
    for (const l of this.links) {
      if (!l.via) continue;
      const m = l.via.host;
      if ((from === m && to === l.a) || (to === m && from === l.a)) return { latencyUs: l.via.aToViaUs };
      if ((from === m && to === l.b) || (to === m && from === l.b)) return { latencyUs: l.latencyUs - l.via.aToViaUs };
    }
    return undefined;
  }

  private syncClock(timeUs: number): void {
    const target = this.startMs + timeUs / 1000;
    const now = this.clock.now();
    if (target > now) this.clock.advance(target - now);
  }
}
