/**
 * SDP (RFC 8866) and the SDES offer/answer (RFC 3264, RFC 4568 §7): the
 * carrier's suite preference decides, both sides end with the same keys, and
 * the failures answer 488 with the reason.
 */
import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../sim/crypto/random';
import { acceptAnswer, answerOffer, buildOffer, type LocalMedia, type SrtpPolicy } from '../../sim/sip/offer-answer';
import { parseSdp, serializeSdp, mediaConnection } from '../../sim/sip/sdp';
import { checkCoverage } from '../../sim/wire/coverage';
import { toHex, utf8 } from '../../sim/wire/bytes';
import { SipParseError } from '../../sim/sip/syntax-error';

const pbx: LocalMedia = {
  address: '203.0.113.10',
  port: 40000,
  payloadTypes: [0, 8],
  username: 'pbx',
  sessionId: '1001',
};
const sbc: LocalMedia = {
  address: '198.51.100.20',
  port: 20000,
  payloadTypes: [8, 0],
  username: 'sbc',
  sessionId: '2002',
};
const carrier: SrtpPolicy = {
  suites: ['AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32', 'AES_256_CM_HMAC_SHA1_80'],
  required: true,
  acceptMki: false,
};

describe('SDP', () => {
  it('parses, serializes back to the same bytes, and explains every byte', () => {
    const offer = buildOffer(pbx, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(1));
    const bytes = serializeSdp(offer.sdp);
    const parsed = parseSdp(bytes);
    expect(parsed.sdp).toEqual(offer.sdp);
    expect(Buffer.from(serializeSdp(parsed.sdp)).equals(Buffer.from(bytes))).toBe(true);
    expect(checkCoverage(bytes.length, parsed.fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(parsed.fields[0].layer).toBe('sdp');
    expect(mediaConnection(parsed.sdp, parsed.sdp.media[0])).toEqual({
      netType: 'IN',
      addrType: 'IP4',
      address: '203.0.113.10',
    });
  });

  it.each([
    ['o=a 1 1 IN IP4 192.0.2.1\r\nv=0\r\n', /starts with v=0/],
    ['v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 999.1.1.1\r\nt=0 0\r\n', /not an IPv4 address/],
    ['v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nc=IN IP4 192.0.2.1\r\n', /out of order/],
    ['v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n', /0 to 65535/],
    ['v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0', /does not end with CRLF/],
    ['v=0\r\no=a 1 1\r\ns=-\r\nt=0 0\r\n', /six fields/],
  ])('refuses bad SDP %#', (text, reason) => {
    let error: unknown;
    try {
      parseSdp(utf8(text));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SipParseError);
    expect((error as SipParseError).reason).toMatch(reason);
  });
});

describe('SDES offer/answer', () => {
  it('the answer takes the carrier’s first preference the offer has, and both sides hold the same keys', () => {
    const offer = buildOffer(
      pbx,
      { secure: true, suites: ['AES_CM_128_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] },
      HmacDrbg.fromSeed(2, 'pbx'),
    );
    const answer = answerOffer(parseSdp(serializeSdp(offer.sdp)).sdp, carrier, sbc, HmacDrbg.fromSeed(2, 'sbc'));
    if (!answer.ok) throw new Error(answer.detail);
    expect(answer.agreement).toMatchObject({ suite: 'AEAD_AES_128_GCM', tag: 3 });
    expect(answer.sdp.media[0]).toMatchObject({ proto: 'RTP/SAVP', formats: ['8', '0'] });
    const back = acceptAnswer(offer, parseSdp(serializeSdp(answer.sdp)).sdp);
    if (!back.ok) throw new Error(back.detail);
    const hex = (a: typeof back.agreement) => ({
      suite: a!.suite,
      offerer: toHex(a!.offerer.masterKey) + '/' + toHex(a!.offerer.masterSalt),
      answerer: toHex(a!.answerer.masterKey) + '/' + toHex(a!.answerer.masterSalt),
    });
    expect(hex(back.agreement)).toEqual(hex(answer.agreement));
    expect(back.agreement!.offerer.masterKey.length).toBe(16);
    expect(back.agreement!.offerer.masterSalt.length).toBe(12);
    expect(back.agreement!.offerer.masterKey).not.toEqual(back.agreement!.answerer.masterKey);
  });

  it('488 srtp_required: plain RTP/AVP offered to a carrier that requires SRTP', () => {
    const offer = buildOffer(pbx, { secure: false, suites: [] }, HmacDrbg.fromSeed(3));
    expect(answerOffer(offer.sdp, carrier, sbc, HmacDrbg.fromSeed(3))).toMatchObject({
      ok: false,
      status: 488,
      failure: 'srtp_required',
    });
    const relaxed = answerOffer(offer.sdp, { ...carrier, required: false }, sbc, HmacDrbg.fromSeed(3));
    expect(relaxed).toMatchObject({ ok: true, agreement: undefined });
  });

  it('a stream put on hold is answered with the matching direction (RFC 3264 §6.1)', () => {
    const offer = buildOffer(pbx, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(6));
    const directed = (where: 'media' | 'session', direction: string) => {
      const sdp = structuredClone(offer.sdp);
      if (where === 'media') sdp.media[0].lines.push({ type: 'a', value: direction });
      else sdp.session.push({ type: 'a', value: direction });
      const r = answerOffer(sdp, carrier, sbc, HmacDrbg.fromSeed(6));
      if (!r.ok) throw new Error(r.detail);
      const written = serializeSdp(r.sdp);
      return [r.direction, /a=(sendrecv|sendonly|recvonly|inactive)\r\n/.exec(new TextDecoder().decode(written))?.[1]];
    };
    expect(directed('media', 'sendonly')).toEqual(['recvonly', 'recvonly']);
    expect(directed('media', 'recvonly')).toEqual(['sendonly', 'sendonly']);
    expect(directed('media', 'inactive')).toEqual(['inactive', 'inactive']);
    expect(directed('session', 'sendonly')).toEqual(['recvonly', 'recvonly']);
    // The default needs no line: an answer to a sendrecv offer is as it always was.
    expect(directed('media', 'sendrecv')).toEqual(['sendrecv', undefined]);
  });

  it('488 no_common_suite: only suites the carrier does not take', () => {
    const offer = buildOffer(pbx, { secure: true, suites: ['AEAD_AES_256_GCM'] }, HmacDrbg.fromSeed(4));
    const r = answerOffer(offer.sdp, carrier, sbc, HmacDrbg.fromSeed(4));
    expect(r).toMatchObject({ ok: false, status: 488, failure: 'no_common_suite' });
    expect(r.rejected).toEqual([{ tag: 1, problem: expect.stringMatching(/not among the carrier's suites/) }]);
    // The detail (the 488's Warning) names every suite the carrier does accept.
    expect(!r.ok && r.detail).toContain(`the carrier accepts ${carrier.suites.join(', ')}`);
  });

  it('an MKI the carrier does not accept, and session parameters that switch protection off, are skipped', () => {
    const withMki = buildOffer(
      pbx,
      { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'], mki: { value: 1, length: 4 } },
      HmacDrbg.fromSeed(5),
    );
    expect(answerOffer(withMki.sdp, carrier, sbc, HmacDrbg.fromSeed(5))).toMatchObject({
      ok: false,
      failure: 'no_common_suite',
    });
    expect(answerOffer(withMki.sdp, { ...carrier, acceptMki: true }, sbc, HmacDrbg.fromSeed(5)).ok).toBe(true);
    const weak = buildOffer(pbx, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(6));
    weak.sdp.media[0].lines = weak.sdp.media[0].lines.map((l) =>
      l.value.startsWith('crypto:') ? { ...l, value: `${l.value} UNENCRYPTED_SRTP` } : l,
    );
    const r = answerOffer(weak.sdp, carrier, sbc, HmacDrbg.fromSeed(6));
    expect(r.rejected[0].problem).toMatch(/turns SRTP protection off/);
  });

  it('a malformed a=crypto leaves the SDP readable; the answerer skips it with the reason', () => {
    const text =
      'v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abcd\r\n';
    const parsed = parseSdp(utf8(text));
    expect(checkCoverage(text.length, parsed.fields)).toEqual({ unexplained: [], misplaced: [] });
    const r = answerOffer(parsed.sdp, carrier, sbc, HmacDrbg.fromSeed(9));
    expect(r).toMatchObject({
      ok: false,
      failure: 'no_common_suite',
      rejected: [{ tag: 1, problem: expect.stringMatching(/needs 30 bytes/) }],
    });
  });

  it('the offerer refuses an answer whose tag it never offered', () => {
    const offer = buildOffer(pbx, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(7));
    const answer = answerOffer(offer.sdp, carrier, sbc, HmacDrbg.fromSeed(7));
    if (!answer.ok) throw new Error(answer.detail);
    answer.sdp.media[0].lines = answer.sdp.media[0].lines.map((l) =>
      l.value.startsWith('crypto:1 ') ? { ...l, value: l.value.replace('crypto:1 ', 'crypto:9 ') } : l,
    );
    expect(acceptAnswer(offer, answer.sdp)).toMatchObject({ ok: false, failure: 'answer_mismatch' });
  });

  it('488 no_connection_address: no c= line for the audio, or one whose address is not of its type (RFC 8866 §5.7)', () => {
    const offer = buildOffer(pbx, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(9));
    const withConnection = (value: string | undefined) => {
      const sdp = structuredClone(offer.sdp);
      const strip = (lines: typeof sdp.session) => lines.filter((l) => l.type !== 'c');
      sdp.session = strip(sdp.session);
      sdp.media[0].lines = strip(sdp.media[0].lines);
      if (value !== undefined) sdp.session.push({ type: 'c', value });
      return sdp;
    };
    for (const [value, detail] of [
      [undefined, /no usable connection line/],
      ['IN iP4 203.0.113.10', /no usable connection line/],
      ['IN IP4 203.0.1x3.10', /"203\.0\.1x3\.10" is not an IP4 address/],
      ['IN IP6 203.0.113.10', /is not an IP6 address/],
    ] as const) {
      const r = answerOffer(withConnection(value), carrier, sbc, HmacDrbg.fromSeed(9));
      expect(r, value).toMatchObject({ ok: false, status: 488, failure: 'no_connection_address' });
      expect(!r.ok && r.detail, value).toMatch(detail);
    }
    expect(answerOffer(withConnection('IN IP6 2001:db8::10'), carrier, sbc, HmacDrbg.fromSeed(9)).ok).toBe(true);
    // The offerer holds an answer to the same rule: it could not send its audio anywhere.
    const answer = answerOffer(offer.sdp, carrier, sbc, HmacDrbg.fromSeed(9));
    if (!answer.ok) throw new Error(answer.detail);
    answer.sdp.session = answer.sdp.session.filter((l) => l.type !== 'c');
    answer.sdp.media[0].lines = answer.sdp.media[0].lines.filter((l) => l.type !== 'c');
    expect(acceptAnswer(offer, answer.sdp)).toMatchObject({ ok: false, failure: 'no_connection_address' });
  });

  it('a seeded run repeats its keys exactly', () => {
    const a = buildOffer(pbx, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(8));
    const b = buildOffer(pbx, { secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] }, HmacDrbg.fromSeed(8));
    expect(serializeSdp(a.sdp)).toEqual(serializeSdp(b.sdp));
  });
});
