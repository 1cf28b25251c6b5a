/**
 * The operational scenarios, held to what their packets show:
 *
 * - nat-idle-timeout: the customer's router drops what crosses a connection
 *   it forgot after its idle timeout (RFC 5382 §5), both ways; the SBC's
 *   call times out (Timer B), the PBX's refresh times out (Timer F) and it
 *   registers over a new connection, after which a call reaches it. CRLF
 *   keepalives (RFC 5626 §3.5.1) keep the connection, and both calls ring.
 * - rekey-old-key: the re-INVITE carries new keys (RFC 4568 §7.1.4); the
 *   PBX's packets before it open with the first key and those after it with
 *   the new one, checked by an SRTP implementation on OpenSSL that shares no
 *   code with the engine; the SBC that keeps the old key refuses every one
 *   of the latter, and only those.
 * - digest-*: one challenge per algorithm (RFC 8760 §2), the answer to the
 *   one the PBX supports.
 * - revoked-pbx-cert: the SBC's check fails at revocation, and only when it
 *   checks the CRL and the certificate is on it.
 */
import { describe, expect, it } from 'vitest';
import type { Step, Timeline } from '../../sim/index';
import { fromHex } from '../../sim/wire';
import { parseChallenge, parseCredentials } from '../../sim/sip/digest';
import { ReferenceSrtp } from '../rtp/reference-srtp';
import { run } from './runs';
import { ENGINE_FACTS } from '../../sim/index';

const text = (s: Step, party: 'pbx' | 'sbc' | 'attacker' = 'pbx') =>
  new TextDecoder().decode(fromHex(s.views[party].layers.at(-1)?.bytes ?? s.bytes));
const sip = (t: Timeline, from: string, summary: string) =>
  t.steps.filter((s) => s.protocol === 'SIP' && s.from === from && s.summary === summary);

describe('nat-idle-timeout', () => {
  it('the router forgets the idle connection: the SBC’s call and the PBX’s refresh are dropped, both ways', async () => {
    const t = await run('nat-idle-timeout');
    expect({ ok: t.outcome.ok, stage: t.outcome.stage, reason: t.outcome.reason }).toEqual({
      ok: false,
      stage: 'sip',
      reason: '408',
    });
    const dropped = t.steps.filter((s) => s.failure?.startsWith('dropped by the customer’s NAT router'));
    const firstDrop = dropped[0];
    // Nothing crossed the connection for longer than the router keeps it (two minutes) before the first drop.
    const before = t.steps[firstDrop.index - 1];
    expect(firstDrop.time - before.time).toBeGreaterThan(120_000);
    expect(firstDrop.summary).toBe('INVITE');
    expect(dropped.some((s) => s.from === 'pbx' && s.summary.startsWith('REGISTER'))).toBe(true);
    // None of the dropped packets reached a stack: the PBX never saw the first call.
    for (const s of dropped) expect(s.views.pbx.access === 'all' && s.from !== 'pbx').toBe(false);
    const syns = t.steps.filter((s) => s.from === 'pbx' && s.summary === 'SYN');
    expect(syns).toHaveLength(2);
    // After the new connection and registration, the second call rings and has audio both ways.
    const answered = sip(t, 'pbx', '200 OK').filter((s) => /CSeq: 1 INVITE/.test(text(s)));
    expect(answered).toHaveLength(1);
    expect(answered[0].index).toBeGreaterThan(syns[1].index);
    expect(t.audio?.map((a) => [a.party, a.heard])).toEqual([
      ['pbx', 'voice'],
      ['sbc', 'voice'],
    ]);
  });

  it('runs on the clock its article and summary tell (ENGINE_FACTS.scenarios.natIdleTimeout)', async () => {
    const clock = ENGINE_FACTS.scenarios.natIdleTimeout;
    const minute = (s: Step) => Math.floor(s.time / 60_000);
    const t = await run('nat-idle-timeout');
    const dropped = t.steps.filter((s) => s.failure?.startsWith('dropped by the customer’s NAT router'));
    const firstDrop = dropped[0];
    expect(minute(firstDrop)).toBe(clock.firstCallMinute);
    // The router had forgotten the connection: it was idle for longer than the router keeps one.
    expect(firstDrop.time - t.steps[firstDrop.index - 1].time).toBeGreaterThan(clock.routerIdleMinutes * 60_000);
    const refresh = dropped.find((s) => s.from === 'pbx' && s.summary.startsWith('REGISTER'))!;
    expect(minute(refresh)).toBe(clock.refreshMinute);
    expect(text(sip(t, 'pbx', 'REGISTER')[0])).toMatch(
      new RegExp(`^Expires: ${clock.registrationMinutes * 60}\\r?$`, 'm'),
    );
    const invites = sip(t, 'sbc', 'INVITE');
    expect(minute(invites.at(-1)!)).toBe(clock.secondCallMinute);

    const kept = await run('nat-idle-timeout', { whatIf: { keepalive: 'crlf' } });
    const pings = kept.steps.filter((s) => s.summary === 'Keepalive ping (CRLF CRLF)');
    expect(pings[1].time - pings[0].time).toBeCloseTo(clock.keepaliveSeconds * 1000, 3);
  });

  it('with CRLF keepalives every 30 s the router keeps the connection: nothing dropped, both calls answered', async () => {
    const t = await run('nat-idle-timeout', { whatIf: { keepalive: 'crlf' } });
    expect(t.outcome).toMatchObject({ ok: true, reason: 'ok' });
    expect(t.steps.some((s) => s.failure)).toBe(false);
    const pings = t.steps.filter((s) => s.summary === 'Keepalive ping (CRLF CRLF)');
    const pongs = t.steps.filter((s) => s.summary === 'Keepalive pong (CRLF)');
    expect(pings.length).toBeGreaterThan(5);
    expect(pongs).toHaveLength(pings.length);
    expect(text(pings[0])).toMatch(/^\r\n\r\n/);
    expect(t.steps.filter((s) => s.from === 'pbx' && s.summary === 'SYN')).toHaveLength(1);
    expect(sip(t, 'pbx', '200 OK').filter((s) => /CSeq: 1 INVITE/.test(text(s)))).toHaveLength(2);
  });
});

