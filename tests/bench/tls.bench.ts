/**
 * Full mutual-TLS handshakes per second: ours in-process (client and server
 * in one thread, bytes passed in memory) beside Node's own `tls` module
 * (OpenSSL) doing the same handshakes over loopback in the same run, with the
 * same certificates: TLS 1.3 with x25519 and ECDSA P-256, and TLS 1.2 with
 * ECDHE-RSA (x25519, RSA-2048). Each handshake is complete: both certificate
 * chains validated, both CertificateVerify signatures made and checked.
 *
 * Ours and Node's are measured in alternating half-second turns, nine of each,
 * and every ratio is the median of the turns' ratios. Rates are given by the
 * clock and per second of the process's CPU time (the machine's cores are
 * shared, so the clock's rate moves with other work);
 * then, for each case, where one of our handshakes spends its time, from V8's
 * sampling profiler (time-profile.ts).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { TlsSocket } from '../../sim/cli/tcp-transport';
import { HmacDrbg, LiveRandom } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { buildCast, type Cast } from '../../sim/pki/cast';
import type { PrivateKey } from '../../sim/pki/keys';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { tlsConfig } from '../../sim/tls/config';
import type { CipherSuiteName } from '../../sim/tls/cipher-suites';
import type { TlsVersion } from '../../sim/tls/codepoints';
import { toBase64 } from '../../sim/wire/bytes';
import type { CarrierProfile } from '../../sim/carrier';
import carrier from '../../content/carrier.json';
import { measureRateAndCpu, printTable, type RateAndCpu } from './measure';
import { breakdownRows, profileCategories, type CategoryRule } from './time-profile';

const profile = carrier as CarrierProfile;
const AT = Date.now();

function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${toBase64(der)
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function big(x: bigint): string {
  let hex = x.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** The cast's key as PKCS #8 PEM (through a JWK KeyObject), so Node's tls uses the very same key. */
function nodeKey(k: PrivateKey): string {
  return keyObject(k).export({ type: 'pkcs8', format: 'pem' }).toString();
}

function keyObject(k: PrivateKey): KeyObject {
  if (k.kind === 'ecdsa-p256') {
    return createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: b64url(k.d),
        x: b64url(k.publicKey.subarray(1, 33)),
        y: b64url(k.publicKey.subarray(33)),
      },
    });
  }
  const r = k.key;
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: big(r.n),
      e: big(r.e),
      d: big(r.d),
      p: big(r.p),
      q: big(r.q),
      dp: big(r.dp),
      dq: big(r.dq),
      qi: big(r.qi),
    },
  });
}

async function ours(cast: Cast, version: TlsVersion, suite: CipherSuiteName): Promise<void> {
  const clock = new VirtualClock(AT);
  const random = new LiveRandom();
  const client = new TlsClient(
    tlsConfig({
      clock,
      random,
      versions: [version],
      cipherSuites: [suite],
      groups: ['x25519'],
      serverName: profile.sbc.host,
      trustAnchors: cast.anchors,
      credentials: { chain: cast.pbx.chain, privateKey: cast.pbx.privateKey },
    }),
  );
  const server = new TlsServer(
    tlsConfig({
      clock,
      random,
      versions: [version],
      cipherSuites: [suite],
      groups: ['x25519'],
      credentials: { chain: cast.sbc.chain, privateKey: cast.sbc.privateKey },
      trustAnchors: cast.anchors,
      requestClientCertificate: true,
      requireClientCertificate: true,
    }),
  );
  let toServer = (await client.start()).bytes;
  for (let i = 0; i < 10 && toServer.length > 0; i++) {
    const s = await server.receive(toServer);
    const c = await client.receive(s.bytes);
    toServer = c.bytes;
  }
  if (client.state !== 'connected' || server.state !== 'connected')
    throw new Error(`our handshake failed: ${client.sentAlert?.reason ?? server.sentAlert?.reason}`);
}

/** Our server on loopback, and a function that runs one full mutual handshake of our client against it. */
async function oursOverLoopback(cast: Cast, version: TlsVersion, suite: CipherSuiteName) {
  const clock = new VirtualClock(AT);
  const random = new LiveRandom();
  const server = createNetServer((socket) => {
    const tls = new TlsSocket(
      socket,
      new TlsServer(
        tlsConfig({
          clock,
          random,
          versions: [version],
          cipherSuites: [suite],
          groups: ['x25519'],
          credentials: { chain: cast.sbc.chain, privateKey: cast.sbc.privateKey },
          trustAnchors: cast.anchors,
          requestClientCertificate: true,
          requireClientCertificate: true,
        }),
      ),
    );
    void tls.handshake().then(() => tls.close());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const once = async () => {
    const client = new TlsClient(
      tlsConfig({
        clock,
        random,
        versions: [version],
        cipherSuites: [suite],
        groups: ['x25519'],
        serverName: profile.sbc.host,
        trustAnchors: cast.anchors,
        credentials: { chain: cast.pbx.chain, privateKey: cast.pbx.privateKey },
      }),
    );
    const socket = await TlsSocket.connect('127.0.0.1', port, client);
    await socket.start();
    await socket.handshake();
    // As for Node's client: wait until the server has judged the certificate and closed.
    await socket.waitFor(() => false, 5000);
    if (client.session === undefined || client.state === 'failed') throw new Error('our loopback handshake failed');
  };
  return { once, close: () => server.close() };
}

/** A Node tls server on loopback and a function that runs one full mutual handshake against it. */
async function nodePair(cast: Cast, version: TlsVersion, cipher: string) {
  const ca = cast.anchors.map(pem).join('');
  const server = createServer({
    key: nodeKey(cast.sbc.privateKey),
    cert: cast.sbc.chain.map(pem).join(''),
    ca,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: version === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
    maxVersion: version === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
    ...(version === '1.2' ? { ciphers: cipher } : { ciphers: 'TLS_AES_128_GCM_SHA256' }),
    ecdhCurve: 'X25519',
    // No session cache: every handshake is a full one (the client never offers a session to resume).
    sessionTimeout: 0,
  });
  server.on('secureConnection', (s: TLSSocket) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const clientKey = nodeKey(cast.pbx.privateKey);
  const clientCert = cast.pbx.chain.map(pem).join('');
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        servername: profile.sbc.host,
        ca,
        key: clientKey,
        cert: clientCert,
        minVersion: version === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
        maxVersion: version === '1.3' ? 'TLSv1.3' : 'TLSv1.2',
        ecdhCurve: 'X25519',
      });
      socket.once('secureConnect', () => {
        if (!socket.authorized) reject(new Error(String(socket.authorizationError)));
        // In TLS 1.3 the server judges the client certificate after the client finishes: wait for its close.
        socket.once('end', () => resolve());
        socket.resume();
      });
      socket.once('error', reject);
    });
  return { once, close: () => server.close() };
}

