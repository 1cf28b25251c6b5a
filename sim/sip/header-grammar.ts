/**
 * The grammar of each header field the lab understands (RFC 3261 §20, §25.1),
 * their compact forms (RFC 3261 §7.3.3), and the rule for every other header:
 * `header-value = *(TEXT-UTF8char / UTF8-CONT / LWS)` (RFC 3261 §25.1).
 *
 * Each rule scans the value, records the parts worth explaining, and returns
 * the parsed value; a value that breaks its grammar is a `SipParseError`
 * naming the header and the line (RFC 4475 §3.1.2).
 */
import { scanAddressList, scanNameAddress, scanParams } from './address';
import { DIGIT, Scanner, TOKEN, WORD, utf8SequenceLength } from './scanner';
import { scanVia } from './via';

/** RFC 3261 §7.3.3 and the extensions that registered a compact form. */
const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  o: 'Event', // RFC 6665 §8.2.1
  u: 'Allow-Events', // RFC 6665 §8.2.2
  r: 'Refer-To', // RFC 3515 §2.1
  b: 'Referred-By', // RFC 3892 §3
  x: 'Session-Expires', // RFC 4028 §4
  a: 'Accept-Contact', // RFC 3841 §9.2
  j: 'Reject-Contact', // RFC 3841 §9.2
  d: 'Request-Disposition', // RFC 3841 §9.1
  y: 'Identity', // RFC 8224 §4
};

const KNOWN = [
  'Accept',
  'Allow',
  'Authorization',
  'Call-ID',
  'Contact',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Expires',
  'From',
  'Max-Forwards',
  'Min-Expires',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'Record-Route',
  'Require',
  'Retry-After',
  'Route',
  'Server',
  'Subject',
  'Supported',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
];
const CANONICAL = new Map(KNOWN.map((n) => [n.toLowerCase(), n]));

/**
 * The header's full name in its usual spelling: `v` and `VIA` are both `Via`.
 * Unknown names come back as written; header names compare case-insensitively
 * (RFC 3261 §7.3.1).
 */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  // Own properties only: a header named `__proto__` is just an unknown header.
  return (Object.hasOwn(COMPACT, lower) ? COMPACT[lower] : undefined) ?? CANONICAL.get(lower) ?? name;
}

/** Whether two header names denote the same header (compact or full, any case). */
export function sameHeader(a: string, b: string): boolean {
  return canonicalHeaderName(a).toLowerCase() === canonicalHeaderName(b).toLowerCase();
}

/** The largest value of a 32-bit unsigned field: CSeq, Expires, Retry-After (RFC 3261 §20.16, §20.19, §20.33). */
const UINT32_MAX = 2 ** 32 - 1;

function number(sc: Scanner, what: string, max: number, spec: string): number {
  sc.sws();
  const start = sc.at;
  if (!DIGIT[sc.peek()]) sc.fail(`expected a whole number (${what}), found ${sc.describeHere()} (${spec})`);
  const digits = sc.take(DIGIT, what);
  const value = digits.length > 15 ? Infinity : Number(digits);
  if (value > max)
    sc.fail(
      `${what} ${digits.length > 24 ? digits.slice(0, 24) + '…' : digits} is larger than ${max} (${spec})`,
      start,
    );
  sc.mark({ name: what, value: String(value), spec }, start);
  return value;
}

function tokenList(sc: Scanner, what: string, allowEmpty: boolean): string[] {
  sc.sws();
  const out: string[] = [];
  if (sc.done && allowEmpty) return out;
  do {
    const start = sc.at;
    out.push(sc.token(what));
    sc.mark({ name: what, value: out[out.length - 1] }, start);
  } while (sc.separator(','));
  sc.expectEnd(`the ${what} list`);
  return out;
}

/** m-type "/" m-subtype *(SEMI m-parameter) (RFC 3261 §20.15). */
function mediaType(sc: Scanner, allowWildcard: boolean): string {
  const start = sc.at;
  const wild = charOf(sc, '*');
  const type = wild && allowWildcard ? '*' : sc.token('a media type');
  if (!sc.separator('/')) sc.fail(`expected "/" in the media type, found ${sc.describeHere()}`);
  const sub = allowWildcard && charOf(sc, '*') ? '*' : sc.token('a media subtype');
  sc.mark({ name: 'media-type', value: `${type}/${sub}`, spec: 'RFC 3261 §20.15' }, start);
  scanParams(sc);
  return `${type}/${sub}`.toLowerCase();
}

