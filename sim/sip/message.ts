/**
 * SIP messages (RFC 3261 §7): the data model and the serializer.
 *
 * A message is a start line, header fields and an optional body. Header
 * order is kept as written, because Via and Record-Route order carries meaning
 * (RFC 3261 §7.3.1, §16.6).
 */
import { utf8 } from '../wire/bytes';
import { sameHeader } from './header-grammar';

export interface SipHeader {
  /** As written: `Via`, `v`, `VIA` (names compare case-insensitively, RFC 3261 §7.3.1). */
  name: string;
  /**
   * The value as written, folds (CRLF followed by white space, RFC 3261 §7.3.1)
   * included; `headerValue` gives it unfolded.
   */
  value: string;
  /** What separates name and value when it is not `": "` (HCOLON, RFC 3261 §25.1). */
  separator?: string;
}

interface SipCommon {
  headers: SipHeader[];
  body: Uint8Array;
  /**
   * The SIP-Version as a parsed message wrote it, when not `SIP/2.0`:
   * RFC 3261 §7.1 makes it case-insensitive, and `sip/2.0` or `SIP/2.00` is
   * still version 2.0. Kept so that the message serializes to its own bytes.
   */
  version?: string;
}

export interface SipRequest extends SipCommon {
  kind: 'request';
  method: string;
  uri: string;
}

export interface SipResponse extends SipCommon {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** A header's value with folds replaced by one space and outer white space removed (RFC 3261 §7.3.1). */
export function unfoldedValue(h: SipHeader): string {
  return h.value.replace(/\r\n[ \t]+/g, ' ').trim();
}

/** First value of a header by name, compact forms and case aside (RFC 3261 §7.3.1, §7.3.3). */
export function headerValue(m: SipMessage, name: string): string | undefined {
  const h = m.headers.find((x) => sameHeader(x.name, name));
  return h ? unfoldedValue(h) : undefined;
}

/** Every value of a header by name, in order. */
export function headerValues(m: SipMessage, name: string): string[] {
  return m.headers.filter((x) => sameHeader(x.name, name)).map(unfoldedValue);
}

/** A one-line label for ladders and logs: `OPTIONS`, `200 OK`. */
export function sipSummary(m: SipMessage): string {
  return m.kind === 'request' ? m.method : `${m.status} ${m.reason}`;
}

/**
 * The message's bytes (RFC 3261 §7): start line, each header as
 * `name: value` (or with the separator it was parsed with), an empty line,
 * then the body. Content-Length is written as the headers say; use
 * `withContentLength` to make it match the body.
 */
export function serializeSipMessage(m: SipMessage): Uint8Array {
  const version = m.version ?? 'SIP/2.0';
  let head = m.kind === 'request' ? `${m.method} ${m.uri} ${version}\r\n` : `${version} ${m.status} ${m.reason}\r\n`;
  for (const h of m.headers) head += `${h.name}${h.separator ?? ': '}${h.value}\r\n`;
  head += '\r\n';
  const headBytes = utf8(head);
  const out = new Uint8Array(headBytes.length + m.body.length);
  out.set(headBytes);
  out.set(m.body, headBytes.length);
  return out;
}

/** Builds a message whose Content-Length header states the body's length (RFC 3261 §20.14). */
export function withContentLength<M extends SipMessage>(m: M): M {
  const headers = m.headers.filter((h) => !sameHeader(h.name, 'Content-Length'));
  headers.push({ name: 'Content-Length', value: String(m.body.length) });
  return { ...m, headers };
}