/** Where a handshake's time goes: the stage whose code a sample is in, innermost first. */
const HANDSHAKE_STAGES: CategoryRule[] = [
  { category: 'key exchange (x25519)', url: '/sim/tls/key-exchange.ts' },
  { category: 'signing (CertificateVerify, ServerKeyExchange)', url: '/sim/tls/signature.ts', functions: ['sign'] },
  { category: 'checking the peer’s signature', url: '/sim/tls/signature.ts' },
  { category: 'explaining certificates (field trees)', url: '/sim/pki/certificate-fields.ts' },
  { category: 'certificate chain validation', url: '/sim/pki/' },
  { category: 'certificate chain validation', url: '/sim/tls/peer-certificate.ts' },
  { category: 'record protection (AES-GCM)', url: '/sim/tls/record-protection' },
  { category: 'key schedule and transcript hash', url: '/sim/tls/key-schedule' },
  { category: 'key schedule and transcript hash', url: '/sim/tls/endpoint.ts', functions: ['transcriptHash'] },
  { category: 'annotating the bytes (sim/wire)', url: '/sim/wire/' },
  { category: 'handshake messages and state machine', url: '/sim/tls/' },
];

/** Turns of each measurement (half a second each) per case. */
const ROUNDS = 9;

export default async function bench(): Promise<void> {
  const random = HmacDrbg.fromSeed(1, 'tls bench');
  const ec = await buildCast({ carrier: profile, random, at: AT });
  const rsa = await buildCast({ carrier: profile, random, at: AT, keyType: 'rsa-2048' });
  const rows = [];
  const cases = [
    {
      label: 'TLS 1.3, x25519 + ECDSA P-256, mutual',
      cast: ec,
      version: '1.3' as const,
      suite: 'TLS_AES_128_GCM_SHA256' as const,
      node: '',
    },
    {
      label: 'TLS 1.2, ECDHE-RSA (x25519, RSA-2048), mutual',
      cast: rsa,
      version: '1.2' as const,
      suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' as const,
      node: 'ECDHE-RSA-AES128-GCM-SHA256',
    },
  ];
  const breakdowns = [];
  for (const c of cases) {
    // The machine is shared: measure the three in turn, in short turns many times over, so that ours
    // and Node's meet the same load; each ratio is the median of the rounds' ratios.
    const loop = await oursOverLoopback(c.cast, c.version, c.suite);
    const pair = await nodePair(c.cast, c.version, c.node);
    const samples = { our: [] as RateAndCpu[], loopback: [] as RateAndCpu[], node: [] as RateAndCpu[] };
    const turn = { budgetMs: 500, warmupMs: 100 };
    for (let round = 0; round < ROUNDS; round++) {
      samples.our.push(await measureRateAndCpu(() => ours(c.cast, c.version, c.suite), turn));
      samples.loopback.push(await measureRateAndCpu(() => loop.once(), turn));
      samples.node.push(await measureRateAndCpu(() => pair.once(), turn));
    }
    loop.close();
    pair.close();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rates = (xs: RateAndCpu[], key: 'perSecond' | 'perCpuSecond') => xs.map((x) => x[key]);
    const ratios = (key: 'perSecond' | 'perCpuSecond') => samples.loopback.map((x, i) => x[key] / samples.node[i][key]);
    rows.push({
      handshake: c.label,
      'ours (in-process) /s': median(rates(samples.our, 'perSecond')),
      'ours (loopback) /s': median(rates(samples.loopback, 'perSecond')),
      'Node tls (loopback) /s': median(rates(samples.node, 'perSecond')),
      'ours ÷ Node': median(ratios('perSecond')),
      'per CPU-s: ours (loopback)': median(rates(samples.loopback, 'perCpuSecond')),
      'Node tls': median(rates(samples.node, 'perCpuSecond')),
      'ours ÷ Node ': median(ratios('perCpuSecond')),
    });
    const runs = 100;
    breakdowns.push({
      label: c.label,
      breakdown: await profileCategories(() => ours(c.cast, c.version, c.suite), runs, HANDSHAKE_STAGES),
      runs,
    });
  }
  printTable(rows);
  for (const b of breakdowns) {
    console.log(`\nWhere an in-process handshake's time goes, ${b.label} (sampled over ${b.runs} handshakes):`);
    printTable(breakdownRows(b.breakdown, b.runs));
  }
}
