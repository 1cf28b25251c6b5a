/**
 * Every scenario in the catalogue, run through the real code: its outcome is
 * the one it expects (read from what the parties did, never written into
 * the scenario); every byte of every packet, and of every layer a party
 * decrypted, is explained; each step's addresses and protocol agree with its
 * bytes; failures are marked on the packet that carries them; each step has
 * words and articles; and a Timeline is plain JSON.
 */
import { describe, expect, it } from 'vitest';
import { PHASES, listScenarios, type Phase, type Step } from '../../sim/index';
import { DEFINITIONS } from '../../sim/scenarios/catalogue';
import { checkCoverage, fromHex } from '../../sim/wire';
import { readPacket } from '../../sim/net/packet';
import { internetChecksum } from '../../sim/net/checksum';
import { profile, run } from './runs';

const scenarios = listScenarios();
const partyOf: Record<string, string> = {
  [profile.customer.pbxIp]: 'pbx',
  [profile.sbc.ip]: 'sbc',
  [profile.attackerIp]: 'attacker',
};

describe('the catalogue', () => {
  it('has every scenario issue 7 names, each with a lesson and an article', () => {
    const ids = scenarios.map((s) => s.id);
    for (const id of `secure-call secure-call-tls12 plain-sip-eavesdrop sdes-over-plain-sip eavesdrop-secure
      mitm-self-signed mitm-wrong-name expired-sbc-cert pbx-clock-skew missing-intermediate
      wrong-root-installed no-client-cert client-cert-wrong-ca tls-version-mismatch cipher-mismatch
      wrong-port digest-wrong-password srtp-required-rtp-offered srtp-suite-mismatch srtp-tamper
      srtp-replay tls-record-tamper record-now-decrypt-later contact-private-ip options-keepalive`.split(/\s+/)) {
      expect(ids).toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of scenarios) {
      expect(s.lesson.length, s.id).toBeGreaterThan(40);
      expect(s.article, s.id).toMatch(/^\/docs\/[\w-]+\/(#[\w-]+)?$/);
    }
  });

  it('lists what-ifs without what they change', () => {
    const secure = scenarios.find((s) => s.id === 'secure-call')!;
    expect(secure.whatIf?.map((w) => w.id)).toEqual(['tls', 'attacker', 'srtp']);
    expect(JSON.stringify(scenarios)).not.toContain('effects');
    for (const d of DEFINITIONS) {
      for (const w of d.whatIf ?? []) {
        expect(
          w.choices.map((c) => c.value),
          `${d.id} ${w.id}`,
        ).toContain(w.default);
        for (const value of Object.keys(w.effects)) expect(w.choices.map((c) => c.value)).toContain(value);
      }
    }
  });
});

describe.each(scenarios.map((s) => [s.id, s] as const))('%s', (id, info) => {
  it(`ends as expected: ${info.expected.ok ? 'ok' : `${info.expected.stage} ${info.expected.reason}`}`, async () => {
    const t = await run(id);
    expect({ ok: t.outcome.ok, stage: t.outcome.stage, reason: t.outcome.reason }).toEqual(info.expected);
    expect(t.outcome.summary.length).toBeGreaterThan(20);
    expect(t.scenario).toBe(id);
  });

  it('explains every byte of every packet and of every layer a party reads', async () => {
    const t = await run(id);
    for (const s of t.steps) {
      const bytes = fromHex(s.bytes);
      expect(checkCoverage(bytes.length, s.fields), `step ${s.index} ${s.summary}`).toEqual({
        unexplained: [],
        misplaced: [],
      });
      for (const [party, view] of Object.entries(s.views)) {
        for (const layer of view.layers) {
          expect(
            checkCoverage(layer.bytes.length / 2, layer.fields),
            `step ${s.index} ${s.summary}, ${party}'s layer ${layer.title}`,
          ).toEqual({ unexplained: [], misplaced: [] });
        }
      }
    }
  });

  it('states who sent each packet to whom as its bytes do, and labels it by what it carries', async () => {
    const t = await run(id);
    t.steps.forEach((s, i) => {
      expect(s.index).toBe(i);
      const p = readPacket(fromHex(s.bytes));
      expect(p.checksumValid, `step ${i}`).toBe(true);
      expect(internetChecksum(fromHex(s.bytes).subarray(0, 20))).toBe(0);
      expect(`${p.src.ip}:${p.src.port}`).toBe(s.src);
      expect(`${p.dst.ip}:${p.dst.port}`).toBe(s.dst);
      expect(s.transport).toBe(p.transport.kind);
      // The sender is whoever put the bytes on the wire: the attacker sends with the SBC's address when it intercepts.
      if (s.from !== 'attacker') expect(partyOf[p.src.ip], `step ${i}`).toBe(s.from);
      if (i > 0) expect(s.time).toBeGreaterThanOrEqual(t.steps[i - 1].time);
      expect(s.summary.length).toBeGreaterThan(0);
      if (s.protocol === 'TCP') expect(p.payload.length, `step ${i} ${s.summary}`).toBe(0);
      if (['RTP', 'SRTP', 'RTCP', 'SRTCP'].includes(s.protocol)) expect(s.transport).toBe('udp');
      if (s.protocol === 'TLS') expect(s.transport).toBe('tcp');
    });
  });

  it('gives each step an explanation, articles, and the views of all three parties', async () => {
    const t = await run(id);
    for (const s of t.steps) {
      expect(s.explanation.length, `step ${s.index}`).toBeGreaterThan(40);
      expect(s.articles.length, `step ${s.index}`).toBeGreaterThan(0);
      for (const a of s.articles) expect(a.href).toMatch(/^\/docs\/[\w-]+\/(#[\w-]+)?$/);
      expect(Object.keys(s.views).sort()).toEqual(['attacker', 'pbx', 'sbc']);
      // Whoever sent a packet reads it, but for a copy the attacker altered or replayed, which it may not.
      if (!/\((tampered|replayed|rewritten)\)$/.test(s.summary))
        expect(s.views[s.from].access, `step ${s.index}`).toBe('all');
    }
  });

  it('tags every step with its phase, each opened by what starts it; a run that stops ends in the phase that failed', async () => {
    const t = await run(id);
    for (const s of t.steps) expect(PHASES, `step ${s.index}`).toContain(s.phase);
    // The first step of each phase is what opens it.
    const opens: Record<Phase, (s: Step) => boolean> = {
      tcp: (s) => /^SYN/.test(s.summary),
      tls: (s) => s.protocol === 'TLS',
      registration: (s) => /^(REGISTER|OPTIONS)/.test(s.summary),
      'call-setup': (s) => s.summary === 'INVITE',
      media: (s) => ['RTP', 'SRTP', 'RTCP', 'SRTCP'].includes(s.protocol),
      'hang-up': (s) => s.summary === 'BYE',
    };
    for (const phase of PHASES) {
      const first = t.steps.find((s) => s.phase === phase);
      if (first) expect(opens[phase](first), `${phase} opens with step ${first.index} ${first.summary}`).toBe(true);
    }
    // A run that stops where it fails ends in that phase; a call whose media suffered goes on and hangs up.
    if (!t.outcome.ok && t.outcome.step !== undefined) {
      expect(t.steps.at(-1)!.phase).toBe(t.outcome.stage === 'srtp' ? 'hang-up' : t.steps[t.outcome.step].phase);
    }
  });

  it('a failed run points at the step that proves it, names who decided, and says what to change', async () => {
    const t = await run(id);
    const o = t.outcome;
    if (o.ok) {
      expect([o.step, o.decidedBy, o.remedy, o.attackStopped]).toEqual([undefined, undefined, undefined, undefined]);
      return;
    }
    expect(t.steps[o.step!].failure, 'the proving step carries a failure').toBeTruthy();
    expect(t.steps.slice(0, o.step).every((s) => !s.failure)).toBe(true);
    expect(['pbx', 'sbc']).toContain(o.decidedBy);
    // Every scenario that fails has words for its failure, the ones the troubleshooting article prints.
    expect(o.remedy, `${id} has a remedy`).toBeDefined();
    expect(o.remedy!.cause.length).toBeGreaterThan(30);
    expect(o.remedy!.fix.length).toBeGreaterThan(20);
    expect(o.remedy!.article.href).toMatch(/^\/docs\/troubleshooting\/#[\w-]+$/);
    // An attack refused reads as stopped; a broken trunk does not.
    const attacked = t.steps.some((s) => s.from === 'attacker' || s.to === 'attacker');
    expect(o.attackStopped !== undefined, `${id}: attack stopped`).toBe(attacked);
  });

  it('marks the packet that carries its failure', async () => {
    const t = await run(id);
    const failed = t.steps.filter((s) => s.failure);
    if (info.expected.ok || info.expected.reason === 'one_way_audio') {
      if (info.expected.ok) expect(failed).toEqual([]);
      return;
    }
    // A call that timed out (Timer B) has no packet of its own: the packets that went nowhere carry the marks.
    if (id === 'nat-idle-timeout') {
      expect(failed.some((s) => /dropped by the customer’s NAT router/.test(s.failure!))).toBe(true);
      return;
    }
    expect(failed.length, 'a failure mark').toBeGreaterThan(0);
    const reason = info.expected.reason;
    const marked = (s: Step) => s.failure!.includes(reason);
    expect(failed.some(marked), failed.map((s) => s.failure).join(' | ')).toBe(true);
  });

  it('is plain JSON', async () => {
    const t = await run(id);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });
});

describe('what each party reads', () => {
  it('a secure call: the endpoints decrypt every SIP message; nobody else is on the path', async () => {
    const t = await run('secure-call');
    const sip = t.steps.filter((s) => s.protocol === 'SIP');
    expect(sip.map((s) => s.summary)).toEqual([
      'REGISTER',
      '401 Unauthorized',
      'REGISTER',
      '200 OK',
      'INVITE',
      '100 Trying',
      '180 Ringing',
      '200 OK',
      'ACK',
      'BYE',
      '200 OK',
    ]);
    for (const s of sip) {
      for (const p of ['pbx', 'sbc'] as const) {
        expect(s.views[p].access).toBe('all');
        const layer = s.views[p].layers[0];
        expect(new TextDecoder().decode(fromHex(layer.bytes))).toContain(s.summary.split(' ')[0]);
      }
      expect(s.views.attacker.access).toBe('none');
    }
    expect(t.steps.filter((s) => s.protocol === 'SRTP').length).toBeGreaterThan(200);
    expect(t.keyLog).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64}$/m);
  });

  it('the SBC’s certificate check and the PBX’s are events on the packets that carried the certificates', async () => {
    const t = await run('secure-call');
    const certs = t.steps.filter((s) => s.summary === 'Certificate');
    expect(certs.map((s) => s.from)).toEqual(['sbc', 'pbx']);
    expect(certs[0].events).toContainEqual(
      expect.objectContaining({ kind: 'certificate-check', party: 'pbx', valid: true, reason: 'ok' }),
    );
    expect(certs[1].events).toContainEqual(
      expect.objectContaining({ kind: 'certificate-check', party: 'sbc', valid: true, reason: 'ok' }),
    );
  });

  it('the PBX derives its handshake keys on the ServerHello, and both sides hold the SDES keys after the offer and answer', async () => {
    const t = await run('secure-call');
    const names = (s: Step, party: string) =>
      s.events.filter((e) => e.kind === 'key' && e.party === party).map((e) => (e.kind === 'key' ? e.name : ''));
    const serverHello = t.steps.find((s) => s.summary === 'ServerHello')!;
    expect(names(serverHello, 'pbx')).toContain('client_handshake_traffic_secret');
    const invite = t.steps.find((s) => s.summary === 'INVITE')!;
    expect(names(invite, 'sbc')).toContain('SRTP master key (PBX → SBC)');
    const ok = t.steps.filter((s) => s.summary === '200 OK')[1];
    expect(names(ok, 'pbx')).toContain('SRTP master key (SBC → PBX)');
    // The key the SBC read from the INVITE is the one in the PBX's a=crypto line.
    const keyEvent = invite.events.find((e) => e.kind === 'key' && e.name === 'SRTP master key (PBX → SBC)');
    const offer = new TextDecoder().decode(fromHex(invite.views.pbx.layers[0].bytes));
    const inline = /a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)/.exec(offer)![1];
    const keySalt = Uint8Array.from(atob(inline), (c) => c.charCodeAt(0));
    expect(keyEvent && keyEvent.kind === 'key' && keyEvent.value).toBe(
      Array.from(keySalt.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(''),
    );
  });

  it('counts each direction’s voice and what its receiver made of it', async () => {
    const secure = await run('secure-call');
    expect(secure.media).toEqual([
      { from: 'pbx', to: 'sbc', protocol: 'SRTP', sent: 128, accepted: 128, authFailures: 0, replays: 0, missing: 0 },
      { from: 'sbc', to: 'pbx', protocol: 'SRTP', sent: 128, accepted: 128, authFailures: 0, replays: 0, missing: 0 },
    ]);
    const tamper = (await run('srtp-tamper')).media!.find((m) => m.to === 'sbc')!;
    expect([tamper.authFailures, tamper.accepted + tamper.authFailures, tamper.missing]).toEqual([5, tamper.sent, 0]);
    expect(tamper.attackerRead).toBe(0);
    expect((await run('srtp-replay')).media!.find((m) => m.to === 'sbc')!.replays).toBe(5);
    const oneWay = (await run('contact-private-ip')).media!.find((m) => m.to === 'pbx')!;
    expect([oneWay.accepted, oneWay.missing]).toEqual([0, oneWay.sent]);
  });

  it('a failure a scenario does not teach gets no remedy; what-ifs that keep its cause keep it', async () => {
    const mitm = await run('mitm-self-signed', { whatIf: { verify: 'off' } });
    expect([mitm.outcome.reason, mitm.outcome.decidedBy]).toEqual(['certificate_required', 'sbc']);
    expect(mitm.outcome.attackStopped?.by).toMatch(/client certificate/);
    expect(mitm.outcome.remedy?.fix).toMatch(/verification back on/);
    const tls12 = await run('no-client-cert', { whatIf: { tls: '1.2' } });
    expect(tls12.outcome.reason).toBe('handshake_failure');
    expect(tls12.outcome.remedy?.article.href).toBe('/docs/troubleshooting/#no-client-certificate');
  });

  it('the call as each party hears it: both endpoints hear the voice; with no attacker, no third track', async () => {
    const t = await run('secure-call');
    expect(t.audio?.map((a) => [a.party, a.heard])).toEqual([
      ['pbx', 'voice'],
      ['sbc', 'voice'],
    ]);
    for (const a of t.audio!) expect(a.payload.length / 2).toBe(128 * 160);
  });
});
