/**
 * A byte writer that explains itself: each value is written with its name,
 * its human reading, a one-line note and a spec reference, and the writer
 * builds the field tree as it goes (after subtls's `Bytes`).
 *
 * Length-prefixed blocks (TLS's `opaque x<0..2^16-1>` and friends, RFC 8446
 * §3.4) are opened with `lengthPrefixed` and closed by calling the function it
 * returns, which back-fills the length and checks that it fits.
 */
import { newField, relabel, shiftFields, type Annotation, type Field, type FieldWords } from './field';
import { utf8 } from './bytes';

type Closer = (late?: Partial<Annotation<never>>) => void;

export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;
  private readonly roots: Field[] = [];
  /** Open groups, innermost last. */
  private readonly open: Field[] = [];

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
  }

  get length(): number {
    return this.len;
  }

  uint8(v: number, a: Annotation<number>): this {
    return this.uint(v, 1, a);
  }

  uint16(v: number, a: Annotation<number>): this {
    return this.uint(v, 2, a);
  }

  uint24(v: number, a: Annotation<number>): this {
    return this.uint(v, 3, a);
  }

  uint32(v: number, a: Annotation<number>): this {
    return this.uint(v, 4, a);
  }

  /** A big-endian unsigned integer of `size` bytes (network byte order, RFC 8446 §3.3). */
  uint(v: number, size: 1 | 2 | 3 | 4, a: Annotation<number>): this {
    const max = 2 ** (8 * size) - 1;
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new RangeError(`${a.name}: ${v} does not fit in ${size} byte(s)`);
    }
    const start = this.reserve(size);
    for (let i = size - 1, x = v; i >= 0; i--, x = Math.floor(x / 256)) this.buf[start + i] = x & 0xff;
    this.leaf(start, a, v);
    return this;
  }

  /** A 64-bit big-endian unsigned integer (TLS sequence numbers, NTP timestamps). */
  uint64(v: bigint, a: Annotation<bigint>): this {
    const start = this.reserve(8);
    for (let i = 7, x = v; i >= 0; i--, x >>= 8n) this.buf[start + i] = Number(x & 0xffn);
    this.leaf(start, a, v);
    return this;
  }

  bytes(b: Uint8Array, a: Annotation<Uint8Array>): this {
    const start = this.reserve(b.length);
    this.buf.set(b, start);
    this.leaf(start, a, b);
    return this;
  }

  /** UTF-8 text (SIP and SDP are text protocols, RFC 3261 §7). */
  text(s: string, a: Annotation<string>): this {
    const b = utf8(s);
    const start = this.reserve(b.length);
    this.buf.set(b, start);
    this.leaf(start, a, s);
    return this;
  }

  /**
   * Places an already-encoded inner layer (its bytes and its own field tree)
   * here, moving its field ranges to where it now sits.
   */
  embed(inner: { bytes: Uint8Array; fields: readonly Field[] }): this {
    const start = this.reserve(inner.bytes.length);
    this.buf.set(inner.bytes, start);
    for (const f of shiftFields(inner.fields, start)) this.attach(f);
    return this;
  }

  /**
   * Places an inner layer made only to be placed here (a UDP datagram inside
   * the IPv4 packet being written): like `embed`, but its field tree is moved
   * in place rather than copied, so the caller must not use it again.
   */
  adopt(inner: { bytes: Uint8Array; fields: Field[] }): this {
    const start = this.reserve(inner.bytes.length);
    this.buf.set(inner.bytes, start);
    if (start !== 0) moveFields(inner.fields, start);
    for (const f of inner.fields) this.attach(f);
    return this;
  }

  /**
   * Opens a group: every field written until the returned function is called
   * becomes its child. The closer may add what is only known at the end.
   */
  group(a: Annotation<never>): Closer {
    const field = newField(describe(a, undefined), this.len, this.len, []);
    this.attach(field);
    this.open.push(field);
    return (late) => {
      if (this.open[this.open.length - 1] !== field) {
        throw new Error(`${a.name}: closed out of order (still open: ${this.open.map((f) => f.name).join(' › ')})`);
      }
      this.open.pop();
      field.end = this.len;
      // Kept for the whole run at its exact size: an array grown by push keeps room for 17.
      field.children = field.children!.slice();
      if (late) relabel(field, describe({ ...a, ...late }, undefined));
    };
  }

  /**
   * Writes a length of `size` bytes, then a group holding the block it counts.
   * Calling the returned function back-fills the length.
   */
  lengthPrefixed(size: 1 | 2 | 3 | 4, length: Annotation<number>, body: Annotation<never>): Closer {
    const at = this.len;
    this.uint(0, size, length);
    const lengthField = this.lastLeaf();
    const closeBody = this.group(body);
    return (late) => {
      closeBody(late);
      const n = this.len - at - size;
      if (n > 2 ** (8 * size) - 1) throw new RangeError(`${body.name}: ${n} bytes do not fit a ${size}-byte length`);
      for (let i = size - 1, x = n; i >= 0; i--, x = Math.floor(x / 256)) this.buf[at + i] = x & 0xff;
      relabel(lengthField, describe(length, n));
    };
  }

  /** The bytes written and the tree that explains them. */
  finish(): { bytes: Uint8Array; fields: Field[] } {
    if (this.open.length > 0) throw new Error(`unclosed: ${this.open.map((f) => f.name).join(' › ')}`);
    // A writer sized exactly (most are) hands over its buffer; otherwise the written part is copied.
    const bytes = this.len === this.buf.length ? this.buf : this.buf.slice(0, this.len);
    // The tree at its exact size (see `group`).
    return { bytes, fields: this.roots.slice() };
  }

  private reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    const start = this.len;
    this.len += n;
    return start;
  }

  private leaf<V>(start: number, a: Annotation<V>, v: V): void {
    this.attach(newField(describe(a, v), start, this.len));
  }

  private attach(field: Field): void {
    const parent = this.open[this.open.length - 1];
    if (parent) parent.children!.push(field);
    else this.roots.push(field);
  }

  private lastLeaf(): Field {
    const siblings = this.open.length ? this.open[this.open.length - 1].children! : this.roots;
    return siblings[siblings.length - 1];
  }
}

/** The words of a field: the annotation with its value read out for `v` (a number as itself when no reading is given). */
export function describe<V>(a: Annotation<V>, v: V | undefined): FieldWords {
  let value = typeof a.value === 'function' ? (v === undefined ? undefined : a.value(v)) : a.value;
  if (value === undefined && typeof v === 'number') value = String(v);
  // An empty note, spec or layer says nothing: left out.
  return { name: a.name, value, note: a.note || undefined, spec: a.spec || undefined, layer: a.layer || undefined };
}

/** Moves every range in a tree by `delta` bytes, in place. */
function moveFields(fields: readonly Field[], delta: number): void {
  for (const f of fields) {
    f.start += delta;
    f.end += delta;
    if (f.children) moveFields(f.children, delta);
  }
}
