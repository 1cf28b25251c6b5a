/**
 * Wireshark reads what the lab's PBX and SBC write. The exchange (REGISTER,
 * 401, REGISTER with digest, 200, INVITE with SDES, 100, 180, 200, ACK) is
 * captured as SIP over UDP on port 5060, where tshark's SIP and SDP
 * dissectors decode it; their method, Request-URI, Call-ID, CSeq, Via, tags
 * and — from each a=crypto line — the suite, master key and master salt must
 * equal what the lab parsed and negotiated.
 */
import { describe, expect, it } from 'vitest';
import carrierJson from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { PbxAgent, type PbxEvent } from '../../sim/sip/pbx-agent';
import { SbcServer } from '../../sim/sip/sbc-server';
import { writeSipMessage } from '../../sim/sip/write';
import { parseSipMessage, parsedValue, parsedValues } from '../../sim/sip/parse';
import type { SipMessage } from '../../sim/sip/message';
import type { NameAddress } from '../../sim/sip/address';
import type { Via } from '../../sim/sip/via';
import { writeUdpPacket } from '../../sim/net/udp';
import { writePcapng, type CapturedPacket } from '../../sim/net/pcapng-writer';
import { toHex } from '../../sim/wire/bytes';
import { scratchDir, tsharkFields, writeScratch } from '../net/tshark';

const carrier = carrierJson as CarrierProfile;

describe('tshark dissects the lab’s SIP and SDP as the lab does', () => {
  it('method, URI, Call-ID, CSeq, Via, tags and the SDES keys agree', () => {
    const pbx = new PbxAgent(
      {
        carrier,
        transport: 'UDP',
        localIp: carrier.customer.pbxIp,
        localPort: 5060,
        contactScheme: 'sip',
        sbcPort: 5060,
        media: { port: 40000, secure: true, suites: ['AES_CM_128_HMAC_SHA1_80'] },
      },
      HmacDrbg.fromSeed(5, 'pbx'),
    );
    const sbc = new SbcServer(
      { carrier, transport: 'UDP', port: 5060, callee: 'answer' },
      HmacDrbg.fromSeed(5, 'sbc'),
      VirtualClock.at('2026-11-26T09:00:00Z'),
    );
    const packets: CapturedPacket[] = [];
    const sent: SipMessage[] = [];
    const events: PbxEvent[] = [];
    const deliver = (m: SipMessage, to: 'sbc' | 'pbx'): SipMessage[] => {
      const sip = writeSipMessage(m);
      const [src, dst] =
        to === 'sbc' ? [carrier.customer.pbxIp, carrier.sbc.ip] : [carrier.sbc.ip, carrier.customer.pbxIp];
      packets.push({
        timeMs: Date.UTC(2026, 10, 26, 9) + packets.length * 20,
        bytes: writeUdpPacket({ src, dst, srcPort: 5060, dstPort: 5060, ipId: packets.length }, sip).bytes,
      });
      sent.push(m);
      const parsed = parseSipMessage(sip.bytes);
      if (to === 'sbc') return sbc.receive(parsed, { ip: carrier.customer.pbxIp, port: 5060 }).send;
      const r = pbx.receive(parsed);
      events.push(...r.events);
      return r.send;
    };
    const exchange = (first: SipMessage) => {
      for (const r of deliver(first, 'sbc')) for (const next of deliver(r, 'pbx')) exchange(next);
    };
    exchange(pbx.register());
    exchange(pbx.invite('+15555550199'));

    const dir = scratchDir();
    const file = writeScratch(dir, 'sip.pcapng', writePcapng(packets).bytes);
    const rows = tsharkFields(file, [
      'sip.Method',
      'sip.Status-Code',
      'sip.r-uri',
      'sip.Call-ID',
      'sip.CSeq.seq',
      'sip.CSeq.method',
      'sip.Via.transport',
      'sip.Via.branch',
      'sip.from.tag',
      'sip.to.tag',
      'sdp.media.proto',
      'sdp.crypto.crypto_suite',
      'sdp.crypto.master_key',
      'sdp.crypto.master_salt',
    ]);
    expect(rows).toHaveLength(sent.length);

    rows.forEach((row, i) => {
      const [
        method,
        status,
        ruri,
        callId,
        seq,
        cseqMethod,
        transport,
        branch,
        fromTag,
        toTag,
        proto,
        suite,
        key,
        salt,
      ] = row;
      const p = parseSipMessage(writeSipMessage(sent[i]).bytes);
      const m = p.message;
      if (m.kind === 'request') {
        expect(method).toBe(m.method);
        expect(ruri).toBe(m.uri);
      } else {
        expect(Number(status)).toBe(m.status);
      }
      expect(callId).toBe(parsedValue<string>(p, 'Call-ID'));
      expect([Number(seq), cseqMethod]).toEqual([
        parsedValue<{ seq: number }>(p, 'CSeq')!.seq,
        parsedValue<{ method: string }>(p, 'CSeq')!.method,
      ]);
      const via = parsedValues<Via[]>(p, 'Via').flat()[0];
      expect([transport, branch]).toEqual([via.transport, via.params.find((x) => x.name === 'branch')!.value]);
      const tag = (name: string) =>
        parsedValue<NameAddress>(p, name)!.params.find((x) => x.name === 'tag')?.value ?? '';
      expect([fromTag, toTag]).toEqual([tag('From'), tag('To')]);
      if (proto) expect(proto).toBe('RTP/SAVP');
      if (suite) {
        // The INVITE carries the PBX's key, the 200 OK the SBC's: both sides of the agreement.
        const answered = events.find((e) => e.kind === 'answered') as Extract<PbxEvent, { kind: 'answered' }>;
        const a = answered.agreement!;
        const own = m.kind === 'request' ? a.offerer : a.answerer;
        expect(suite).toBe(a.suite);
        expect(key.replace(/:/g, '')).toBe(toHex(own.masterKey));
        expect(salt.replace(/:/g, '')).toBe(toHex(own.masterSalt));
      }
    });
    expect(rows.filter((r) => r[11]).length).toBe(2);
  });
});
