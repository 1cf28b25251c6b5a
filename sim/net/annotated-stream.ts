/**
 * A byte stream that remembers what its bytes are: what a TCP sender keeps
 * between the application's writes and the segments that carry them.
 *
 * An application writes encoded units (a TLS record with its field tree, a
 * SIP message); TCP cuts the stream at the segment size wherever that falls
 * (RFC 9293 §3.7), so one record may span several segments. `slice` returns
 * a segment's bytes with the fields that cover them, cut at the segment's
 * edges, and says on each cut field which part of it the segment holds, so
 * every byte of every segment is still explained.
 */
import type { Field } from '../wire/field';
import type { Encoded } from './ipv4';

interface Chunk {
  /** Stream offset of the chunk's first byte. */
  start: number;
  bytes: Uint8Array;
  fields: readonly Field[];
}

export class AnnotatedStream {
  private chunks: Chunk[] = [];
  private end = 0;
  private released = 0;

  /** Offset one past the last byte written. */
  get length(): number {
    return this.end;
  }

  append(data: Uint8Array | Encoded, describe: () => string = () => 'Stream data'): void {
    const encoded: Encoded =
      data instanceof Uint8Array
        ? {
            bytes: data,
            fields: [
              {
                name: describe(),
                start: 0,
                end: data.length,
                value: `${data.length} bytes`,
                note: 'Bytes the application wrote; TCP carries them without looking inside.',
              },
            ],
          }
        : data;
    if (encoded.bytes.length === 0) return;
    // A copy, so the writer may reuse its buffer: segments (and retransmissions) are views of it.
    this.chunks.push({ start: this.end, bytes: encoded.bytes.slice(), fields: encoded.fields });
    this.end += encoded.bytes.length;
  }

  /** Bytes `[from, to)` of the stream with the fields that explain them, ranges starting at 0. */
  slice(from: number, to: number): Encoded {
    if (from < this.released || to > this.end || from > to) {
      throw new RangeError(`stream bytes [${from}, ${to}) are not held (held: [${this.released}, ${this.end}))`);
    }
    const fields: Field[] = [];
    const one = this.chunks.find((c) => c.start <= from && c.start + c.bytes.length >= to);
    if (one) {
      // Within one write: a view of it, no copy.
      const lo = from - one.start;
      // The shift as a difference, not `-lo`: at a write's first byte that is -0, a double,
      // and a double in one field's start makes V8 box every field's start and end.
      const shift = one.start - from;
      return {
        bytes: one.bytes.subarray(lo, to - one.start),
        fields: clipFields(one.fields, lo, to - one.start, shift),
      };
    }
    const bytes = new Uint8Array(to - from);
    for (const c of this.chunks) {
      const cEnd = c.start + c.bytes.length;
      if (cEnd <= from || c.start >= to) continue;
      const lo = Math.max(from, c.start);
      const hi = Math.min(to, cEnd);
      bytes.set(c.bytes.subarray(lo - c.start, hi - c.start), lo - from);
      fields.push(...clipFields(c.fields, lo - c.start, hi - c.start, c.start - from));
    }
    return { bytes, fields };
  }

  /** Forgets bytes before `offset` (acknowledged by the peer). */
  release(offset: number): void {
    this.released = Math.max(this.released, Math.min(offset, this.end));
    this.chunks = this.chunks.filter((c) => c.start + c.bytes.length > this.released);
  }
}

/**
 * The fields that overlap `[lo, hi)` (ranges relative to the chunk), cut to
 * it and moved by `shift`. A field that loses bytes says which part of it
 * remains.
 */
export function clipFields(fields: readonly Field[], lo: number, hi: number, shift: number): Field[] {
  const out: Field[] = [];
  for (const f of fields) {
    if (f.end <= lo || f.start >= hi) continue;
    if (f.start === f.end) continue;
    const start = Math.max(f.start, lo);
    const end = Math.min(f.end, hi);
    const clipped: Field = { ...f, start: start + shift, end: end + shift };
    if (start !== f.start || end !== f.end) {
      const total = f.end - f.start;
      const part = `Bytes ${start - f.start + 1}–${end - f.start} of ${total} are in this segment; the rest travel in ${
        start !== f.start && end !== f.end
          ? 'the segments before and after'
          : start !== f.start
            ? 'earlier segments'
            : 'later segments'
      }.`;
      clipped.note = f.note ? `${part} ${f.note}` : part;
    }
    if (f.children && f.children.length > 0) clipped.children = clipFields(f.children, lo, hi, shift);
    out.push(clipped);
  }
  return out;
}
