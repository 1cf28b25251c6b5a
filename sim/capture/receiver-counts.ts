/**
 * What an SRTP stream's receiver makes of each packet, counted: how many it
 * accepted, how many it dropped and why, and the first drop (RFC 3711 §3.3).
 * MediaStreams classifies drops with it; a `StreamReceivers` elsewhere (the
 * analysis thread of `trunklab analyze`, sim/cli/srtp-receiver-thread.ts)
 * counts whole streams with it, so both give the same verdicts.
 *
 * Streams are independent: RFC 3711 §3.2.3 keeps the ROC and replay list per
 * SSRC, so one stream's packets can be received anywhere, in their own order.
 */
import { SrtpContext, type Dropped } from '../rtp/srtp-context';
import type { SrtpSuiteName } from '../rtp/srtp-suite';

/** How a dropped packet is reported: its outcome, why, and whether it copies one already received. */
export interface DropVerdict {
  outcome: 'auth_failure' | 'replay' | 'malformed';
  detail: string;
  copy?: 'replayed' | 'tampered';
}

/**
 * A drop, as the receiver reports it. A packet whose index was already
 * received is a replay if it authenticates as that packet did, and a changed
 * copy (an authentication failure) if it does not.
 */
export function classifyDrop(ctx: SrtpContext, payload: Uint8Array, r: Dropped): DropVerdict {
  if (
    r.reason === 'replay' &&
    r.index !== undefined &&
    r.index >= 0 &&
    !ctx.authenticates(payload, Math.floor(r.index / 65536))
  ) {
    return {
      outcome: 'auth_failure',
      copy: 'tampered',
      detail: `a packet with the index of one already received (${r.index}) whose tag does not verify: it was changed on the way`,
    };
  }
  if (r.reason === 'replay') return { outcome: 'replay', detail: r.detail, copy: 'replayed' };
  return { outcome: r.reason === 'malformed' ? 'malformed' : 'auth_failure', detail: r.detail };
}

/** The key a stream's receiver holds: the SDES key||salt the stream's tags verified with, and its first ROC. */
export interface ReceiverKey {
  suite: SrtpSuiteName;
  keySalt: Uint8Array;
  mki?: Uint8Array;
  initialRoc: number;
}

export interface ReceiverCounts {
  decrypted: number;
  authFailures: number;
  replays: number;
  malformed: number;
  firstFailure?: { packet: number; reason: 'auth_failure' | 'replay'; detail: string };
}

/**
 * Receivers of keyed SRTP streams kept somewhere else (another thread), for a
 * reader that needs only their counts. Packets of a stream are given in
 * capture order; `counts` answers once every packet given was received.
 */
export interface StreamReceivers {
  open(stream: number, key: ReceiverKey): void;
  /** `payload` is only lent: copy what is kept. */
  receive(stream: number, packet: number, payload: Uint8Array): void;
  counts(stream: number): ReceiverCounts;
}

/** One stream's receiver, counting: what a `StreamReceivers` runs for each stream. */
export class CountingReceiver {
  readonly counts: ReceiverCounts = { decrypted: 0, authFailures: 0, replays: 0, malformed: 0 };
  private readonly context: SrtpContext;

  constructor(key: ReceiverKey) {
    this.context = SrtpContext.fromKeySalt(key.suite, key.keySalt, {
      ...(key.mki ? { mki: key.mki } : {}),
      initialRoc: key.initialRoc,
    });
  }

  receive(packet: number, payload: Uint8Array): void {
    const r = this.context.acceptWithoutDecrypting(payload);
    const c = this.counts;
    if (r.ok) {
      c.decrypted++;
      return;
    }
    const v = classifyDrop(this.context, payload, r);
    if (v.outcome === 'replay') c.replays++;
    else if (v.outcome === 'malformed') c.malformed++;
    else c.authFailures++;
    if (v.outcome !== 'malformed' && !c.firstFailure) c.firstFailure = { packet, reason: v.outcome, detail: v.detail };
  }
}
