/**
 * The test SBC as a network server that outlasts bad clients: one that never
 * starts its handshake and one that goes silent after it are cut off after
 * their timeouts and their sockets released; SIP that cannot be read gets 400
 * Bad Request (RFC 3261 §21.4.1) and the connection is closed, as is a header
 * section over the size limit; a TLS 1.3 handshake flooded with
 * ChangeCipherSpec records and one over MAX_HANDSHAKE_BYTES get an alert, and
 * a connection's message past MAX_MESSAGES a 503, while another
 * client is served meanwhile; and 50 clients registering at once are all
 * served. The clients are Node's own TLS (OpenSSL) with a certificate from
 * `trunklab ca sign` (rehearsal-pki.ts); the SBC runs in this process with
 * short timeouts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as connectTcp, createServer, type Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRehearsalPki } from './rehearsal-pki';
import { anchorsOption, credentialsOption } from '../../sim/cli/tls-options';
import { TestSbc, type TestSbcOptions } from '../../sim/cli/sbc/test-sbc';
import type { SbcEvent } from '../../sim/cli/sbc/sbc-events';
import { MAX_HANDSHAKE_BYTES, SBC_SIP_LIMITS } from '../../sim/cli/sbc/sbc-connection';
import { MAX_HANDSHAKE_MESSAGE } from '../../sim/tls/handshake';
import { answerChallenge, formatCredentials, parseChallenge } from '../../sim/sip/digest';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

const profile = carrier as CarrierProfile;
let dir: string;
let sbc: TestSbc;
let sbcOptions: TestSbcOptions;
let port: number;
const events: SbcEvent[] = [];
let client: { ca: Buffer; cert: Buffer; key: Buffer };
/**
 * The SBC's message limit in this file: the code path of the 10,000 a real run allows (MAX_MESSAGES), at a
 * size a test can afford (a message costs the SBC a few milliseconds on a busy machine).
 */
const MAX_MESSAGES = 200;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-sbc-limits-'));
  const pki = await makeRehearsalPki(dir);
  client = {
    ca: readFileSync(pki.root),
    cert: readFileSync(pki.pbxChain),
    key: readFileSync(pki.pbxKey),
  };
  sbcOptions = {
    carrier: profile,
    host: '127.0.0.1',
    port: 0,
    credentials: credentialsOption('test', pki.sbcChain, pki.sbcKey)!,
    anchors: anchorsOption('test', pki.root),
    certificateNames: ['127.0.0.1'],
    auth: { kind: 'digest', user: 'harbourstreet', password: 'limits-password', algorithms: ['SHA-256'] },
    // Short, so a test waits little; a busy machine still finishes a handshake well within them.
    timeouts: { handshakeMs: 4000, idleMs: 4000 },
    maxMessagesPerConnection: MAX_MESSAGES,
    emit: (e) => events.push(e),
  };
  sbc = new TestSbc(sbcOptions);
  port = await sbc.start();
});

