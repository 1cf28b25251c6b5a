/**
 * A byte reader that explains what it reads: the mirror of `ByteWriter`.
 *
 * Reads never go past the end of the innermost length-prefixed block, so a
 * length that lies is caught where it lies. Every failure is a `ParseError`
 * naming the field path and the offset; nothing else is thrown for bad input.
 */
import { newField, relabel, type Annotation, type Field } from './field';
import { describe } from './writer';
import { fromUtf8 } from './bytes';
import { ParseError } from './parse-error';

type Closer = (late?: Partial<Annotation<never>>) => void;

interface Frame {
  field: Field;
  /** Offset at which this frame's bytes end (the parent's limit for plain groups). */
  limit: number;
  /** Set for length-prefixed blocks: must be consumed exactly. */
  exact: boolean;
}

export class ByteReader {
  private at = 0;
  private readonly roots: Field[] = [];
  private readonly frames: Frame[] = [];

  /**
   * @param data the packet (or the part of it this layer owns)
   * @param base offset of `data[0]` within the packet, so field ranges are packet offsets
   */
  constructor(
    readonly data: Uint8Array,
    readonly base = 0,
  ) {}

  /** Offset within `data`. */
  get offset(): number {
    return this.at;
  }

  /** Bytes left before the innermost block ends. */
  get remaining(): number {
    return this.limit() - this.at;
  }

  get fields(): Field[] {
    return this.roots;
  }

  uint8(a: Annotation<number>): number {
    return this.uint(1, a);
  }

  uint16(a: Annotation<number>): number {
    return this.uint(2, a);
  }

  uint24(a: Annotation<number>): number {
    return this.uint(3, a);
  }

  uint32(a: Annotation<number>): number {
    return this.uint(4, a);
  }

  uint(size: 1 | 2 | 3 | 4, a: Annotation<number>): number {
    const start = this.take(size, a.name);
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + this.data[start + i];
    this.leaf(start, a, v);
    return v;
  }

  uint64(a: Annotation<bigint>): bigint {
    const start = this.take(8, a.name);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.data[start + i]);
    this.leaf(start, a, v);
    return v;
  }

  bytes(n: number, a: Annotation<Uint8Array>): Uint8Array {
    const start = this.take(n, a.name);
    const v = this.data.slice(start, start + n);
    this.leaf(start, a, v);
    return v;
  }

  /**
   * Takes the next `n` bytes as explained by a tree another reader made of
   * them (its ranges already packet offsets): the mirror of `ByteWriter.embed`.
   */
  adopt(n: number, fields: readonly Field[]): Uint8Array {
    const start = this.take(n, fields[0]?.name ?? 'embedded layer');
    for (const f of fields) this.attach(f);
    return this.data.slice(start, start + n);
  }

  /**
   * Like `bytes`, but returns a view of the input rather than a copy: for a
   * field only described, not kept (a payload named by its length), or kept
   * by a caller that never changes the input.
   */
  view(n: number, a: Annotation<Uint8Array>): Uint8Array {
    const start = this.take(n, a.name);
    const v = this.data.subarray(start, start + n);
    this.leaf(start, a, v);
    return v;
  }

  /** Everything left in the innermost block. */
  rest(a: Annotation<Uint8Array>): Uint8Array {
    return this.bytes(this.remaining, a);
  }

  text(n: number, a: Annotation<string>): string {
    const start = this.take(n, a.name);
    const v = fromUtf8(this.data.subarray(start, start + n));
    this.leaf(start, a, v);
    return v;
  }

  /** Looks at the next byte without consuming it; undefined at the end of the block. */
  peekUint8(): number | undefined {
    return this.at < this.limit() ? this.data[this.at] : undefined;
  }

  /** Opens a group that ends where its caller says (by calling the closer). */
  group(a: Annotation<never>): Closer {
    const frame: Frame = { field: this.openField(a), limit: this.limit(), exact: false };
    this.frames.push(frame);
    return (late) => this.close(frame, a, late);
  }

  /**
   * Reads a `size`-byte length, then opens a block of exactly that many bytes.
   * The closer throws `length_mismatch` if the block was not consumed exactly.
   */
  lengthPrefixed(size: 1 | 2 | 3 | 4, length: Annotation<number>, body: Annotation<never>): Closer {
    const n = this.uint(size, length);
    if (n > this.remaining) {
      throw this.error('truncated', `says ${n} bytes follow but only ${this.remaining} remain`, body.name);
    }
    const frame: Frame = { field: this.openField(body), limit: this.at + n, exact: true };
    this.frames.push(frame);
    return (late) => this.close(frame, body, late);
  }

  /** Fails unless the whole input has been read. */
  expectEnd(what: string): void {
    if (this.at !== this.data.length) {
      throw this.error('trailing_bytes', `${this.data.length - this.at} unexpected byte(s) after the end`, what);
    }
  }

  /** A `ParseError` at the current offset, naming the field path. */
  error(code: ParseError['code'], message: string, name?: string): ParseError {
    const path = [...this.frames.map((f) => f.field.name), ...(name ? [name] : [])].join(' › ');
    return new ParseError(code, message, this.base + this.at, path || undefined);
  }

  private limit(): number {
    return this.frames.length ? this.frames[this.frames.length - 1].limit : this.data.length;
  }

  private take(n: number, name: string): number {
    if (!Number.isInteger(n) || n < 0) throw this.error('invalid_value', `bad length ${n}`, name);
    if (this.at + n > this.limit()) {
      const inBlock = this.frames.some((f) => f.exact);
      throw this.error(
        inBlock && this.limit() < this.data.length ? 'length_mismatch' : 'truncated',
        `needs ${n} byte(s), ${this.limit() - this.at} left`,
        name,
      );
    }
    const start = this.at;
    this.at += n;
    return start;
  }

  private leaf<V>(start: number, a: Annotation<V>, v: V): void {
    this.attach(newField(describe(a, v), this.base + start, this.base + this.at));
  }

  private openField(a: Annotation<never>): Field {
    const field = newField(describe(a, undefined), this.base + this.at, this.base + this.at, []);
    this.attach(field);
    return field;
  }

  private attach(field: Field): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent) parent.field.children!.push(field);
    else this.roots.push(field);
  }

  private close(frame: Frame, a: Annotation<never>, late?: Partial<Annotation<never>>): void {
    if (this.frames[this.frames.length - 1] !== frame) {
      throw new Error(`${a.name}: closed out of order`);
    }
    if (frame.exact && this.at !== frame.limit) {
      throw this.error('length_mismatch', `${frame.limit - this.at} byte(s) left unread inside the block`);
    }
    this.frames.pop();
    frame.field.end = this.base + this.at;
    // Kept for the whole run at its exact size: an array grown by push keeps room for 17.
    frame.field.children = frame.field.children!.slice();
    if (late) relabel(frame.field, describe({ ...a, ...late }, undefined));
  }
}
