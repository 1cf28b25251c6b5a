/**
 * The attacker on the path between the PBX and the SBC, and what it can do:
 * each capability is an operation on the bytes that pass its position.
 *
 * - observe: a `Tap` sees every packet and learns what the bytes give away;
 *   `seen` keeps every packet (record now, decrypt later).
 * - intercept: its own host answers for the SBC (or the PBX): the PBX's TCP
 *   connection ends at the attacker, which opens its own to the SBC. The TLS
 *   engine then runs on both of the attacker's connections.
 * - tamper: flip chosen bits of a packet's payload in flight (a TLS record,
 *   an SRTP packet); checksums are recomputed unless asked not to be.
 * - rewrite: change a packet's payload or addresses in flight (an SDP offer's
 *   RTP/SAVP to RTP/AVP); when a TCP payload changes length, every later
 *   sequence and acknowledgment number of the connection is shifted to match
 *   (sequence-shift.ts), so the connection survives.
 * - redirect: send a flow to another address or port, and its answers back as
 *   if from the original (destination NAT).
 * - drop, reset: discard packets; answer a TCP segment with a forged RST.
 * - replay, inject: send a captured packet again, or one made up, from the
 *   attacker's position (with any source address).
 *
 * What a tamper or rewrite does to the meaning of the bytes (where a TLS
 * record's ciphertext is, what an SDP line says) is the scenario's business:
 * the attacker gets functions that choose bits or produce new payloads.
 */
import type { Field } from '../wire/field';
import type { Encoded } from './ipv4';
import { formatEndpoint, type Endpoint } from './address';
import { writePacket, type DecodedPacket, type PacketSpec, type UnnumberedPacketSpec } from './packet';
import type { Host, TcpListener } from './host';
import type { InFlightPacket, Middlebox, Network, PathDecision } from './network';
import type { TcpConnection } from './tcp-connection';
import type { UdpSocket } from './udp-socket';
import { TCP_FLAG, seqAdd, segmentLength } from './tcp-segment';
import { SequenceShift } from './sequence-shift';
import type { Tap } from './tap';
import type { WirePacket } from './wire-record';

export type PacketMatch = (p: InFlightPacket) => boolean;

/** Changes a rewrite makes: a new payload (bytes, or bytes with their field tree), new addresses. */
export interface PacketEdit {
  payload?: Uint8Array | Encoded;
  src?: Endpoint;
  dst?: Endpoint;
}

export interface AttackerRule {
  readonly description: string;
  /** How many packets the rule has acted on. */
  readonly applied: number;
  remove(): void;
}

interface RuleOptions {
  /** Act on at most this many packets. */
  times?: number;
}

type Action =
  | { kind: 'drop' }
  | { kind: 'reset' }
  | { kind: 'tamper'; bits: (p: InFlightPacket) => number[] | undefined; fixChecksums: boolean }
  | { kind: 'rewrite'; edit: (p: InFlightPacket) => PacketEdit | undefined };

interface Rule extends AttackerRule {
  match: PacketMatch;
  action: Action;
  times: number;
  applied: number;
}

/** The packet as the attacker will send it on, while rules change it. */
interface Draft {
  src: Endpoint;
  dst: Endpoint;
  ipId: number;
  ttl: number;
  tcp?: { seq: number; ack: number; flags: number; window: number; urgentPointer: number; options: ParsedTcpOptions };
  payload: Encoded;
  origin: 'tampered' | 'rewritten';
  notes: string[];
}

type ParsedTcpOptions = Extract<DecodedPacket['transport'], { kind: 'tcp' }>['options'];

export class OnPathAttacker implements Middlebox {
  /** Every packet that passed the attacker's position, as it arrived. */
  readonly seen: WirePacket[] = [];
  private readonly rules: Rule[] = [];
  private readonly taps: Tap[] = [];
  private readonly shift = new SequenceShift();
  /** Destination NAT: client endpoint → the original destination it thinks it talks to. */
  private readonly redirected = new Map<string, { original: Endpoint; to: Endpoint }>();

  constructor(
    readonly network: Network,
    readonly host: Host,
  ) {}