afterAll(async () => {
  await sbc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function open(to = port): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: to, ...client, checkServerIdentity: () => undefined });
    s.once('secureConnect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection. */
function untilClosed(s: { on(e: 'data', f: (d: Buffer) => void): unknown; once(e: 'close', f: () => void): unknown }) {
  return new Promise<string>((resolve) => {
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.once('close', () => resolve(got));
  });
}

/** The SBC's `closed` event for a client, once it has reported it (after the socket is released). */
async function closedEvent(peerPort: number): Promise<Extract<SbcEvent, { event: 'closed' }>> {
  const find = () =>
    events.find(
      (e): e is Extract<SbcEvent, { event: 'closed' }> => e.event === 'closed' && e.peer === `127.0.0.1:${peerPort}`,
    );
  for (let waited = 0; !find() && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  return find()!;
}

/** An OPTIONS keepalive; `id` makes its Call-ID and branch unique. */
function options(id: string): string {
  return [
    `OPTIONS sip:${profile.domain} SIP/2.0`,
    `Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK${id}`,
    'Max-Forwards: 70',
    `From: <sip:harbourstreet@${profile.domain}>;tag=${id}`,
    `To: <sip:${profile.domain}>`,
    `Call-ID: ${id}@pbx.example.net`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** The status line of the answer to one OPTIONS; the connection is then closed. */
async function optionsStatus(s: TLSSocket): Promise<string> {
  const answer = await new Promise<string>((resolve) => {
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) resolve(got);
    });
    s.write(options(`after-${s.localPort}`));
  });
  s.destroy();
  return answer.split('\r\n')[0];
}

/** The first flight of Node's TLS client (OpenSSL): its ClientHello record, as it would reach a server. */
function clientHelloFromOpenSsl(version: 'TLSv1.3' | 'TLSv1.2'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const catcher = createServer((socket: Socket) => {
      let got = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 5 && got.length >= 5 + got.readUInt16BE(3)) {
          socket.destroy();
          catcher.close();
          resolve(got.subarray(0, 5 + got.readUInt16BE(3)));
        }
      });
    });
    catcher.listen(0, '127.0.0.1', () => {
      const address = catcher.address();
      const c = connect({
        host: '127.0.0.1',
        port: typeof address === 'object' && address ? address.port : 0,
        ...client,
        minVersion: version,
        maxVersion: version,
        checkServerIdentity: () => undefined,
      });
      c.on('error', () => undefined);
      c.on('close', () => undefined);
    });
    catcher.on('error', reject);
  });
}

/**
 * Handshake bytes in records of at most 2^14 bytes in clear (RFC 5246 §6.2.1): a ClientHello's labelled TLS 1.0
 * as OpenSSL labels them, later ones TLS 1.2 (once it is agreed, every record says so).
 */
function plaintextRecords(message: Buffer, version: 0x0301 | 0x0303): Buffer {
  const records = [];
  for (let at = 0; at < message.length; at += 2 ** 14) {
    const fragment = message.subarray(at, at + 2 ** 14);
    records.push(Buffer.from([22, 3, version & 0xff, fragment.length >> 8, fragment.length & 0xff]), fragment);
  }
  return Buffer.concat(records);
}

/**
 * A ClientHello record with a padding extension (RFC 7685 §3: zero bytes) of `padding` bytes added to its
 * extensions (RFC 5246 §7.4.1.2), split over as many records as it needs.
 */
function padded(helloRecord: Buffer, padding: number): Buffer {
  const message = helloRecord.subarray(5);
  const body = message.subarray(4);
  let at = 2 + 32; // client_version, random
  at += 1 + body[at]; // legacy_session_id
  at += 2 + body.readUInt16BE(at); // cipher_suites
  at += 1 + body[at]; // legacy_compression_methods
  const extensions = body.subarray(at + 2, at + 2 + body.readUInt16BE(at));
  const added = Buffer.concat([Buffer.from([0, 21, padding >> 8, padding & 0xff]), Buffer.alloc(padding)]);
  const newExtensions = Buffer.concat([extensions, added]);
  const newBody = Buffer.concat([
    body.subarray(0, at),
    Buffer.from([newExtensions.length >> 8, newExtensions.length & 0xff]),
    newExtensions,
  ]);
  const length = Buffer.from([1, newBody.length >> 16, (newBody.length >> 8) & 0xff, newBody.length & 0xff]);
  return plaintextRecords(Buffer.concat([length, newBody]), 0x0301);
}

/** The content types of the TLS records in a byte stream (RFC 8446 §5.1), as far as they are whole. */
function recordTypes(bytes: Buffer): number[] {
  const types = [];
  for (let at = 0; at + 5 <= bytes.length; at += 5 + bytes.readUInt16BE(at + 3)) types.push(bytes[at]);
  return types;
}

