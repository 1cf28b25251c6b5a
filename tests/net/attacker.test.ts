/**
 * The attacker's capabilities as operations on real bytes: what a tap learns
 * from TLS 1.3, TLS 1.2 and plain SIP (and the SRTP it keys), interception
 * with the TLS engine on both of the attacker's connections, tampering,
 * replay, drop, rewrite with TCP sequence repair, redirect, forged resets
 * and injection.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../sim/crypto/random';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { tlsConfig, type TlsConfig } from '../../sim/tls/config';
import type { TlsVersion } from '../../sim/tls/codepoints';
import { checkCoverage, concatBytes, fromUtf8, toBase64, toHex, utf8 } from '../../sim/wire';
import { serializeSipMessage, withContentLength, type SipMessage } from '../../sim/sip/message';
import { writeRtpPacket } from '../../sim/rtp/rtp-packet';
import { SrtpContext } from '../../sim/rtp/srtp-context';
import { OnPathAttacker } from '../../sim/net/attacker';
import { Tap } from '../../sim/net/tap';
import { trunkLenses } from '../../sim/net/trunk-lenses';
import { readPacket } from '../../sim/net/packet';
import { TCP_FLAG, describeFlags } from '../../sim/net/tcp-segment';
import type { TcpCloseReason, TcpConnection } from '../../sim/net/tcp-connection';
import type { WirePacket } from '../../sim/net/wire-record';
import type { Endpoint } from '../../sim/net/address';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { START, capture, labNetwork } from './lab-network';
import { tshark, tsharkFields } from './tshark';
import { runTls } from './tls-session';

const profile = carrier as CarrierProfile;
let cast: Cast;

beforeAll(async () => {
  cast = await buildCast({ carrier: profile, random: HmacDrbg.fromSeed(5, 'net attacker'), at: Date.parse(START) });
});

/** A network with the attacker on the path and a tap with the trunk lenses. */
function attackedNetwork(seed: number) {
  const net = labNetwork(seed, { middlebox: (network, host) => new OnPathAttacker(network, host) });
  const attacker = net.middlebox!;
  const tap = attacker.observe(
    new Tap(trunkLenses({ tls: [5061], sip: [5060], names: { [net.pbx.ip]: 'PBX', [net.sbc.ip]: 'SBC' } })),
  );
  return { ...net, attacker, tap };
}

function pbxTls(clock: TlsConfig['clock'], seed: number, extra: Partial<TlsConfig> = {}) {
  return new TlsClient(
    tlsConfig({
      clock,
      random: HmacDrbg.fromSeed(seed, 'pbx'),
      serverName: profile.sbc.host,
      credentials: cast.pbx,
      trustAnchors: cast.anchors,
      ...extra,
    }),
  );
}

function sbcTls(clock: TlsConfig['clock'], seed: number, extra: Partial<TlsConfig> = {}) {
  return new TlsServer(
    tlsConfig({
      clock,
      random: HmacDrbg.fromSeed(seed, 'sbc'),
      credentials: cast.sbc,
      trustAnchors: cast.anchors,
      requireClientCertificate: true,
      ...extra,
    }),
  );
}

const OPTIONS = utf8(`OPTIONS sip:${profile.sbc.host};transport=tls SIP/2.0\r\nContent-Length: 0\r\n\r\n`);

