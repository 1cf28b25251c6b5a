/**
 * The SRTP packet index (RFC 3711 §3.3.1): i = 2^16 · ROC + SEQ, a 48-bit
 * count of the packets of a stream. The 16-bit RTP sequence number wraps
 * every 65,536 packets (about 22 minutes of 20 ms audio); the rollover
 * counter (ROC) counts the wraps. It never travels in the packet, so the
 * receiver estimates which ROC a packet belongs to from the highest sequence
 * number it has seen (Appendix A), and only updates its state once the
 * packet has authenticated.
 */

export interface IndexEstimate {
  /** The ROC value the packet is taken to belong to (may be ROC - 1 or ROC + 1). */
  roc: number;
  index: number;
}

/**
 * Appendix A's estimate: given the receiver's ROC and the highest sequence
 * number s_l seen, the packet's ROC is v = ROC - 1, ROC or ROC + 1, whichever
 * puts SEQ closest to s_l.
 */
export function estimatePacketIndex(roc: number, highestSeq: number, seq: number): IndexEstimate {
  const v = estimateRoc(roc, highestSeq, seq);
  return { roc: v, index: v * 65536 + seq };
}

/** The ROC v of Appendix A's estimate alone, for a receiver that keeps it in a local (no object per packet). */
export function estimateRoc(roc: number, highestSeq: number, seq: number): number {
  if (highestSeq < 32768) return seq - highestSeq > 32768 ? roc - 1 : roc;
  return highestSeq - 32768 > seq ? roc + 1 : roc;
}

/** The receiver's state for one SSRC: the ROC and s_l of §3.3.1. */
export class RolloverCounter {
  private initialised = false;

  constructor(
    public roc = 0,
    public highestSeq = 0,
  ) {}

  /** The index a received SEQ most likely has. The first packet seen sets s_l (§3.3.1). */
  estimate(seq: number): IndexEstimate {
    const roc = this.rocFor(seq);
    return { roc, index: roc * 65536 + seq };
  }

  /** `estimate`'s ROC alone: the index is ROC · 2^16 + SEQ. */
  rocFor(seq: number): number {
    return this.initialised ? estimateRoc(this.roc, this.highestSeq, seq) : this.roc;
  }

  /** After authentication: advance ROC and s_l as §3.3.1 says. */
  update(estimate: IndexEstimate, seq: number): void {
    this.accept(estimate.roc, seq);
  }

  /** `update` with the packet's estimated ROC. */
  accept(roc: number, seq: number): void {
    if (!this.initialised) {
      this.initialised = true;
      this.roc = roc;
      this.highestSeq = seq;
      return;
    }
    if (roc === this.roc + 1) {
      this.roc = roc;
      this.highestSeq = seq;
    } else if (roc === this.roc && seq > this.highestSeq) {
      this.highestSeq = seq;
    }
  }
}
