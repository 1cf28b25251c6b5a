/**
 * The SIP message parser (RFC 3261 §7, grammar §25), robust as RFC 4475 asks.
 *
 * 1. Skip CRLFs before the start line (RFC 3261 §7.5).
 * 2. Find the empty line that ends the headers, within a size limit, so a
 *    megabyte of header bytes costs a bounded scan and an error, not memory.
 * 3. Split the header section into lines that must end with CRLF; a line that
 *    starts with white space continues the header above it (§7.3.1).
 * 4. Parse the start line strictly: single spaces, a SIP or SIPS or absolute
 *    Request-URI, SIP/2.0 (RFC 4475 §3.1.2.7–§3.1.2.10, §3.1.2.16).
 * 5. Parse each header value by its grammar (header-grammar.ts).
 * 6. Frame the body by Content-Length (§18.3, §20.14): over a datagram an
 *    absent Content-Length means "the rest", and octets after the body are
 *    ignored (RFC 4475 §3.1.1.8); over a stream it is required.
 *
 * Every byte read is annotated: the start line's parts, each header (name,
 * separator, the parts of its value, CRLF), the empty line and the body.
 * Failures are `SipParseError`s naming the line, the header and the reason.
 */
import type { Field } from '../wire/field';
import { describeHeader } from './header-notes';
import { canonicalHeaderName, scanHeaderValue } from './header-grammar';
import type { SipHeader, SipMessage } from './message';
import { DIGIT, Scanner, TOKEN, binaryString, utf8SequenceLength, utf8Text, type ScanContext } from './scanner';
import { SipParseError } from './syntax-error';
import { nestFields } from './text-fields';
import { scanUri, type Uri } from './uri';
import { statusClass } from './status';
import { describeBody } from './body';

export interface SipParseOptions {
  /**
   * `datagram` (UDP; the default): the input is one datagram. `stream` (TCP,
   * TLS): the input is exactly one framed message and Content-Length is required.
   */
  transport?: 'datagram' | 'stream';
  /** Largest start line + header section accepted, in bytes (413 beyond it). */
  maxHeaderBytes?: number;
  /** Largest body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Most header lines accepted. */
  maxHeaders?: number;
  /**
   * Build the field tree that explains every byte (the default). Off, `fields`
   * is empty: for endpoints that only act on the message.
   */
  annotate?: boolean;
}

export const SIP_LIMITS = { maxHeaderBytes: 65_536, maxBodyBytes: 1_048_576, maxHeaders: 512 } as const;

/** One parsed header: the model's header plus where it sits and what its grammar made of it. */
export interface ParsedHeader {
  header: SipHeader;
  /** The header's full name (`Via` for `v`). */
  canonical: string;
  line: number;
  start: number;
  end: number;
  /** The typed value (Via list, name-addr, CSeq, ...) or '' for headers parsed as text. */
  parsed: unknown;
}

export interface ParsedSipMessage {
  message: SipMessage;
  /** The Request-URI parsed (requests only). */
  requestUri?: Uri;
  headers: ParsedHeader[];
  /** Annotated fields covering every input byte. */
  fields: Field[];
  /** Where the message starts (after CRLFs before it) and ends (after its body). */
  start: number;
  end: number;
  /** Octets after the body in a datagram, ignored (RFC 3261 §18.3). */
  ignoredTrailing: number;
}

