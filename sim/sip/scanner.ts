/**
 * The basic rules of SIP's grammar (RFC 3261 §25.1) as a scanner over one
 * header value or start line.
 *
 * The message is held as a binary string: one character per byte, so every
 * offset here is a byte offset in the message and the ranges recorded for the
 * inspector are exact. Linear white space is SP, HTAB, and CRLF followed by
 * white space (a folded line, RFC 3261 §7.3.1); the message splitter has
 * already made sure every CRLF inside a header value is such a fold.
 *
 * Each method consumes what the grammar allows or throws a `SipParseError`
 * naming the line, the header and what was expected. Nothing backtracks more
 * than a bounded look-ahead, so time is linear in the input.
 */
import type { Field } from '../wire/field';
import { SipParseError } from './syntax-error';

/** A byte class as a 256-entry table. */
export type CharClass = Uint8Array;

export function charClass(...parts: string[]): CharClass {
  const table = new Uint8Array(256);
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      // `a-z` style ranges.
      if (part[i + 1] === '-' && i + 2 < part.length) {
        for (let c = part.charCodeAt(i); c <= part.charCodeAt(i + 2); c++) table[c] = 1;
        i += 2;
      } else {
        table[part.charCodeAt(i)] = 1;
      }
    }
  }
  return table;
}

const ALPHANUM = 'a-zA-Z0-9';
/** RFC 3261 §25.1 `token`. */
export const TOKEN = charClass(ALPHANUM, "-.!%*_+`'~");
/** RFC 3261 §25.1 `word` (Call-ID). */
export const WORD = charClass(ALPHANUM, '-.!%*_+`\'~()<>:\\"/[]?{}');
/** RFC 3261 §25.1 `unreserved`. */
export const UNRESERVED = charClass(ALPHANUM, "-_.!~*'()");
/** RFC 3261 §25.1 `reserved`. */
export const RESERVED = charClass(';/?:@&=+$,');
export const DIGIT = charClass('0-9');
export const HEXDIG = charClass('0-9a-fA-F');
export const ALPHA = charClass('a-zA-Z');

export function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The length of the UTF-8 sequence starting at `at` (RFC 3261 §25.1 UTF8-NONASCII), or 0. */
export function utf8SequenceLength(s: string, at: number, end: number): number {
  const c = s.charCodeAt(at);
  let n: number;
  if (c >= 0xc0 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) n = 3;
  else if (c >= 0xf0 && c <= 0xf7) n = 4;
  else if (c >= 0xf8 && c <= 0xfb) n = 5;
  else if (c >= 0xfc && c <= 0xfd) n = 6;
  else return 0;
  if (at + n > end) return 0;
  for (let i = 1; i < n; i++) {
    const k = s.charCodeAt(at + i);
    if (k < 0x80 || k > 0xbf) return 0;
  }
  return n;
}

/** Where a scanner is: which message line numbers offsets belong to, and what is being parsed. */
export interface ScanContext {
  /** 1-based line of a byte offset. */
  lineAt(offset: number): number;
  /** The part being parsed, e.g. `Via` or `Request-Line`. */
  where: string;
}

export class Scanner {
  /** Sub-fields recorded while scanning, for the inspector. */
  readonly fields: Field[] = [];
  /** Off when only the parsed values are wanted: nothing is recorded. */
  recording = true;

  constructor(
    readonly s: string,
    public at: number,
    readonly end: number,
    readonly ctx: ScanContext,
  ) {}

  get done(): boolean {
    return this.at >= this.end;
  }

  /** Character code at `at + k`, or -1 past the end. */
  peek(k = 0): number {
    const i = this.at + k;
    return i < this.end ? this.s.charCodeAt(i) : -1;
  }

  fail(reason: string, at = this.at): never {
    const offset = Math.min(at, this.end);
    throw new SipParseError('invalid_value', reason, offset, this.ctx.lineAt(offset), this.ctx.where);
  }

  /** What is at the cursor, quoted for an error message. */
  describeHere(): string {
    if (this.done) return 'the end of the value';
    const c = this.peek();
    if (c < 0x20 || c >= 0x7f) return `byte 0x${c.toString(16).padStart(2, '0')}`;
    return JSON.stringify(this.s.slice(this.at, Math.min(this.end, this.at + 12)));
  }

