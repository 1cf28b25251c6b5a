/**
 * The test SBC as a network server that outlasts bad clients: one that never
 * starts its handshake and one that goes silent after it are cut off after
 * their timeouts and their sockets released; SIP that cannot be read gets 400
 * Bad Request (RFC 3261 §21.4.1) and the connection is closed, as is a header
 * section over the size limit; and 50 clients registering at once are all
 * served. The clients are Node's own TLS (OpenSSL) with a certificate from
 * `trunklab ca sign` (rehearsal-pki.ts); the SBC runs in this process with
 * short timeouts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRehearsalPki } from './rehearsal-pki';
import { anchorsOption, credentialsOption } from '../../sim/cli/tls-options';
import { TestSbc } from '../../sim/cli/sbc/test-sbc';
import type { SbcEvent } from '../../sim/cli/sbc/sbc-events';
import { SBC_SIP_LIMITS } from '../../sim/cli/sbc/sbc-connection';
import { answerChallenge, formatCredentials, parseChallenge } from '../../sim/sip/digest';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

const profile = carrier as CarrierProfile;
let dir: string;
let sbc: TestSbc;
let port: number;
const events: SbcEvent[] = [];
let client: { ca: Buffer; cert: Buffer; key: Buffer };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-sbc-limits-'));
  const pki = await makeRehearsalPki(dir);
  client = {
    ca: readFileSync(pki.root),
    cert: readFileSync(pki.pbxChain),
    key: readFileSync(pki.pbxKey),
  };
  sbc = new TestSbc({
    carrier: profile,
    host: '127.0.0.1',
    port: 0,
    credentials: credentialsOption('test', pki.sbcChain, pki.sbcKey)!,
    anchors: anchorsOption('test', pki.root),
    certificateNames: ['127.0.0.1'],
    auth: { kind: 'digest', user: 'harbourstreet', password: 'limits-password', algorithms: ['SHA-256'] },
    // Short, so a test waits little; a busy machine still finishes a handshake well within them.
    timeouts: { handshakeMs: 4000, idleMs: 4000 },
    emit: (e) => events.push(e),
  });
  port = await sbc.start();
});

afterAll(async () => {
  await sbc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function open(): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ...client, checkServerIdentity: () => undefined });
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
