/**
 * The replay list (RFC 3711 §3.3.2): a sliding window of the packet indices
 * received most recently. A packet is rejected when its index is older than
 * the window or was already seen in it; the window moves only after the
 * packet has authenticated, so a forged packet cannot push it along.
 *
 * The window is a ring of `size` flags: slot i mod size says whether index i
 * was received, for the indices within `size` of the highest one seen.
 * SRTP uses 48-bit indices and SRTCP 31-bit ones; both fit a JavaScript
 * number exactly.
 */

export type ReplayVerdict = 'fresh' | 'duplicate' | 'too_old';

/** RFC 3711 §3.3.2 asks for at least 64; libsrtp uses 128. */
export const DEFAULT_REPLAY_WINDOW = 128;

export class ReplayWindow {
  private readonly seen: Uint8Array;
  /** Highest index accepted so far; -1 before the first. */
  private highest = -1;

  constructor(readonly size = DEFAULT_REPLAY_WINDOW) {
    if (!Number.isInteger(size) || size < 64)
      throw new RangeError('a replay window holds at least 64 packets (RFC 3711 §3.3.2)');
    this.seen = new Uint8Array(size);
  }

  get highestIndex(): number {
    return this.highest;
  }

  /** Whether `index` may be accepted; does not change the window. */
  check(index: number): ReplayVerdict {
    if (this.highest < 0 || index > this.highest) return 'fresh';
    if (index <= this.highest - this.size) return 'too_old';
    return this.seen[index % this.size] ? 'duplicate' : 'fresh';
  }

  /** Records an authenticated packet's index. */
  accept(index: number): void {
    if (index > this.highest) {
      // Clear the slots the window slides over: they belonged to indices now too old.
      const from = this.highest < 0 ? index - this.size + 1 : Math.max(this.highest + 1, index - this.size + 1);
      for (let i = Math.max(0, from); i < index; i++) this.seen[i % this.size] = 0;
      this.highest = index;
    }
    this.seen[index % this.size] = 1;
  }
}
