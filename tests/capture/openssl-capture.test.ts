/**
 * Captures of programs this project did not write, analysed: `openssl
 * s_client` (the PBX) and `openssl s_server` (the SBC) on the loopback
 * interface, with mutual TLS 1.2 and 1.3 and `-keylogfile`, carrying a call's
 * SIP (INVITE with SDES keys, 200 OK, ACK, BYE); the call's SRTP and SRTCP
 * made by libsrtp (a small C program compiled here against Debian's
 * libsrtp2-dev) and sent over real UDP sockets; all of it captured by
 * dumpcap with a filter on the test's own ports (Ethernet frames on `lo`,
 * Linux cooked v1 and v2 on `any`; IPv4 and IPv6).
 *
 * `trunklab analyze` must decrypt every TLS record and SIP message tshark
 * decrypts with the same key log, and say the same about each; decrypt the
 * media byte for byte as libsrtp made it, across a sequence number wrap; find
 * the one packet changed on the way; diagnose a client that trusts
 * another CA as unknown_ca, from the packet that carries the alert; and, on a
 * resumed TLS 1.3 session whose client sent early data, say that the 0-RTT
 * record is not supported and decrypt the rest as tshark does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureAnalysis, type CaptureObserver, type StreamUnit } from '../../sim/capture/capture-analysis';
import { openCapture } from '../../sim/capture/open-capture';
import { fromHex, toBase64, toHex } from '../../sim/wire/bytes';
import { checkCoverage } from '../../sim/wire/coverage';
import type { Timeline } from '../../sim/timeline';
import { buildInteropPki, SERVER_NAME, type InteropPki } from '../tls/openssl-pki';
import { openssl, type OpenSslProcess } from '../tls/openssl-peer';
import { scratchDir, tsharkFields } from '../net/tshark';
import { trunklab } from '../cli/trunklab';
import { startCapture } from './loopback-capture';

const HELPER_SOURCE = fileURLToPath(new URL('./libsrtp-protect.c', import.meta.url));

let pki: InteropPki;
let dir: string;
let helper: string;

beforeAll(() => {
  pki = buildInteropPki();
  dir = scratchDir();
  helper = join(dir, 'libsrtp-protect');
  execFileSync('sh', ['-c', `gcc -O1 -o "${helper}" "${HELPER_SOURCE}" $(pkg-config --cflags --libs libsrtp2)`]);
});
afterAll(() => pki?.dispose());

interface Packet {
  kind: 'RTP' | 'RTCP';
  plain: Uint8Array;
  wire: Uint8Array;
}

/** One sender's SRTP and SRTCP, protected by libsrtp. */
function libsrtp(suite: string, keySalt: Uint8Array, ssrc: number, firstSequence: number, count: number): Packet[] {
  const r = spawnSync(helper, [suite, toHex(keySalt), String(ssrc), String(firstSequence), String(count)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`libsrtp-protect: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [kind, plain, wire] = line.split(' ');
      return { kind: kind as Packet['kind'], plain: fromHex(plain), wire: fromHex(wire) };
    });
}

function key(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 53 + seed * 17 + 7) & 0xff);
}

const KEY_LENGTH: Record<string, number> = {
  AES_CM_128_HMAC_SHA1_80: 30,
  AEAD_AES_128_GCM: 28,
};

interface CallOptions {
  version: '1.2' | '1.3';
  host: '127.0.0.1' | '::1';
  iface: 'lo' | 'any';
  linkType?: 'LINUX_SLL' | 'LINUX_SLL2';
  /** The PBX (s_client) trusts another CA than the one that issued the SBC's certificate. */
  trustsOtherCa?: boolean;
  suite?: string;
  /** The PBX's packet to change one bit of on its way. */
  tamper?: number;
  pbxPackets?: number;
  firstSequence?: number;
}

interface Call {
  capture: string;
  keyLog: string;
  port: number;
  pbxMedia: Packet[];
  sbcMedia: Packet[];
  /** The bytes of the packet changed on the way, as sent. */
  tampered?: Uint8Array;
}

const sip = (lines: string[], body = '') =>
  `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

function sdp(host: string, port: number, suite: string, keySalt: Uint8Array, session: number): string {
  const ip = host.includes(':') ? 'IP6' : 'IP4';
  return [
    'v=0',
    `o=- ${session} 1 IN ${ip} ${host}`,
    's=-',
    `c=IN ${ip} ${host}`,
    't=0 0',
    `m=audio ${port} RTP/SAVP 0`,
    'a=rtpmap:0 PCMU/8000',
    `a=crypto:1 ${suite} inline:${toBase64(keySalt)}`,
    '',
  ].join('\r\n');
}

async function bind(host: string): Promise<Socket> {
  const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => s.bind(0, host, resolve));
  return s;
}

/** Sends datagrams one by one and waits until the other socket has received them all. */
async function exchange(from: Socket, to: Socket, host: string, packets: Uint8Array[]): Promise<void> {
  let received = 0;
  const all = new Promise<void>((resolve) =>
    to.on('message', () => {
      if (++received === packets.length) resolve();
    }),
  );
  for (const p of packets) {
    await new Promise<void>((resolve, reject) =>
      from.send(p, to.address().port, host, (e) => (e ? reject(e) : resolve())),
    );
  }
  await all;
}

async function expectOutput(p: OpenSslProcess, text: string | RegExp, what: string): Promise<void> {
  if (!(await p.waitFor(text, 60_000))) throw new Error(`${what} never came: ${p.output().slice(-600)}`);
}

async function call(o: CallOptions): Promise<Call> {
  const tag = `${o.version}-${o.host === '::1' ? 'v6' : 'v4'}-${o.iface}${o.trustsOtherCa ? '-otherca' : ''}`;
  const keyLog = join(dir, `${tag}.keylog`);
  const capture = join(dir, `${tag}.pcapng`);
  const host = o.host;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const suite = o.suite ?? 'AES_CM_128_HMAC_SHA1_80';
  const media = !o.trustsOtherCa;
  const pbxSocket = media ? await bind(host) : undefined;
  const sbcSocket = media ? await bind(host) : undefined;
  const server = openssl([
    's_server',
    '-accept',
    `${bracketed}:0`,
    '-naccept',
    '1',
    '-cert',
    pki.server.ec.cert,
    '-key',
    pki.server.ec.key,
    '-CAfile',
    pki.ca,
    '-Verify',
    '1',
    `-tls1_${o.version === '1.3' ? 3 : 2}`,
  ]);
  await expectOutput(server, /ACCEPT \S*:\d+/, 's_server listening');
  const port = Number(/ACCEPT \S*:(\d+)/.exec(server.output())![1]);
  const ports = [port, ...(media ? [pbxSocket!.address().port, sbcSocket!.address().port] : [])];
  const filter = `tcp port ${port}${media ? ` or udp port ${ports[1]} or udp port ${ports[2]}` : ''}`;
  const dumpcap = await startCapture(capture, filter, { iface: o.iface, linkType: o.linkType });
  const client = openssl([
    's_client',
    '-connect',
    `${bracketed}:${port}`,
    '-servername',
    SERVER_NAME,
    '-cert',
    pki.client.ec.cert,
    '-key',
    pki.client.ec.key,
    '-CAfile',
    o.trustsOtherCa ? pki.otherCa : pki.ca,
    '-verify_return_error',
    `-tls1_${o.version === '1.3' ? 3 : 2}`,
    '-keylogfile',
    keyLog,
    '-nocommands',
  ]);
  const result: Call = { capture, keyLog, port, pbxMedia: [], sbcMedia: [] };
  try {
    if (o.trustsOtherCa) {
      await Promise.all([client.exited, server.exited]);
      return result;
    }
    await expectOutput(client, /Verify return code: 0/, 'the handshake');
    const pbxKey = key(KEY_LENGTH[suite], 1);
    const sbcKey = key(KEY_LENGTH[suite], 2);
    const via = `Via: SIP/2.0/TLS pbx.interop.example;branch=z9hG4bK-capture-${tag}`;
    const from = 'From: <sip:pbx@pbx.interop.example>;tag=pbx1';
    const to = `To: <sip:+15555550123@${SERVER_NAME}>`;
    const callId = `Call-ID: capture-${tag}@pbx.interop.example`;
    const request = (method: string, cseq: number, body = '', extra: string[] = []) =>
      sip(
        [
          `${method} sip:+15555550123@${SERVER_NAME} SIP/2.0`,
          via,
          'Max-Forwards: 70',
          from,
          `${to}${method === 'INVITE' ? '' : ';tag=sbc1'}`,
          callId,
          `CSeq: ${cseq} ${method}`,
          ...extra,
        ],
        body,
      );
    const ok = (method: string, cseq: number, body = '', extra: string[] = []) =>
      sip(['SIP/2.0 200 OK', via, from, `${to};tag=sbc1`, callId, `CSeq: ${cseq} ${method}`, ...extra], body);
    const sdpType = ['Content-Type: application/sdp'];
    client.proc.stdin.write(request('INVITE', 1, sdp(host, ports[1], suite, pbxKey, 1), sdpType));
    await expectOutput(server, 'INVITE sip:', 'the INVITE at the SBC');
    server.proc.stdin.write(ok('INVITE', 1, sdp(host, ports[2], suite, sbcKey, 2), sdpType));
    await expectOutput(client, 'SIP/2.0 200 OK', 'the 200 OK at the PBX');
    client.proc.stdin.write(request('ACK', 1));
    await expectOutput(server, 'ACK sip:', 'the ACK at the SBC');
    result.pbxMedia = libsrtp(suite, pbxKey, 0x7b0c5e11, o.firstSequence ?? 65_500, o.pbxPackets ?? 120);
    result.sbcMedia = libsrtp(suite, sbcKey, 0x5bc5e111, 2000, 60);
    const pbxWire = result.pbxMedia.map((p, i) => {
      if (i !== o.tamper) return p.wire;
      const changed = p.wire.slice();
      changed[20] ^= 0x01;
      result.tampered = changed;
      return changed;
    });
    await exchange(pbxSocket!, sbcSocket!, host, pbxWire);
    await exchange(
      sbcSocket!,
      pbxSocket!,
      host,
      result.sbcMedia.map((p) => p.wire),
    );
    client.proc.stdin.write(request('BYE', 2));
    await expectOutput(server, 'BYE sip:', 'the BYE at the SBC');
    server.proc.stdin.write(ok('BYE', 2));
    await expectOutput(client, 'CSeq: 2 BYE', 'the 200 OK to BYE at the PBX');
    client.proc.stdin.end();
    await Promise.all([client.exited, server.exited]);
    return result;
  } finally {
    client.kill();
    server.kill();
    pbxSocket?.close();
    sbcSocket?.close();
    await dumpcap.stop();
  }
}

/** What each frame completes, by the analysis: TLS records (real content type), handshake messages, alerts, SIP. */
function ourRecords(capture: string, keyLog: string): Map<number, string> {
  const frames = new Map<number, { types: number[]; handshake: number[]; alerts: number[]; sip: string[] }>();
  const observer: CaptureObserver = {
    packet: () => undefined,
    segment: () => undefined,
    chunk: () => undefined,
    sipDatagram: () => undefined,
    media: () => undefined,
    end: () => undefined,
    units(packet: number, _c, _s, units: StreamUnit[]) {
      for (const u of units) {
        if (!u.record || u.record.contentType === undefined) continue;
        let f = frames.get(packet);
        if (!f) frames.set(packet, (f = { types: [], handshake: [], alerts: [], sip: [] }));
        f.types.push(u.record.contentType);
        f.handshake.push(...u.record.messages);
        if (u.record.alert) f.alerts.push(u.record.alert.code);
        for (const m of u.sip) {
          const msg = m.parsed.message;
          f.sip.push(msg.kind === 'request' ? msg.method : String(msg.status));
        }
      }
    },
  };
  const analysis = new CaptureAnalysis({ keyLog: readFileSync(keyLog, 'utf8'), observer });
  analysis.push(new Uint8Array(readFileSync(capture)));
  analysis.end();
  return new Map([...frames].map(([n, f]) => [n, describeFrame(f.types, f.handshake, f.alerts, f.sip)]));
}

/** The same, as tshark decrypts and dissects it with the same key log. */
function tsharkRecords(capture: string, keyLog: string, port: number): Map<number, string> {
  const rows = tsharkFields(
    capture,
    [
      'frame.number',
      'tls.record.content_type',
      'tls.handshake.type',
      'tls.alert_message.desc',
      'sip.Method',
      'sip.Status-Code',
    ],
    [
      '-o',
      `tls.keylog_file:${keyLog}`,
      '-d',
      `tcp.port==${port},tls`,
      '-d',
      `tls.port==${port},sip`,
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=,',
      '-Y',
      'tls.record',
    ],
  );
  const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);
  return new Map(
    rows.map(([n, types, handshake, alerts, methods, statuses]) => [
      Number(n),
      describeFrame(list(types).map(Number), list(handshake).map(Number), list(alerts).map(Number), [
        ...list(methods),
        ...list(statuses),
      ]),
    ]),
  );
}

function describeFrame(types: number[], handshake: number[], alerts: number[], sip: string[]): string {
  return `records ${types.join(',')}; handshake ${handshake.join(',')}; alerts ${alerts.join(',')}; sip ${[...sip].sort().join(',')}`;
}

/** The capture as the lab opens it. */
function timelineOf(c: Call): Timeline {
  return openCapture(new Uint8Array(readFileSync(c.capture)), {
    name: 'call.pcapng',
    keyLog: readFileSync(c.keyLog, 'utf8'),
  }).timeline;
}

/** The decrypted RTP the endpoints read in the Timeline, of the packets `from` sent, in order. */
function decryptedRtp(timeline: Timeline, from: 'pbx' | 'sbc'): string[] {
  return timeline.steps
    .filter((s) => s.from === from && s.protocol === 'SRTP')
    .flatMap((s) => s.views[from === 'pbx' ? 'sbc' : 'pbx'].layers.filter((l) => l.title.startsWith('RTP decrypted')))
    .map((l) => l.bytes);
}

function expectEveryByteExplained(timeline: Timeline): void {
  for (const s of timeline.steps) {
    const coverage = checkCoverage(fromHex(s.bytes).length, s.fields);
    expect({ packet: s.packet, ...coverage }).toEqual({ packet: s.packet, unexplained: [], misplaced: [] });
  }
}

describe('a secure call between OpenSSL and libsrtp peers, captured on the loopback interface', () => {
  it('TLS 1.3 over IPv4 (Ethernet frames): every record and SIP message as tshark reads them, the media byte for byte across a sequence wrap', async () => {
    const c = await call({ version: '1.3', host: '127.0.0.1', iface: 'lo' });
    const cli = await trunklab(['analyze', c.capture, '--keylog', c.keyLog, '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.status, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.failure).toBeNull();
    expect(report.stages.map((s: { stage: string; reached: boolean }) => [s.stage, s.reached])).toEqual([
      ['tcp', true],
      ['tls', true],
      ['registration', false],
      ['call', true],
      ['media', true],
    ]);
    expect(report.tls[0]).toMatchObject({ version: '1.3', client: 'pbx', server: 'sbc', handshake: 'complete' });
    expect(report.sip.map((m: { message: string }) => m.message.split(' ')[0])).toEqual([
      'INVITE',
      '200',
      'ACK',
      'BYE',
      '200',
    ]);
    const pbx = report.media.find((m: { from: string }) => m.from === 'pbx');
    expect(pbx).toMatchObject({ ssrc: '0x7b0c5e11', packets: 120, decrypted: 120, authFailures: 0, replays: 0 });
    expect(pbx.rtcp).toMatchObject({ packets: 4, decrypted: 4 });
    expect(report.media.find((m: { from: string }) => m.from === 'sbc')).toMatchObject({ packets: 60, decrypted: 60 });

    expect(ourRecords(c.capture, c.keyLog)).toEqual(tsharkRecords(c.capture, c.keyLog, c.port));
    const plain = c.pbxMedia.filter((p) => p.kind === 'RTP').map((p) => toHex(p.plain));
    const timeline = timelineOf(c);
    expect(decryptedRtp(timeline, 'pbx')).toEqual(plain);
    expectEveryByteExplained(timeline);
  });

  it('TLS 1.2 over IPv6 (Linux cooked v2 frames), AEAD_AES_128_GCM media with one packet changed on the way', async () => {
    const c = await call({
      version: '1.2',
      host: '::1',
      iface: 'any',
      linkType: 'LINUX_SLL2',
      suite: 'AEAD_AES_128_GCM',
      tamper: 40,
      pbxPackets: 80,
      firstSequence: 100,
    });
    const cli = await trunklab(['analyze', c.capture, '--keylog', c.keyLog, '--json']);
    expect(cli.status, cli.stderr).toBe(1);
    const report = JSON.parse(cli.stdout);
    const frames = tsharkFields(c.capture, ['frame.number', 'udp.payload']).filter(([, p]) => p === toHex(c.tampered!));
    expect(frames).toHaveLength(1);
    expect(report.failure).toMatchObject({
      packet: Number(frames[0][0]),
      party: 'sbc',
      stage: 'srtp',
      reason: 'auth_failure',
    });
    expect(report.tls[0]).toMatchObject({ version: '1.2', handshake: 'complete' });
    expect(report.media.find((m: { from: string }) => m.from === 'pbx')).toMatchObject({
      suite: 'AEAD_AES_128_GCM',
      packets: 80,
      decrypted: 79,
      authFailures: 1,
    });
    expect(ourRecords(c.capture, c.keyLog)).toEqual(tsharkRecords(c.capture, c.keyLog, c.port));
    const plain = c.pbxMedia.filter((p, i) => p.kind === 'RTP' && i !== 40).map((p) => toHex(p.plain));
    const timeline = timelineOf(c);
    expect(decryptedRtp(timeline, 'pbx')).toEqual(plain);
    expectEveryByteExplained(timeline);
    // OpenSSL agreed on the extended master secret (RFC 7627): the key log's CLIENT_RANDOM line is that secret.
    const extensions = tsharkFields(c.capture, ['tls.handshake.extension.type'], ['-Y', 'tls.handshake.type == 2']);
    expect(extensions[0][0].split(',')).toContain('23');
  });

  for (const version of ['1.3', '1.2'] as const) {
    it(`a PBX that trusts another CA, TLS ${version} (Linux cooked v1 frames): unknown_ca from the packet that carries the alert`, async () => {
      const c = await call({ version, host: '127.0.0.1', iface: 'any', linkType: 'LINUX_SLL', trustsOtherCa: true });
      const cli = await trunklab(['analyze', c.capture, '--keylog', c.keyLog, '--json']);
      expect(cli.status, cli.stderr).toBe(1);
      const report = JSON.parse(cli.stdout);
      const alerts = tsharkFields(
        c.capture,
        ['frame.number', 'tls.alert_message.desc'],
        ['-o', `tls.keylog_file:${c.keyLog}`, '-Y', 'tls.alert_message.desc == 48'],
      );
      expect(alerts).toHaveLength(1);
      expect(report.failure).toMatchObject({
        packet: Number(alerts[0][0]),
        party: 'pbx',
        stage: 'tls',
        reason: 'unknown_ca',
      });
      expect(report.failure.detail).toMatch(/does not trust the issuer of the SBC's certificate/);
      expect(ourRecords(c.capture, c.keyLog)).toEqual(tsharkRecords(c.capture, c.keyLog, c.port));
    });
  }

  it('TLS 1.3 early data on a resumed session: the 0-RTT record said to be unsupported, the rest of the connection decrypted', async () => {
    const sessionFile = join(dir, 'early.session');
    const early = join(dir, 'early.sip');
    const keyLog = join(dir, 'early.keylog');
    const capture = join(dir, 'early.pcapng');
    writeFileSync(early, sip([`OPTIONS sip:${SERVER_NAME} SIP/2.0`, 'CSeq: 1 OPTIONS']));
    const server = openssl([
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-early_data',
      '-cert',
      pki.server.ec.cert,
      '-key',
      pki.server.ec.key,
      '-tls1_3',
    ]);
    let dumpcap: Awaited<ReturnType<typeof startCapture>> | undefined;
    try {
      await expectOutput(server, /ACCEPT \S*:\d+/, 's_server listening');
      const port = Number(/ACCEPT \S*:(\d+)/.exec(server.output())![1]);
      const client = (more: string[]) =>
        openssl([
          's_client',
          '-connect',
          `127.0.0.1:${port}`,
          '-servername',
          SERVER_NAME,
          '-CAfile',
          pki.ca,
          '-tls1_3',
          ...more,
        ]);
      // A first connection leaves a session ticket to resume with.
      const first = client(['-sess_out', sessionFile]);
      // The server sends its tickets as it completes the handshake, before it reports the cipher.
      await expectOutput(server, 'CIPHER is', 'the first handshake at the server');
      first.proc.stdin.end();
      await first.exited;
      dumpcap = await startCapture(capture, `tcp port ${port}`);
      const second = client(['-sess_in', sessionFile, '-early_data', early, '-keylogfile', keyLog]);
      await expectOutput(server, 'End of early data', 'the early data at the server');
      await expectOutput(second, 'Early data was accepted', 'the resumption');
      second.proc.stdin.end();
      await second.exited;
    } finally {
      server.kill();
      await dumpcap?.stop();
    }
    const { report, timeline } = openCapture(readFileSync(capture), {
      name: 'early.pcapng',
      keyLog: readFileSync(keyLog, 'utf8'),
    });
    // tshark, with the same key log: which frame carries which records and handshake messages.
    const frames = new Map(
      tsharkFields(
        capture,
        ['frame.number', 'tls.record.content_type', 'tls.handshake.type'],
        ['-o', `tls.keylog_file:${keyLog}`, '-Y', 'tls'],
      ).map(([n, types, handshake]) => [Number(n), { types: types.split(','), handshake: handshake.split(',') }]),
    );
    const step = (packet: number) => timeline.steps.find((s) => s.packet === packet)!.summary;
    const frameWith = (type: string) => [...frames].find(([, f]) => f.handshake.includes(type))![0];
    // The 0-RTT data rides behind the ClientHello, before any ServerHello: named, not opened.
    const hello = frameWith('1');
    expect(frames.get(hello)!.types).toContain('23');
    expect(step(hello)).toBe('ClientHello, ChangeCipherSpec, Encrypted record');
    expect(report.tls).toHaveLength(1);
    expect(report.tls[0]).toMatchObject({ version: '1.3', handshake: 'complete' });
    expect(report.tls[0].problem).toMatch(/^TLS 1\.3 early data is not supported/);
    // Everything after it is decrypted as tshark decrypts it: the server's flight, its ticket, both close_notify alerts.
    expect(step(frameWith('8'))).toBe('ServerHello, ChangeCipherSpec, EncryptedExtensions, Finished');
    expect(step(frameWith('4'))).toBe('NewSessionTicket');
    const alerts = [...frames].filter(([, f]) => f.types.includes('21')).map(([n]) => step(n));
    expect(alerts).toEqual(['Alert close_notify', 'Alert close_notify']);
    expect(report.tls[0].alerts.map((a) => a.name)).toEqual(['close_notify', 'close_notify']);
    expectEveryByteExplained(timeline);
  });
});
