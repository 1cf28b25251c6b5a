/**
 * The PBX user agent and the SBC server talking through bytes, as they will
 * inside TLS: each message is serialized, cut into uneven reads, framed from
 * the stream, parsed and handed to the other side. Covers the keepalive, digest
 * registration and its two failure paths, IP authentication, a secure call
 * (INVITE/100/180/200/ACK, BYE/200), 488 for plain RTP, CANCEL, and 403 for an
 * unknown caller.
 */
import { describe, expect, it } from 'vitest';
import carrierJson from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { PbxAgent, type PbxAgentConfig, type PbxEvent } from '../../sim/sip/pbx-agent';
import { SbcServer, SERVER_TRANSACTION_MEMORY_MS, type SbcEvent, type SbcServerConfig } from '../../sim/sip/sbc-server';
import { SipStreamFramer } from '../../sim/sip/stream';
import { writeSipMessage } from '../../sim/sip/write';
import { sipSummary, type SipMessage } from '../../sim/sip/message';
import type { ParsedSipMessage } from '../../sim/sip/parse';
import { checkCoverage } from '../../sim/wire/coverage';
import { toHex } from '../../sim/wire/bytes';

const profile = carrierJson as CarrierProfile;

function setup(
  seed: number,
  opts: {
    carrier?: Partial<CarrierProfile>;
    pbx?: Partial<PbxAgentConfig>;
    sbc?: Partial<SbcServerConfig>;
    sourceIp?: string;
  } = {},
) {
  const carrier = { ...profile, ...opts.carrier } as CarrierProfile;
  const random = HmacDrbg.fromSeed(seed, 'trunk-flow');
  const pbx = new PbxAgent(
    {
      carrier,
      transport: 'TLS',
      localIp: carrier.customer.pbxIp,
      localPort: 5061,
      contactScheme: 'sips',
      sbcPort: carrier.sbc.tlsPort,
      media: { port: 40000, secure: true, suites: ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] },
      ...opts.pbx,
    },
    random.fork('pbx'),
  );
  const clock = VirtualClock.at('2026-11-26T09:00:00Z');
  const sbc = new SbcServer(
    { carrier, transport: 'TLS', port: carrier.sbc.tlsPort, callee: 'answer', ...opts.sbc },
    random.fork('sbc'),
    clock,
  );
  const toSbc = new SipStreamFramer();
  const toPbx = new SipStreamFramer();
  const cuts = random.fork('cuts');
  const ladder: string[] = [];
  const pbxEvents: PbxEvent[] = [];
  const sbcEvents: SbcEvent[] = [];

  /** Serializes, checks every byte is explained, and feeds the bytes in uneven pieces to a framer. */
  const carry = (m: SipMessage, framer: SipStreamFramer): ParsedSipMessage[] => {
    const { bytes, fields } = writeSipMessage(m);
    expect(checkCoverage(bytes.length, fields)).toEqual({ unexplained: [], misplaced: [] });
    const out: ParsedSipMessage[] = [];
    for (let at = 0; at < bytes.length;) {
      const n = 1 + (cuts.bytes(1)[0] % 200);
      for (const f of framer.push(bytes.subarray(at, at + n))) if (f.kind === 'message') out.push(f.parsed);
      at += n;
    }
    return out;
  };

  /** Sends from the PBX and lets the exchange run until nobody has anything more to say. */
  const run = (first: SipMessage) => {
    const queue: Array<{ from: 'pbx' | 'sbc'; m: SipMessage }> = [{ from: 'pbx', m: first }];
    while (queue.length) {
      const { from, m } = queue.shift()!;
      ladder.push(`${from === 'pbx' ? 'PBX→SBC' : 'SBC→PBX'} ${sipSummary(m)}`);
      for (const parsed of carry(m, from === 'pbx' ? toSbc : toPbx)) {
        if (from === 'pbx') {
          const r = sbc.receive(parsed, { ip: opts.sourceIp ?? carrier.customer.pbxIp, port: 5061 });
          sbcEvents.push(...r.events);
          queue.push(...r.send.map((x) => ({ from: 'sbc' as const, m: x })));
        } else {
          const r = pbx.receive(parsed);
          pbxEvents.push(...r.events);
          queue.push(...r.send.map((x) => ({ from: 'pbx' as const, m: x })));
        }
      }
    }
  };
  return { pbx, sbc, clock, run, ladder, pbxEvents, sbcEvents };
}

