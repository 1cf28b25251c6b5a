/**
 * Session descriptions (SDP, RFC 8866; RFC 4566 before it): the body of an
 * INVITE and its answer, saying where media goes (c=, m=) and, on a secure
 * trunk, carrying the SRTP keys in `a=crypto` lines (RFC 4568, sdes.ts).
 *
 *   session  = v= o= s= [i=] [u=] [e=] [p=] [c=] [b=] t= [r=] [z=] [k=] a=*  media*
 *   media    = m= [i=] [c=] [b=] [k=] a=*
 *   line     = type "=" value CRLF        (RFC 8866 §5: a lone LF is tolerated)
 *
 * Every byte is annotated: each line with its type and the parts of m=, c=,
 * o= and a=crypto that matter on a trunk (the transport profile, the media
 * address, the keys). Bad input is a `SipParseError` naming the SDP line.
 */
import type { Field } from '../wire/field';
import { DIGIT, Scanner, TOKEN, binaryString, utf8Text, type ScanContext } from './scanner';
import { SipParseError, isSipParseError } from './syntax-error';
import { nestFields } from './text-fields';
import { isIpv4Address, isIpv6Address, isHostname } from './uri';
import { scanCryptoValue } from './sdes';
import { utf8 } from '../wire/bytes';

export interface SdpLine {
  /** One letter: v, o, s, c, t, a, ... (RFC 8866 §5). */
  type: string;
  value: string;
}

export interface MediaSection {
  /** `audio`, `video`, ... */
  media: string;
  port: number;
  portCount?: number;
  /** Transport protocol: `RTP/AVP` (plain RTP) or `RTP/SAVP` (SRTP, RFC 3711 §12). */
  proto: string;
  formats: string[];
  /** The lines after m= that belong to this medium. */
  lines: SdpLine[];
}

export interface SessionDescription {
  /** Session-level lines, v= first. */
  session: SdpLine[];
  media: MediaSection[];
}

export interface Connection {
  netType: string;
  addrType: 'IP4' | 'IP6';
  address: string;
}

const SESSION_ORDER = 'vosiuepcbtrzka';
const MEDIA_ORDER = 'icbka';

/** The lines as a person writes them (CRLF endings, RFC 8866 §5). */
export function serializeSdp(sd: SessionDescription): Uint8Array {
  let text = '';
  for (const l of sd.session) text += `${l.type}=${l.value}\r\n`;
  for (const m of sd.media) {
    const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
    text += `m=${m.media} ${port} ${m.proto} ${m.formats.join(' ')}\r\n`;
    for (const l of m.lines) text += `${l.type}=${l.value}\r\n`;
  }
  return utf8(text);
}

/** c= value parsed (RFC 8866 §5.7). */
export function parseConnection(value: string): Connection | undefined {
  const m = /^(\S+) (IP4|IP6) (\S+)$/.exec(value);
  if (!m) return undefined;
  const address = m[3].split('/')[0];
  return { netType: m[1], addrType: m[2] as 'IP4' | 'IP6', address };
}

/** The connection address that applies to a medium: its own c=, else the session's (RFC 8866 §5.7). */
export function mediaConnection(sd: SessionDescription, m: MediaSection): Connection | undefined {
  const line = m.lines.find((l) => l.type === 'c') ?? sd.session.find((l) => l.type === 'c');
  return line ? parseConnection(line.value) : undefined;
}

export function attributes(lines: readonly SdpLine[], name: string): string[] {
  const prefix = `${name}:`;
  return lines
    .filter((l) => l.type === 'a' && (l.value === name || l.value.startsWith(prefix)))
    .map((l) => l.value.slice(prefix.length));
}

export interface ParsedSdp {
  sdp: SessionDescription;
  fields: Field[];
}

