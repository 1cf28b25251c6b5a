/**
 * The SIP torture tests of RFC 4475, byte-exact (vectors/rfc4475/README.md):
 * every message §3.1.1 calls valid parses, round-trips byte for byte and is
 * explained to the last byte; every message §3.1.2 calls invalid is refused
 * with the line and the reason; the §3.2–§3.4 messages get the answer the
 * RFC gives for them. Where the RFC lets an element choose, the choice is
 * stated next to the case.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSipMessage, type ParsedSipMessage } from '../../sim/sip/parse';
import { serializeSipMessage, headerValues } from '../../sim/sip/message';
import { checkMessage } from '../../sim/sip/validate';
import { acceptResponse, admitRequest } from '../../sim/sip/admission';
import { SipParseError } from '../../sim/sip/syntax-error';
import { checkCoverage } from '../../sim/wire/coverage';
import type { NameAddress } from '../../sim/sip/address';
import type { Via } from '../../sim/sip/via';
import { unescapeUriPart, type SipUri } from '../../sim/sip/uri';
import { SbcServer } from '../../sim/sip/sbc-server';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import type { CarrierProfile } from '../../sim/carrier';
import carrierJson from '../../content/carrier.json';

const carrier = carrierJson as CarrierProfile;

const vector = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./vectors/rfc4475/${name}.dat`, import.meta.url)));

function parsed(name: string): ParsedSipMessage {
  const bytes = vector(name);
  const p = parseSipMessage(bytes);
  expect(checkCoverage(bytes.length, p.fields)).toEqual({ unexplained: [], misplaced: [] });
  // serialize(parse(b)) keeps the message's bytes (octets ignored after it aside).
  expect(Buffer.from(serializeSipMessage(p.message)).equals(Buffer.from(bytes.subarray(p.start, p.end)))).toBe(true);
  return p;
}

function refused(name: string): SipParseError {
  try {
    parseSipMessage(vector(name));
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return e as SipParseError;
  }
  throw new Error(`${name} parsed, but RFC 4475 calls it invalid`);
}

const header = <T>(p: ParsedSipMessage, name: string) =>
  p.headers.filter((h) => h.canonical === name).map((h) => h.parsed as T);

describe('RFC 4475 §3.1.1: valid messages parse, round-trip and are fully explained', () => {
  it('§3.1.1.1 wsinv: a short tortuous INVITE (folding, LWS around separators, compact forms)', () => {
    const p = parsed('wsinv');
    expect(p.message).toMatchObject({ kind: 'request', method: 'INVITE' });
    expect(header<number>(p, 'Max-Forwards')).toEqual([68]);
    expect(header<{ seq: number; method: string }>(p, 'CSeq')).toEqual([{ seq: 9, method: 'INVITE' }]);
    const vias = header<Via[]>(p, 'Via').flat();
    expect(vias.map((v) => [v.transport, v.host])).toEqual([
      ['UDP', '192.0.2.2'],
      ['TCP', 'spindle.example.com'],
      ['UDP', '192.168.255.111'],
    ]);
    expect(vias[2].params).toEqual([{ name: 'branch', value: 'z9hG4bK30239' }]);
    const [from] = header<NameAddress>(p, 'From');
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(from.params).toEqual([{ name: 'tag', value: '98asjd8' }]);
    const [contact] = header<NameAddress[]>(p, 'Contact');
    expect(contact[0].displayName).toBe('Quoted string ""');
    expect(contact[0].params.map((x) => x.name)).toEqual(['newparam', 'secondparam', 'q']);
    expect(headerValues(p.message, 'Subject')).toEqual(['']);
    expect(checkMessage(p)).toBeUndefined();
  });

  it('§3.1.1.2 intmeth: unusual but valid characters everywhere, NUL inside a quoted-pair', () => {
    const p = parsed('intmeth');
    expect(p.message.kind === 'request' && p.message.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    const [to] = header<NameAddress>(p, 'To');
    expect(to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    const uri = p.requestUri as SipUri;
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(headerValues(p.message, 'Call-ID')).toEqual(['intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{']);
    expect(checkMessage(p)).toBeUndefined();
  });

  it('§3.1.1.3 esc01: %-escapes in URIs compare unescaped', () => {
    const p = parsed('esc01');
    const [to] = header<NameAddress>(p, 'To');
    expect(unescapeUriPart((to.uri as SipUri).user!)).toBe('user');
    expect(unescapeUriPart((p.requestUri as SipUri).user!)).toBe('sips:user@example.com');
  });

  it('§3.1.1.4 escnull: escaped NULs in URIs', () => {
    const p = parsed('escnull');
    expect(header<NameAddress[]>(p, 'Contact').map((c) => (c[0].uri as SipUri).user)).toEqual(['%00', '%00%00']);
  });

  it('§3.1.1.5 esc02: % that is not an escape; RE%47IST%45R is not REGISTER, C%6Fntact is not Contact', () => {
    const p = parsed('esc02');
    expect(p.message.kind === 'request' && p.message.method).toBe('RE%47IST%45R');
    expect(header(p, 'Contact')).toHaveLength(2);
    expect(p.headers.some((h) => h.canonical === 'C%6Fntact')).toBe(true);
    expect(admitRequest(p)?.status).toBe(501); // an unknown method
  });

  it('§3.1.1.6 lwsdisp: no LWS between display name and <', () => {
    const [from] = header<NameAddress>(parsed('lwsdisp'), 'From');
    expect(from.displayName).toBe('caller');
  });

  it('§3.1.1.7 longreq: long values and 34 Via headers in every spelling', () => {
    const p = parsed('longreq');
    expect(header<Via[]>(p, 'Via').flat()).toHaveLength(34);
    expect(checkMessage(p)).toBeUndefined();
  });

  it('§3.1.1.8 dblreq: octets after Content-Length in a datagram are ignored (RFC 3261 §18.3)', () => {
    const p = parsed('dblreq');
    expect(p.message).toMatchObject({ kind: 'request', method: 'REGISTER' });
    expect(p.ignoredTrailing).toBeGreaterThan(400);
    expect(p.fields.at(-1)!.name).toBe('ignored trailing octets');
  });

  it('§3.1.1.9 semiuri: semicolons in the user part', () => {
    expect((parsed('semiuri').requestUri as SipUri).user).toBe('user;par=u%40example.net');
  });

  it('§3.1.1.10 transports: varied and unknown transports', () => {
    const vias = header<Via[]>(parsed('transports'), 'Via').flat();
    expect(vias.map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('§3.1.1.11 mpart01: a multipart body with binary octets', () => {
    const p = parsed('mpart01');
    expect(p.message.body.length).toBe(553);
    expect(checkMessage(p)).toBeUndefined();
  });

  it('§3.1.1.12 unreason: a UTF-8 reason phrase', () => {
    const p = parsed('unreason');
    expect(p.message.kind === 'response' && p.message.reason).toMatch(/^= 2\*\*3 \* 5\*\*2 но сто девяносто девять/);
  });

  it('§3.1.1.13 noreason: an empty reason phrase', () => {
    expect(parsed('noreason').message).toMatchObject({ kind: 'response', status: 100, reason: '' });
  });
});

describe('RFC 4475 §3.1.2: invalid messages are refused with the line and the reason', () => {
  // [file, section, line, header or part, words the reason contains, status]
  const cases: Array<[string, string, number, string, RegExp, number]> = [
    // The RFC lets an element ignore the extra separators; the lab refuses them, as it must explain every byte.
    ['badinv01', '§3.1.2.1', 7, 'Via', /parameter name after ";"/, 400],
    ['clerr', '§3.1.2.2', 10, 'Content-Length', /says 9999 bytes but only \d+ follow/, 400],
    ['ncl', '§3.1.2.3', 10, 'Content-Length', /whole number/, 400],
    ['scalar02', '§3.1.2.4', 5, 'CSeq', /larger than 4294967295/, 400],
    ['scalarlg', '§3.1.2.5', 5, 'CSeq', /larger than 4294967295/, 400],
    ['quotbal', '§3.1.2.6', 2, 'To', /never closed/, 400],
    ['ltgtruri', '§3.1.2.7', 1, 'Request-Line', /enclosed in <>/, 400],
    ['lwsruri', '§3.1.2.8', 1, 'Request-Line', /single spaces/, 400],
    ['lwsstart', '§3.1.2.9', 1, 'Request-Line', /single spaces/, 400],
    ['trws', '§3.1.2.10', 1, 'Request-Line', /single spaces/, 400],
    // "It is acceptable for an element to reject this request with a 400": the lab does.
    ['escruri', '§3.1.2.11', 1, 'Request-Line', /may not carry "\?" headers/, 400],
    // "It is acceptable to reject this request as malformed": a validator names what is wrong.
    ['baddate', '§3.1.2.12', 8, 'Date', /time zone must be GMT, not EST/, 400],
    ['regbadct', '§3.1.2.13', 8, 'Contact', /must be enclosed in <>/, 400],
    ['badaspec', '§3.1.2.14', 5, 'To', /white space inside <>/, 400],
    ['baddn', '§3.1.2.15', 4, 'From', /double quotes/, 400],
    ['badvers', '§3.1.2.16', 1, 'Request-Line', /version 7\.0 is not supported/, 505],
    // A response with a code over 699 is dropped; the parser says why.
    ['bigcode', '§3.1.2.19', 1, 'Status-Line', /not three digits/, 400],
  ];
  for (const [name, section, line, where, reason, status] of cases) {
    it(`${section} ${name}: line ${line} (${where})`, () => {
      const e = refused(name);
      expect(e.line).toBe(line);
      expect(e.where).toBe(where);
      expect(e.reason).toMatch(reason);
      expect(e.status).toBe(status);
      expect(e.message).toContain(`line ${line}:`);
    });
  }

  it('§3.1.2.16 beside badvers: 2.0 written in lower case or with a leading zero is still 2.0, and keeps its bytes', () => {
    const text = new TextDecoder().decode(vector('badvers'));
    for (const written of ['sip/2.0', 'SIP/2.00', 'Sip/02.0']) {
      const bytes = new TextEncoder().encode(text.replace('SIP/7.0', written));
      const p = parseSipMessage(bytes);
      expect(p.message.version).toBe(written);
      expect(Buffer.from(serializeSipMessage(p.message)).equals(Buffer.from(bytes))).toBe(true);
    }
    // Written as RFC 3261 §7.1 says to send it, the version is left implicit.
    expect(parsed('wsinv').message.version).toBeUndefined();
  });

  it('§3.1.2.17 mismatch01: CSeq method differs from the request method: 400 naming the CSeq line', () => {
    const p = parsed('mismatch01');
    expect(checkMessage(p)).toMatchObject({ status: 400, line: 6, header: 'CSeq' });
    expect(checkMessage(p)!.detail).toMatch(/CSeq method INVITE does not match the request method OPTIONS/);
  });

  it('§3.1.2.18 mismatch02: unknown method with a mismatched CSeq: 501, which the RFC prefers to 400', () => {
    const p = parsed('mismatch02');
    expect(admitRequest(p)).toMatchObject({ status: 501 });
    expect(checkMessage(p)).toMatchObject({ status: 400, header: 'CSeq' });
  });
});

describe('RFC 4475 §3.2: transaction layer', () => {
  it('§3.2.1 badbranch: a branch that is only the magic cookie is still accepted', () => {
    const p = parsed('badbranch');
    expect(header<Via[]>(p, 'Via')[0][0].params).toEqual([{ name: 'branch', value: 'z9hG4bK' }]);
    expect(admitRequest(p)).toBeUndefined();
  });
});

describe('RFC 4475 §3.3: application layer — well-formed, answered by what the element supports', () => {
  it('§3.3.1 insuf: missing Call-ID, From, To: 400', () => {
    expect(checkMessage(parsed('insuf'))).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/To, From, Call-ID/),
    });
  });
  it('§3.3.1 insuf: the SBC answers 400 with what it can copy, and the answer itself parses', () => {
    const sbc = new SbcServer(
      { carrier, transport: 'TLS', port: 5061, callee: 'answer' },
      HmacDrbg.fromSeed(1, 'sbc'),
      VirtualClock.at('2026-11-26T09:00:00Z'),
    );
    const { send } = sbc.receive(parsed('insuf'), { ip: '192.0.2.10', port: 5061 });
    expect(send.map((r) => r.status)).toEqual([400]);
    const answer = parseSipMessage(serializeSipMessage(send[0])).message;
    expect(answer.headers.map((h) => h.name)).toEqual(['Via', 'CSeq', 'Content-Length']);
    expect(answer.headers.every((h) => h.value.trim() !== '')).toBe(true);
  });
  it('§3.3.2 unkscm: unknown Request-URI scheme: 416', () => {
    expect(admitRequest(parsed('unkscm'))).toMatchObject({ status: 416 });
  });
  it('§3.3.3 novelsc: soap.beep: is registered but not served here: 416', () => {
    expect(admitRequest(parsed('novelsc'))).toMatchObject({ status: 416 });
  });
  it('§3.3.4 unksm2: other schemes in To/From/Contact parse; a registrar refuses a non-SIP AOR with 400', () => {
    const p = parsed('unksm2');
    expect(header<NameAddress>(p, 'To')[0].uri).toEqual({ kind: 'other', scheme: 'isbn', text: 'isbn:2983792873' });
    expect(admitRequest(p)).toMatchObject({ status: 400, header: 'To' });
    expect(admitRequest(p, { ...SBC, registrar: false })).toBeUndefined();
  });
  it('§3.3.5 bext01: unsupported Require: 420 listing them in Unsupported', () => {
    expect(admitRequest(parsed('bext01'))).toMatchObject({
      status: 420,
      responseHeaders: [{ name: 'Unsupported', value: 'nothingSupportsThis, nothingSupportsThisEither' }],
    });
  });
  it('§3.3.6 invut: unknown body type: 415 with Accept', () => {
    expect(admitRequest(parsed('invut'))).toMatchObject({
      status: 415,
      responseHeaders: [{ name: 'Accept', value: 'application/sdp' }],
    });
  });
  it('§3.3.7 regaut01: an unknown authorization scheme is well formed (the registrar challenges it, see registrar tests)', () => {
    const p = parsed('regaut01');
    expect(admitRequest(p)).toBeUndefined();
    expect(headerValues(p.message, 'Authorization')).toEqual(['NoOneKnowsThisScheme opaque-data=here']);
  });
  it('§3.3.8 multi01: several values in single-value headers: 400 naming the second CSeq line', () => {
    expect(checkMessage(parsed('multi01'))).toMatchObject({ status: 400, line: 7, header: 'CSeq' });
  });
  it('§3.3.9 mcl01: several Content-Length values cannot be framed', () => {
    const e = refused('mcl01');
    expect([e.line, e.where]).toEqual([9, 'Content-Length']);
    expect(e.reason).toMatch(/appears 2 times/);
  });
  it('§3.3.10 bcast: a 200 OK with a second, broadcast Via is discarded', () => {
    const verdict = acceptResponse(parsed('bcast'));
    expect(verdict).toMatchObject({
      accept: false,
      reason: expect.stringMatching(/broadcast or multicast address 255\.255\.255\.255/),
    });
  });
  it('§3.3.11 zeromf: Max-Forwards 0 on OPTIONS: answered here, not forwarded', () => {
    const p = parsed('zeromf');
    expect(admitRequest(p)).toBeUndefined();
    const asInvite = parseSipMessage(
      new TextEncoder().encode(new TextDecoder().decode(vector('zeromf')).replace(/OPTIONS/g, 'INVITE')),
    );
    expect(admitRequest(asInvite)).toMatchObject({ status: 483 });
  });
  it('§3.3.12 cparam01: without <>, ;unknownparam is a Contact parameter', () => {
    const [[c]] = header<NameAddress[]>(parsed('cparam01'), 'Contact');
    expect([(c.uri as SipUri).params, c.params]).toEqual([[], [{ name: 'unknownparam' }]]);
  });
  it('§3.3.13 cparam02: inside <>, ;unknownparam is a URI parameter', () => {
    const [[c]] = header<NameAddress[]>(parsed('cparam02'), 'Contact');
    expect([(c.uri as SipUri).params, c.params]).toEqual([[{ name: 'unknownparam' }], []]);
  });
  it('§3.3.14 regescrt: a Contact URI with an escaped Route header is kept', () => {
    const [[c]] = header<NameAddress[]>(parsed('regescrt'), 'Contact');
    expect((c.uri as SipUri).headers).toEqual([{ name: 'Route', value: '%3Csip:sip.example.com%3E' }]);
  });
  it('§3.3.15 sdp01: an INVITE whose Accept excludes SDP: 406', () => {
    expect(admitRequest(parsed('sdp01'))).toMatchObject({ status: 406 });
  });
});

describe('RFC 4475 §3.4: backward compatibility', () => {
  it('§3.4.1 inv2543: RFC 2543 syntax over UDP is accepted (no branch, no tag, no Content-Length, no Max-Forwards)', () => {
    const p = parsed('inv2543');
    expect(p.message.body.length).toBe(vector('inv2543').length - p.end + p.message.body.length);
    expect(checkMessage(p)).toBeUndefined();
  });
  it('§3.4.1 inv2543: over a stream the missing Content-Length cannot be framed', () => {
    expect(() => parseSipMessage(vector('inv2543'), { transport: 'stream' })).toThrow(/Content-Length is required/);
  });
});

const SBC = {
  methods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER'],
  schemes: ['sip', 'sips', 'tel'],
  extensions: [],
  bodyTypes: ['application/sdp'],
  registrar: true,
};
