/**
 * SIP and SIPS URIs (RFC 3261 §19.1, grammar in §25.1) and the other URIs a
 * SIP message may carry (`absoluteURI`, RFC 2396 §3).
 *
 *   SIP-URI  = "sip:"  [ userinfo ] hostport uri-parameters [ headers ]
 *   SIPS-URI = "sips:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
 *   hostport = host [ ":" port ]; host = hostname / IPv4address / IPv6reference
 *
 * On a secure trunk the scheme is `sips:` (TLS on every hop, RFC 3261 §26.2.2)
 * or `sip:` with `transport=tls` (TLS to the next hop only), and the port is
 * 5061 (RFC 3261 §19.1.2).
 */
import { ALPHA, DIGIT, HEXDIG, RESERVED, Scanner, UNRESERVED, charClass, indexWithin, utf8Text } from './scanner';

export interface UriParam {
  name: string;
  value?: string;
}

export interface SipUri {
  kind: 'sip';
  scheme: 'sip' | 'sips';
  /** As written, with %-escapes kept (RFC 3261 §19.1.4 compares unescaped). */
  user?: string;
  password?: string;
  /** A host name, an IPv4 address, or an IPv6 reference with its brackets. */
  host: string;
  port?: number;
  params: UriParam[];
  headers: UriParam[];
}

/** A URI of another scheme (`tel:`, `http:`, `isbn:`), kept as written. */
export interface OtherUri {
  kind: 'other';
  scheme: string;
  text: string;
}

export type Uri = SipUri | OtherUri;

const USER = charClass('a-zA-Z0-9', "-_.!~*'()", '&=+$,;?/');
const PASSWORD = charClass('a-zA-Z0-9', "-_.!~*'()", '&=+$,');
const PARAMCHAR = charClass('a-zA-Z0-9', "-_.!~*'()", '[]/:&+$');
const HNAME = charClass('a-zA-Z0-9', "-_.!~*'()", '[]/?:+$');
const SCHEME = charClass('a-zA-Z0-9', '+-.');
const HOSTCHAR = charClass('a-zA-Z0-9', '.-');

/** Reads `cls` characters and %HH escapes (RFC 3261 §25.1 `escaped`). */
function escapedRun(sc: Scanner, cls: Uint8Array, stop: number): string {
  const start = sc.at;
  while (sc.at < stop) {
    const c = sc.s.charCodeAt(sc.at);
    if (c === 0x25) {
      if (!(HEXDIG[sc.s.charCodeAt(sc.at + 1)] && HEXDIG[sc.s.charCodeAt(sc.at + 2)]) || sc.at + 2 >= stop) {
        sc.fail('"%" must start an escape of two hex digits (RFC 3261 §25.1 escaped)');
      }
      sc.at += 3;
    } else if (cls[c]) sc.at++;
    else break;
  }
  return sc.s.slice(start, sc.at);
}

