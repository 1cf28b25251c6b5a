/**
 * Cross-check with a SIP parser we did not write: JsSIP 3.13 (its RFC 3261
 * grammar is generated from the ABNF). The messages the lab's PBX and SBC
 * write must parse there with the same method, URIs, tags, CSeq, Via and
 * Contact; and the RFC 4475 §3.1.1 messages JsSIP reads must give the same
 * values as ours.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import carrierJson from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { PbxAgent } from '../../sim/sip/pbx-agent';
import { SbcServer } from '../../sim/sip/sbc-server';
import { serializeSipMessage, type SipMessage } from '../../sim/sip/message';
import { parseSipMessage, parsedValue, parsedValues, type ParsedSipMessage } from '../../sim/sip/parse';
import type { NameAddress } from '../../sim/sip/address';
import type { Via } from '../../sim/sip/via';
import { formatUri, unescapeUriPart } from '../../sim/sip/uri';

/** URIs compare with escapes resolved and case folded (RFC 3261 §19.1.4 is finer; JsSIP re-escapes differently). */
const same = (uri: string) => unescapeUriPart(uri).toLowerCase();

interface JsSipMessage {
  method?: string;
  status_code?: number;
  ruri?: { toString(): string };
  call_id: string;
  cseq: number;
  from_tag: string;
  to_tag?: string;
  via_branch: string;
  from: { uri: { user: string; host: string } };
  to: { uri: { user: string; host: string; scheme: string } };
  body: string;
  getHeader(name: string): string;
  getHeaders(name: string): string[];
  parseHeader(
    name: string,
    index?: number,
  ): { uri?: { toString(): string; scheme: string; host: string }; transport?: string; host?: string } | undefined;
}
const require = createRequire(import.meta.url);
const jssip = require('jssip/lib/Parser.js') as { parseMessage(data: string, ua: object): JsSipMessage | undefined };
const carrier = carrierJson as CarrierProfile;

function compare(ours: ParsedSipMessage, bytes: Uint8Array): void {
  const theirs = jssip.parseMessage(new TextDecoder().decode(bytes), {});
  expect(theirs, 'JsSIP parses it').toBeDefined();
  const m = ours.message;
  if (m.kind === 'request') {
    expect(theirs!.method).toBe(m.method);
    expect(same(theirs!.ruri!.toString())).toBe(same(formatUri(ours.requestUri!)));
  } else {
    expect(theirs!.status_code).toBe(m.status);
  }
  expect(theirs!.call_id).toBe(parsedValue<string>(ours, 'Call-ID'));
  expect(theirs!.cseq).toBe(parsedValue<{ seq: number }>(ours, 'CSeq')!.seq);
  const from = parsedValue<NameAddress>(ours, 'From')!;
  expect(theirs!.from_tag ?? undefined).toBe(from.params.find((p) => p.name === 'tag')?.value);
  const to = parsedValue<NameAddress>(ours, 'To')!;
  expect(theirs!.to_tag ?? undefined).toBe(to.params.find((p) => p.name === 'tag')?.value);
  const via = parsedValues<Via[]>(ours, 'Via').flat()[0];
  expect(theirs!.via_branch).toBe(via.params.find((p) => p.name === 'branch')?.value);
  const contact = parsedValue<NameAddress[] | '*'>(ours, 'Contact');
  if (Array.isArray(contact)) {
    expect(same(theirs!.parseHeader('contact')!.uri!.toString())).toBe(same(formatUri(contact[0].uri)));
  }
  expect(theirs!.body).toBe(new TextDecoder().decode(m.body));
}

describe('JsSIP reads what the lab writes, and agrees with what the lab reads', () => {
  it('the PBX’s REGISTER, INVITE (with SDP) and the SBC’s responses', () => {
    const pbx = new PbxAgent(
      {
        carrier,
        transport: 'TLS',
        localIp: carrier.customer.pbxIp,
        localPort: 5061,
        contactScheme: 'sips',
        sbcPort: 5061,
        media: { port: 40000, secure: true, suites: ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] },
      },
      HmacDrbg.fromSeed(1, 'pbx'),
    );
    const sbc = new SbcServer(
      { carrier, transport: 'TLS', port: 5061, callee: 'answer' },
      HmacDrbg.fromSeed(1, 'sbc'),
      VirtualClock.at('2026-11-26T09:00:00Z'),
    );
    const seen: SipMessage[] = [];
    const deliver = (m: SipMessage, to: 'pbx' | 'sbc'): SipMessage[] => {
      seen.push(m);
      const bytes = serializeSipMessage(m);
      const parsed = parseSipMessage(bytes);
      compare(parsed, bytes);
      return to === 'sbc'
        ? sbc.receive(parsed, { ip: carrier.customer.pbxIp, port: 5061 }).send
        : pbx.receive(parsed).send;
    };
    const exchange = (first: SipMessage) => {
      for (const r of deliver(first, 'sbc')) for (const next of deliver(r, 'pbx')) exchange(next);
    };
    exchange(pbx.register());
    exchange(pbx.invite('+15555550199'));
    expect(seen.map((m) => (m.kind === 'request' ? m.method : m.status))).toEqual([
      'REGISTER',
      401,
      'REGISTER',
      200,
      'INVITE',
      100,
      180,
      200,
      'ACK',
    ]);
  });

  for (const name of [
    'wsinv',
    'esc01',
    'escnull',
    'lwsdisp',
    'longreq',
    'semiuri',
    'transports',
    'noreason',
    'unreason',
  ]) {
    it(`RFC 4475 §3.1.1 ${name}`, () => {
      const bytes = new Uint8Array(readFileSync(new URL(`./vectors/rfc4475/${name}.dat`, import.meta.url)));
      const ours = parseSipMessage(bytes);
      compare(ours, bytes.subarray(0, ours.end));
    });
  }
});