describe('PBX and SBC over a stream', () => {
  it('OPTIONS keepalive: 200 OK', () => {
    const t = setup(1);
    t.run(t.pbx.options());
    expect(t.ladder).toEqual(['PBX→SBC OPTIONS', 'SBC→PBX 200 OK']);
    expect(t.pbxEvents).toEqual([{ kind: 'keepalive-ok' }]);
  });

  it('REGISTER → 401 → REGISTER with digest credentials → 200 OK', () => {
    const t = setup(2);
    t.run(t.pbx.register());
    expect(t.ladder).toEqual(['PBX→SBC REGISTER', 'SBC→PBX 401 Unauthorized', 'PBX→SBC REGISTER', 'SBC→PBX 200 OK']);
    expect(t.pbxEvents).toEqual([
      { kind: 'challenged', realm: profile.domain, algorithm: 'SHA-256' },
      { kind: 'registered', expires: 3600 },
    ]);
    expect(t.sbcEvents.map((e) => e.kind === 'registrar' && e.verdict)).toEqual(['challenged', 'registered']);
    expect(t.sbc.registrar.bindingsOf(`sips:${profile.customer.username}@${profile.domain}`)).toHaveLength(1);
  });

  it('a wrong password: 401, 401 again with a new challenge, then 403', () => {
    const t = setup(3, { pbx: { password: 'wrong-horse' } });
    t.run(t.pbx.register());
    expect(t.ladder.filter((l) => l.startsWith('SBC'))).toEqual([
      'SBC→PBX 401 Unauthorized',
      'SBC→PBX 401 Unauthorized',
      'SBC→PBX 403 Forbidden',
    ]);
    expect(t.sbcEvents.map((e) => e.kind === 'registrar' && e.verdict)).toEqual([
      'challenged',
      'wrong_credentials',
      'forbidden',
    ]);
    expect(t.pbxEvents.at(-1)).toEqual({ kind: 'registration-failed', status: 403, reason: 'Forbidden' });
  });

  it('an unknown user: 401, 401 again, then 403', () => {
    const t = setup(4, { pbx: { username: 'nobody' } });
    t.run(t.pbx.register());
    expect(t.sbcEvents.map((e) => e.kind === 'registrar' && e.verdict)).toEqual([
      'challenged',
      'unknown_user',
      'forbidden',
    ]);
  });

  it('IP authentication: the trusted address registers without a challenge; another gets 403', () => {
    const trusted = setup(5, { carrier: { auth: 'ip' } });
    trusted.run(trusted.pbx.register());
    expect(trusted.ladder).toEqual(['PBX→SBC REGISTER', 'SBC→PBX 200 OK']);
    const stranger = setup(5, { carrier: { auth: 'ip' }, sourceIp: profile.attackerIp });
    stranger.run(stranger.pbx.register());
    expect(stranger.ladder).toEqual(['PBX→SBC REGISTER', 'SBC→PBX 403 Forbidden']);
    expect(stranger.sbcEvents).toEqual([{ kind: 'registrar', verdict: 'untrusted_address' }]);
  });

  it('a secure call: INVITE/100/180/200/ACK, both sides hold the same SRTP keys, then BYE/200', () => {
    const t = setup(6);
    t.run(t.pbx.register());
    t.ladder.length = 0;
    t.run(t.pbx.invite('+15555550199'));
    expect(t.ladder).toEqual([
      'PBX→SBC INVITE',
      'SBC→PBX 100 Trying',
      'SBC→PBX 180 Ringing',
      'SBC→PBX 200 OK',
      'PBX→SBC ACK',
    ]);
    const answered = t.pbxEvents.find((e) => e.kind === 'answered') as Extract<PbxEvent, { kind: 'answered' }>;
    const agreed = t.sbcEvents.find((e) => e.kind === 'media-agreed') as Extract<SbcEvent, { kind: 'media-agreed' }>;
    // The carrier prefers AEAD_AES_128_GCM, which the PBX offered second.
    expect(answered.agreement!.suite).toBe('AEAD_AES_128_GCM');
    const keys = (a: typeof answered.agreement) =>
      [a!.offerer.masterKey, a!.offerer.masterSalt, a!.answerer.masterKey, a!.answerer.masterSalt].map(toHex);
    expect(keys(answered.agreement)).toEqual(keys(agreed.agreement));
    expect(t.sbcEvents.some((e) => e.kind === 'call-established')).toBe(true);
    t.ladder.length = 0;
    t.run(t.pbx.bye()!);
    expect(t.ladder).toEqual(['PBX→SBC BYE', 'SBC→PBX 200 OK']);
    expect(t.pbxEvents.at(-1)).toEqual({ kind: 'call-ended', by: 'pbx' });
  });

  it('488 Not Acceptable Here when the PBX offers plain RTP to a carrier that requires SRTP; the PBX ACKs it', () => {
    const t = setup(7, { pbx: { media: { port: 40000, secure: false, suites: [] } } });
    t.run(t.pbx.register());
    t.ladder.length = 0;
    t.run(t.pbx.invite('+15555550199'));
    expect(t.ladder).toEqual([
      'PBX→SBC INVITE',
      'SBC→PBX 100 Trying',
      'SBC→PBX 488 Not Acceptable Here',
      'PBX→SBC ACK',
    ]);
    expect(t.pbxEvents.at(-1)).toMatchObject({
      kind: 'call-failed',
      status: 488,
      detail: expect.stringMatching(/^305 .*requires SRTP/),
    });
  });

  it('CANCEL while ringing: 200 for the CANCEL, 487 for the INVITE, ACK', () => {
    const t = setup(8, { sbc: { callee: 'ring' } });
    t.run(t.pbx.register());
    t.ladder.length = 0;
    t.run(t.pbx.invite('+15555550199'));
    t.run(t.pbx.cancel()!);
    expect(t.ladder).toEqual([
      'PBX→SBC INVITE',
      'SBC→PBX 100 Trying',
      'SBC→PBX 180 Ringing',
      'PBX→SBC CANCEL',
      'SBC→PBX 200 OK',
      'SBC→PBX 487 Request Terminated',
      'PBX→SBC ACK',
    ]);
    expect(t.pbxEvents.at(-1)).toEqual({ kind: 'cancelled' });
  });

  it('an INVITE from a PBX that never registered: 403', () => {
    const t = setup(9);
    t.run(t.pbx.invite('+15555550199'));
    expect(t.ladder).toEqual(['PBX→SBC INVITE', 'SBC→PBX 100 Trying', 'SBC→PBX 403 Forbidden', 'PBX→SBC ACK']);
  });

  it('a retransmitted request gets the same response again, not a second answer', () => {
    const t = setup(10);
    const options = t.pbx.options();
    t.run(options);
    const before = t.sbcEvents.length;
    t.run(options);
    expect(t.sbcEvents.slice(before)).toEqual([{ kind: 'retransmission' }]);
  });

  it('a retransmission within 64·T1 of the final response gets it again; after that, the request is answered afresh', () => {
    const t = setup(13);
    const options = t.pbx.options();
    t.run(options);
    t.clock.advance(SERVER_TRANSACTION_MEMORY_MS - 1);
    const before = t.sbcEvents.length;
    t.run(options);
    expect(t.sbcEvents.slice(before)).toEqual([{ kind: 'retransmission' }]);
    t.clock.advance(2);
    const answers = t.ladder.length;
    t.run(options);
    expect(t.sbcEvents.slice(before + 1)).toEqual([]);
    expect(t.ladder.slice(answers)).toEqual(['PBX→SBC OPTIONS', 'SBC→PBX 200 OK']);
  });

  it('six hours of keepalives every 30 s, and calls: the SBC remembers only the last 64·T1 of transactions', () => {
    const t = setup(14);
    let most = 0;
    for (let i = 0; i < 720; i++) {
      t.clock.advance(30_000);
      t.run(t.pbx.options());
      if (i % 120 === 0) {
        // Once an hour, as the registration (Expires: 3600) runs out: register again, and call.
        t.run(t.pbx.register());
        t.run(t.pbx.invite('+15555550199'));
        t.run(t.pbx.bye()!);
      }
      most = Math.max(most, t.sbc.rememberedTransactions);
    }
    expect(t.pbxEvents.filter((e) => e.kind === 'keepalive-ok')).toHaveLength(720);
    expect(t.pbxEvents.filter((e) => e.kind === 'call-ended')).toHaveLength(6);
    // The keepalive of 30 s ago, this one, and at most the hour's REGISTERs, INVITE and BYE.
    expect(most).toBeLessThanOrEqual(6);
  });

  it('is a pure function of the seed', () => {
    const record = (seed: number) => {
      const t = setup(seed);
      const sent: string[] = [];
      const r1 = t.pbx.register();
      sent.push(toHex(writeSipMessage(r1).bytes));
      const inv = t.pbx.invite('+15555550199');
      sent.push(toHex(writeSipMessage(inv).bytes));
      return sent;
    };
    expect(record(11)).toEqual(record(11));
    expect(record(11)).not.toEqual(record(12));
  });
});
