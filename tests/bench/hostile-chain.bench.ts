/**
 * A client that sends 250 certificates (under the 128 KB handshake message
 * limit) to `trunklab tls-serve --require-client-cert`, and what it costs a
 * legitimate client connecting beside it: the legitimate handshake's time
 * with the hostile one in flight, beside the same handshake alone, in the
 * same run, against the same server. The hostile client is `openssl s_client`
 * sending its certificate with 249 more (`-cert_chain`): copies of the CA
 * certificate, each with its own serial number so that no two are the same
 * bytes (nothing is read twice from a cache). Certificates made by OpenSSL.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { TlsSocket, systemClock } from '../../sim/cli/tcp-transport';
import { LiveRandom } from '../../sim/crypto/random';
import { parseCertificatesPem } from '../../sim/pki/keys';
import { toPem } from '../../sim/pki/pem';
import { TlsClient } from '../../sim/tls/client';
import { tlsConfig, type TlsCredentials } from '../../sim/tls/config';
import { buildInteropPki, SERVER_NAME, type InteropPki } from '../tls/openssl-pki';
import { printTable } from './measure';
import { openssl } from '../tls/openssl-peer';

const BIN = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));
const HOSTILE_COUNT = 250;
const RUNS = 5;
const OPTIONS = [
  `OPTIONS sip:${SERVER_NAME} SIP/2.0`,
  'Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKbench',
  'Max-Forwards: 70',
  'From: <sip:pbx@interop.example>;tag=b1',
  `To: <sip:${SERVER_NAME}>`,
  'Call-ID: bench@interop.example',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

/** `der` with the last two bytes of its serial number set to `n` (RFC 5280 §4.1.2.2): still DER, other bytes. */
function withSerial(der: Uint8Array, n: number): Uint8Array {
  const out = der.slice();
  // Certificate SEQUENCE (4-byte header), TBSCertificate SEQUENCE (4), version [0] (5), serial INTEGER tag and length.
  const serialEnd = 13 + 2 + out[14];
  out[serialEnd - 2] = (n >> 8) & 0xff;
  out[serialEnd - 1] = n & 0xff;
  return out;
}

async function handshake(port: number, credentials: TlsCredentials, pki: InteropPki): Promise<number> {
  const client = new TlsClient(
    tlsConfig({
      clock: systemClock,
      random: new LiveRandom(),
      versions: ['1.3'],
      serverName: SERVER_NAME,
      credentials,
      trustAnchors: pki.anchors,
    }),
  );
  const start = performance.now();
  const socket = await TlsSocket.connect('127.0.0.1', port, client, 120_000);
  await socket.start();
  await socket.handshake(120_000);
  // The server judges a TLS 1.3 client's certificate after its own Finished: its answer to an OPTIONS
  // (or its alert) is the verdict.
  if (client.state === 'connected') {
    await socket.write(new TextEncoder().encode(OPTIONS));
    await socket.read(120_000);
  }
  const ms = performance.now() - start;
  await socket.close();
  return ms;
}

export default async function bench(): Promise<void> {
  const pki = buildInteropPki();
  const server = spawn(
    process.execPath,
    [
      BIN,
      'tls-serve',
      '0',
      '--cert',
      pki.server.ec.cert,
      '--key',
      pki.server.ec.key,
      '--ca',
      pki.ca,
      '--require-client-cert',
      '--timeout',
      '60',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let out = '';
    const port = await new Promise<number>((resolve) =>
      server.stdout.on('data', (d) => {
        out += d;
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      }),
    );
    const legit = pki.credentials(pki.client.ec);
    const ca = parseCertificatesPem(readFileSync(pki.ca, 'utf8'))[0];
    // New serial numbers for every run: a certificate read once is kept by its bytes (sim/pki/certificate.ts).
    const hostileChain = (run: number): string => {
      const file = join(pki.dir, `hostile-${run}.pem`);
      const copies = Array.from({ length: HOSTILE_COUNT - 1 }, (_, i) => withSerial(ca, run * HOSTILE_COUNT + i + 1));
      writeFileSync(file, copies.map((der) => toPem('CERTIFICATE', der)).join(''));
      return file;
    };
    const alone: number[] = [];
    const beside: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      alone.push(await handshake(port, legit, pki));
      const attacker = openssl([
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-tls1_3',
        '-cert',
        pki.client.ec.cert,
        '-key',
        pki.client.ec.key,
        '-cert_chain',
        hostileChain(run),
      ]);
      // Connect as a legitimate client as soon as the hostile one has its connection.
      await attacker.waitFor('CONNECTED', 60_000);
      beside.push(await handshake(port, legit, pki));
      attacker.kill();
      await attacker.exited;
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    printTable([
      { handshake: 'legitimate, alone', 'median ms': median(alone), '/ alone': 1 },
      {
        handshake: `legitimate, beside a client sending ${HOSTILE_COUNT} certificates`,
        'median ms': median(beside),
        '/ alone': median(beside) / median(alone),
      },
    ]);
  } finally {
    server.kill();
    pki.dispose();
  }
}
