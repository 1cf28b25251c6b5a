import { describe, expect, it } from 'vitest';
import { SequenceShift } from '../../sim/net/sequence-shift';

describe('sequence repair after rewrites that change lengths', () => {
  it('shifts later sequence numbers one way and acknowledgments back the other', () => {
    const s = new SequenceShift();
    const d = 'a>b';
    // Segment [1000, 1100) became 90 bytes; then [1300, 1350) became 80 bytes.
    s.record(d, 1000, 100, 90);
    s.record(d, 1300, 50, 80);
    expect(s.seqFor(d, 1000)).toBe(1000);
    expect(s.seqFor(d, 1100)).toBe(1090);
    expect(s.seqFor(d, 1300)).toBe(1290);
    expect(s.seqFor(d, 1350)).toBe(1370);
    // The receiver acknowledges in its own numbering; the sender must see its own.
    expect(s.ackFor(d, 1090)).toBe(1100);
    expect(s.ackFor(d, 1290)).toBe(1300);
    expect(s.ackFor(d, 1370)).toBe(1350);
    expect(s.ackFor(d, 1000)).toBe(1000);
    expect(s.shifted('b>a')).toBe(false);
  });

  it('records a retransmitted rewrite once, and works across the 2^32 wrap', () => {
    const s = new SequenceShift();
    const d = 'x>y';
    const seq = 0xffffff00;
    s.record(d, seq, 0x200, 0x100);
    s.record(d, seq, 0x200, 0x100);
    expect(s.seqFor(d, 0x100)).toBe(0);
    expect(s.ackFor(d, 0)).toBe(0x100);
  });
});