  /** Puts a tap on the attacker's position; it sees every packet that passes and every packet the attacker sends. */
  observe(tap: Tap): Tap {
    this.taps.push(tap);
    return tap;
  }

  /** Discards matching packets. */
  drop(match: PacketMatch, description: string, options: RuleOptions = {}): AttackerRule {
    return this.addRule(match, { kind: 'drop' }, description, options);
  }

  /**
   * Drops a matching TCP segment and answers its sender with a RST forged
   * from its destination, so the sender gives up at once (RFC 9293 §3.10.7.4).
   */
  reset(match: PacketMatch, description: string, options: RuleOptions = {}): AttackerRule {
    return this.addRule(match, { kind: 'reset' }, description, options);
  }

  /**
   * Flips bits of matching packets' transport payload. `bits` returns bit
   * offsets from the payload's first bit (bit 0 is the high bit of byte 0).
   * With `fixChecksums: false` the checksums stay as they were, and the
   * receiver's stack will discard the packet.
   */
  tamper(
    match: PacketMatch,
    bits: (p: InFlightPacket) => number[] | undefined,
    description: string,
    options: RuleOptions & { fixChecksums?: boolean } = {},
  ): AttackerRule {
    return this.addRule(
      match,
      { kind: 'tamper', bits, fixChecksums: options.fixChecksums ?? true },
      description,
      options,
    );
  }

  /** Rewrites matching packets: new payload, addresses or both. */
  rewrite(
    match: PacketMatch,
    edit: (p: InFlightPacket) => PacketEdit | undefined,
    description: string,
    options: RuleOptions = {},
  ): AttackerRule {
    return this.addRule(match, { kind: 'rewrite', edit }, description, options);
  }

  /**
   * Sends packets for `from` to `to` instead, and rewrites the answers so they
   * seem to come from `from` (what a destination NAT does).
   */
  redirect(from: Endpoint, to: Endpoint, description: string): AttackerRule {
    const key = formatEndpoint(from);
    return this.addRule(
      ({ parsed }) => formatEndpoint(parsed.dst) === key,
      {
        kind: 'rewrite',
        edit: ({ parsed }) => {
          this.redirected.set(formatEndpoint(parsed.src), { original: from, to });
          return { dst: to };
        },
      },
      description,
      {},
    );
  }

  /**
   * Answers for `target` on TCP: connections meant for it end at the
   * attacker's host, and `onAccept` gets each one once established.
   */
  interceptTcp(target: Endpoint, onAccept: (connection: TcpConnection) => unknown): TcpListener {
    this.host.claim(target.ip);
    return this.host.listen(target.port, onAccept, target.ip);
  }

  /** Answers for `target` on UDP: datagrams meant for it arrive at the returned socket. */
  interceptUdp(target: Endpoint): UdpSocket {
    this.host.claim(target.ip);
    return this.host.bindUdp(target.port, target.ip);
  }

  /**
   * Opens the attacker's own connection to `remote`, from its own address or
   * passing itself off as `as` (the answers are taken off the path).
   */
  connect(remote: Endpoint, options: { as?: string; streamName?: string } = {}): TcpConnection {
    if (options.as) this.host.claim(options.as);
    return this.host.connect(remote, { localIp: options.as, streamName: options.streamName });
  }

  /** Sends a captured packet's exact bytes again, from the attacker's position. */
  replay(record: WirePacket, description: string): WirePacket {
    return this.emit({ bytes: record.bytes, fields: record.fields }, 'replayed', description, record.index);
  }

  /** Sends a packet the attacker made, with whatever source address it likes. */
  inject(spec: UnnumberedPacketSpec, description: string): WirePacket {
    const id = this.host.random.bytes(2);
    return this.emit(writePacket({ ...spec, ipId: (id[0] << 8) | id[1] } as PacketSpec), 'injected', description);
  }