function charOf(sc: Scanner, ch: string): boolean {
  if (sc.peek() === ch.charCodeAt(0) && !TOKEN[sc.peek(1)]) {
    sc.at++;
    return true;
  }
  return false;
}

/** auth-scheme LWS auth-param *(COMMA auth-param) (RFC 3261 §25.1 credentials / challenge). */
export function authParams(sc: Scanner): { scheme: string; params: Record<string, string> } {
  sc.sws();
  const start = sc.at;
  const scheme = sc.token('an authentication scheme (Digest)');
  sc.mark({ name: 'auth-scheme', value: scheme, spec: 'RFC 3261 §22.4' }, start);
  sc.lws('after the authentication scheme');
  const params: Record<string, string> = Object.create(null);
  do {
    const pStart = sc.at;
    const name = sc.token('an authentication parameter name');
    if (!sc.separator('=')) sc.fail(`expected "=" after ${name}, found ${sc.describeHere()}`);
    const value = sc.peek() === 0x22 ? sc.quotedString(name) : sc.token(`a value for ${name}`);
    params[name.toLowerCase()] = value;
    sc.mark(
      { name: 'auth-param', value: name.toLowerCase() === 'response' ? `${name}=${value}` : `${name}=${value}` },
      pStart,
    );
  } while (sc.separator(','));
  sc.expectEnd('the credentials');
  return { scheme, params };
}

const WKDAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Rule = (sc: Scanner) => unknown;

