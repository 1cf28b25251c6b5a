/**
 * Property tests (fast-check) for the SIP and SDP parsers:
 * - generated messages: parse(serialize(m)) = m, and every byte is explained;
 * - random bytes and mutated RFC 4475 messages: the parsers, the stream
 *   framer, the checks and the linter either succeed or throw SipParseError,
 *   never anything else; when parsing succeeds the bytes still round-trip;
 * - a stream of messages cut at random points frames into the same messages.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import carrierJson from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { serializeSipMessage, type SipHeader, type SipMessage } from '../../sim/sip/message';
import { parseSipMessage, type ParsedSipMessage } from '../../sim/sip/parse';
import { SipStreamFramer } from '../../sim/sip/stream';
import { SipParseError } from '../../sim/sip/syntax-error';
import { checkMessage } from '../../sim/sip/validate';
import { acceptResponse, admitRequest } from '../../sim/sip/admission';
import { lintSipMessage } from '../../sim/sip/lint';
import { parseSdp } from '../../sim/sip/sdp';
import { checkCoverage } from '../../sim/wire/coverage';

const carrier = carrierJson as CarrierProfile;
const dir = new URL('./vectors/rfc4475/', import.meta.url);
const vectors = readdirSync(dir)
  .filter((f) => f.endsWith('.dat'))
  .map((f) => new Uint8Array(readFileSync(new URL(f, dir))));

const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,10}$/);
const label = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,6}[a-z0-9])?$/);
const host = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.')),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.')),
  fc.constantFrom('[2001:db8::1]', '[::1]', '[2001:db8:0:0:1:0:0:1]', '[::ffff:192.0.2.1]'),
);
const user = fc.stringMatching(/^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-F]{2}){1,12}$/);
const uriParam = fc.oneof(
  fc.constantFrom(';transport=tls', ';transport=udp', ';lr', ';user=phone', ';maddr=192.0.2.1'),
  fc.stringMatching(/^;[a-z0-9-]{1,8}(=[a-z0-9]{1,8})?$/),
);
const sipUri = fc
  .record({
    scheme: fc.constantFrom('sip', 'sips', 'SIP'),
    user: fc.option(user, { nil: undefined }),
    host,
    port: fc.option(fc.nat(65535), { nil: undefined }),
    params: fc.array(uriParam, { maxLength: 3 }),
  })
  .map(
    (u) =>
      `${u.scheme}:${u.user ? `${u.user}@` : ''}${u.host}${u.port === undefined ? '' : `:${u.port}`}${u.params.join('')}`,
  );
/** Display names: tokens, or quoted strings with escapes and UTF-8. */
const displayName = fc.oneof(
  fc.array(token, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' ')),
  fc
    .string({ unit: fc.constantFrom('a', 'Z', ' ', '\\"', '\\\\', 'é', '日', ',', '<', '>', ';', ':'), maxLength: 12 })
    .map((s) => `"${s}"`),
);
const nameAddr = fc
  .record({ name: fc.option(displayName, { nil: undefined }), uri: sipUri, tag: fc.option(token, { nil: undefined }) })
  .map((a) => `${a.name ? `${a.name} ` : ''}<${a.uri}>${a.tag ? `;tag=${a.tag}` : ''}`);