class Lines implements ScanContext {
  where = 'message';
  constructor(private readonly starts: number[]) {}
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

export function parseSipMessage(bytes: Uint8Array, options: SipParseOptions = {}): ParsedSipMessage {
  const transport = options.transport ?? 'datagram';
  const maxHeaderBytes = options.maxHeaderBytes ?? SIP_LIMITS.maxHeaderBytes;
  const maxBodyBytes = options.maxBodyBytes ?? SIP_LIMITS.maxBodyBytes;
  const maxHeaders = options.maxHeaders ?? SIP_LIMITS.maxHeaders;
  const annotate = options.annotate ?? true;

  // Only the bytes that may be headers become text: a bounded prefix.
  let pos = 0;
  while (pos + 1 < bytes.length && bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a) pos += 2;
  const textEnd = Math.min(bytes.length, pos + maxHeaderBytes + 4);
  const s = binaryString(bytes, 0, textEnd);
  const fail = (code: SipParseError['code'], reason: string, offset: number, line: number, where: string) => {
    throw new SipParseError(code, reason, offset, line, where);
  };
  if (pos >= bytes.length) fail('truncated', 'the message is empty', pos, 1, 'message');

  const headEnd = s.indexOf('\r\n\r\n', pos);
  const sectionEnd = headEnd >= 0 ? headEnd + 2 : s.length;

  // Physical lines: each must end with CRLF; a lone CR or LF is an error (RFC 3261 §7).
  const lineStarts: number[] = [pos];
  for (let i = pos; i < sectionEnd; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0d) {
      if (s.charCodeAt(i + 1) !== 0x0a) {
        fail(
          'invalid_value',
          'a CR not followed by LF; SIP lines end with CRLF (RFC 3261 §7)',
          i,
          lineStarts.length,
          'message',
        );
      }
      i++;
      lineStarts.push(i + 1);
    } else if (c === 0x0a) {
      fail('invalid_value', 'a LF without CR; SIP lines end with CRLF (RFC 3261 §7)', i, lineStarts.length, 'message');
    }
  }
  if (lineStarts.length > 1 && lineStarts[lineStarts.length - 1] === sectionEnd) lineStarts.pop();
  const lines = new Lines(lineStarts);
  const lastLineEnd = headEnd >= 0 ? headEnd : s.endsWith('\r\n') ? s.length - 2 : s.length;
  const lineEndOf = (k: number) => (k + 1 < lineStarts.length ? lineStarts[k + 1] - 2 : lastLineEnd);
  // Without the empty line, a last line with no CRLF may be cut short: only complete lines are checked.
  const completeLines = headEnd < 0 && !s.endsWith('\r\n') ? lineStarts.length - 1 : lineStarts.length;

  // Start line.
  const startLineEnd = lineEndOf(0);
  const startMarks: Field[] = [];
  const startLine = parseStartLine(s, pos, startLineEnd, lines, startMarks, annotate);

  // Headers: logical lines joined across folds.
  const headers: ParsedHeader[] = [];
  const headerFields: Field[] = [];
  for (let k = 1; k < completeLines;) {
    const lineNo = k + 1;
    const hStart = lineStarts[k];
    if (s.charCodeAt(hStart) === 0x20 || s.charCodeAt(hStart) === 0x09) {
      fail(
        'invalid_value',
        'a line starting with white space must continue a header (RFC 3261 §7.3.1)',
        hStart,
        lineNo,
        'message',
      );
    }
    let last = k;
    while (
      last + 1 < completeLines &&
      (s.charCodeAt(lineStarts[last + 1]) === 0x20 || s.charCodeAt(lineStarts[last + 1]) === 0x09)
    ) {
      last++;
    }
    const hEnd = lineEndOf(last);
    k = last + 1;
    if (headers.length >= maxHeaders) {
      fail('too_large', `more than ${maxHeaders} header lines`, hStart, lineNo, 'message');
    }
    const parsedHeader = parseHeaderLine(s, hStart, hEnd, lineNo, lines, annotate);
    headers.push(parsedHeader.header);
    if (parsedHeader.field) headerFields.push(parsedHeader.field);
  }

  if (headEnd < 0) {
    if (bytes.length > textEnd) {
      fail('too_large', `the headers are longer than ${maxHeaderBytes} bytes`, textEnd, lineStarts.length, 'message');
    }
    fail(
      'truncated',
      'the message ends before the empty line (CRLF CRLF) that closes the headers',
      s.length,
      lineStarts.length,
      'message',
    );
  }