  onPacket(p: InFlightPacket): PathDecision {
    this.seen.push(p.record);
    for (const tap of this.taps) tap.see(p.record);
    if (this.host.wants(p.parsed)) return { action: 'intercept' };

    let draft: Draft | undefined;
    const start = (): Draft => (draft ??= this.draft(p));
    for (const rule of this.rules) {
      if (rule.applied >= rule.times || !rule.match(p)) continue;
      const action = rule.action;
      if (action.kind === 'drop') {
        rule.applied++;
        return { action: 'drop', note: rule.description };
      }
      if (action.kind === 'reset') {
        if (p.parsed.transport.kind !== 'tcp' || p.parsed.transport.flags & TCP_FLAG.RST) continue;
        rule.applied++;
        this.forgeReset(p.parsed, rule.description);
        return { action: 'drop', note: rule.description };
      }
      if (action.kind === 'tamper') {
        const bits = action.bits(p);
        if (!bits || bits.length === 0) continue;
        rule.applied++;
        if (!action.fixChecksums) {
          return { action: 'replace', origin: 'tampered', note: rule.description, packets: [flipInPlace(p, bits)] };
        }
        const d = start();
        d.payload = flipBits(d.payload, bits, rule.description);
        d.notes.push(rule.description);
        continue;
      }
      const edit = action.edit(p);
      if (!edit) continue;
      rule.applied++;
      const d = start();
      if (edit.src) d.src = edit.src;
      if (edit.dst) d.dst = edit.dst;
      if (edit.payload) {
        d.payload = edit.payload instanceof Uint8Array ? opaque(edit.payload, 'Payload (rewritten)') : edit.payload;
        if (p.parsed.transport.kind === 'tcp') {
          const t = p.parsed.transport;
          this.shift.record(directionOf(p.parsed), t.seq, p.parsed.payload.length, d.payload.bytes.length);
        }
      }
      d.origin = 'rewritten';
      d.notes.push(rule.description);
    }

    // Answers of a redirected flow go back as if from the original destination.
    const back = this.redirected.get(formatEndpoint(p.parsed.dst));
    if (back && formatEndpoint(p.parsed.src) === formatEndpoint(back.to)) {
      const d = start();
      d.src = back.original;
      d.origin = 'rewritten';
      d.notes.push(`Answer rewritten to come from ${formatEndpoint(back.original)}`);
    }

    // Keep the connection's numbering consistent after a rewrite changed a length.
    if (p.parsed.transport.kind === 'tcp') {
      const t = p.parsed.transport;
      const here = directionOf(p.parsed);
      const there = directionOf({ src: p.parsed.dst, dst: p.parsed.src });
      const seq = this.shift.seqFor(here, t.seq);
      const ack = t.flags & TCP_FLAG.ACK ? this.shift.ackFor(there, t.ack) : t.ack;
      if (seq !== t.seq || ack !== t.ack) {
        const d = start();
        d.tcp!.seq = seq;
        d.tcp!.ack = ack;
        if (d.notes.length === 0) {
          d.origin = 'rewritten';
          d.notes.push('Sequence numbers shifted to match an earlier rewrite');
        }
      }
    }
    if (!draft) return { action: 'forward' };
    return { action: 'replace', origin: draft.origin, note: draft.notes.join('; '), packets: [this.build(draft)] };
  }

  private addRule(match: PacketMatch, action: Action, description: string, options: RuleOptions): AttackerRule {
    const rule: Rule = {
      description,
      match,
      action,
      times: options.times ?? Number.POSITIVE_INFINITY,
      applied: 0,
      remove: () => {
        const i = this.rules.indexOf(rule);
        if (i >= 0) this.rules.splice(i, 1);
      },
    };
    this.rules.push(rule);
    return rule;
  }

  private draft(p: InFlightPacket): Draft {
    const t = p.parsed.transport;
    return {
      src: p.parsed.src,
      dst: p.parsed.dst,
      ipId: p.parsed.ip.id,
      ttl: p.parsed.ip.ttl,
      ...(t.kind === 'tcp'
        ? {
            tcp: {
              seq: t.seq,
              ack: t.ack,
              flags: t.flags,
              window: t.window,
              urgentPointer: t.urgentPointer,
              options: t.options,
            },
          }
        : {}),
      payload: { bytes: p.parsed.payload, fields: payloadFields(p.record) },
      origin: 'tampered',
      notes: [],
    };
  }