/** Parses an SDP body; `base` is where it starts in the packet, so field ranges are packet offsets. */
export function parseSdp(bytes: Uint8Array, base = 0): ParsedSdp {
  const s = binaryString(bytes);
  const fail = (reason: string, at: number, line: number): never => {
    throw new SipParseError('invalid_value', reason, base + at, line, 'SDP');
  };
  const sd: SessionDescription = { session: [], media: [] };
  const lineFields: Field[] = [];
  let at = 0;
  let lineNo = 0;
  let order = 0;
  let current: MediaSection | undefined;
  while (at < s.length) {
    lineNo++;
    let eol = s.indexOf('\n', at);
    if (eol < 0) fail('the last SDP line does not end with CRLF (RFC 8866 §5)', s.length, lineNo);
    const crlf = s[eol - 1] === '\r';
    const contentEnd = crlf ? eol - 1 : eol;
    eol++;
    const type = s[at];
    if (!/^[a-z]$/.test(type) || s[at + 1] !== '=')
      fail('an SDP line must be <type>=<value> with a lower-case letter type (RFC 8866 §5)', at, lineNo);
    for (let i = at + 2; i < contentEnd; i++) {
      const c = s.charCodeAt(i);
      if (c === 0 || c === 0x0d || c === 0x0a)
        fail('NUL, CR and LF are not allowed inside an SDP line (RFC 8866 §5)', i, lineNo);
    }
    const value = utf8Text(s.slice(at + 2, contentEnd));
    const ctx: ScanContext = { where: 'SDP', lineAt: () => lineNo };
    const sc = new Scanner(s, at + 2, contentEnd, ctx);
    // Line order (RFC 8866 §5): session lines in a fixed order, then media sections.
    if (lineNo === 1 && type !== 'v') fail('an SDP body starts with v=0 (RFC 8866 §5.1)', at, lineNo);
    if (type === 'm') {
      const media = scanMediaLine(sc);
      current = { ...media, lines: [] };
      sd.media.push(current);
    } else if (current) {
      const k = MEDIA_ORDER.indexOf(type);
      if (k < 0) fail(`${type}= may not appear in a media section (RFC 8866 §5)`, at, lineNo);
      if (k < order) fail(`${type}= is out of order in the media section (RFC 8866 §5)`, at, lineNo);
      order = k;
      scanLineValue(type, sc);
      current.lines.push({ type, value });
    } else {
      const k = SESSION_ORDER.indexOf(type);
      if (k < 0) fail(`unknown SDP line type "${type}=" (RFC 8866 §5)`, at, lineNo);
      if (k < order)
        fail(`${type}= is out of order (RFC 8866 §5: v, o, s, i, u, e, p, c, b, t, r, z, k, a)`, at, lineNo);
      if (lineNo === 2 && type !== 'o') fail('o= must follow v= (RFC 8866 §5.2)', at, lineNo);
      if (lineNo === 3 && type !== 's') fail('s= must follow o= (RFC 8866 §5.3)', at, lineNo);
      order = k;
      scanLineValue(type, sc);
      sd.session.push({ type, value });
    }
    if (type === 'm') order = 0;
    const about = Object.hasOwn(SDP_LINE_NOTES, type) ? SDP_LINE_NOTES[type] : { name: `${type}=` };
    lineFields.push({
      name: about.name,
      value,
      ...(about.note ? { note: about.note } : {}),
      spec: about.spec ?? 'RFC 8866 §5',
      start: base + at,
      end: base + eol,
      children: [
        { name: 'type', value: `${type}=`, start: base + at, end: base + at + 2 },
        ...nestFields(shiftMarks(sc.fields, base), base + at + 2, base + contentEnd, (a, b) =>
          sc.fields.length === 0 ? { name: 'value', value, start: a, end: b } : { name: 'separator', start: a, end: b },
        ),
        { name: crlf ? 'CRLF' : 'LF', start: base + contentEnd, end: base + eol },
      ].filter((f) => f.end > f.start),
    });
    at = eol;
  }
  if (!sd.session.some((l) => l.type === 't')) fail('an SDP body needs a t= line (RFC 8866 §5.9)', s.length, lineNo);
  if (sd.session.find((l) => l.type === 'v')?.value !== '0') fail('only SDP version 0 exists (RFC 8866 §5.1)', 0, 1);
  return {
    sdp: sd,
    fields: [
      {
        name: 'SDP',
        layer: 'sdp',
        value: `${sd.media.length} media`,
        spec: 'RFC 8866 §5',
        start: base,
        end: base + s.length,
        children: lineFields,
      },
    ],
  };
}

const SDP_LINE_NOTES: Record<string, { name: string; note?: string; spec?: string }> = {
  v: { name: 'v= version', spec: 'RFC 8866 §5.1' },
  o: { name: 'o= origin', note: 'Who made the description, and its version.', spec: 'RFC 8866 §5.2' },
  s: { name: 's= session name', spec: 'RFC 8866 §5.3' },
  c: {
    name: 'c= connection',
    note: 'The address media is sent to: it must be reachable (public), not a private address behind NAT.',
    spec: 'RFC 8866 §5.7',
  },
  t: { name: 't= timing', spec: 'RFC 8866 §5.9' },
  m: {
    name: 'm= media',
    note: 'Media type, port and profile: RTP/SAVP means SRTP, RTP/AVP means unencrypted RTP.',
    spec: 'RFC 8866 §5.14',
  },
  a: { name: 'a= attribute', spec: 'RFC 8866 §5.13' },
  b: { name: 'b= bandwidth', spec: 'RFC 8866 §5.8' },
  i: { name: 'i= information', spec: 'RFC 8866 §5.4' },
};