  /** SWS (RFC 3261 §25.1): optional linear white space. Returns whether any was skipped. */
  sws(): boolean {
    const start = this.at;
    while (this.at < this.end) {
      const c = this.s.charCodeAt(this.at);
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) this.at++;
      else break;
    }
    return this.at > start;
  }

  /** LWS: white space that must be there. */
  lws(what: string): void {
    if (!this.sws()) this.fail(`expected white space ${what}, found ${this.describeHere()}`);
  }

  /** One or more characters of a class. */
  take(cls: CharClass, what: string): string {
    const start = this.at;
    while (this.at < this.end && cls[this.s.charCodeAt(this.at)]) this.at++;
    if (this.at === start) this.fail(`expected ${what}, found ${this.describeHere()}`);
    return this.s.slice(start, this.at);
  }

  /** A `token` (RFC 3261 §25.1). */
  token(what: string): string {
    return this.take(TOKEN, what);
  }

  /** Consumes `ch` if it is next. */
  eat(ch: string): boolean {
    if (this.peek() === ch.charCodeAt(0)) {
      this.at++;
      return true;
    }
    return false;
  }

  expect(ch: string, what: string): void {
    if (!this.eat(ch)) this.fail(`expected "${ch}" ${what}, found ${this.describeHere()}`);
  }

  /**
   * A separator with optional white space around it: SEMI, COMMA, EQUAL,
   * SLASH, COLON (RFC 3261 §25.1). Consumes nothing unless `ch` is there.
   */
  separator(ch: string): boolean {
    const start = this.at;
    this.sws();
    if (this.eat(ch)) {
      this.sws();
      return true;
    }
    this.at = start;
    return false;
  }

  /**
   * A quoted-string (RFC 3261 §25.1): DQUOTE *(qdtext / quoted-pair) DQUOTE.
   * Returns the text between the quotes with quoted-pairs resolved.
   */
  quotedString(what: string): string {
    const open = this.at;
    this.expect('"', `to open ${what}`);
    let text = '';
    for (;;) {
      if (this.at >= this.end) this.fail(`${what}: quoted string is never closed`, open);
      const c = this.s.charCodeAt(this.at);
      if (c === 0x22) {
        this.at++;
        return text;
      }
      if (c === 0x5c) {
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): any byte but CR and LF.
        const q = this.peek(1);
        if (q < 0 || q === 0x0a || q === 0x0d || q > 0x7f) this.fail(`${what}: bad quoted-pair`, this.at);
        text += this.s[this.at + 1];
        this.at += 2;
        continue;
      }
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x21 || (c >= 0x23 && c <= 0x7e)) {
        text += this.s[this.at++];
        continue;
      }
      const n = c >= 0x80 ? utf8SequenceLength(this.s, this.at, this.end) : 0;
      if (n === 0) this.fail(`${what}: byte 0x${c.toString(16).padStart(2, '0')} is not allowed in a quoted string`);
      text += this.s.slice(this.at, this.at + n);
      this.at += n;
    }
  }

  /** Fails unless only white space is left. */
  expectEnd(what: string): void {
    this.sws();
    if (!this.done) this.fail(`unexpected ${this.describeHere()} after ${what}`);
  }

  /** Records a sub-field for the inspector. */
  mark(field: Omit<Field, 'start' | 'end'>, start: number, end = this.at): Field {
    // Built field by field rather than spread: a long Contact list records thousands of these.
    const f: Field = { name: field.name, start, end };
    if (!this.recording) return f;
    if (field.value !== undefined) f.value = field.value;
    if (field.note !== undefined) f.note = field.note;
    if (field.spec !== undefined) f.spec = field.spec;
    this.fields.push(f);
    return f;
  }
}

/** Decodes a binary string's bytes as UTF-8 for display (SIP text is UTF-8, RFC 3261 §7.3.1). */
export function utf8Text(binary: string): string {
  if (!/[\u0080-\u00ff]/.test(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Keep a byte-order mark: it is part of the value (RFC 4475 §3.1.1.2 has one).
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** Encodes text as UTF-8 and returns it as a binary string (one character per byte). */
export function binaryText(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(text)) return text;
  let out = '';
  for (const b of new TextEncoder().encode(text)) out += String.fromCharCode(b);
  return out;
}

/** Index of `ch` in `s` within `[from, stop)`, or -1; never looks past `stop`. */
export function indexWithin(s: string, ch: string, from: number, stop: number): number {
  for (let i = from; i < stop; i++) if (s[i] === ch) return i;
  return -1;
}

/** Bytes to a binary string, one character per byte, without building a huge argument list. */
export function binaryString(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return s;
}