  private build(d: Draft): Encoded {
    const common = { src: d.src, dst: d.dst, ipId: d.ipId, ttl: d.ttl, payload: d.payload };
    return writePacket(d.tcp ? { ...common, transport: 'tcp', tcp: d.tcp } : { ...common, transport: 'udp' });
  }

  private forgeReset(p: DecodedPacket, description: string): void {
    if (p.transport.kind !== 'tcp') return;
    const t = p.transport;
    // RFC 9293 §3.10.7.1: what a closed port answers, which the sender accepts.
    const reset =
      t.flags & TCP_FLAG.ACK
        ? { seq: t.ack, ack: 0, flags: TCP_FLAG.RST }
        : { seq: 0, ack: seqAdd(t.seq, segmentLength(t.flags, p.payload.length)), flags: TCP_FLAG.RST | TCP_FLAG.ACK };
    this.inject(
      { transport: 'tcp', src: p.dst, dst: p.src, tcp: { ...reset, window: 0 }, payload: opaque(new Uint8Array(0)) },
      `${description} (forged RST from ${formatEndpoint(p.dst)})`,
    );
  }

  private emit(packet: Encoded, origin: 'replayed' | 'injected', note: string, derivedFrom?: number): WirePacket {
    const record = this.network.transmit(this.host, packet, { origin, note, derivedFrom });
    for (const tap of this.taps) tap.see(record);
    return record;
  }
}

function directionOf(p: { src: Endpoint; dst: Endpoint }): string {
  return `${formatEndpoint(p.src)}>${formatEndpoint(p.dst)}`;
}

function opaque(bytes: Uint8Array, name = 'Payload'): Encoded {
  return { bytes, fields: bytes.length ? [{ name, start: 0, end: bytes.length, value: `${bytes.length} bytes` }] : [] };
}

/**
 * The sender's explanation of a packet's transport payload, with ranges from
 * the payload's first byte: the children of the transport layer that lie in
 * the payload.
 */
export function payloadFields(record: WirePacket): Field[] {
  const start = record.payloadOffset;
  const out: Field[] = [];
  const visit = (fields: readonly Field[]) => {
    for (const f of fields) {
      if (f.end <= start) continue;
      if (f.start >= start) out.push(shift(f, -start));
      else if (f.children) visit(f.children);
    }
  };
  visit(record.fields);
  return out;
}

function shift(f: Field, by: number): Field {
  return {
    ...f,
    start: f.start + by,
    end: f.end + by,
    ...(f.children ? { children: f.children.map((c) => shift(c, by)) } : {}),
  };
}

/** The payload with bits flipped, and a note on each field whose bytes changed. */
function flipBits(payload: Encoded, bits: number[], why: string): Encoded {
  const bytes = payload.bytes.slice();
  const touched = new Set<number>();
  for (const bit of bits) {
    const at = bit >> 3;
    if (at < 0 || at >= bytes.length) throw new RangeError(`bit ${bit} is outside the ${bytes.length}-byte payload`);
    bytes[at] ^= 0x80 >> (bit & 7);
    touched.add(at);
  }
  return { bytes, fields: markAltered(payload.fields, touched, why) };
}

function markAltered(fields: readonly Field[], touched: Set<number>, why: string): Field[] {
  return fields.map((f) => {
    const hit = [...touched].some((b) => b >= f.start && b < f.end);
    if (!hit) return f;
    if (f.children && f.children.length) return { ...f, children: markAltered(f.children, touched, why) };
    const note = `Altered in flight (${why}): the value shown is what the sender wrote.`;
    return { ...f, note: f.note ? `${note} ${f.note}` : note };
  });
}

/** Bits flipped in the packet as it is, checksums left alone: the receiver's stack will find them wrong. */
function flipInPlace(p: InFlightPacket, bits: number[]): Encoded {
  const bytes = p.record.bytes.slice();
  const touched = new Set<number>();
  for (const bit of bits) {
    const at = p.record.payloadOffset + (bit >> 3);
    if (bit < 0 || at >= bytes.length) throw new RangeError(`bit ${bit} is outside the payload`);
    bytes[at] ^= 0x80 >> (bit & 7);
    touched.add(at);
  }
  return { bytes, fields: markAltered(p.record.fields, touched, 'checksum left as it was') };
}