  // Body framing by Content-Length (RFC 3261 §18.3, §20.14).
  const bodyStart = headEnd + 4;
  const lengths = headers.filter((h) => h.canonical === 'Content-Length');
  if (lengths.length > 1) {
    // RFC 4475 §3.3.9: conflicting lengths cannot be framed.
    fail(
      'invalid_value',
      `Content-Length appears ${lengths.length} times; the body cannot be framed`,
      lengths[1].start,
      lengths[1].line,
      'Content-Length',
    );
  }
  let bodyEnd: number;
  if (lengths.length === 1) {
    const n = lengths[0].parsed as number;
    if (n > maxBodyBytes)
      fail(
        'too_large',
        `Content-Length ${n} is larger than ${maxBodyBytes} bytes`,
        lengths[0].start,
        lengths[0].line,
        'Content-Length',
      );
    if (bodyStart + n > bytes.length) {
      // RFC 4475 §3.1.2.2: over UDP this is a 400; a stream would wait for more.
      fail(
        'truncated',
        `Content-Length says ${n} bytes but only ${bytes.length - bodyStart} follow the headers (RFC 3261 §18.3)`,
        lengths[0].start,
        lengths[0].line,
        'Content-Length',
      );
    }
    bodyEnd = bodyStart + n;
  } else if (transport === 'stream') {
    fail(
      'invalid_value',
      'Content-Length is required over TCP and TLS (RFC 3261 §18.3)',
      bodyStart,
      lineStarts.length,
      'message',
    );
  } else {
    bodyEnd = bytes.length; // RFC 3261 §18.3: over UDP the body is the rest of the datagram.
    if (bodyEnd - bodyStart > maxBodyBytes)
      fail('too_large', `body larger than ${maxBodyBytes} bytes`, bodyStart, lineStarts.length, 'message');
  }
  if (transport === 'stream' && bodyEnd! < bytes.length) {
    fail('trailing_bytes', `${bytes.length - bodyEnd!} bytes after the body`, bodyEnd!, lineStarts.length, 'message');
  }
  const end = bodyEnd!;
  const body = bytes.slice(bodyStart, end);

  const message: SipMessage =
    startLine.kind === 'request'
      ? {
          kind: 'request',
          method: startLine.method,
          uri: startLine.uriText,
          headers: headers.map((h) => h.header),
          body,
        }
      : {
          kind: 'response',
          status: startLine.status,
          reason: startLine.reason,
          headers: headers.map((h) => h.header),
          body,
        };
  if (startLine.version !== 'SIP/2.0') message.version = startLine.version;

  const result: ParsedSipMessage = {
    message,
    requestUri: startLine.kind === 'request' ? startLine.uri : undefined,
    headers,
    fields: [],
    start: pos,
    end,
    ignoredTrailing: bytes.length - end,
  };
  if (!annotate) return result;

  // The field tree.
  const title = message.kind === 'request' ? `${message.method} ${message.uri}` : `${message.status} ${message.reason}`;
  const startLineField: Field = {
    name: message.kind === 'request' ? 'Request-Line' : 'Status-Line',
    value: title,
    spec: message.kind === 'request' ? 'RFC 3261 §7.1' : 'RFC 3261 §7.2',
    start: pos,
    end: startLineEnd + 2,
    children: [
      ...nestFields(startMarks, pos, startLineEnd, gapField),
      { name: 'CRLF', start: startLineEnd, end: startLineEnd + 2 },
    ],
  };
  const contentType = headers.find((h) => h.canonical === 'Content-Type')?.parsed as string | undefined;
  const messageFields: Field[] = [
    startLineField,
    ...headerFields,
    {
      name: 'empty line',
      note: 'Ends the headers; the body follows.',
      spec: 'RFC 3261 §7',
      start: headEnd + 2,
      end: bodyStart,
    },
    ...(end > bodyStart ? [describeBody(contentType, bytes, bodyStart, end)] : []),
  ];
  const fields: Field[] = [];
  if (pos > 0) {
    fields.push({
      name: 'CRLF keepalive',
      value: `${pos / 2} × CRLF`,
      note: 'Ignored before a start line.',
      spec: 'RFC 3261 §7.5',
      start: 0,
      end: pos,
    });
  }
  fields.push({
    name: 'SIP message',
    layer: 'sip',
    value: title,
    spec: 'RFC 3261 §7',
    start: pos,
    end,
    children: messageFields,
  });
  if (end < bytes.length) {
    fields.push({
      name: 'ignored trailing octets',
      value: `${bytes.length - end} bytes`,
      note: 'Bytes past Content-Length in a datagram are discarded.',
      spec: 'RFC 3261 §18.3',
      start: end,
      end: bytes.length,
    });
  }

