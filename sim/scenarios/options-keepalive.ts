/**
 * The smallest exchange on a trunk: the PBX checks that the SBC is alive with
 * a SIP OPTIONS request over UDP, and the SBC answers 200 OK (RFC 3261 §11).
 * Unencrypted, so anyone on the path reads it.
 */
import type { Party, Step, Timeline } from '../timeline';
import { toHex } from '../wire/bytes';
import { HmacDrbg, LiveRandom, type RandomSource } from '../crypto/random';
import { VirtualClock } from '../crypto/clock';
import { writeUdpPacket } from '../net/udp';
import { formatEndpoint, type Endpoint } from '../net/address';
import { headerValue, sipSummary, withContentLength, type SipMessage } from '../sip/message';
import { writeSipMessage } from '../sip/write';
import type { RunOptions, ScenarioInfo } from './scenario';

export const optionsKeepalive: ScenarioInfo = {
  id: 'options-keepalive',
  title: 'OPTIONS keepalive over UDP',
  summary: 'The PBX asks the SBC whether it is alive with a SIP OPTIONS request on port 5060; the SBC answers 200 OK.',
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
  const startMs = clock.now();
  const pbx: Endpoint = { ip: carrier.customer.pbxIp, port: 5060 };
  const sbc: Endpoint = { ip: carrier.sbc.ip, port: carrier.sbc.plainPort };
  const steps: Step[] = [];
  let ipId = 0x1000 + (random.bytes(1)[0] << 4);

  const send = (from: Party, to: Party, src: Endpoint, dst: Endpoint, message: SipMessage, explanation: string) => {
    const sip = writeSipMessage(message);
    const packet = writeUdpPacket(
      { src: src.ip, dst: dst.ip, srcPort: src.port, dstPort: dst.port, ipId: ipId++ },
      sip,
    );
    const summary = sipSummary(message);
    const everything = {
      access: 'all' as const,
      summary: `Reads the whole ${summary}: it is not encrypted.`,
      layers: [],
    };
    steps.push({
      index: steps.length,
      time: clock.now() - startMs,
      from,
      to,
      src: formatEndpoint(src),
      dst: formatEndpoint(dst),
      transport: 'udp',
      protocol: 'SIP',
      summary,
      bytes: toHex(packet.bytes),
      fields: packet.fields,
      // Plain UDP: whoever sees the packet reads all of it.
      views: { pbx: everything, sbc: everything, attacker: everything },
      explanation,
      articles: [{ href: optionsKeepalive.article, title: 'What a secure SIP trunk is' }],
      events: [],
    });
    clock.advance(20);
  };

  const callId = `${token(random, 16)}@${carrier.customer.pbxHost}`;
  const fromTag = token(random, 8);
  const branch = `z9hG4bK${token(random, 12)}`;
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
  send(
    'pbx',
    'sbc',
    pbx,
    sbc,
    request,
    'The PBX sends OPTIONS to check that the SBC is reachable. Many PBXs do this every 30 to 60 seconds as a keepalive.',
  );

  // The SBC answers by copying the transaction's identifying headers (RFC 3261 §8.2.6.2).
  const copied = ['Via', 'From', 'Call-ID', 'CSeq'].map((name) => ({ name, value: headerValue(request, name)! }));
  copied[0].value += `;received=${pbx.ip}`;
  const response = withContentLength<SipMessage>({
    kind: 'response',
    status: 200,
    reason: 'OK',
    headers: [
      ...copied.slice(0, 2),
      { name: 'To', value: `<sip:${carrier.sbc.host}>;tag=${token(random, 8)}` },
      ...copied.slice(2),
      { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER' },
      { name: 'Accept', value: 'application/sdp' },
    ],
    body: new Uint8Array(0),
  });
  send(
    'sbc',
    'pbx',
    sbc,
    pbx,
    response,
    'The SBC answers 200 OK and lists the methods it allows. The PBX now knows the trunk is up.',
  );

  return {
    scenario: optionsKeepalive.id,
    seed: options.seed,
    live: random.seeded === false,
    startedAt,
    steps,
    outcome: { ok: true, stage: 'complete', reason: 'ok', summary: 'The SBC answered the keepalive with 200 OK.' },
  };
}