const RULES: Record<string, Rule> = {
  via: scanVia,
  to: (sc) => {
    const a = scanNameAddress(sc, 'To URI');
    sc.expectEnd('the To address');
    return a;
  },
  from: (sc) => {
    const a = scanNameAddress(sc, 'From URI');
    sc.expectEnd('the From address');
    return a;
  },
  contact: (sc) => {
    sc.sws();
    // "*" alone is the wildcard; "* <sip:...>" is a display name made of the token "*" (RFC 3261 §25.1).
    if (sc.peek() === 0x2a && /^\*[ \t\r\n]*$/.test(sc.s.slice(sc.at, sc.end)) && charOf(sc, '*')) {
      sc.mark(
        { name: 'wildcard', value: '*', note: 'All contacts (only in a REGISTER that removes them).' },
        sc.at - 1,
      );
      sc.expectEnd('"*"');
      return '*';
    }
    return scanAddressList(sc, 'Contact URI');
  },
  route: (sc) => scanAddressList(sc, 'Route URI', true),
  'record-route': (sc) => scanAddressList(sc, 'Record-Route URI', true),
  'call-id': (sc) => {
    sc.sws();
    const start = sc.at;
    let id = sc.take(WORD, 'a Call-ID word');
    if (sc.eat('@')) id += '@' + sc.take(WORD, 'a word after "@" in the Call-ID');
    sc.mark({ name: 'callid', value: id, spec: 'RFC 3261 §20.8' }, start);
    sc.expectEnd('the Call-ID');
    return id;
  },
  cseq: (sc) => {
    const seq = number(sc, 'sequence number', UINT32_MAX, 'RFC 3261 §20.16');
    sc.lws('between the CSeq number and method');
    const start = sc.at;
    const method = sc.token('the CSeq method');
    sc.mark({ name: 'method', value: method, spec: 'RFC 3261 §20.16' }, start);
    sc.expectEnd('the CSeq');
    return { seq, method };
  },
  'max-forwards': (sc) => {
    const n = number(sc, 'hops', 255, 'RFC 3261 §20.22');
    sc.expectEnd('Max-Forwards');
    return n;
  },
  'content-length': (sc) => {
    const n = number(sc, 'octets', Number.MAX_SAFE_INTEGER, 'RFC 3261 §20.14');
    sc.expectEnd('Content-Length');
    return n;
  },
  expires: (sc) => {
    const n = number(sc, 'seconds', UINT32_MAX, 'RFC 3261 §20.19');
    sc.expectEnd('Expires');
    return n;
  },
  'min-expires': (sc) => {
    const n = number(sc, 'seconds', UINT32_MAX, 'RFC 3261 §20.23');
    sc.expectEnd('Min-Expires');
    return n;
  },
  'retry-after': (sc) => {
    const n = number(sc, 'seconds', UINT32_MAX, 'RFC 3261 §20.33');
    sc.sws();
    if (sc.peek() === 0x28) {
      // comment: balanced parentheses (RFC 3261 §25.1).
      let depth = 0;
      do {
        if (sc.done) sc.fail('comment is never closed with ")"');
        const c = sc.s[sc.at++];
        if (c === '\\') sc.at++;
        else if (c === '(') depth++;
        else if (c === ')') depth--;
      } while (depth > 0);
    }
    scanParams(sc);
    sc.expectEnd('Retry-After');
    return n;
  },
  warning: (sc) => {
    const out: Array<{ code: number; agent: string; text: string }> = [];
    do {
      sc.sws();
      const start = sc.at;
      const code = sc.take(DIGIT, 'a warn-code');
      if (code.length !== 3) sc.fail(`warn-code "${code}" must be three digits (RFC 3261 §20.43)`, start);
      sc.expect(' ', 'after the warn-code');
      const agent = sc.take(charClassHostOrToken, 'a warn-agent');
      sc.expect(' ', 'after the warn-agent');
      const text = sc.quotedString('warn-text');
      sc.mark({ name: 'warning-value', value: `${code} ${agent} "${text}"`, spec: 'RFC 3261 §20.43' }, start);
      out.push({ code: Number(code), agent, text });
    } while (sc.separator(','));
    sc.expectEnd('Warning');
    return out;
  },
  date: (sc) => {
    sc.sws();
    const start = sc.at;
    const rest = sc.s.slice(sc.at, sc.end);
    // SIP-date = rfc1123-date, with the time zone always "GMT" (RFC 3261 §20.17, §25.1; RFC 4475 §3.1.2.12).
    const m = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([A-Za-z]+)[ \t]*$/.exec(rest);
    if (!m || !WKDAY.includes(m[1]) || !MONTH.includes(m[3])) {
      return sc.fail('Date must look like "Sat, 13 Nov 2010 23:29:00 GMT" (RFC 3261 §20.17)');
    }
    if (m[8] !== 'GMT')
      sc.fail(`Date's time zone must be GMT, not ${m[8]} (RFC 3261 §20.17)`, start + rest.lastIndexOf(m[8]));
    sc.at = sc.end;
    sc.mark({ name: 'SIP-date', value: rest.trim(), spec: 'RFC 3261 §20.17' }, start);
    return rest.trim();
  },
  'content-type': (sc) => {
    sc.sws();
    const t = mediaType(sc, false);
    sc.expectEnd('Content-Type');
    return t;
  },
  accept: (sc) => {
    sc.sws();
    const out: string[] = [];
    if (sc.done) return out;
    do out.push(mediaType(sc, true));
    while (sc.separator(','));
    sc.expectEnd('Accept');
    return out;
  },
  require: (sc) => tokenList(sc, 'option-tag', false),
  'proxy-require': (sc) => tokenList(sc, 'option-tag', false),
  unsupported: (sc) => tokenList(sc, 'option-tag', false),
  supported: (sc) => tokenList(sc, 'option-tag', true),
  allow: (sc) => tokenList(sc, 'Method', true),
  authorization: authParams,
  'proxy-authorization': authParams,
  'www-authenticate': authParams,
  'proxy-authenticate': authParams,
};

const charClassHostOrToken = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = TOKEN[i] || i === 0x3a || i === 0x5b || i === 0x5d ? 1 : 0;
  return t;
})();

/**
 * Checks an extension header's value: printable ASCII, UTF-8 and linear
 * white space only (RFC 3261 §25.1 header-value). Control bytes such as NUL
 * are refused.
 */
function anyText(sc: Scanner): string {
  while (!sc.done) {
    const c = sc.peek();
    if ((c >= 0x21 && c <= 0x7e) || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) sc.at++;
    else if (c >= 0x80) {
      const n = utf8SequenceLength(sc.s, sc.at, sc.end);
      if (n === 0) sc.fail(`byte 0x${c.toString(16)} does not start a UTF-8 character (RFC 3261 §7.3.1)`);
      sc.at += n;
    } else
      sc.fail(`control byte 0x${c.toString(16).padStart(2, '0')} is not allowed in a header value (RFC 3261 §25.1)`);
  }
  return '';
}

/** Scans a header value by its rule; the result's shape depends on the header. */
export function scanHeaderValue(name: string, sc: Scanner): unknown {
  const key = canonicalHeaderName(name).toLowerCase();
  const rule = Object.hasOwn(RULES, key) ? RULES[key] : undefined;
  if (rule) {
    // Typed values are ASCII except in quoted strings, which the scanner checks itself.
    return rule(sc);
  }
  return anyText(sc);
}