  result.fields = fields;
  return result;
}

function gapField(start: number, end: number): Field {
  return { name: 'separator', start, end };
}

/** `version` is the SIP-Version as written (RFC 3261 §7.1). */
type StartLine =
  | { kind: 'request'; method: string; uri: Uri; uriText: string; uriRaw: string; version: string }
  | { kind: 'response'; status: number; reason: string; version: string };

function parseStartLine(
  s: string,
  start: number,
  end: number,
  lines: Lines,
  marks: Field[],
  annotate: boolean,
): StartLine {
  lines.where = 'start line';
  const sc = new Scanner(s, start, end, lines);
  sc.recording = annotate;
  const line = s.slice(start, end);
  // Any control byte or bad UTF-8 makes the start line unreadable: say so before anything else.
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x09) sc.fail(`control byte 0x${c.toString(16).padStart(2, '0')} in the start line`, i);
    if (c >= 0x80) {
      const n = utf8SequenceLength(s, i, end);
      if (n === 0) sc.fail('the start line is not UTF-8 text', i);
      i += n - 1;
    }
  }

  if (/^SIP\//i.test(line)) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.2, §25.1).
    lines.where = 'Status-Line';
    const version = checkVersion(sc, marks, 'SIP-Version');
    sc.expect(' ', 'after the SIP-Version');
    const codeStart = sc.at;
    const code = sc.take(DIGIT, 'a three-digit Status-Code');
    if (code.length !== 3 || Number(code) < 100 || Number(code) > 699) {
      // RFC 4475 §3.1.2.19: such a response is dropped.
      sc.fail(
        `Status-Code "${code.length > 12 ? code.slice(0, 12) + '…' : code}" is not three digits from 100 to 699 (RFC 3261 §7.2)`,
        codeStart,
      );
    }
    marks.push({
      name: 'Status-Code',
      value: code,
      note: statusClass(Number(code)),
      spec: 'RFC 3261 §21',
      start: codeStart,
      end: sc.at,
    });
    sc.expect(' ', 'after the Status-Code');
    const reasonStart = sc.at;
    const reason = utf8Text(s.slice(sc.at, end));
    if (end > reasonStart)
      marks.push({ name: 'Reason-Phrase', value: reason, spec: 'RFC 3261 §7.2', start: reasonStart, end });
    return { kind: 'response', status: Number(code), reason, version };
  }

  // Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1).
  lines.where = 'Request-Line';
  const parts = line.split(' ');
  if (parts.length !== 3 || parts.some((p) => p.length === 0) || line.includes('\t')) {
    // RFC 4475 §3.1.2.8–§3.1.2.10: extra, doubled or trailing spaces.
    sc.fail(
      `the Request-Line must be Method SP Request-URI SP SIP-Version with single spaces (RFC 3261 §7.1); found ${parts.length - 1} spaces`,
    );
  }
  const methodStart = sc.at;
  const method = sc.token('a method name');
  if (sc.peek() !== 0x20) sc.fail(`character ${sc.describeHere()} is not allowed in a method name`);
  marks.push({
    name: 'Method',
    value: method,
    note: 'What the request asks for.',
    spec: 'RFC 3261 §7.1',
    start: methodStart,
    end: sc.at,
  });
  sc.at++;
  const uriStart = sc.at;
  const uriEnd = uriStart + parts[1].length;
  if (parts[1].startsWith('<')) sc.fail('the Request-URI must not be enclosed in <> (RFC 3261 §7.1)');
  const uriScanner = new Scanner(s, uriStart, uriEnd, lines);
  uriScanner.recording = annotate;
  const uri = scanUri(uriScanner, uriEnd, { context: 'Request-URI', label: 'Request-URI' });
  marks.push(...uriScanner.fields);
  sc.at = uriEnd + 1;
  const version = checkVersion(sc, marks, 'SIP-Version');
  if (!sc.done) sc.fail(`unexpected ${sc.describeHere()} after the SIP-Version`);
  return { kind: 'request', method, uri, uriText: utf8Text(parts[1]), uriRaw: parts[1], version };
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; only 2.0 is spoken (RFC 3261 §7.1; 505 otherwise, RFC 4475 §3.1.2.16). */
function checkVersion(sc: Scanner, marks: Field[], name: string): string {
  const start = sc.at;
  const m = /^SIP\/(\d+)\.(\d+)/i.exec(sc.s.slice(sc.at, Math.min(sc.end, sc.at + 24)));
  if (!m) sc.fail(`expected SIP/2.0, found ${sc.describeHere()}`);
  sc.at += m[0].length;
  if (Number(m[1]) !== 2 || Number(m[2]) !== 0) {
    throw new SipParseError(
      'unsupported',
      `SIP version ${m[1]}.${m[2]} is not supported; only SIP/2.0 (RFC 3261 §7.1)`,
      start,
      sc.ctx.lineAt(start),
      sc.ctx.where,
      505,
    );
  }
  const value = m[0] === 'SIP/2.0' ? m[0] : `${m[0]}: version 2.0, written otherwise`;
  marks.push({ name, value, spec: 'RFC 3261 §7.1', start, end: sc.at });
  return m[0];
}

