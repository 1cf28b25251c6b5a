/**
 * Message boundaries in a byte stream (TCP or TLS; RFC 3261 §18.3, §7.5).
 *
 * Bytes arrive in pieces that have nothing to do with messages: one read may
 * hold half a message, or three. The framer buffers them, skips CRLFs between
 * messages (RFC 3261 §7.5; a CRLF CRLF keepalive ping, RFC 5626 §3.5.1), finds
 * the empty line that ends each message's headers, reads Content-Length
 * (required on a stream), and hands back each whole message, parsed.
 *
 * A framing error (no or several Content-Length, headers past the size limit)
 * cannot be recovered on a stream: the framer stops, and the connection
 * should be closed (RFC 4475 §3.1.2.3, §3.3.9).
 */
import { canonicalHeaderName } from './header-grammar';
import { SIP_LIMITS, parseSipMessage, type ParsedSipMessage } from './parse';
import { SipParseError } from './syntax-error';
import { binaryString } from './scanner';

export type SipFrame =
  | { kind: 'message'; bytes: Uint8Array; parsed: ParsedSipMessage }
  /** CRLFs between messages: a keepalive ping (RFC 5626 §3.5.1) or padding (RFC 3261 §7.5). */
  | { kind: 'keepalive'; bytes: Uint8Array };

export class SipStreamFramer {
  private buf = new Uint8Array(4096);
  /** Unread bytes are `buf[start, end)`: reading a message moves `start`, so nothing is copied per message. */
  private start = 0;
  private end = 0;
  /** How far past `start` the search for CRLF CRLF has looked, so each byte is searched once. */
  private searched = 0;
  /** The length of the message at `start` once its headers are in (Content-Length known). */
  private expected?: number;
  private failed?: SipParseError;
  /** Offset in the whole stream of `buf[start]`, so errors name stream offsets. */
  private consumed = 0;

  constructor(
    private readonly limits: { maxHeaderBytes: number; maxBodyBytes: number } = SIP_LIMITS,
    /** Whether each framed message comes with its field tree (see SipParseOptions.annotate). */
    private readonly annotate = true,
  ) {}

  /** Bytes received but not yet part of a whole message. */
  get pending(): number {
    return this.end - this.start;
  }

  /** Adds bytes from the stream and returns every frame now complete. Throws the framing error, then keeps throwing it. */
  push(chunk: Uint8Array): SipFrame[] {
    if (this.failed) throw this.failed;
    this.append(chunk);
    const frames: SipFrame[] = [];
    try {
      for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
    } catch (e) {
      if (e instanceof SipParseError) this.failed = e;
      throw e;
    }
    return frames;
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      // Move the unread bytes to the front, growing only when they do not fit.
      const pending = this.end - this.start;
      const target =
        pending + chunk.length > this.buf.length
          ? new Uint8Array(Math.max(this.buf.length * 2, pending + chunk.length))
          : this.buf;
      target.set(this.buf.subarray(this.start, this.end), 0);
      this.buf = target;
      this.start = 0;
      this.end = pending;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  private take(n: number): Uint8Array {
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    this.consumed += n;
    this.searched = 0;
    this.expected = undefined;
    return out;
  }

  private next(): SipFrame | undefined {
    const b = this.buf;
    const pending = this.end - this.start;
    if (this.expected === undefined) {
      let crlf = 0;
      while (crlf + 1 < pending && b[this.start + crlf] === 0x0d && b[this.start + crlf + 1] === 0x0a) crlf += 2;
      if (crlf > 0) return { kind: 'keepalive', bytes: this.take(crlf) };
      if (pending === 0) return undefined;

      let headEnd = -1;
      for (let i = Math.max(0, this.searched - 3); i + 3 < pending; i++) {
        const at = this.start + i;
        if (b[at] === 0x0d && b[at + 1] === 0x0a && b[at + 2] === 0x0d && b[at + 3] === 0x0a) {
          headEnd = i;
          break;
        }
      }
      if (headEnd < 0) {
        this.searched = pending;
        if (pending > this.limits.maxHeaderBytes) {
          throw new SipParseError(
            'too_large',
            `no end of headers within ${this.limits.maxHeaderBytes} bytes`,
            this.consumed + pending,
            1,
            'stream',
          );
        }
        return undefined;
      }
      this.expected = headEnd + 4 + this.contentLength(headEnd);
    }
    if (pending < this.expected) return undefined; // the body is still on its way
    const bytes = this.take(this.expected);
    return {
      kind: 'message',
      bytes,
      parsed: parseSipMessage(bytes, { transport: 'stream', ...this.limits, annotate: this.annotate }),
    };
  }

  /** Content-Length from the header lines, without parsing the rest yet (that happens once the body is in). */
  private contentLength(headEnd: number): number {
    const text = binaryString(this.buf, this.start, this.start + headEnd);
    const lines = text.split('\r\n');
    const found: Array<{ value: string; line: number }> = [];
    lines.forEach((line, index) => {
      const m = /^([A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(line);
      if (m && canonicalHeaderName(m[1]) === 'Content-Length') found.push({ value: m[2], line: index + 1 });
    });
    const fail = (reason: string, line: number) => {
      throw new SipParseError('invalid_value', reason, this.consumed, line, 'Content-Length');
    };
    if (found.length === 0) fail('Content-Length is required over TCP and TLS (RFC 3261 §18.3)', lines.length);
    if (found.length > 1)
      fail(`Content-Length appears ${found.length} times; the stream cannot be framed`, found[1].line);
    if (!/^\d{1,15}$/.test(found[0].value))
      fail(`Content-Length "${found[0].value.slice(0, 20)}" is not a number of octets`, found[0].line);
    const n = Number(found[0].value);
    if (n > this.limits.maxBodyBytes)
      fail(`Content-Length ${n} is larger than ${this.limits.maxBodyBytes} bytes`, found[0].line);
    return n;
  }
}
