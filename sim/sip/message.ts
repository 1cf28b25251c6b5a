/**
 * SIP messages (RFC 3261 §7): the data model and an annotated serializer.
 *
 * A message is a start line, header fields and an optional body. Header
 * order is kept as written, because Via and Record-Route order carries meaning
 * (RFC 3261 §7.3.1, §16.6).
 */
import { ByteWriter } from '../wire/writer';
import type { Field } from '../wire/field';
import { describeHeader } from './header-notes';

export interface SipHeader {
  name: string;
  value: string;
}

interface SipCommon {
  headers: SipHeader[];
  body: Uint8Array;
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

/** First value of a header by name, case-insensitively. */
export function headerValue(m: SipMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  return m.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** A one-line label for ladders and logs: `OPTIONS`, `200 OK`. */
export function sipSummary(m: SipMessage): string {
  return m.kind === 'request' ? m.method : `${m.status} ${m.reason}`;
}

const CRLF = '\r\n';

/**
 * Serializes a message with every byte annotated: the start line's parts,
 * each header line (name, value and why it matters on a secure trunk), the
 * blank line, and the body. Content-Length must already match the body.
 */
export function writeSipMessage(m: SipMessage): { bytes: Uint8Array; fields: Field[] } {
  const w = new ByteWriter(512 + m.body.length);
  const title = m.kind === 'request' ? `${m.method} ${m.uri}` : `${m.status} ${m.reason}`;
  const all = w.group({ name: 'SIP message', layer: 'sip', value: title, spec: 'RFC 3261 §7' });

  if (m.kind === 'request') {
    const line = w.group({ name: 'Request-Line', value: title, spec: 'RFC 3261 §7.1' });
    w.text(m.method, { name: 'Method', note: 'What the request asks for.', spec: 'RFC 3261 §7.1' });
    w.text(' ', { name: 'SP' });
    w.text(m.uri, { name: 'Request-URI', note: 'Whom the request is for.', spec: 'RFC 3261 §7.1' });
    w.text(' SIP/2.0', { name: 'SIP-Version', spec: 'RFC 3261 §7.1' });
    w.text(CRLF, { name: 'CRLF' });
    line();
  } else {
    const line = w.group({ name: 'Status-Line', value: title, spec: 'RFC 3261 §7.2' });
    w.text('SIP/2.0 ', { name: 'SIP-Version', spec: 'RFC 3261 §7.2' });
    w.text(String(m.status), { name: 'Status-Code', note: statusClass(m.status), spec: 'RFC 3261 §21' });
    w.text(` ${m.reason}`, { name: 'Reason-Phrase', spec: 'RFC 3261 §7.2' });
    w.text(CRLF, { name: 'CRLF' });
    line();
  }

  for (const h of m.headers) {
    const about = describeHeader(h.name);
    const line = w.group({ name: h.name, value: h.value, note: about.note, spec: about.spec });
    w.text(`${h.name}: `, { name: 'header name' });
    w.text(h.value, { name: 'header value', value: h.value });
    w.text(CRLF, { name: 'CRLF' });
    line();
  }
  w.text(CRLF, { name: 'empty line', note: 'Ends the headers; the body follows.', spec: 'RFC 3261 §7' });
  if (m.body.length > 0) {
    w.bytes(m.body, { name: 'message body', value: `${m.body.length} bytes`, spec: 'RFC 3261 §7.4' });
  }
  all();
  return w.finish();
}

export function serializeSipMessage(m: SipMessage): Uint8Array {
  return writeSipMessage(m).bytes;
}

/** Builds a message whose Content-Length header states the body's length (RFC 3261 §20.14). */
export function withContentLength<M extends SipMessage>(m: M): M {
  const headers = m.headers.filter((h) => h.name.toLowerCase() !== 'content-length');
  headers.push({ name: 'Content-Length', value: String(m.body.length) });
  return { ...m, headers };
}

function statusClass(status: number): string {
  if (status < 200) return 'Provisional: the request is being worked on.';
  if (status < 300) return 'Success.';
  if (status < 400) return 'Redirection.';
  if (status < 500) return 'The request failed: the client must change something.';
  if (status < 600) return 'The server failed.';
  return 'Global failure.';
}
