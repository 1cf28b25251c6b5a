/**
 * The registrar's rules beyond the happy path (RFC 3261 §10.3, RFC 7616 §3.3):
 * a replayed or foreign nonce gets a stale challenge, a credential for
 * another address of record is forbidden, bindings expire on the clock, and
 * "*" with Expires: 0 removes them all.
 */
import { describe, expect, it } from 'vitest';
import { MAX_COUNTED_FAILURES, Registrar, type RegistrarConfig } from '../../sim/sip/registrar';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { answerChallenge, formatCredentials, parseChallenge } from '../../sim/sip/digest';
import { parseSipMessage } from '../../sim/sip/parse';
import { headerValue, headerValues } from '../../sim/sip/message';
import { utf8 } from '../../sim/wire/bytes';

const config: RegistrarConfig = {
  realm: 'quillfeather.example',
  auth: 'registration',
  algorithms: ['SHA-256'],
  accounts: { alice: 'pw-alice', bob: 'pw-bob' },
  trustedAddresses: [],
};

function register(
  user: string,
  opts: {
    authorization?: string;
    contact?: string;
    expires?: number;
    seq?: number;
    callId?: string;
    domain?: string;
  } = {},
) {
  const domain = opts.domain ?? 'quillfeather.example';
  const text =
    `REGISTER sips:quillfeather.example SIP/2.0\r\nVia: SIP/2.0/TLS 203.0.113.10:5061;branch=z9hG4bK${opts.seq ?? 1}\r\n` +
    `From: <sips:${user}@${domain}>;tag=1\r\nTo: <sips:${user}@${domain}>\r\nCall-ID: ${opts.callId ?? 'c1'}\r\nCSeq: ${opts.seq ?? 1} REGISTER\r\n` +
    `Contact: ${opts.contact ?? '<sips:alice@203.0.113.10:5061>'}\r\n${opts.expires !== undefined ? `Expires: ${opts.expires}\r\n` : ''}` +
    `${opts.authorization ? `Authorization: ${opts.authorization}\r\n` : ''}Content-Length: 0\r\n\r\n`;
  return parseSipMessage(utf8(text));
}

function setup() {
  const clock = VirtualClock.at('2026-11-26T09:00:00Z');
  const registrar = new Registrar(config, HmacDrbg.fromSeed(1), clock);
  const login = (user: string, password: string, opts: Parameters<typeof register>[1] = {}) => {
    const first = registrar.handle(register(user, opts), { ip: '203.0.113.10' });
    const challenge = parseChallenge(headerValue(first.response, 'WWW-Authenticate')!)!;
    const credentials = answerChallenge(
      challenge,
      { username: user, password },
      { method: 'REGISTER', uri: 'sips:quillfeather.example' },
      'cn',
      1,
    );
    const authorization = formatCredentials(credentials);
    return {
      authorization,
      result: registrar.handle(register(user, { ...opts, authorization, seq: 2 }), { ip: '203.0.113.10' }),
    };
  };
  return { clock, registrar, login };
}