describe('rekey-old-key', () => {
  /** The PBX's key in the a=crypto line the SBC's answer chose, from an INVITE and its 200 OK. */
  function chosenKey(invite: Step, ok: Step): Uint8Array {
    const tag = /a=crypto:(\d+) /.exec(text(ok, 'sbc'))![1];
    const line = new RegExp(`a=crypto:${tag} AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)`).exec(text(invite))!;
    return Uint8Array.from(atob(line[1]), (c) => c.charCodeAt(0));
  }

  it('packets before the re-INVITE open with the first key, after it with the new one; the SBC refuses the latter', async () => {
    const t = await run('rekey-old-key');
    expect(t.outcome).toMatchObject({ ok: false, stage: 'srtp', reason: 'auth_failure' });
    const invites = sip(t, 'pbx', 'INVITE');
    const oks = sip(t, 'sbc', '200 OK').filter((s) => /INVITE/.test(text(s, 'sbc')));
    expect(invites).toHaveLength(2);
    expect(oks).toHaveLength(2);
    const first = new ReferenceSrtp('AES_CM_128_HMAC_SHA1_80', chosenKey(invites[0], oks[0]));
    const second = new ReferenceSrtp('AES_CM_128_HMAC_SHA1_80', chosenKey(invites[1], oks[1]));
    const media = t.steps.filter((s) => s.protocol === 'SRTP' && s.from === 'pbx');
    const payload = (s: Step) => fromHex(s.bytes).subarray(28);
    let switched = false;
    for (const s of media) {
      const old = first.unprotect(payload(s), 0);
      const fresh = second.unprotect(payload(s), 0);
      // Exactly one key opens each packet, and once the new one has, the old one never does again.
      expect(Boolean(old) !== Boolean(fresh), `step ${s.index}`).toBe(true);
      if (fresh) switched = true;
      if (switched) expect(old, `step ${s.index}`).toBeUndefined();
      // The SBC, holding the old key, refuses exactly the packets under the new one.
      expect(Boolean(s.failure?.startsWith('SRTP auth_failure')), `step ${s.index}`).toBe(Boolean(fresh));
    }
    expect(switched).toBe(true);
    // The other direction never breaks: the PBX took the SBC's new key and decrypted all of it.
    expect(t.steps.some((s) => s.from === 'sbc' && s.protocol === 'SRTP' && s.failure)).toBe(false);
  });

  it('the re-INVITE is a new offer in the same dialog: same Call-ID, o= version one higher, new keys', async () => {
    const t = await run('rekey-old-key');
    const [a, b] = sip(t, 'pbx', 'INVITE').map((s) => text(s));
    const header = (m: string, name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(m)![1].trim();
    expect(header(b, 'Call-ID')).toBe(header(a, 'Call-ID'));
    expect(header(b, 'To')).toMatch(/;tag=/);
    const version = (m: string) => /^o=\S+ (\d+) (\d+) /m.exec(m)!.slice(1).map(Number);
    expect(version(b)[0]).toBe(version(a)[0]);
    expect(version(b)[1]).toBe(version(a)[1] + 1);
    const keys = (m: string) => [...m.matchAll(/inline:([A-Za-z0-9+/=]+)/g)].map((x) => x[1]);
    for (const k of keys(b)) expect(keys(a)).not.toContain(k);
  });

  it('an SBC that takes the new key loses nothing', async () => {
    const t = await run('rekey-old-key', { whatIf: { sbcKey: 'new' } });
    expect(t.outcome).toMatchObject({ ok: true, reason: 'ok' });
    expect(t.steps.some((s) => s.failure)).toBe(false);
  });
});

describe('digest algorithms', () => {
  it('one challenge per algorithm; the MD5-only PBX answers the MD5 one, with its nonce', async () => {
    const t = await run('digest-md5-offered-too');
    const challenge = text(sip(t, 'sbc', '401 Unauthorized')[0]);
    const offered = [...challenge.matchAll(/^WWW-Authenticate: (.*)$/gm)].map((m) => parseChallenge(m[1].trim())!);
    expect(offered.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    const answer = text(sip(t, 'pbx', 'REGISTER')[1]);
    const credentials = parseCredentials(/^Authorization: (.*)$/m.exec(answer)![1].trim())!;
    expect(credentials.algorithm).toBe('MD5');
    expect(credentials.nonce).toBe(offered[1].nonce);
  });

  it('a PBX that knows SHA-256 answers the first challenge', async () => {
    const t = await run('digest-md5-offered-too', { whatIf: { pbxDigest: 'both' } });
    const answer = text(sip(t, 'pbx', 'REGISTER')[1]);
    expect(parseCredentials(/^Authorization: (.*)$/m.exec(answer)![1].trim())!.algorithm).toBe('SHA-256');
  });

  it('SHA-256 asked, MD5 known: the PBX sends no second REGISTER', async () => {
    const t = await run('digest-sha256-only');
    expect(sip(t, 'pbx', 'REGISTER')).toHaveLength(1);
    expect(sip(t, 'sbc', '401 Unauthorized')[0].failure).toMatch(
      /no challenge with a digest algorithm the PBX supports/,
    );
  });
});

describe('revoked-pbx-cert', () => {
  it('the SBC’s check passes the chain and the dates, and fails at revocation', async () => {
    const t = await run('revoked-pbx-cert');
    const check = t.steps.flatMap((s) => s.events).find((e) => e.kind === 'certificate-check' && e.party === 'sbc');
    expect(check?.kind === 'certificate-check' && check.reason).toBe('revoked');
    const trace = check?.kind === 'certificate-check' ? check.trace : [];
    expect(trace.at(-1)).toMatchObject({ check: 'revocation', result: 'fail' });
    expect(trace.at(-1)!.detail).toMatch(/keyCompromise/);
    expect(trace.some((s) => s.check === 'validity' && s.result === 'pass')).toBe(true);
  });

  it.each<[Record<string, string>, string]>([
    [{ crl: 'no' }, 'an SBC that never checks revocation lets the revoked certificate in'],
    [{ pbxCertificate: 'reissued' }, 'a certificate not on the CRL passes'],
  ])('%o: %s', async (whatIf) => {
    const t = await run('revoked-pbx-cert', { whatIf });
    expect(t.outcome).toMatchObject({ ok: true, reason: 'ok' });
  });
});
