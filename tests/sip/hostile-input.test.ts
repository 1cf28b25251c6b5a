/**
 * Hostile input (issue 5 "Bad input"): megabyte headers, NUL bytes, binary
 * garbage, missing CRLFs, Content-Length larger than the body, too many
 * headers, and names that are JavaScript's own property names. Each gets a
 * SipParseError naming the line and the reason; limits keep memory bounded.
 */
import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../sim/sip/parse';
import { SipStreamFramer } from '../../sim/sip/stream';
import { SipParseError } from '../../sim/sip/syntax-error';
import { headerValue } from '../../sim/sip/message';
import { utf8 } from '../../sim/wire/bytes';
import { Registrar } from '../../sim/sip/registrar';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';

const HEAD =
  'OPTIONS sips:sbc1.trunks.quillfeather.example SIP/2.0\r\nVia: SIP/2.0/TLS 203.0.113.10:5061;branch=z9hG4bK1\r\n';
const TAIL =
  'From: <sips:a@quillfeather.example>;tag=1\r\nTo: <sips:b@quillfeather.example>\r\nCall-ID: c@d\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

function refusal(bytes: Uint8Array, transport: 'datagram' | 'stream' = 'datagram'): SipParseError {
  try {
    parseSipMessage(bytes, { transport });
  } catch (e) {
    expect(e).toBeInstanceOf(SipParseError);
    return e as SipParseError;
  }
  throw new Error('parsed');
}

describe('hostile input', () => {
  it('a megabyte-long header: 413, too large, without reading it all', () => {
    const e = refusal(utf8(`${HEAD}X-Big: ${'a'.repeat(1 << 20)}\r\n${TAIL}`));
    expect([e.code, e.status]).toEqual(['too_large', 413]);
    expect(e.reason).toMatch(/longer than 65536 bytes/);
  });

  it('a megabyte of one line with no CRLF at all: line 1', () => {
    const e = refusal(utf8('x'.repeat(1 << 20)));
    expect(e.line).toBe(1);
  });

  it('binary garbage: line 1, what is wrong', () => {
    const e = refusal(Uint8Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) & 0xff));
    expect(e.line).toBe(1);
    expect(e.reason).toMatch(/control byte|not UTF-8|single spaces|method|CR not followed by LF|LF without CR/);
  });

  it('a NUL in a header value: the line and the byte', () => {
    const e = refusal(utf8(`${HEAD}Subject: hello\0world\r\n${TAIL}`));
    expect([e.line, e.where]).toEqual([3, 'Subject']);
    expect(e.reason).toMatch(/control byte 0x00/);
  });

  it('a NUL in the start line', () => {
    expect(refusal(utf8(`OPTIONS sip:a\0b SIP/2.0\r\n${TAIL}`)).reason).toMatch(/control byte 0x00 in the start line/);
  });

  it('LF without CR, and CR without LF: the line', () => {
    expect(refusal(utf8(`${HEAD}${TAIL}`.replace(/\r\n/g, '\n'))).reason).toMatch(/a LF without CR/);
    const e = refusal(utf8(`${HEAD}Subject: a\rb\r\n${TAIL}`));
    expect([e.line, e.reason]).toEqual([3, expect.stringMatching(/CR not followed by LF/)]);
  });

  it('no empty line after the headers: truncated', () => {
    const e = refusal(utf8(`${HEAD}${TAIL}`.slice(0, -2)));
    expect(e.code).toBe('truncated');
    expect(e.reason).toMatch(/ends before the empty line/);
  });

  it('Content-Length larger than the body: 400 over UDP; a stream waits for the rest', () => {
    const bytes = utf8(`${HEAD}${TAIL}`.replace('Content-Length: 0', 'Content-Length: 500') + 'v=0\r\n');
    const e = refusal(bytes);
    expect([e.line, e.where, e.status]).toEqual([7, 'Content-Length', 400]);
    const framer = new SipStreamFramer();
    expect(framer.push(bytes)).toEqual([]);
    expect(framer.pending).toBe(bytes.length);
  });

  it('an absurd Content-Length: too large, on a stream too', () => {
    const bytes = utf8(`${HEAD}${TAIL}`.replace('Content-Length: 0', 'Content-Length: 999999999999'));
    expect(refusal(bytes).code).toBe('too_large');
    expect(() => new SipStreamFramer().push(bytes)).toThrow(/larger than 1048576 bytes/);
  });

  it('ten thousand headers: refused past the limit', () => {
    const e = refusal(utf8(`${HEAD}${'X: y\r\n'.repeat(10_000)}${TAIL}`));
    expect(e.code).toBe('too_large');
  });

  it('a stream that never ends its headers stops with too_large, and stays stopped', () => {
    const framer = new SipStreamFramer();
    const chunk = utf8('a'.repeat(16_384));
    expect(() => {
      for (let i = 0; i < 8; i++) framer.push(chunk);
    }).toThrow(/no end of headers within 65536 bytes/);
    expect(() => framer.push(utf8(TAIL))).toThrow(SipParseError);
  });

  it('a Contact list of thousands of entries within the size limit parses', () => {
    const contacts = Array.from({ length: 3000 }, (_, i) => `<sip:h${i}.example>`).join(',');
    const p = parseSipMessage(utf8(`${HEAD}Contact: ${contacts}\r\n${TAIL}`));
    expect(headerValue(p.message, 'Contact')!.split(',')).toHaveLength(3000);
  });

  it('header names and user names that are JavaScript property names are ordinary strings', () => {
    const p = parseSipMessage(utf8(`${HEAD}__proto__: x\r\nconstructor: y\r\n${TAIL}`));
    expect(p.headers.map((h) => h.canonical)).toContain('__proto__');
    const auth =
      'Authorization: Digest username="constructor", realm="r", nonce="n", uri="sips:r", response="00", __proto__="x"\r\n';
    const reg = utf8(
      `REGISTER sips:r SIP/2.0\r\nVia: SIP/2.0/TLS 203.0.113.10;branch=z9hG4bK2\r\nFrom: <sips:constructor@r>;tag=1\r\nTo: <sips:constructor@r>\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n${auth}Content-Length: 0\r\n\r\n`,
    );
    const registrar = new Registrar(
      { realm: 'r', auth: 'registration', algorithms: ['SHA-256'], accounts: { alice: 'pw' }, trustedAddresses: [] },
      HmacDrbg.fromSeed(1),
      VirtualClock.at('2026-11-26T09:00:00Z'),
    );
    expect(registrar.handle(parseSipMessage(reg), { ip: '192.0.2.1' }).verdict).toBe('unknown_user');
  });
});

describe('stream framing stays linear', () => {
  it('ten thousand small messages in one read, and a body arriving a byte at a time', () => {
    const one = utf8(`${HEAD}${TAIL}`);
    const many = new Uint8Array(one.length * 10_000);
    for (let i = 0; i < 10_000; i++) many.set(one, i * one.length);
    const framer = new SipStreamFramer(undefined, false);
    expect(framer.push(many)).toHaveLength(10_000);
    const withBody = utf8(`${HEAD}${TAIL}`.replace('Content-Length: 0', 'Content-Length: 20000') + 'x'.repeat(20_000));
    let frames = 0;
    for (let i = 0; i < withBody.length; i++) frames += framer.push(withBody.subarray(i, i + 1)).length;
    expect(frames).toBe(1);
    expect(framer.pending).toBe(0);
  });
});