function parseHeaderLine(
  s: string,
  start: number,
  end: number,
  line: number,
  lines: Lines,
  annotate: boolean,
): { header: ParsedHeader; field?: Field } {
  lines.where = 'header';
  let i = start;
  while (i < end && TOKEN[s.charCodeAt(i)]) i++;
  const nameEnd = i;
  while (i < end && (s[i] === ' ' || s[i] === '\t')) i++;
  if (nameEnd === start || s[i] !== ':') {
    const sc = new Scanner(s, nameEnd === start ? start : i, end, lines);
    sc.fail(
      nameEnd === start
        ? `expected a header name, found ${sc.describeHere()}`
        : `expected ":" after the header name, found ${sc.describeHere()}`,
    );
  }
  const rawName = s.slice(start, nameEnd);
  const canonical = canonicalHeaderName(rawName);
  i++;
  while (i < end && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\n')) i++;
  const valueStart = i;
  lines.where = canonical;
  const sc = new Scanner(s, valueStart, end, lines);
  sc.recording = annotate;
  const parsed = scanHeaderValue(canonical, sc);
  const header: SipHeader = { name: rawName, value: utf8Text(s.slice(valueStart, end)) };
  const separator = s.slice(nameEnd, valueStart);
  if (separator !== ': ') header.separator = separator;
  const parsedHeader: ParsedHeader = { header, canonical, line, start, end: end + 2, parsed };
  if (!annotate) return { header: parsedHeader };

  const about = describeHeader(canonical);
  const value = header.value.replace(/\r\n[ \t]+/g, ' ').trim();
  const valueFields: Field[] =
    sc.fields.length > 0
      ? nestFields(sc.fields, valueStart, end, (a, b) => ({
          name: /^[\s]*$/.test(s.slice(a, b)) ? 'LWS' : 'separator',
          value: JSON.stringify(s.slice(a, b)),
          start: a,
          end: b,
        }))
      : end > valueStart
        ? [{ name: 'header value', value, start: valueStart, end }]
        : [];
  const field: Field = {
    name: canonical,
    value,
    ...(about.note ? { note: about.note } : {}),
    ...(about.spec ? { spec: about.spec } : { spec: 'RFC 3261 §7.3' }),
    start,
    end: end + 2,
    children: [
      {
        name: 'header name',
        value: rawName === canonical ? rawName : `${rawName} (${canonical})`,
        start,
        end: nameEnd,
      },
      { name: 'HCOLON', value: JSON.stringify(separator), spec: 'RFC 3261 §25.1', start: nameEnd, end: valueStart },
      ...valueFields,
      { name: 'CRLF', start: end, end: end + 2 },
    ].filter((f) => f.end > f.start),
  };
  return { header: parsedHeader, field };
}

/** The typed values of every instance of a header, in order (`Via` gives one list per Via line). */
export function parsedValues<T>(p: ParsedSipMessage, name: string): T[] {
  const wanted = canonicalHeaderName(name);
  return p.headers.filter((h) => h.canonical === wanted).map((h) => h.parsed as T);
}

/** The typed value of the first instance of a header. */
export function parsedValue<T>(p: ParsedSipMessage, name: string): T | undefined {
  return parsedValues<T>(p, name)[0];
}
