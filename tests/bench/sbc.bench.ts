/**
 * `trunklab sbc` under load: 50 PBX clients at once, each Node's own `tls`
 * (OpenSSL) over loopback with its certificate from the test CA, against
 * - the test SBC (sim/cli/sbc/test-sbc.ts, in this process: the engine's TLS
 *   server on real sockets, the client certificate checked against the test
 *   root), and
 * - Node's own TLS server (OpenSSL) with the same certificate, key and
 *   trusted root, requiring the client certificate too,
 * measured in the same run, in alternating turns.
 *
 * A handshake counts once the server has answered on the new connection: the
 * client sends a CRLF CRLF keepalive ping and waits for the CRLF pong
 * (RFC 5626 §3.5.1), which the test SBC sends and the Node peer is made to
 * send, so neither side is credited with handshakes it has not finished.
 * A registration is a connection, REGISTER, 401 with a SHA-256 challenge,
 * REGISTER with the digest (RFC 7616 §3.4), 200 OK. The clients' work runs in
 * this process for both servers, so the ratio compares the servers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect, createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { makeRehearsalPki, type RehearsalPki } from '../cli/rehearsal-pki';
import { anchorsOption, credentialsOption } from '../../sim/cli/tls-options';
import { TestSbc } from '../../sim/cli/sbc/test-sbc';
import { answerChallenge, formatCredentials, parseChallenge } from '../../sim/sip/digest';
import { printTable } from './measure';

const profile = carrier as CarrierProfile;
const CLIENTS = 50;
const TURN_MS = 6000;
const TURNS = 3;
const USER = 'harbourstreet';
const PASSWORD = 'bench-password';

async function makePki(): Promise<RehearsalPki & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trunklab-sbc-bench-'));
  return { dir, ...(await makeRehearsalPki(dir)) };
}

/** One client connection with the PBX's certificate; resolves with the socket once the handshake is done. */
function open(port: number, pki: RehearsalPki): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ca: readOnce(pki.root),
      cert: readOnce(pki.pbxChain),
      key: readOnce(pki.pbxKey),
      // The SBC's certificate names 127.0.0.1 as an address; the check itself is not what is measured.
      checkServerIdentity: () => undefined,
    });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const files = new Map<string, Buffer>();
function readOnce(path: string): Buffer {
  let b = files.get(path);
  if (!b) files.set(path, (b = readFileSync(path)));
  return b;
}

/** Sends `text` and resolves with what arrives until `until` matches it. */
function exchange(socket: TLSSocket, text: string, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString('latin1');
      if (until.test(got)) {
        socket.off('data', onData);
        resolve(got);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(text);
  });
}

async function handshakeAndPing(port: number, pki: RehearsalPki): Promise<void> {
  const socket = await open(port, pki);
  await exchange(socket, '\r\n\r\n', /\r\n/);
  socket.destroy();
}

let sequence = 0;
async function register(port: number, pki: RehearsalPki): Promise<void> {
  const socket = await open(port, pki);
  const callId = `${randomBytes(8).toString('hex')}@bench`;
  const uri = `sip:${profile.domain}`;
  const request = (cseq: number, extra: string) =>
    [
      `REGISTER ${uri} SIP/2.0`,
      `Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `From: <sip:${USER}@${profile.domain}>;tag=${++sequence}`,
      `To: <sip:${USER}@${profile.domain}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${USER}@127.0.0.1:5061;transport=tls>`,
      'Expires: 60',
      ...(extra ? [extra] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  const challenged = await exchange(socket, request(1, ''), /\r\n\r\n/);
  const header = /^WWW-Authenticate: (.*)$/im.exec(challenged)?.[1];
  const challenge = header && parseChallenge(header.trim());
  if (!challenge) throw new Error(`no challenge: ${challenged}`);
  const credentials = answerChallenge(
    challenge,
    { username: USER, password: PASSWORD },
    { method: 'REGISTER', uri },
    randomBytes(8).toString('hex'),
    1,
  );
  const answer = await exchange(socket, request(2, `Authorization: ${formatCredentials(credentials)}`), /\r\n\r\n/);
  if (!answer.startsWith('SIP/2.0 200')) throw new Error(`not registered: ${answer.split('\r\n')[0]}`);
  socket.destroy();
}

/** CLIENTS clients each repeating `task` for `ms`; completed tasks per second, and failures. */
async function load(
  task: () => Promise<void>,
  ms: number,
): Promise<{ perSecond: number; failures: number; done: number }> {
  const end = performance.now() + ms;
  const start = performance.now();
  let done = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        try {
          await task();
          done++;
        } catch {
          failures++;
        }
      }
    }),
  );
  return { perSecond: done / ((performance.now() - start) / 1000), failures, done };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export default async function run(): Promise<void> {
  const pki = await makePki();
  let failureEvents = 0;
  const sbc = new TestSbc({
    carrier: profile,
    host: '127.0.0.1',
    port: 0,
    credentials: credentialsOption('bench', pki.sbcChain, pki.sbcKey)!,
    anchors: anchorsOption('bench', pki.root),
    certificateNames: ['127.0.0.1'],
    auth: { kind: 'digest', user: USER, password: PASSWORD, algorithms: ['SHA-256'] },
    timeouts: { handshakeMs: 30_000, idleMs: 30_000 },
    emit: (e) => {
      if (e.event === 'failure') failureEvents++;
    },
  });
  const ourPort = await sbc.start();

  const node = createServer(
    {
      cert: readOnce(pki.sbcChain),
      key: readOnce(pki.sbcKey),
      ca: readOnce(pki.root),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket) => {
      socket.on('data', () => socket.write('\r\n'));
      socket.on('error', () => undefined);
    },
  );
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  const nodePort = (node.address() as AddressInfo).port;

  console.log(
    `${CLIENTS} concurrent clients (Node tls, TLS 1.3, ECDSA P-256 client certificates); ${TURNS} turns of ${TURN_MS / 1000} s each, alternating`,
  );
  const rows: Array<Record<string, string | number>> = [];
  const ratios: number[] = [];
  const registrations: number[] = [];
  for (let turn = 1; turn <= TURNS; turn++) {
    const ours = await load(() => handshakeAndPing(ourPort, pki), TURN_MS);
    const theirs = await load(() => handshakeAndPing(nodePort, pki), TURN_MS);
    const reg = await load(() => register(ourPort, pki), TURN_MS);
    ratios.push(ours.perSecond / theirs.perSecond);
    registrations.push(reg.perSecond);
    rows.push(
      {
        turn,
        server: 'trunklab sbc',
        task: 'mutual TLS handshake + ping',
        'per second': ours.perSecond,
        done: ours.done,
        failures: ours.failures,
      },
      {
        turn,
        server: 'Node tls (OpenSSL)',
        task: 'mutual TLS handshake + ping',
        'per second': theirs.perSecond,
        done: theirs.done,
        failures: theirs.failures,
      },
      {
        turn,
        server: 'trunklab sbc',
        task: 'registration (401, digest, 200)',
        'per second': reg.perSecond,
        done: reg.done,
        failures: reg.failures,
      },
    );
  }
  printTable(rows);
  console.log(`handshakes: trunklab sbc / Node tls = ${median(ratios).toFixed(2)} (median of the turns' ratios)`);
  console.log(
    `registrations per second: ${median(registrations).toFixed(1)} (median of the turns); SBC failure events: ${failureEvents}`,
  );

  node.close();
  await sbc.stop();
  rmSync(pki.dir, { recursive: true, force: true });
}
