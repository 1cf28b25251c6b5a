/**
 * Passive TCP reassembly: what a tap does to read a stream it only watches.
 *
 * Segments are put in order by sequence number (RFC 9293 §3.4): the SYN
 * fixes where the data starts; bytes already seen (retransmissions, replays)
 * are skipped; segments beyond a gap wait until it fills. A tap that starts
 * in the middle of a connection begins at the first segment it sees.
 * Waiting data is bounded, so a stream of garbage cannot grow memory.
 *
 * Stream offsets count from the first data byte (the one after the SYN, or
 * the first byte seen), so a reader can say which bytes of the stream each
 * segment carried.
 */
import { TCP_FLAG, seqAdd, seqDiff } from './tcp-segment';

/** Most bytes held beyond a gap before the reassembly gives up on them. */
const MAX_HELD = 1 << 20;

export class StreamReassembly {
  private next?: number;
  /** Sequence number of stream offset 0. */
  private first?: number;
  private readonly held = new Map<number, Uint8Array>();
  private heldBytes = 0;
  /** The peer's FIN has been seen in order: the stream is complete. */
  ended = false;

  /** Takes one segment; returns the bytes it (and any held segments it unblocks) add to the in-order stream. */
  push(seq: number, flags: number, payload: Uint8Array): Uint8Array[] {
    if (flags & TCP_FLAG.SYN) {
      if (this.next === undefined) this.next = this.first = seqAdd(seq, 1);
      seq = seqAdd(seq, 1);
    }
    if (flags & TCP_FLAG.RST) return [];
    if (this.next === undefined) this.next = this.first = seq;
    const out: Uint8Array[] = [];
    this.place(seq, payload, out);
    for (let more = this.held.get(this.next); more; more = this.held.get(this.next)) {
      this.held.delete(this.next);
      this.heldBytes -= more.length;
      this.place(this.next, more, out);
    }
    if (flags & TCP_FLAG.FIN && seqAdd(seq, payload.length) === this.next) this.ended = true;
    return out;
  }

  /** The stream offset of the byte `seq` numbers (data after a SYN counts from the byte after it); undefined before any segment. */
  offsetOf(seq: number, flags = 0): number | undefined {
    if (this.first === undefined) return undefined;
    return seqDiff(flags & TCP_FLAG.SYN ? seqAdd(seq, 1) : seq, this.first);
  }

  /** Bytes delivered in order so far. */
  get delivered(): number {
    return this.first === undefined ? 0 : seqDiff(this.next!, this.first);
  }

  private place(seq: number, payload: Uint8Array, out: Uint8Array[]): void {
    const next = this.next!;
    const behind = seqDiff(next, seq);
    if (behind >= payload.length) return; // all seen before
    if (behind < 0) {
      if (this.heldBytes + payload.length <= MAX_HELD && !this.held.has(seq)) {
        this.held.set(seq, payload.slice());
        this.heldBytes += payload.length;
      }
      return;
    }
    const fresh = payload.subarray(behind);
    out.push(fresh);
    this.next = seqAdd(next, fresh.length);
  }
}