const via = fc
  .record({
    transport: fc.constantFrom('TLS', 'UDP', 'TCP', 'SCTP', 'WSS'),
    host,
    port: fc.option(fc.nat(65535), { nil: undefined }),
    branch: token,
  })
  .map((v) => `SIP/2.0/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`};branch=z9hG4bK${v.branch}`);
/** Extension values: printable text and UTF-8, possibly folded, never starting with white space. */
const textValue = fc
  .array(fc.oneof(fc.stringMatching(/^[!-~]{1,8}$/), fc.constantFrom(' ', '\r\n ', '\r\n\t', 'ü', '—', '😀')), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''))
  .filter((s) => !/^[ \t\r\n]/.test(s));
const separator = fc.constantFrom(undefined, ':', ' : ', ':\t', ':\r\n ', '  :  ');
const header = (name: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<SipHeader> =>
  fc.record({ name, value, separator }).map((h) => (h.separator === undefined ? { name: h.name, value: h.value } : h));

const message: fc.Arbitrary<SipMessage> = fc
  .record({
    request: fc.boolean(),
    method: token,
    uri: sipUri,
    status: fc.integer({ min: 100, max: 699 }),
    reason: fc.string({ unit: fc.constantFrom('O', 'k', ' ', '\t', 'é', '=', '*'), maxLength: 10 }),
    vias: fc.array(header(fc.constantFrom('Via', 'v', 'VIA'), via), { minLength: 1, maxLength: 3 }),
    from: header(fc.constantFrom('From', 'f'), nameAddr),
    to: header(fc.constantFrom('To', 't'), nameAddr),
    callId: header(
      fc.constantFrom('Call-ID', 'i'),
      fc.tuple(token, fc.option(token)).map(([a, b]) => (b ? `${a}@${b}` : a)),
    ),
    seq: fc.nat(2 ** 31 - 1),
    maxForwards: fc.nat(255),
    contacts: fc.array(nameAddr, { maxLength: 3 }),
    extensions: fc.array(
      header(
        token.filter(
          (t) =>
            !/^(content-length|l|content-type|c|via|v|from|f|to|t|call-id|i|cseq|max-forwards|contact|m|expires|date|route|record-route|accept|allow|require|proxy-require|supported|k|unsupported|warning|retry-after|min-expires|authorization|proxy-authorization|www-authenticate|proxy-authenticate)$/i.test(
              t,
            ),
        ),
        textValue,
      ),
      { maxLength: 4 },
    ),
    body: fc.uint8Array({ maxLength: 64 }),
  })
  .map((g): SipMessage => {
    const headers: SipHeader[] = [
      ...g.vias,
      g.from,
      g.to,
      g.callId,
      { name: 'CSeq', value: `${g.seq} ${g.request ? g.method : 'INVITE'}` },
      { name: 'Max-Forwards', value: String(g.maxForwards) },
      ...(g.contacts.length ? [{ name: 'Contact', value: g.contacts.join(', ') }] : []),
      ...g.extensions,
      ...(g.body.length ? [{ name: 'Content-Type', value: 'application/octet-stream' }] : []),
      { name: 'Content-Length', value: String(g.body.length) },
    ];
    return g.request
      ? { kind: 'request', method: g.method, uri: g.uri, headers, body: g.body }
      : { kind: 'response', status: g.status, reason: g.reason, headers, body: g.body };
  });

/** Runs everything that reads a message; anything but SipParseError escaping is a bug. */
function exercise(bytes: Uint8Array): void {
  for (const transport of ['datagram', 'stream'] as const) {
    let p: ParsedSipMessage;
    try {
      p = parseSipMessage(bytes, { transport });
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      expect(e.line).toBeGreaterThanOrEqual(1);
      continue;
    }
    expect(checkCoverage(bytes.length, p.fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(Buffer.from(serializeSipMessage(p.message)).equals(Buffer.from(bytes.subarray(p.start, p.end)))).toBe(true);
    checkMessage(p);
    if (p.message.kind === 'request') admitRequest(p);
    else acceptResponse(p);
    lintSipMessage(p, bytes, carrier);
  }
  const framer = new SipStreamFramer();
  try {
    framer.push(bytes);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
  }
  try {
    parseSdp(bytes);
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
  }
}

describe('SIP parser properties', () => {
  it('parse(serialize(m)) = m for generated messages, with every byte explained', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = serializeSipMessage(m);
        const p = parseSipMessage(bytes, { transport: 'stream' });
        expect(p.message).toEqual(m);
        expect(checkCoverage(bytes.length, p.fields)).toEqual({ unexplained: [], misplaced: [] });
        // Without annotation the parse is the same, only the field tree is left out.
        const bare = parseSipMessage(bytes, { transport: 'stream', annotate: false });
        expect({ ...bare, fields: p.fields }).toEqual(p);
        expect(checkMessage(p)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes: a verdict, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => exercise(bytes)),
      { numRuns: 400 },
    );
  });

  it('text-like random input (CRLFs, colons, brackets) reaches deep into the grammar without a crash', () => {
    const piece = fc.constantFrom(
      '\r\n',
      ':',
      ' ',
      ';',
      ',',
      '<',
      '>',
      '"',
      '\\',
      '=',
      'sip:',
      'sips:',
      'SIP/2.0',
      'Via',
      'v',
      'Content-Length',
      'l: 5',
      '\r\n\r\n',
      '%',
      '@',
      '[',
      ']',
      'a',
      '1',
      '\0',
      '\n',
      '\t',
      'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => {
        exercise(new TextEncoder().encode(`INVITE sip:a@b SIP/2.0\r\n${parts.join('')}`));
        exercise(new TextEncoder().encode(parts.join('')));
      }),
      { numRuns: 400 },
    );
  });

  it('mutated RFC 4475 messages: a verdict, never a crash; what parses still round-trips', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.nat(255) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.nat(255) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
    );
    fc.assert(
      fc.property(
        fc.nat(vectors.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 5 }),
        (which, mutations) => {
          let b = Array.from(vectors[which]);
          for (const m of mutations) {
            const at = b.length ? m.at % b.length : 0;
            if (m.kind === 'flip') b[at] = m.value;
            else if (m.kind === 'insert') b.splice(at, 0, m.value);
            else if (m.kind === 'delete') b.splice(at, m.length);
            else if (m.kind === 'truncate') b = b.slice(0, at);
            else b.splice(at, 0, ...b.slice(at, at + m.length));
          }
          exercise(Uint8Array.from(b));
        },
      ),
      { numRuns: 600 },
    );
  });

  it('a stream of messages cut at random points frames into the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        (ms, cuts) => {
          const wire = Buffer.concat(ms.flatMap((m) => [Buffer.from('\r\n\r\n'), Buffer.from(serializeSipMessage(m))]));
          const framer = new SipStreamFramer();
          const got: SipMessage[] = [];
          for (let at = 0, i = 0; at < wire.length; i++) {
            const n = cuts[i % cuts.length];
            for (const f of framer.push(new Uint8Array(wire.subarray(at, at + n))))
              if (f.kind === 'message') got.push(f.parsed.message);
            at += n;
          }
          expect(got).toEqual(ms);
          expect(framer.pending).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