describe('registrar', () => {
  it('a replayed Authorization (same nonce and count) gets a stale challenge, not a binding', () => {
    const { registrar, login } = setup();
    const { authorization, result } = login('alice', 'pw-alice');
    expect(result.verdict).toBe('registered');
    const replay = registrar.handle(register('alice', { authorization, seq: 3 }), { ip: '192.0.2.66' });
    expect(replay.verdict).toBe('stale_nonce');
    expect(parseChallenge(headerValue(replay.response, 'WWW-Authenticate')!)!.stale).toBe(true);
  });

  it('the right password for another user is forbidden for this address of record (RFC 3261 §10.3 step 4)', () => {
    const { registrar } = setup();
    const first = registrar.handle(register('alice'), { ip: '203.0.113.10' });
    const challenge = parseChallenge(headerValue(first.response, 'WWW-Authenticate')!)!;
    const bobs = formatCredentials(
      answerChallenge(
        challenge,
        { username: 'bob', password: 'pw-bob' },
        { method: 'REGISTER', uri: 'sips:quillfeather.example' },
        'cn',
        1,
      ),
    );
    const r = registrar.handle(register('alice', { authorization: bobs, seq: 2 }), { ip: '203.0.113.10' });
    expect([r.response.status, r.verdict]).toEqual([403, 'not_authorized']);
  });

  it('an unknown user is answered as a wrong password: 401 again, then 403 (RFC 3261 §10.3 step 3)', () => {
    const { registrar, login } = setup();
    const first = login('mallory', 'guess');
    expect([first.result.response.status, first.result.verdict]).toEqual([401, 'unknown_user']);
    const second = login('mallory', 'guess');
    expect([second.result.response.status, second.result.verdict]).toEqual([403, 'forbidden']);
    expect(registrar.bindingsOf('sips:mallory@quillfeather.example')).toEqual([]);
  });

  it('failed attempts are counted for a bounded number of registrations: the oldest count goes first', () => {
    const { login } = setup();
    expect(login('mallory', 'guess', { callId: 'first' }).result.verdict).toBe('unknown_user');
    expect(login('mallory', 'guess', { callId: 'first' }).result.verdict).toBe('forbidden');
    for (let i = 0; i < MAX_COUNTED_FAILURES; i++) login('mallory', 'guess', { callId: `scan-${i}` });
    // 'first' was the oldest count, so it is forgotten: its next wrong answer is a first failure again.
    expect(login('mallory', 'guess', { callId: 'first' }).result.verdict).toBe('unknown_user');
    expect(login('mallory', 'guess', { callId: `scan-${MAX_COUNTED_FAILURES - 1}` }).result.verdict).toBe('forbidden');
  });

  it('an address of record outside the domain is not found, even with the right password (RFC 3261 §10.3 step 5)', () => {
    const { registrar, login } = setup();
    const { result } = login('alice', 'pw-alice', { domain: 'other.example' });
    expect([result.response.status, result.verdict]).toEqual([404, 'not_found']);
    expect(registrar.bindingsOf('sips:alice@other.example')).toEqual([]);
  });

  it('bindings expire on the clock; Contact expires overrides Expires; * with Expires: 0 removes all', () => {
    const { clock, registrar, login } = setup();
    login('alice', 'pw-alice', { contact: '<sips:alice@203.0.113.10:5061>;expires=60', expires: 3600 });
    expect(registrar.bindingsOf('sips:alice@quillfeather.example')).toHaveLength(1);
    clock.advance(61_000);
    expect(registrar.bindingsOf('sips:alice@quillfeather.example')).toHaveLength(0);
    login('alice', 'pw-alice', { callId: 'c2' });
    expect(registrar.bindingsOf('sips:alice@quillfeather.example')).toHaveLength(1);
    const { result } = login('alice', 'pw-alice', { callId: 'c3', contact: '*', expires: 0 });
    expect(result.verdict).toBe('registered');
    expect(registrar.bindingsOf('sips:alice@quillfeather.example')).toHaveLength(0);
  });

  it('an Authorization whose uri is not the Request-URI is a bad request (RFC 7616 §3.4.6)', () => {
    const { registrar } = setup();
    const first = registrar.handle(register('alice'), { ip: '203.0.113.10' });
    const challenge = parseChallenge(headerValue(first.response, 'WWW-Authenticate')!)!;
    const other = formatCredentials(
      answerChallenge(
        challenge,
        { username: 'alice', password: 'pw-alice' },
        { method: 'REGISTER', uri: 'sips:elsewhere.example' },
        'cn',
        1,
      ),
    );
    expect(registrar.handle(register('alice', { authorization: other, seq: 2 }), { ip: '203.0.113.10' }).verdict).toBe(
      'bad_request',
    );
  });

  it('RFC 4475 §3.3.7: an unknown authorization scheme is answered with a Digest challenge', () => {
    const { registrar } = setup();
    const r = registrar.handle(register('alice', { authorization: 'NoOneKnowsThisScheme opaque-data=here' }), {
      ip: '203.0.113.10',
    });
    expect([r.response.status, r.verdict]).toEqual([401, 'challenged']);
  });
});

describe('digest algorithms (RFC 8760 §2)', () => {
  const both = { ...config, algorithms: ['SHA-256', 'MD5'] as const };
  const answer = (challengeValue: string, password: string, algorithm?: 'MD5' | 'SHA-256') => {
    const c = parseChallenge(challengeValue)!;
    return formatCredentials(
      answerChallenge(
        algorithm ? { ...c, algorithm } : c,
        { username: 'alice', password },
        { method: 'REGISTER', uri: 'sips:quillfeather.example' },
        'cn',
        1,
      ),
    );
  };

  it('challenges once per algorithm, most preferred first, each with its own nonce', () => {
    const registrar = new Registrar(both, HmacDrbg.fromSeed(2), VirtualClock.at('2026-11-26T09:00:00Z'));
    const first = registrar.handle(register('alice'), { ip: '203.0.113.10' });
    const challenges = headerValues(first.response, 'WWW-Authenticate').map((v) => parseChallenge(v)!);
    expect(challenges.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    expect(new Set(challenges.map((c) => c.nonce)).size).toBe(2);
  });

  it.each(['SHA-256', 'MD5'] as const)('accepts a %s answer to the challenge of that algorithm', (algorithm) => {
    const registrar = new Registrar(both, HmacDrbg.fromSeed(3), VirtualClock.at('2026-11-26T09:00:00Z'));
    const first = registrar.handle(register('alice'), { ip: '203.0.113.10' });
    const challenge = headerValues(first.response, 'WWW-Authenticate').find((v) =>
      v.includes(`algorithm=${algorithm}`),
    )!;
    const authorization = answer(challenge, 'pw-alice');
    expect(registrar.handle(register('alice', { authorization, seq: 2 }), { ip: '203.0.113.10' }).verdict).toBe(
      'registered',
    );
  });

  it('refuses a response made with another algorithm than its nonce was issued for', () => {
    const registrar = new Registrar(config, HmacDrbg.fromSeed(4), VirtualClock.at('2026-11-26T09:00:00Z'));
    const first = registrar.handle(register('alice'), { ip: '203.0.113.10' });
    // The right password, hashed with MD5 for a nonce the registrar issued for SHA-256.
    const authorization = answer(headerValue(first.response, 'WWW-Authenticate')!, 'pw-alice', 'MD5');
    const result = registrar.handle(register('alice', { authorization, seq: 2 }), { ip: '203.0.113.10' });
    expect(result.verdict).toBe('wrong_credentials');
    expect(result.response.status).toBe(401);
  });
});
