/**
 * Keeping a TCP connection alive through a rewrite that changes a segment's
 * length, as a middlebox must (the way NAT helpers for SIP do it).
 *
 * Sequence numbers count bytes (RFC 9293 §3.4). If the attacker replaces a
 * segment's n bytes by m, every later sequence number in that direction is
 * off by m − n for the receiver, and every acknowledgment coming back is off
 * by the same amount for the sender. The attacker therefore records each
 * change and shifts the sequence numbers of everything it forwards in that
 * direction, and the acknowledgment numbers of everything it forwards in
 * the other.
 */
import { seqAdd, seqDiff } from './tcp-segment';

interface Change {
  /** Sender's sequence number just after the rewritten segment. */
  originalEnd: number;
  /** Bytes added (negative: removed). */
  delta: number;
}

export class SequenceShift {
  /** Changes per direction (`src>dst`), in sequence order. */
  private readonly changes = new Map<string, Change[]>();

  /** Whether any rewrite has changed lengths on this direction's stream. */
  shifted(direction: string): boolean {
    return (this.changes.get(direction)?.length ?? 0) > 0;
  }

  /** The segment `[seq, seq + oldLength)` of `direction` now carries `newLength` bytes. A retransmission records nothing new. */
  record(direction: string, seq: number, oldLength: number, newLength: number): void {
    if (oldLength === newLength) return;
    const list = this.changes.get(direction) ?? [];
    const originalEnd = seqAdd(seq, oldLength);
    if (list.some((c) => c.originalEnd === originalEnd)) return;
    list.push({ originalEnd, delta: newLength - oldLength });
    list.sort((a, b) => seqDiff(a.originalEnd, b.originalEnd));
    this.changes.set(direction, list);
  }

  /** The sequence number the receiver expects for what the sender numbered `seq`. */
  seqFor(direction: string, seq: number): number {
    let shift = 0;
    for (const c of this.changes.get(direction) ?? []) if (seqDiff(seq, c.originalEnd) >= 0) shift += c.delta;
    return seqAdd(seq, shift);
  }

  /** The acknowledgment number the sender expects, for an ACK of `direction`'s data the receiver numbered `ack`. */
  ackFor(direction: string, ack: number): number {
    let shift = 0;
    for (const c of this.changes.get(direction) ?? []) {
      // Where this change ends in the receiver's numbering.
      const shiftedEnd = seqAdd(c.originalEnd, shift + c.delta);
      if (seqDiff(ack, shiftedEnd) < 0) break;
      shift += c.delta;
    }
    return seqAdd(ack, -shift);
  }
}