function scanMediaLine(sc: Scanner): Omit<MediaSection, 'lines'> {
  const start = sc.at;
  const media = sc.token('a media type (audio, video)');
  sc.mark({ name: 'media', value: media, spec: 'RFC 8866 §5.14' }, start);
  sc.expect(' ', 'after the media type');
  const portStart = sc.at;
  const port = Number(sc.take(DIGIT, 'a port'));
  if (port > 65535) sc.fail('port must be 0 to 65535');
  let portCount: number | undefined;
  if (sc.eat('/')) portCount = Number(sc.take(DIGIT, 'a port count'));
  sc.mark(
    {
      name: 'port',
      value: String(port),
      note: port === 0 ? 'Port 0: this stream is declined.' : 'The RTP port.',
      spec: 'RFC 8866 §5.14',
    },
    portStart,
  );
  sc.expect(' ', 'after the port');
  const protoStart = sc.at;
  let proto = sc.token('a transport protocol');
  while (sc.eat('/')) proto += '/' + sc.token('a transport protocol part');
  sc.mark(
    {
      name: 'proto',
      value: proto,
      note:
        proto === 'RTP/SAVP'
          ? 'RTP/SAVP: the media is SRTP, encrypted and authenticated (RFC 3711 §12).'
          : proto === 'RTP/AVP'
            ? 'RTP/AVP: plain RTP; anyone on the path can hear the call.'
            : 'The media transport profile.',
      spec: 'RFC 8866 §5.14',
    },
    protoStart,
  );
  const formats: string[] = [];
  while (sc.eat(' ')) {
    const f = sc.at;
    formats.push(sc.take(TOKEN, 'a media format'));
    sc.mark({ name: 'fmt', value: formats[formats.length - 1], note: formatNote(formats[formats.length - 1]) }, f);
  }
  if (formats.length === 0) sc.fail('m= needs at least one media format (RFC 8866 §5.14)');
  if (!sc.done) sc.fail(`unexpected ${sc.describeHere()} in the m= line`);
  return { media, port, portCount, proto, formats };
}

const FORMAT_NOTES = new Map([
  ['0', 'PCMU (G.711 µ-law, RFC 3551 §6)'],
  ['8', 'PCMA (G.711 A-law, RFC 3551 §6)'],
  ['101', 'often telephone-event (DTMF)'],
]);

function formatNote(fmt: string): string | undefined {
  return FORMAT_NOTES.get(fmt);
}

function scanLineValue(type: string, sc: Scanner): void {
  if (type === 'c') {
    const start = sc.at;
    const net = sc.token('a network type (IN)');
    sc.expect(' ', 'after the network type');
    const addrType = sc.token('an address type (IP4, IP6)');
    sc.mark({ name: 'nettype addrtype', value: `${net} ${addrType}`, spec: 'RFC 8866 §5.7' }, start);
    sc.expect(' ', 'after the address type');
    const addrStart = sc.at;
    const address = sc.take(TOKEN_OR_COLON, 'a connection address');
    const host = address.split('/')[0];
    if (net === 'IN' && addrType === 'IP4' && !isIpv4Address(host) && !isHostname(host))
      sc.fail(`"${host}" is not an IPv4 address`, addrStart);
    if (net === 'IN' && addrType === 'IP6' && !isIpv6Address(host) && !isHostname(host))
      sc.fail(`"${host}" is not an IPv6 address`, addrStart);
    sc.mark({ name: 'connection-address', value: address, spec: 'RFC 8866 §5.7' }, addrStart);
    if (!sc.done) sc.fail(`unexpected ${sc.describeHere()} in c=`);
  } else if (type === 'v') {
    sc.take(DIGIT, 'a version number');
    if (!sc.done) sc.fail('v= is a number');
  } else if (type === 'o') {
    const parts = sc.s.slice(sc.at, sc.end).split(' ');
    if (parts.length !== 6 || parts.some((p) => p.length === 0))
      sc.fail('o= has six fields: username sess-id sess-version nettype addrtype address (RFC 8866 §5.2)');
  } else if (type === 't') {
    sc.take(DIGIT, 'a start time');
    sc.expect(' ', 'between start and stop time');
    sc.take(DIGIT, 'a stop time');
    if (!sc.done) sc.fail('t= is two numbers (RFC 8866 §5.9)');
  } else if (type === 'a' && sc.s.startsWith('crypto:', sc.at)) {
    const start = sc.at;
    sc.at += 'crypto:'.length;
    sc.mark({ name: 'attribute', value: 'crypto', spec: 'RFC 4568 §9.1' }, start);
    // A malformed a=crypto is an unusable offer of keys, not a broken SDP (RFC 4568 §7.1.2): explain it, go on.
    const marks = sc.fields.length;
    const valueStart = sc.at;
    try {
      scanCryptoValue(sc);
    } catch (e) {
      if (!isSipParseError(e)) throw e;
      sc.fields.length = marks;
      sc.at = sc.end;
      sc.mark(
        {
          name: 'crypto value',
          value: utf8Text(sc.s.slice(valueStart, sc.end)),
          note: `Unusable: ${e.reason}`,
          spec: 'RFC 4568 §9.1',
        },
        valueStart,
      );
    }
  } else if (type === 'a') {
    const start = sc.at;
    sc.take(TOKEN, 'an attribute name');
    sc.mark({ name: 'attribute', value: sc.s.slice(start, sc.at), spec: 'RFC 8866 §5.13' }, start);
  }
}

const TOKEN_OR_COLON = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = TOKEN[i] || i === 0x3a || i === 0x2f ? 1 : 0;
  return t;
})();

/** Moves a line's recorded ranges to packet offsets, in place (they were made for this line only). */
function shiftMarks(marks: Field[], base: number): Field[] {
  if (base !== 0) {
    for (const f of marks) {
      f.start += base;
      f.end += base;
    }
  }
  return marks;
}