describe('trunklab sbc against clients that misbehave', () => {
  it('cuts off a client that never starts its handshake, naming the timeout', async () => {
    const s = connectTcp(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    const local = s.localPort!;
    s.on('error', () => undefined);
    await untilClosed(s);
    const failure = events.find((e) => e.event === 'failure' && e.peer === `127.0.0.1:${local}`);
    expect(failure).toMatchObject({ stage: 'tls', reason: 'handshake_timeout' });
    expect((await closedEvent(local)).detail).toBe('the handshake did not complete');
  });

  it('cuts off a client that goes silent after its handshake', async () => {
    const s = await open();
    const local = s.localPort!;
    await untilClosed(s);
    expect((await closedEvent(local)).detail).toBe('idle for 4 s');
  });

  it('answers SIP it cannot read with 400 and closes that connection', async () => {
    const s = await open();
    const closed = untilClosed(s);
    s.write('HELLO SBC\r\nthis is not SIP\r\n\r\n');
    expect(await closed).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
  });

  it('refuses a header section over the size limit with 400', async () => {
    const s = await open();
    const closed = untilClosed(s);
    s.write(`OPTIONS sip:127.0.0.1 SIP/2.0\r\nX-Filler: ${'a'.repeat(SBC_SIP_LIMITS.maxHeaderBytes + 10)}\r\n`);
    expect(await closed).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
  });

  it('ends a TLS 1.3 handshake flooded with ChangeCipherSpec records after the 32nd, and goes on serving others', async () => {
    // RFC 8446 §5: during a TLS 1.3 handshake a ChangeCipherSpec of one byte 0x01 is dropped; a peer sends one
    // (§D.4). OpenSSL's own ClientHello (Node's TLS client), caught by a plain TCP server, is replayed by a raw
    // socket, then a megabyte of them: the engine stops reading at the 33rd.
    const s = await rawClient(await clientHelloFromOpenSsl('TLSv1.3'));
    const closed = untilClosed(s.socket);
    const ccs = Buffer.from([20, 3, 3, 0, 1, 1]);
    s.socket.write(Buffer.concat(Array(Math.ceil(2 ** 20 / ccs.length)).fill(ccs)));
    const received = Buffer.from(await closed, 'latin1');
    const failure = events.find((e) => e.event === 'failure' && e.peer === `127.0.0.1:${s.local}`);
    expect(failure).toMatchObject({ stage: 'tls', reason: 'unexpected_message' });
    expect((failure as { detail: string }).detail).toContain('more than 32 ChangeCipherSpec records');
    // After the ServerHello the alert travels encrypted: its record is there, its content the SBC's event names.
    expect(recordTypes(received).at(-1)).toBe(23);
    expect((await closedEvent(s.local)).detail).toBe('the handshake did not complete');
    expect(await optionsStatus(await open())).toBe('SIP/2.0 200 OK');
  });

  it(`ends a handshake that goes past ${MAX_HANDSHAKE_BYTES} bytes with an alert, and goes on serving others`, async () => {
    // The most a TLS 1.2 client can send before the SBC reads a whole message of its second flight: a ClientHello
    // padded to 60 KB (RFC 7685), then, in clear, the start of a Certificate message announcing the most a
    // handshake message may hold. The limit cuts it off before the message is whole.
    const s = await rawClient(padded(await clientHelloFromOpenSsl('TLSv1.2'), 60_000));
    const closed = untilClosed(s.socket);
    const certificate = Buffer.concat([
      Buffer.from([11, MAX_HANDSHAKE_MESSAGE >> 16, (MAX_HANDSHAKE_MESSAGE >> 8) & 0xff, MAX_HANDSHAKE_MESSAGE & 0xff]),
      Buffer.alloc(MAX_HANDSHAKE_MESSAGE),
    ]);
    s.socket.write(plaintextRecords(certificate, 0x0303));
    const received = Buffer.from(await closed, 'latin1');
    const failure = events.find((e) => e.event === 'failure' && e.peer === `127.0.0.1:${s.local}`);
    expect(failure).toMatchObject({ stage: 'tls', reason: 'handshake_failure' });
    expect((failure as { detail: string }).detail).toContain(`at most ${MAX_HANDSHAKE_BYTES} are read`);
    // TLS 1.2 switches the SBC's keys only after the client's Finished: the alert goes in clear.
    expect(recordTypes(received).at(-1)).toBe(21);
    expect((await closedEvent(s.local)).detail).toBe('the handshake did not complete');
    expect(await optionsStatus(await open())).toBe('SIP/2.0 200 OK');
  });

  /** A raw TCP client that has sent `hello` and received the SBC's first answer: the handshake is under way. */
  async function rawClient(hello: Buffer): Promise<{ socket: Socket; local: number }> {
    const socket = connectTcp(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    const answered = new Promise((r) => socket.once('data', r));
    socket.write(hello);
    await answered;
    return { socket, local: socket.localPort! };
  }

  it(`answers the message after the ${MAX_MESSAGES}th on one connection with 503, closes it, and serves another client`, async () => {
    const s = await open();
    const local = s.localPort!;
    const closed = untilClosed(s);
    const requests = Array.from({ length: MAX_MESSAGES + 1 }, (_, n) => options(`limit-${n}`)).join('');
    s.write(requests);
    const replies = (await closed).split(/(?=SIP\/2\.0 )/).map((r) => r.split('\r\n')[0]);
    expect(replies).toHaveLength(MAX_MESSAGES + 1);
    expect(replies.slice(0, MAX_MESSAGES).every((r) => r === 'SIP/2.0 200 OK')).toBe(true);
    expect(replies.at(-1)).toBe('SIP/2.0 503 Service Unavailable');
    const failure = events.find((e) => e.event === 'failure' && e.peer === `127.0.0.1:${local}`);
    expect(failure).toMatchObject({ stage: 'sip', reason: '503' });
    expect((await closedEvent(local)).detail).toBe(`more than ${MAX_MESSAGES} SIP messages on one connection`);
    expect(await optionsStatus(await open())).toBe('SIP/2.0 200 OK');
  });

  it('serves 50 clients registering at once', async () => {
    const register = async (n: number) => {
      const s = await open();
      const uri = `sip:${profile.domain}`;
      const request = (cseq: number, extra: string[]) =>
        [
          `REGISTER ${uri} SIP/2.0`,
          `Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKload${n}x${cseq}`,
          'Max-Forwards: 70',
          `From: <sip:harbourstreet@${profile.domain}>;tag=load${n}`,
          `To: <sip:harbourstreet@${profile.domain}>`,
          `Call-ID: load-${n}@pbx.example.net`,
          `CSeq: ${cseq} REGISTER`,
          `Contact: <sip:harbourstreet@127.0.0.1:${5100 + n};transport=tls>`,
          ...extra,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      const reply = (text: string) =>
        new Promise<string>((resolve) => {
          let got = '';
          const onData = (d: Buffer) => {
            got += d.toString('latin1');
            if (got.includes('\r\n\r\n')) {
              s.off('data', onData);
              resolve(got);
            }
          };
          s.on('data', onData);
          s.write(text);
        });
      const challenge = parseChallenge(/^WWW-Authenticate: (.*)$/im.exec(await reply(request(1, [])))![1].trim())!;
      const credentials = answerChallenge(
        challenge,
        { username: 'harbourstreet', password: 'limits-password' },
        { method: 'REGISTER', uri },
        `c${n}`,
        1,
      );
      const answer = await reply(request(2, [`Authorization: ${formatCredentials(credentials)}`]));
      s.destroy();
      return answer.split('\r\n')[0];
    };
    const results = await Promise.all(Array.from({ length: 50 }, (_, n) => register(n)));
    expect(results).toEqual(Array(50).fill('SIP/2.0 200 OK'));
  });
});
