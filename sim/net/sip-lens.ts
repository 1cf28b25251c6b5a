/**
 * What an eavesdropper reads in SIP sent without TLS (RFC 3261 §26.1: plain
 * SIP offers no confidentiality): everything. Who calls whom (From, To,
 * Contact), the dialog's identifiers (Call-ID, tags), the software on each
 * side, the digest username and response (an offline guess at the password
 * can be checked against it, RFC 2617 §4.5), and the SDP: where the media
 * goes and, with SDES, the SRTP keys themselves (RFC 4568 §8.3: SDES must
 * only travel over a secure channel). Keys go into the tap's memory for the
 * RTP lens.
 */
import type { DecodedLayer } from '../timeline';
import { toHex } from '../wire/bytes';
import { isParseError } from '../wire/parse-error';
import { headerValue, sipSummary } from '../sip/message';
import { parseSipMessage, type ParsedSipMessage } from '../sip/parse';
import { SipStreamFramer } from '../sip/stream';
import { attributes, mediaConnection, parseSdp } from '../sip/sdp';
import { parseCryptoAttribute } from '../sip/sdes';
import { isSrtpSuiteName } from '../rtp/srtp-suite';
import { parseCredentials } from '../sip/digest';
import type { DatagramLens, Fact, Revelation, StreamLens, TapMemory } from './tap';
import { mediaNoteKey, type MediaNote } from './media-note';

const HEADERS: Array<[string, string]> = [
  ['From', 'RFC 3261 §20.20'],
  ['To', 'RFC 3261 §20.39'],
  ['Call-ID', 'RFC 3261 §20.8'],
  ['Contact', 'RFC 3261 §20.10'],
  ['User-Agent', 'RFC 3261 §20.41'],
  ['Server', 'RFC 3261 §20.35'],
];

/** What one whole SIP message reveals. */
export function revealSip(bytes: Uint8Array, parsed: ParsedSipMessage, sender: string, memory: TapMemory): Revelation {
  const m = parsed.message;
  const summary = sipSummary(m);
  const facts: Fact[] = [
    m.kind === 'request'
      ? { name: 'SIP request', value: `${m.method} ${m.uri}`, source: 'Request-Line (RFC 3261 §7.1)' }
      : { name: 'SIP response', value: `${m.status} ${m.reason}`, source: 'Status-Line (RFC 3261 §7.2)' },
  ];
  for (const [name, spec] of HEADERS) {
    const v = headerValue(m, name);
    if (v !== undefined) facts.push({ name: `SIP ${name}`, value: v, source: `${name} header (${spec})` });
  }
  for (const name of ['Authorization', 'Proxy-Authorization']) {
    const v = headerValue(m, name);
    const c = v ? parseCredentials(v) : undefined;
    if (c) {
      facts.push({
        name: 'Digest credentials',
        value: `username ${c.username}, realm ${c.realm}, response ${c.response}: a password guess can be checked against it offline`,
        source: `${name} header (RFC 3261 §22.4, RFC 7616 §3.4)`,
      });
    }
  }
  const layers: DecodedLayer[] = [{ title: `SIP ${summary} (in clear)`, bytes: toHex(bytes), fields: parsed.fields }];
  const type = headerValue(m, 'Content-Type')?.split(';')[0].trim().toLowerCase();
  if (type === 'application/sdp' && m.body.length > 0) facts.push(...revealSdp(m.body, summary, memory));
  return {
    access: 'all',
    summary: `SIP ${summary} from the ${sender} in clear: every header${m.body.length ? ' and the body' : ''} readable`,
    facts,
    layers,
  };
}

function revealSdp(body: Uint8Array, message: string, memory: TapMemory): Fact[] {
  let sd;
  try {
    sd = parseSdp(body).sdp;
  } catch (e) {
    if (isParseError(e)) return [];
    throw e;
  }
  const facts: Fact[] = [];
  for (const media of sd.media) {
    const c = mediaConnection(sd, media);
    const where = c ? `${c.address}:${media.port}` : `port ${media.port}`;
    facts.push({
      name: 'SDP media',
      value: `${media.media} ${where} ${media.proto} (formats ${media.formats.join(' ')})`,
      source: 'SDP m= and c= lines (RFC 8866 §5.14, §5.7)',
    });
    const note: MediaNote = { proto: media.proto, keys: [], learnedFrom: message };
    for (const value of attributes(media.lines, 'crypto')) {
      const crypto = parseCryptoAttribute(value);
      if ('error' in crypto) continue;
      facts.push({
        name: 'SRTP key (SDES a=crypto)',
        value: `${crypto.suite} ${value.split(' ')[2] ?? ''}: whoever reads this can decrypt the media it protects`,
        source: 'SDP a=crypto (RFC 4568 §9.1)',
      });
      if (isSrtpSuiteName(crypto.suite) && crypto.keys[0]) {
        note.keys.push({ suite: crypto.suite, keySalt: crypto.keys[0].keySalt });
      }
    }
    if (c) memory.notes.set(mediaNoteKey({ ip: c.address, port: media.port }), note);
  }
  return facts;
}

/** SIP over UDP: one message per datagram (RFC 3261 §18.3). */
export class SipDatagramLens implements DatagramLens {
  constructor(
    private readonly sender: string,
    private readonly memory: TapMemory,
  ) {}

  read(payload: Uint8Array): Revelation {
    try {
      return revealSip(payload, parseSipMessage(payload), this.sender, this.memory);
    } catch (e) {
      if (!isParseError(e)) throw e;
      return {
        access: 'all',
        summary: `UDP datagram of ${payload.length} bytes from the ${this.sender} that is not valid SIP (${e.message})`,
        facts: [],
        layers: [],
      };
    }
  }
}

/** SIP over TCP: messages framed by Content-Length in the stream (RFC 3261 §18.3). */
export class SipStreamLens implements StreamLens {
  private readonly framer = new SipStreamFramer();
  private failed = false;

  constructor(
    private readonly sender: string,
    private readonly memory: TapMemory,
  ) {}

  get partial(): 'all' | undefined {
    return this.framer.pending > 0 ? 'all' : undefined;
  }

  read(bytes: Uint8Array): Revelation[] {
    if (this.failed) return [];
    try {
      return this.framer
        .push(bytes)
        .filter((f) => f.kind === 'message')
        .map((f) => revealSip(f.bytes, f.parsed, this.sender, this.memory));
    } catch (e) {
      if (!isParseError(e)) throw e;
      this.failed = true;
      return [
        {
          access: 'all',
          summary: `Bytes from the ${this.sender} that do not frame as SIP (${e.message})`,
          facts: [],
          layers: [],
        },
      ];
    }
  }
}
