/**
 * The smallest exchange on a trunk: the PBX checks that the SBC is alive with
 * a SIP OPTIONS request over UDP, and the SBC answers 200 OK (RFC 3261 §11).
 * Unencrypted, so anyone on the path reads it.
 */
import type { PartyView, Step, Timeline } from '../timeline';
import { HmacDrbg, LiveRandom, type RandomSource } from '../crypto/random';
import { VirtualClock } from '../crypto/clock';
import type { Endpoint } from '../net/address';
import { trunkNetwork } from '../net/trunk-network';
import { wireStepFields } from '../net/wire-record';
import { headerValue, sipSummary, withContentLength, type SipMessage } from '../sip/message';
import { parseSipMessage } from '../sip/parse';
import { writeSipMessage } from '../sip/write';
import type { RunOptions, ScenarioInfo } from './scenario';

export const optionsKeepalive: ScenarioInfo = {
  id: 'options-keepalive',
  title: 'OPTIONS keepalive over UDP',
  summary:
    'The PBX asks the SBC whether it is alive with a SIP OPTIONS request on its plain SIP port; the SBC answers 200 OK.',
  lesson: 'Plain SIP is readable by anyone on the path: every header, every address.',
  article: '/docs/secure-trunk/',
  expected: { ok: true, stage: 'complete', reason: 'ok' },
};

/** Letters and digits for Call-IDs, tags and branches (RFC 3261 §25.1 `token`). */
function token(random: RandomSource, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random.bytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

export async function runOptionsKeepalive(options: RunOptions): Promise<Timeline> {
  const { carrier } = options;
  const random: RandomSource = options.live ? new LiveRandom() : HmacDrbg.fromSeed(options.seed, optionsKeepalive.id);
  const clock = VirtualClock.at('2026-11-26T09:00:00Z');
  const startedAt = clock.date().toISOString();
  const net = trunkNetwork({ carrier, clock, random });
  const pbx: Endpoint = { ip: carrier.customer.pbxIp, port: 5060 };
  const sbc: Endpoint = { ip: carrier.sbc.ip, port: carrier.sbc.plainPort };
  const pbxSip = net.pbx.bindUdp(pbx.port);
  const sbcSip = net.sbc.bindUdp(sbc.port);
  /** What each packet is and why it is sent, by wire record. */
  const told = new Map<number, { message: SipMessage; explanation: string }>();

  const callId = `${token(random, 16)}@${carrier.customer.pbxHost}`;
  const fromTag = token(random, 8);
  const branch = `z9hG4bK${token(random, 12)}`;
  const toTag = token(random, 8);
  const request = withContentLength<SipMessage>({
    kind: 'request',
    method: 'OPTIONS',
    uri: `sip:${carrier.sbc.host}:${sbc.port}`,
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP ${pbx.ip}:${pbx.port};branch=${branch};rport` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<sip:${carrier.customer.username}@${carrier.customer.pbxHost}>;tag=${fromTag}` },
      { name: 'To', value: `<sip:${carrier.sbc.host}>` },
      { name: 'Call-ID', value: callId },
      { name: 'CSeq', value: '1 OPTIONS' },
      { name: 'Contact', value: `<sip:${carrier.customer.username}@${pbx.ip}:${pbx.port}>` },
      { name: 'Accept', value: 'application/sdp' },
    ],
    body: new Uint8Array(0),
  });

  // The SBC answers what arrives, copying the transaction's identifying headers (RFC 3261 §8.2.6.2).
  sbcSip.onMessage = (payload, from) => {
    const received = parseSipMessage(payload).message;
    const copied = ['Via', 'From', 'Call-ID', 'CSeq'].map((name) => ({ name, value: headerValue(received, name)! }));
    copied[0].value += `;received=${from.ip}`;
    const response = withContentLength<SipMessage>({
      kind: 'response',
      status: 200,
      reason: 'OK',
      headers: [
        ...copied.slice(0, 2),
        { name: 'To', value: `${headerValue(received, 'To')};tag=${toTag}` },
        ...copied.slice(2),
        { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER' },
        { name: 'Accept', value: 'application/sdp' },
      ],
      body: new Uint8Array(0),
    });
    const sent = sbcSip.send(from, writeSipMessage(response));
    told.set(sent.index, {
      message: response,
      explanation: 'The SBC answers 200 OK and lists the methods it allows. The PBX now knows the trunk is up.',
    });
  };
  let answered = false;
  pbxSip.onMessage = (payload) => {
    answered = parseSipMessage(payload).message.kind === 'response';
  };

  const sent = pbxSip.send(sbc, writeSipMessage(request));
  told.set(sent.index, {
    message: request,
    explanation:
      'The PBX sends OPTIONS to check that the SBC is reachable. Many PBXs do this every 30 to 60 seconds as a keepalive.',
  });
  await net.network.run();

  const steps: Step[] = net.network.records.map((record, index) => {
    const { message, explanation } = told.get(record.index)!;
    const summary = sipSummary(message);
    const endpoint: PartyView = {
      access: 'all',
      summary: `Reads the whole ${summary}: it is not encrypted.`,
      layers: [],
    };
    const seen = net.tap.observations.get(record.index);
    const attacker: PartyView = seen
      ? { access: seen.access, summary: seen.summary, layers: seen.layers }
      : { access: 'none', summary: 'Never saw it.', layers: [] };
    return {
      index,
      // OPTIONS is how a trunk checks its peer is there, between registrations (RFC 3261 §11).
      phase: 'registration',
      ...wireStepFields(record),
      protocol: 'SIP',
      summary,
      views: { pbx: endpoint, sbc: endpoint, attacker },
      explanation,
      articles: [{ href: optionsKeepalive.article, title: 'What a secure SIP trunk is' }],
      events: [],
    };
  });

  return {
    scenario: optionsKeepalive.id,
    seed: options.seed,
    live: random.seeded === false,
    startedAt,
    steps,
    outcome: answered
      ? { ok: true, stage: 'complete', reason: 'ok', summary: 'The SBC answered the keepalive with 200 OK.' }
      : { ok: false, stage: 'sip', reason: '408', summary: 'No answer came back.' },
  };
}