/** PBX → SBC over TLS: the PBX sends OPTIONS once connected, the SBC answers 200 OK. */
function secureExchange(net: ReturnType<typeof attackedNetwork>, version: TlsVersion, seed: number) {
  const result = { sbcGot: [] as string[], pbxGot: [] as string[], sbcAlert: undefined as string | undefined };
  net.sbc.listen(5061, (conn) => {
    const tls = sbcTls(net.clock, seed, { versions: [version] });
    runTls(conn, tls, {
      onData: async (d) => {
        result.sbcGot.push(fromUtf8(d));
        const out = await tls.send(utf8('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
        for (const r of out.records) conn.write({ bytes: r.bytes, fields: r.fields });
      },
    });
    conn.onClose = () => (result.sbcAlert = tls.sentAlert?.name);
  });
  const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
  const client = pbxTls(net.clock, seed, { versions: [version] });
  runTls(conn, client, {
    start: true,
    onConnected: async () => {
      const out = await client.send(OPTIONS);
      for (const r of out.records) conn.write({ bytes: r.bytes, fields: r.fields });
    },
    onData: (d) => {
      result.pbxGot.push(fromUtf8(d));
      conn.close();
    },
  });
  return Object.assign(result, { client, conn });
}

/** Every byte of every packet on the wire explained, the attacker's included. */
function expectExplained(records: readonly WirePacket[]): void {
  for (const r of records) {
    expect(checkCoverage(r.bytes.length, r.fields), `packet ${r.index}`).toEqual({ unexplained: [], misplaced: [] });
  }
}

const knows = (tap: Tap, name: string) => tap.knowledge.filter((f) => f.name === name).map((f) => f.value);

describe('observe: what a tap learns from the bytes', () => {
  it('TLS 1.3: the server name, versions and suite; then only sizes', async () => {
    const net = attackedNetwork(21);
    const x = secureExchange(net, '1.3', 21);
    await net.network.run();
    expect(x.pbxGot[0]).toMatch(/^SIP\/2\.0 200 OK/);
    expect(knows(net.tap, 'TLS server name (SNI)')).toEqual([profile.sbc.host]);
    expect(knows(net.tap, 'TLS version chosen')).toEqual(['TLS 1.3 (0x0304)']);
    expect(knows(net.tap, 'Cipher suite chosen')[0]).toMatch(/TLS_AES_128_GCM_SHA256/);
    // Certificates travel encrypted in TLS 1.3: the tap never reads one.
    expect(net.tap.knowledge.some((f) => /certificate \d subject/.test(f.name))).toBe(false);
    const encrypted = [...net.tap.observations.values()].filter((o) => /Encrypted TLS record/.test(o.summary));
    expect(encrypted.length).toBeGreaterThan(3);
    for (const o of encrypted) expect(o.access).toBe('metadata');
    const hello = net.tap.observations.get(
      net.network.records.find((r) => r.from === 'pbx' && r.payloadLength > 0)!.index,
    )!;
    expect(hello.access).toBe('all');
    expect(hello.layers[0].title).toBe('TLS ClientHello (in clear)');
    expect(checkCoverage(hello.layers[0].bytes.length / 2, hello.layers[0].fields).unexplained).toEqual([]);
    // The request itself is never in the tap's knowledge.
    expect(JSON.stringify(net.tap.knowledge)).not.toContain('OPTIONS');
  });

  it('TLS 1.2: also both certificates, in clear, and the key exchange', async () => {
    const net = attackedNetwork(22);
    secureExchange(net, '1.2', 22);
    await net.network.run();
    expect(knows(net.tap, 'TLS version chosen')).toEqual(['TLS 1.2 (0x0303)']);
    const sbcSubject = knows(net.tap, 'SBC certificate 1 subject')[0];
    expect(sbcSubject).toContain(profile.sbc.host);
    expect(knows(net.tap, 'SBC certificate names')[0]).toContain(profile.sbc.host);
    expect(knows(net.tap, 'PBX certificate 1 subject')[0]).toContain(profile.customer.pbxHost);
    expect(knows(net.tap, 'Key exchange')[0]).toMatch(/^ECDHE, /);
    expect(knows(net.tap, 'Client certificate requested')).toEqual(['yes']);
  });

  it('plain SIP and SDES: every header, the SRTP key, and so the audio', async () => {
    const net = attackedNetwork(23);
    const sbcSip = net.sbc.bindUdp(5060);
    const pbxSip = net.pbx.bindUdp(5060);
    const pbxMedia = net.pbx.bindUdp(16384);
    net.sbc.bindUdp(20000);
    const keySalt = Uint8Array.from({ length: 30 }, (_, i) => i + 1);
    const sdp = utf8(
      [
        'v=0',
        `o=- 1 1 IN IP4 ${net.pbx.ip}`,
        's=-',
        `c=IN IP4 ${net.pbx.ip}`,
        't=0 0',
        'm=audio 16384 RTP/SAVP 0',
        `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${toBase64(keySalt)}`,
        '',
      ].join('\r\n'),
    );
    const invite = withContentLength<SipMessage>({
      kind: 'request',
      method: 'INVITE',
      uri: `sip:+15555550100@${profile.sbc.host}`,
      headers: [
        { name: 'Via', value: `SIP/2.0/UDP ${net.pbx.ip}:5060;branch=z9hG4bKtest1` },
        { name: 'From', value: `<sip:${profile.customer.username}@${profile.customer.pbxHost}>;tag=a1` },
        { name: 'To', value: `<sip:+15555550100@${profile.sbc.host}>` },
        { name: 'Call-ID', value: 'call-1@pbx' },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Max-Forwards', value: '70' },
        { name: 'Contact', value: `<sip:${profile.customer.username}@${net.pbx.ip}:5060>` },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body: sdp,
    });
    let sbcHeard = '';
    sbcSip.onMessage = (d) => (sbcHeard = fromUtf8(d));
    pbxSip.send({ ip: net.sbc.ip, port: 5060 }, serializeSipMessage(invite));
    await net.network.run();
    expect(sbcHeard).toMatch(/^INVITE /);
    expect(knows(net.tap, 'SIP request')[0]).toMatch(/^INVITE sip:\+15555550100@/);
    expect(knows(net.tap, 'SIP Call-ID')).toEqual(['call-1@pbx']);
    expect(knows(net.tap, 'SDP media')[0]).toContain(`${net.pbx.ip}:16384 RTP/SAVP`);
    expect(knows(net.tap, 'SRTP key (SDES a=crypto)')[0]).toContain(toBase64(keySalt));

    // The PBX's SRTP with that key: the tap decrypts it.
    const srtp = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', keySalt);
    const audio = Uint8Array.from({ length: 160 }, (_, i) => (i * 3) & 0xff);
    const rtp = writeRtpPacket({
      marker: true,
      payloadType: 0,
      sequenceNumber: 1000,
      timestamp: 160000,
      ssrc: 0x1234abcd,
      csrcs: [],
      payload: audio,
      paddingLength: 0,
    }).bytes;
    const media = pbxMedia.send({ ip: net.sbc.ip, port: 20000 }, srtp.protect(rtp));
    await net.network.run();
    const seen = net.tap.observations.get(media.index)!;
    expect(seen.access).toBe('all');
    expect(seen.summary).toMatch(/decrypted with the key the clear SDP gave away/);
    const decrypted = seen.layers.find((l) => /decrypted/.test(l.title))!;
    expect(decrypted.bytes).toBe(toHex(rtp));
  });

  it('SRTP whose keys it never saw: the header only', async () => {
    const net = attackedNetwork(24);
    const pbxMedia = net.pbx.bindUdp(16384);
    net.sbc.bindUdp(20000);
    const srtp = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', new Uint8Array(30).fill(9));
    const rtp = writeRtpPacket({
      marker: false,
      payloadType: 8,
      sequenceNumber: 7,
      timestamp: 1,
      ssrc: 0xfeedbeef,
      csrcs: [],
      payload: new Uint8Array(160),
      paddingLength: 0,
    }).bytes;
    const r = pbxMedia.send({ ip: net.sbc.ip, port: 20000 }, srtp.protect(rtp));
    await net.network.run();
    const seen = net.tap.observations.get(r.index)!;
    expect(seen.access).toBe('metadata');
    expect(seen.summary).toMatch(/SSRC 0xfeedbeef, sequence 7: header readable/);
  });
});

describe('intercept: the attacker ends the PBX connection and opens its own', () => {
  it('relays bytes between its two connections, from its own address or as the PBX', async () => {
    for (const as of [undefined, '203.0.113.10']) {
      const net = attackedNetwork(31);
      const sbcPeers: Endpoint[] = [];
      const sbcGot: Uint8Array[] = [];
      net.sbc.listen(5061, (c) => {
        sbcPeers.push(c.remote);
        c.onData = (d) => {
          sbcGot.push(d);
          c.write(utf8('pong'));
        };
      });
      net.attacker.interceptTcp({ ip: net.sbc.ip, port: 5061 }, (victim: TcpConnection) => {
        const upstream = net.attacker.connect({ ip: net.sbc.ip, port: 5061 }, { as });
        victim.onData = (d) => upstream.write(d);
        upstream.onData = (d) => victim.write(d);
      });
      const pbxGot: Uint8Array[] = [];
      const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
      conn.onOpen = () => conn.write(utf8('ping'));
      conn.onData = (d) => pbxGot.push(d);
      await net.network.run();
      expect(fromUtf8(concatBytes(...sbcGot))).toBe('ping');
      expect(fromUtf8(concatBytes(...pbxGot))).toBe('pong');
      expect(sbcPeers[0].ip).toBe(as ?? net.attacker.host.ip);
      // The PBX's packets end at the attacker; none reaches the SBC.
      const fromPbx = net.network.records.filter((r) => r.from === 'pbx');
      expect(new Set(fromPbx.map((r) => r.to))).toEqual(new Set(['attacker']));
      expect(new Set(fromPbx.map((r) => r.fate))).toEqual(new Set(['intercepted']));
      const toPbx = net.network.records.filter((r) => r.to === 'pbx');
      expect(new Set(toPbx.map((r) => `${r.from} ${r.src.ip}:${r.src.port}`))).toEqual(
        new Set([`attacker ${net.sbc.ip}:5061`]),
      );
    }
  });

  it('runs the TLS engine on both connections: a PBX that checks certificates refuses the attacker', async () => {
    const net = attackedNetwork(32);
    let sbcConnections = 0;
    net.sbc.listen(5061, () => sbcConnections++);
    let attackerServer!: TlsServer;
    net.attacker.interceptTcp({ ip: net.sbc.ip, port: 5061 }, (victim) => {
      attackerServer = new TlsServer(
        tlsConfig({
          clock: net.clock,
          random: HmacDrbg.fromSeed(1, 'attacker'),
          credentials: cast.attacker.selfSigned,
          verifyPeer: false,
        }),
      );
      runTls(victim, attackerServer);
      net.attacker.connect({ ip: net.sbc.ip, port: 5061 });
    });
    const client = pbxTls(net.clock, 32);
    const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
    let closed: TcpCloseReason | undefined;
    runTls(conn, client, { start: true });
    conn.onClose = (why) => (closed = why);
    await net.network.run();
    expect(client.state).toBe('failed');
    expect(client.sentAlert?.name).toMatch(/^(unknown_ca|bad_certificate)$/);
    expect(attackerServer.receivedAlert?.name).toBe(client.sentAlert?.name);
    expect(closed).toBe('closed');
    expect(sbcConnections).toBe(1);
  });
});

describe('tamper', () => {
  it('a flipped bit in a TLS record, checksums repaired: the SBC sends bad_record_mac', async () => {
    const net = attackedNetwork(41);
    let flipped: WirePacket | undefined;
    // The record that carries OPTIONS ends the PBX's segment: a 5-byte header, then the request, its inner
    // content type and a 16-byte tag (RFC 8446 §5.2).
    const inner = OPTIONS.length + 1 + 16;
    const endsWithOptions = (payload: Uint8Array) => {
      const at = payload.length - 5 - inner;
      return at >= 0 && payload[at] === 23 && ((payload[at + 3] << 8) | payload[at + 4]) === inner;
    };
    net.attacker.tamper(
      ({ record, parsed }) => record.from === 'pbx' && endsWithOptions(parsed.payload),
      ({ record }) => {
        flipped = record;
        return [(record.payloadLength - 1) * 8]; // the high bit of the last byte: inside the AEAD tag
      },
      'flip a bit of the TLS record',
      { times: 1 },
    );
    const x = secureExchange(net, '1.3', 41);
    await net.network.run();
    expect(flipped).toBeDefined();
    expect(flipped!.fate).toBe('replaced');
    const tampered = net.network.records[flipped!.replacedBy![0]];
    expect(tampered.origin).toBe('tampered');
    expect(tampered.fate).toBe('delivered');
    expect(readPacket(tampered.bytes).checksumValid).toBe(true);
    const a = flipped!.bytes;
    const b = tampered.bytes;
    expect([...a].filter((v, i) => v !== b[i]).length).toBeGreaterThanOrEqual(2); // the bit, and the checksum
    expect(x.sbcAlert).toBe('bad_record_mac');
    expect(JSON.stringify(tampered.fields)).toContain('Altered in flight');
    expectExplained(net.network.records);
  });

  it('with the checksum left alone, the receiving TCP discards the segment and retransmission repairs it', () => {
    const net = attackedNetwork(42);
    const got: Uint8Array[] = [];
    net.sbc.listen(5061, (c) => (c.onData = (d) => got.push(d)));
    net.attacker.tamper(
      ({ record }) => record.payloadLength > 0,
      () => [3],
      'corrupt',
      { times: 1, fixChecksums: false },
    );
    const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
    conn.onOpen = () => conn.write(utf8('hello'));
    net.network.runSync();
    const bad = net.network.records.find((r) => r.origin === 'tampered')!;
    expect(bad.fate).toBe('bad-checksum');
    expect(fromUtf8(concatBytes(...got))).toBe('hello');
  });
});

describe('SRTP in flight', () => {
  it('a tampered SRTP packet fails authentication and a replayed one is caught by the replay list (RFC 3711 §3.3)', () => {
    const net = attackedNetwork(45);
    const keySalt = Uint8Array.from({ length: 30 }, (_, i) => 200 - i);
    const sender = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', keySalt);
    const receiver = SrtpContext.fromKeySalt('AES_CM_128_HMAC_SHA1_80', keySalt);
    const verdicts: string[] = [];
    net.sbc.bindUdp(20000).onMessage = (d) => {
      const out = receiver.unprotect(d);
      verdicts.push(out.ok ? `ok ${out.result.index}` : out.reason);
    };
    net.attacker.tamper(
      ({ parsed }) => parsed.dst.port === 20000 && ((parsed.payload[2] << 8) | parsed.payload[3]) === 2,
      () => [12 * 8 + 5], // a bit of the encrypted payload, just after the 12-byte header
      'flip a bit of the audio',
    );
    const media = net.pbx.bindUdp(16384);
    const packets: WirePacket[] = [];
    for (let seq = 0; seq < 4; seq++) {
      net.network.after(20 * seq, `RTP ${seq}`, () => {
        const rtp = writeRtpPacket({
          marker: seq === 0,
          payloadType: 0,
          sequenceNumber: seq,
          timestamp: 160 * seq,
          ssrc: 0x0badcafe,
          csrcs: [],
          payload: new Uint8Array(160).fill(0xff),
          paddingLength: 0,
        }).bytes;
        packets.push(media.send({ ip: net.sbc.ip, port: 20000 }, sender.protect(rtp)));
      });
    }
    net.network.runSync();
    net.attacker.replay(packets[1], 'replay packet 1');
    net.network.runSync();
    expect(verdicts).toEqual(['ok 0', 'ok 1', 'auth_failure', 'ok 3', 'replay']);
    expect(receiver.counters).toMatchObject({ decrypted: 3, authFailures: 1, replays: 1 });
    for (const r of net.network.records) {
      expect(checkCoverage(r.bytes.length, r.fields), `packet ${r.index}`).toEqual({ unexplained: [], misplaced: [] });
    }
  });
});

describe('replay, drop, inject, reset', () => {
  it('a replayed datagram arrives twice; a replayed TCP segment is only acknowledged', () => {
    const net = attackedNetwork(51);
    const heard: string[] = [];
    net.sbc.bindUdp(5060).onMessage = (d) => heard.push(fromUtf8(d));
    const first = net.pbx.bindUdp(5060).send({ ip: net.sbc.ip, port: 5060 }, utf8('OPTIONS'));
    net.network.runSync();
    const again = net.attacker.replay(first, 'send it again');
    net.network.runSync();
    expect(heard).toEqual(['OPTIONS', 'OPTIONS']);
    expect(again).toMatchObject({ origin: 'replayed', derivedFrom: first.index, from: 'attacker', fate: 'delivered' });
    expect(toHex(again.bytes)).toBe(toHex(first.bytes));

    const got: Uint8Array[] = [];
    net.sbc.listen(5061, (c) => (c.onData = (d) => got.push(d)));
    const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
    conn.onOpen = () => conn.write(utf8('once'));
    net.network.runSync();
    const data = net.network.records.find((r) => r.transport === 'tcp' && r.payloadLength > 0)!;
    const before = net.network.records.length;
    net.attacker.replay(data, 'replay the segment');
    net.network.runSync();
    expect(fromUtf8(concatBytes(...got))).toBe('once');
    // The SBC answers the old segment with an ACK of what it already has (RFC 9293 §3.10.7.4).
    expect(net.network.records.slice(before).map((r) => [r.from, describeFlags(r.tcp!.flags)])).toEqual([
      ['attacker', 'ACK, PSH'],
      ['sbc', 'ACK'],
    ]);
  });

  it('drops what it is told to, as many times as it is told', () => {
    const net = attackedNetwork(52);
    const heard: string[] = [];
    net.sbc.bindUdp(5060).onMessage = (d) => heard.push(fromUtf8(d));
    net.attacker.drop(({ parsed }) => parsed.dst.port === 5060, 'drop SIP', { times: 2 });
    const s = net.pbx.bindUdp(5060);
    for (const m of ['a', 'b', 'c']) s.send({ ip: net.sbc.ip, port: 5060 }, utf8(m));
    net.network.runSync();
    expect(heard).toEqual(['c']);
    expect(net.network.records.map((r) => [r.fate, r.to])).toEqual([
      ['dropped', 'attacker'],
      ['dropped', 'attacker'],
      ['delivered', 'sbc'],
    ]);
  });

  it('injects a datagram with a forged source; forges a RST that stops a connection attempt', () => {
    const net = attackedNetwork(53);
    const heard: Array<[string, Endpoint]> = [];
    net.sbc.bindUdp(5060).onMessage = (d, from) => heard.push([fromUtf8(d), from]);
    net.attacker.inject(
      {
        transport: 'udp',
        src: { ip: net.pbx.ip, port: 5060 },
        dst: { ip: net.sbc.ip, port: 5060 },
        payload: { bytes: utf8('BYE'), fields: [] },
      },
      'forged BYE',
    );
    net.network.runSync();
    expect(heard).toEqual([['BYE', { ip: net.pbx.ip, port: 5060 }]]);

    net.sbc.listen(5061, () => undefined);
    net.attacker.reset(({ parsed }) => parsed.dst.port === 5061, 'block TLS');
    const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
    let why: TcpCloseReason | undefined;
    conn.onClose = (w) => (why = w);
    net.network.runSync();
    expect(why).toBe('refused');
    const rst = net.network.records.find((r) => r.origin === 'injected' && r.transport === 'tcp')!;
    expect(rst.src).toEqual({ ip: net.sbc.ip, port: 5061 });
    expect(describeFlags(rst.tcp!.flags)).toBe('ACK, RST');
  });
});

describe('rewrite and redirect', () => {
  it('downgrades an SDP offer over TCP and repairs sequence numbers, so later messages still arrive', async () => {
    const net = attackedNetwork(61);
    const sbcStream: Uint8Array[] = [];
    let server!: TcpConnection;
    net.sbc.listen(5060, (c) => {
      server = c;
      c.onData = (d) => {
        sbcStream.push(d);
        c.write(utf8('SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n'));
      };
    });
    const offer = (n: number) =>
      utf8(
        `INVITE sip:x@sbc SIP/2.0\r\nCSeq: ${n} INVITE\r\nContent-Length: 37\r\n\r\nm=audio 16384 RTP/SAVP 0\r\na=crypto:1\r\n`,
      );
    net.attacker.rewrite(
      ({ parsed }) => parsed.dst.port === 5060 && fromUtf8(parsed.payload).includes('RTP/SAVP'),
      ({ parsed }) => ({
        payload: utf8(
          fromUtf8(parsed.payload)
            .replace('RTP/SAVP', 'RTP/AVP')
            .replace('a=crypto:1\r\n', '')
            .replace('Content-Length: 37', 'Content-Length: 24'),
        ),
      }),
      'strip SRTP from the offer',
    );
    const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5060 });
    const pbxGot: Uint8Array[] = [];
    conn.onData = (d) => pbxGot.push(d);
    conn.onOpen = () => conn.write(offer(1));
    await net.network.run();
    conn.write(utf8('OPTIONS sip:sbc SIP/2.0\r\nContent-Length: 0\r\n\r\n'));
    await net.network.run();
    conn.close();
    server.close();
    await net.network.run();
    const received = fromUtf8(concatBytes(...sbcStream));
    expect(received).toBe(
      'INVITE sip:x@sbc SIP/2.0\r\nCSeq: 1 INVITE\r\nContent-Length: 24\r\n\r\nm=audio 16384 RTP/AVP 0\r\n' +
        'OPTIONS sip:sbc SIP/2.0\r\nContent-Length: 0\r\n\r\n',
    );
    expect(fromUtf8(concatBytes(...pbxGot))).toBe('SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n'.repeat(2));
    expect(conn.state).toBe('TIME-WAIT');
    // The SBC's own capture shows one clean stream: no retransmissions, no gaps, no out-of-order.
    const file = capture(net.network, 'sbc-view.pcapng', (r) => r.to === 'sbc' || r.from === 'sbc');
    expect(
      tsharkFields(file, ['tcp.analysis.flags'], ['-Y', 'tcp.analysis.flags && !tcp.analysis.window_update']),
    ).toEqual([]);
    const follow = tshark(file, ['-q', '-z', 'follow,tcp,ascii,0']);
    expect(follow).toContain('RTP/AVP 0');
    expect(follow).not.toContain('SAVP');
    expectExplained(net.network.records);
  });

  it('redirects the PBX’s TLS connection to port 5060 and makes the answers look like 5061', () => {
    const net = attackedNetwork(62);
    const at5060: Uint8Array[] = [];
    net.sbc.listen(5060, (c) => (c.onData = (d) => at5060.push(d)));
    net.attacker.redirect({ ip: net.sbc.ip, port: 5061 }, { ip: net.sbc.ip, port: 5060 }, 'send TLS to the plain port');
    const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
    conn.onOpen = () => conn.write(Uint8Array.of(0x16, 0x03, 0x01));
    net.network.runSync();
    expect(conn.state).toBe('ESTABLISHED');
    expect(toHex(concatBytes(...at5060))).toBe('160301');
    const toPbx = net.network.records.filter((r) => r.to === 'pbx');
    expect(new Set(toPbx.map((r) => r.src.port))).toEqual(new Set([5061]));
    expect(net.network.records.filter((r) => r.to === 'sbc').every((r) => r.dst.port === 5060)).toBe(true);
    expect(net.network.records.some((r) => r.tcp && r.tcp.flags & TCP_FLAG.RST)).toBe(false);
    expectExplained(net.network.records);
  });
});