/** IPv6address (RFC 3261 §25.1, RFC 4291 §2.2): eight groups, `::` once, optional IPv4 tail. */
export function isIpv6Address(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const parts = halves.flatMap(groups);
  let count = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i === parts.length - 1 && p.includes('.')) {
      if (!isIpv4Address(p)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) count++;
    else return false;
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

export function isIpv4Address(text: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

/** RFC 3261 §25.1 hostname: labels of letters, digits and inner hyphens; the last starts with a letter. */
export function isHostname(text: string): boolean {
  if (text.length === 0 || text.length > 255) return false;
  const labels = (text.endsWith('.') ? text.slice(0, -1) : text).split('.');
  return labels.every(
    (l, i) =>
      /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(l) && (i < labels.length - 1 || ALPHA[l.charCodeAt(0)] === 1),
  );
}

export function isHost(text: string): boolean {
  if (text.startsWith('[')) return text.endsWith(']') && isIpv6Address(text.slice(1, -1));
  if (/^[\d.]+$/.test(text)) return isIpv4Address(text);
  return isHostname(text);
}

/**
 * Reads a host (and records it) at the cursor: an IPv6 reference in brackets,
 * or the characters a host name or IPv4 address may hold.
 */
export function scanHost(sc: Scanner, stop = sc.end): string {
  const start = sc.at;
  if (sc.peek() === 0x5b) {
    const close = indexWithin(sc.s, ']', sc.at, stop);
    if (close < 0) sc.fail('IPv6 reference is missing its "]"');
    sc.at = close + 1;
  } else {
    while (sc.at < stop && HOSTCHAR[sc.s.charCodeAt(sc.at)]) sc.at++;
  }
  const host = sc.s.slice(start, sc.at);
  if (!isHost(host)) sc.fail(`"${utf8Text(host) || sc.describeHere()}" is not a host name or IP address`, start);
  return host;
}

function scanPort(sc: Scanner, stop: number): number {
  const start = sc.at;
  while (sc.at < stop && DIGIT[sc.s.charCodeAt(sc.at)]) sc.at++;
  const text = sc.s.slice(start, sc.at);
  if (text.length === 0 || text.length > 5 || Number(text) > 65535) sc.fail('port must be a number from 0 to 65535');
  return Number(text);
}

export interface UriOptions {
  /** Where the URI sits, for the rules that depend on it (RFC 3261 §19.1.1 table 1). */
  context: 'Request-URI' | 'name-addr' | 'addr-spec';
  /** Prefix for the sub-field names: `Request-URI`, `Contact URI`. */
  label: string;
}

/**
 * Parses the URI in `[sc.at, stop)` and records its parts. The caller has
 * found where the URI ends (a space, a `>`, or a `;` outside brackets).
 */
export function scanUri(sc: Scanner, stop: number, options: UriOptions): Uri {
  const start = sc.at;
  const colon = indexWithin(sc.s, ':', start, stop);
  if (colon < 0 || colon === start || !ALPHA[sc.s.charCodeAt(start)]) {
    sc.fail(
      `expected a URI (scheme ":" ...), found ${JSON.stringify(utf8Text(sc.s.slice(start, Math.min(stop, start + 24))))}`,
    );
  }
  for (let i = start; i < colon; i++) {
    if (!SCHEME[sc.s.charCodeAt(i)]) sc.fail(`bad character in URI scheme`, i);
  }
  const scheme = sc.s.slice(start, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips') return scanOtherUri(sc, stop, scheme, options);

  sc.at = colon + 1;
  sc.mark(
    {
      name: 'scheme',
      value: scheme,
      note:
        scheme === 'sips'
          ? 'sips: asks for TLS on every hop to the target.'
          : 'sip: allows any transport; a secure trunk adds transport=tls or uses sips:.',
      spec: 'RFC 3261 §19.1',
    },
    start,
  );
  const uri: SipUri = { kind: 'sip', scheme, host: '', params: [], headers: [] };

  // userinfo: '@' occurs at most once in a SIP URI (user, params and headers cannot hold it unescaped).
  const at = indexWithin(sc.s, '@', sc.at, stop);
  if (at >= 0) {
    const userStart = sc.at;
    uri.user = escapedRun(sc, USER, at);
    if (uri.user.length === 0) sc.fail('empty user part before "@"');
    sc.mark({ name: 'user', value: utf8Text(uri.user), note: 'The user or number at the host.' }, userStart);
    if (sc.eat(':')) {
      const pwStart = sc.at;
      uri.password = escapedRun(sc, PASSWORD, at);
      sc.mark(
        { name: 'password', value: uri.password, note: 'A password in a URI is not recommended (RFC 3261 §19.1.1).' },
        pwStart - 1,
      );
    }
    if (sc.at !== at) sc.fail(`character ${sc.describeHere()} is not allowed in the user part`);
    sc.at = at + 1;
    sc.mark({ name: '@' }, at);
  }

  const hostStart = sc.at;
  uri.host = scanHost(sc, stop);
  sc.mark({ name: 'host', value: uri.host, spec: 'RFC 3261 §19.1.1' }, hostStart);
  if (sc.at < stop && sc.peek() === 0x3a) {
    const portStart = sc.at;
    sc.at++;
    uri.port = scanPort(sc, stop);
    sc.mark(
      {
        name: 'port',
        value: String(uri.port),
        note:
          uri.port === 5061
            ? 'Port 5061: SIP over TLS.'
            : uri.port === 5060
              ? 'Port 5060: SIP without TLS.'
              : 'The port to send to.',
        spec: 'RFC 3261 §19.1.2',
      },
      portStart,
    );
  }

  while (sc.at < stop && sc.peek() === 0x3b) {
    const paramStart = sc.at++;
    const name = escapedRun(sc, PARAMCHAR, stop);
    if (name.length === 0) sc.fail('expected a URI parameter name after ";"');
    const param: UriParam = { name };
    if (sc.at < stop && sc.eat('=')) {
      param.value = escapedRun(sc, PARAMCHAR, stop);
      if (param.value.length === 0) sc.fail(`URI parameter "${name}" has "=" but no value`);
    }
    uri.params.push(param);
    sc.mark(uriParamAnnotation(param), paramStart);
  }

  if (sc.at < stop && sc.peek() === 0x3f) {
    if (options.context === 'Request-URI') {
      // RFC 3261 §19.1.1 table 1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
      sc.fail('a Request-URI may not carry "?" headers (RFC 3261 §19.1.1)');
    }
    if (options.context === 'addr-spec') {
      // RFC 3261 §20.10: a URI with "?", ";" or "," must be inside <> (RFC 4475 §3.1.2.13).
      sc.fail('a URI with "?" headers must be enclosed in <> (RFC 3261 §20.10)');
    }
    const headersStart = sc.at;
    do {
      sc.at++;
      const name = escapedRun(sc, HNAME, stop);
      if (name.length === 0) sc.fail('expected a header name in the URI headers');
      sc.expect('=', 'between URI header name and value');
      const value = escapedRun(sc, HNAME, stop);
      uri.headers.push({ name, value });
    } while (sc.at < stop && sc.peek() === 0x26);
    sc.mark(
      { name: 'headers', value: uri.headers.map((h) => `${h.name}=${h.value}`).join('&'), spec: 'RFC 3261 §19.1.1' },
      headersStart,
    );
  }
  if (sc.at !== stop) sc.fail(`character ${sc.describeHere()} is not allowed in a SIP URI`);
  sc.mark(
    {
      name: options.label,
      value: utf8Text(sc.s.slice(start, stop)),
      note: uriRequiresTls(uri)
        ? 'Asks for TLS: sips: or transport=tls.'
        : 'Does not ask for TLS (no sips:, no transport=tls).',
      spec: 'RFC 3261 §19.1.1',
    },
    start,
  );
  return uri;
}

function uriParamAnnotation(p: UriParam): { name: string; value: string; note?: string; spec?: string } {
  const value = p.value === undefined ? p.name : `${p.name}=${p.value}`;
  switch (p.name.toLowerCase()) {
    case 'transport':
      return {
        name: 'transport',
        value,
        note:
          p.value?.toLowerCase() === 'tls'
            ? 'transport=tls: reach this URI over TLS.'
            : 'The transport to use; a secure trunk needs tls.',
        spec: 'RFC 3261 §19.1.1',
      };
    case 'lr':
      return { name: 'lr', value, note: 'Loose routing (RFC 3261 §16.12).', spec: 'RFC 3261 §19.1.1' };
    case 'user':
      return {
        name: 'user-param',
        value,
        note: 'user=phone: the user part is a telephone number.',
        spec: 'RFC 3261 §19.1.1',
      };
    case 'maddr':
      return { name: 'maddr', value, note: 'Overrides the address to send to.', spec: 'RFC 3261 §19.1.1' };
    default:
      return { name: 'uri-parameter', value, spec: 'RFC 3261 §19.1.1' };
  }
}

/** absoluteURI (RFC 2396 §3): scheme ":" then URI characters. */
function scanOtherUri(sc: Scanner, stop: number, scheme: string, options: UriOptions): OtherUri {
  const start = sc.at;
  sc.at = indexWithin(sc.s, ':', start, stop) + 1;
  const bodyStart = sc.at;
  while (sc.at < stop) {
    const c = sc.s.charCodeAt(sc.at);
    if (c === 0x25) {
      if (!(HEXDIG[sc.s.charCodeAt(sc.at + 1)] && HEXDIG[sc.s.charCodeAt(sc.at + 2)]) || sc.at + 2 >= stop) {
        sc.fail('"%" must start an escape of two hex digits (RFC 2396 §2.4.1)');
      }
      sc.at += 3;
    } else if (UNRESERVED[c] || RESERVED[c]) sc.at++;
    else break;
  }
  if (sc.at === bodyStart) sc.fail(`URI "${scheme}:" has nothing after the scheme`);
  if (sc.at !== stop) sc.fail(`character ${sc.describeHere()} is not allowed in a URI`);
  const text = sc.s.slice(start, stop);
  sc.mark(
    { name: `${options.label}`, value: text, note: `A ${scheme}: URI, not a SIP URI.`, spec: 'RFC 3261 §19.1' },
    start,
  );
  return { kind: 'other', scheme, text };
}

/** The URI as text (RFC 3261 §19.1.1 order: scheme, userinfo, hostport, parameters, headers). */
export function formatUri(uri: Uri): string {
  if (uri.kind === 'other') return uri.text;
  let s = `${uri.scheme}:`;
  if (uri.user !== undefined) s += uri.password !== undefined ? `${uri.user}:${uri.password}@` : `${uri.user}@`;
  s += uri.host;
  if (uri.port !== undefined) s += `:${uri.port}`;
  for (const p of uri.params) s += p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`;
  if (uri.headers.length) s += '?' + uri.headers.map((h) => `${h.name}=${h.value ?? ''}`).join('&');
  return s;
}

/** A URI parameter's value by name, case-insensitively (RFC 3261 §19.1.4); `''` for a flag. */
export function uriParam(uri: Uri, name: string): string | undefined {
  if (uri.kind !== 'sip') return undefined;
  const p = uri.params.find((q) => q.name.toLowerCase() === name.toLowerCase());
  return p ? (p.value ?? '') : undefined;
}

/** Whether this URI asks for TLS: `sips:` or `transport=tls` (RFC 3261 §26.2.2, §19.1.1). */
export function uriRequiresTls(uri: Uri): boolean {
  return uri.kind === 'sip' && (uri.scheme === 'sips' || uriParam(uri, 'transport')?.toLowerCase() === 'tls');
}

/** Resolves %HH escapes (RFC 3261 §19.1.4 compares URIs unescaped). */
export function unescapeUriPart(text: string): string {
  return utf8Text(text.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
}
