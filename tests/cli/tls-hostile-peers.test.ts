/**
 * `trunklab tls-connect` and `tls-serve` against peers that misbehave, on
 * 127.0.0.1: OpenSSL (s_server, s_client) and small scripted sockets that go
 * silent, answer HTTP, announce an oversized record, alert and stay open, or
 * never close. Each command must give its verdict and end by itself; a run
 * still going after its limit is killed and fails the test (status null).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trunklabAsync, trunklabServer } from './trunklab';
import { buildInteropPki, SERVER_NAME, type InteropPki } from '../tls/openssl-pki';
import { openssl, sServer } from '../tls/openssl-peer';

/** Long enough for a busy machine to start Node and run the command; a hang goes far past it. */
const LIMIT_MS = 45_000;

let pki: InteropPki;
/** A server certificate from the trusted CA for another name, with no IP address. */
let elsewhere: { cert: string; key: string };
beforeAll(() => {
  pki = buildInteropPki();
  const dir = pki.dir;
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(
    join(dir, 'elsewhere.cnf'),
    '[ext]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:elsewhere.interop.example\n',
  );
  run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'elsewhere.key');
  run(
    'req',
    '-new',
    '-key',
    'elsewhere.key',
    '-subj',
    '/CN=elsewhere.interop.example',
    '-out',
    'elsewhere.csr',
    '-config',
    'req.cnf',
  );
  run(
    'x509',
    '-req',
    '-in',
    'elsewhere.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-out',
    'elsewhere.crt',
    '-extfile',
    'elsewhere.cnf',
    '-extensions',
    'ext',
  );
  elsewhere = { cert: join(dir, 'elsewhere.crt'), key: join(dir, 'elsewhere.key') };
});
afterAll(() => pki?.dispose());

/** tls-serve with the interop server's ECDSA certificate and key. */
const serving = () => ['--cert', pki.server.ec.cert, '--key', pki.server.ec.key];
/** The same, requiring a client certificate from the interop CA, for one connection. */
const requiringClientCert = () => [...serving(), '--ca', pki.ca, '--require-client-cert', '--once'];

/** A TCP peer on 127.0.0.1 that does `script` with each connection and never closes it itself. */
async function scriptedPeer(script: (socket: Socket) => void): Promise<{ port: number; close(): void }> {
  const sockets: Socket[] = [];
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    script(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe.concurrent('tls-connect checks the name it connected to', () => {
  it('an IP address target: a certificate for another name from the trusted CA fails with name_mismatch', async () => {
    const server = await sServer(['-cert', elsewhere.cert, '-key', elsewhere.key]);
    try {
      const r = await trunklabAsync(['tls-connect', `127.0.0.1:${server.port}`, '--ca', pki.ca, '--json'], LIMIT_MS);
      expect(r.status, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: false,
        checkedName: '127.0.0.1',
        alert: 'bad_certificate',
        alertFrom: 'us',
        certificateCheck: { valid: false, reason: 'name_mismatch' },
      });
    } finally {
      server.kill();
    }
  });

  it('an IP address target matches an iPAddress subjectAltName, and says it compared it', async () => {
    const server = await sServer(['-cert', pki.server.ec.cert, '-key', pki.server.ec.key]);
    try {
      const r = await trunklabAsync(['tls-connect', `127.0.0.1:${server.port}`, '--ca', pki.ca], LIMIT_MS);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/server certificate: valid — .*names 127\.0\.0\.1/);
    } finally {
      server.kill();
    }
  });

  it('--servername overrides the target, and --no-name-check skips the comparison and says so', async () => {
    const named = await sServer(['-cert', elsewhere.cert, '-key', elsewhere.key]);
    const unchecked = await sServer(['-cert', elsewhere.cert, '-key', elsewhere.key]);
    try {
      const [byName, skipped] = await Promise.all([
        trunklabAsync(
          ['tls-connect', `127.0.0.1:${named.port}`, '--ca', pki.ca, '--servername', 'elsewhere.interop.example'],
          LIMIT_MS,
        ),
        trunklabAsync(['tls-connect', `127.0.0.1:${unchecked.port}`, '--ca', pki.ca, '--no-name-check'], LIMIT_MS),
      ]);
      expect(byName.status, byName.stdout).toBe(0);
      expect(byName.stdout).toContain('names elsewhere.interop.example');
      expect(skipped.status, skipped.stdout).toBe(0);
      expect(skipped.stdout).toContain('names not checked (--no-name-check)');
    } finally {
      named.kill();
      unchecked.kill();
    }
  });

  it('names the way out when the certificate does not name an IP address', async () => {
    const server = await sServer(['-cert', elsewhere.cert, '-key', elsewhere.key]);
    try {
      const r = await trunklabAsync(['tls-connect', `127.0.0.1:${server.port}`, '--ca', pki.ca], LIMIT_MS);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('the certificate does not name 127.0.0.1');
      expect(r.stdout).toContain('--servername NAME');
      expect(r.stdout).toContain('--no-name-check');
    } finally {
      server.kill();
    }
  });
});

describe.concurrent('tls-connect ends by itself, whatever the peer does', () => {
  const peers: Array<[string, (s: Socket) => void, RegExp]> = [
    ['a peer that accepts and stays silent (a plain SIP port)', () => undefined, /no handshake within 2 s/],
    [
      'a peer that answers HTTP',
      (s) => s.once('data', () => s.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
      /alert unexpected_message \(10\) sent/,
    ],
    [
      'a peer that announces a 65535-byte record',
      (s) => s.once('data', () => s.write(Uint8Array.of(0x16, 0x03, 0x03, 0xff, 0xff, 0x02))),
      /alert record_overflow \(22\) sent/,
    ],
    [
      'a peer that sends a fatal alert and keeps the connection open',
      (s) => s.once('data', () => s.write(Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28))),
      /alert handshake_failure \(40\) received/,
    ],
  ];

  it.each(peers)('%s', async (_name, script, verdict) => {
    const peer = await scriptedPeer(script);
    try {
      const r = await trunklabAsync(
        ['tls-connect', `127.0.0.1:${peer.port}`, '--ca', pki.ca, '--timeout', '2'],
        LIMIT_MS,
      );
      expect(r.status, `did not exit by itself: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout).toMatch(verdict);
    } finally {
      peer.close();
    }
  });

  it('a port that never completes the TCP handshake (a black hole, as behind a firewall that drops)', async () => {
    // A listener that never accepts (stopped): with a backlog of 1 its queue is full after two connections, and
    // Linux then drops each SYN, so a connect() waits as it would for a host that never answers.
    const listener = spawn(
      process.execPath,
      [
        '-e',
        "require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {" +
          " process.stdout.write(this.address().port + '\\n', () => process.kill(process.pid, 'SIGSTOP')); });",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const fillers: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve) => listener.stdout.once('data', (d) => resolve(Number(d))));
      // Two connections fill the queue; the others wait, as the command's will.
      await new Promise<void>((resolve) => {
        let connected = 0;
        for (let i = 0; i < 4; i++) {
          const filler = connect({ host: '127.0.0.1', port }).on('error', () => undefined);
          fillers.push(filler.once('connect', () => ++connected === 2 && resolve()));
        }
      });
      const r = await trunklabAsync(['tls-connect', `127.0.0.1:${port}`, '--ca', pki.ca, '--timeout', '2'], LIMIT_MS);
      expect(r.status, `did not exit by itself: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout).toContain(`no connection to 127.0.0.1:${port} within 2 s`);
    } finally {
      for (const f of fillers) f.destroy();
      listener.kill('SIGKILL');
    }
  });

  it('--timeout is bounded and says how, rather than overflowing a timer', async () => {
    const r = await trunklabAsync(['tls-connect', '127.0.0.1:9', '--timeout', '1e10'], LIMIT_MS);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^trunklab tls-connect: --timeout must be a number of seconds above 0 and at most 3600/);
    expect(r.stderr).not.toContain('TimeoutOverflowWarning');
  });
});

describe.concurrent('tls-serve is bounded against clients', () => {
  it('--once ends after a client that never speaks and never closes, at --timeout', async () => {
    const server = await trunklabServer([...serving(), '--once', '--timeout', '1']);
    const client = connect({ host: '127.0.0.1', port: server.port, allowHalfOpen: true });
    client.on('error', () => undefined);
    try {
      expect(await Promise.race([server.exited, ended(LIMIT_MS)])).toBe(1);
      expect(server.output()).toContain('the client did not finish the handshake');
    } finally {
      client.destroy();
      server.kill();
    }
  });

  it('closes idle clients fully (not half) after --timeout, releasing their descriptors', async () => {
    const server = await trunklabServer([...serving(), '--timeout', '1']);
    const descriptors = () => readdirSync(`/proc/${server.pid}/fd`).length;
    const before = descriptors();
    const clients = Array.from({ length: 20 }, () => {
      const c = connect({ host: '127.0.0.1', port: server.port, allowHalfOpen: true });
      c.on('error', () => undefined);
      return c;
    });
    try {
      // Every client is cut off: the server sends its FIN ...
      await Promise.all(clients.map((c) => new Promise((resolve) => c.once('end', resolve))));
      // ... and, though no client closes its side, the server's descriptors go back to what they were.
      expect(await waitUntil(() => descriptors() <= before, LIMIT_MS)).toBe(true);
    } finally {
      for (const c of clients) c.destroy();
      server.kill();
    }
  });

  it('reports a TLS 1.3 client certificate the server refused as not accepted, on both sides', async () => {
    const server = await trunklabServer(requiringClientCert());
    try {
      const r = await trunklabAsync(
        [
          'tls-connect',
          `127.0.0.1:${server.port}`,
          '--ca',
          pki.ca,
          '--tls',
          '1.3',
          // A certificate from a CA the server does not trust.
          '--cert',
          pki.server.otherCa.cert,
          '--key',
          pki.server.otherCa.key,
          '--json',
        ],
        LIMIT_MS,
      );
      expect(r.status, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: false,
        alert: 'unknown_ca',
        alertFrom: 'peer',
        clientCertificateSent: true,
        clientCertificateAccepted: false,
      });
      expect(await server.exited).toBe(1);
    } finally {
      server.kill();
    }
  });

  it('refuses a TLS 1.2 fallback (TLS_FALLBACK_SCSV) from openssl s_client when it speaks TLS 1.3', async () => {
    const server = await trunklabServer([...serving(), '--once']);
    const client = openssl(['s_client', '-connect', `127.0.0.1:${server.port}`, '-tls1_2', '-fallback_scsv']);
    try {
      expect(await client.waitFor(/inappropriate fallback/, LIMIT_MS)).toBe(true);
      expect(await server.exited).toBe(1);
      expect(server.output()).toMatch(/alert inappropriate_fallback \(86\) sent/);
    } finally {
      client.kill();
      server.kill();
    }
  });

  it('accepts the same fallback when TLS 1.2 is the most it speaks', async () => {
    const server = await trunklabServer([...serving(), '--tls', '1.2', '--once']);
    const client = openssl([
      's_client',
      '-connect',
      `127.0.0.1:${server.port}`,
      '-tls1_2',
      '-fallback_scsv',
      '-CAfile',
      pki.ca,
      '-servername',
      SERVER_NAME,
      '-verify_return_error',
      '-brief',
    ]);
    try {
      expect(await client.waitFor('Verification: OK', LIMIT_MS)).toBe(true);
      client.proc.stdin.end();
      expect(await server.exited).toBe(0);
    } finally {
      client.kill();
      server.kill();
    }
  });

  it('answers a plaintext record of 2^14 + 1 bytes with record_overflow, from its header', async () => {
    const server = await trunklabServer([...serving(), '--once']);
    const client = connect({ host: '127.0.0.1', port: server.port });
    client.on('error', () => undefined);
    let answer = new Uint8Array(0);
    client.on('data', (d: Buffer) => (answer = new Uint8Array([...answer, ...d])));
    try {
      // A handshake record header announcing 16,385 bytes, then those bytes.
      client.write(Uint8Array.of(0x16, 0x03, 0x01, 0x40, 0x01));
      client.write(new Uint8Array(2 ** 14 + 1));
      expect(await waitUntil(() => answer.length >= 7, LIMIT_MS)).toBe(true);
      // RFC 8446 §6: a plaintext alert record, level fatal (2), description record_overflow (22).
      expect([...answer.subarray(0, 7)]).toEqual([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 22]);
      expect(await server.exited).toBe(1);
    } finally {
      client.destroy();
      server.kill();
    }
  });

  it('refuses a client certificate list longer than a path unread: openssl s_client sending 20 extra', async () => {
    const server = await trunklabServer([...requiringClientCert(), '--json']);
    const extra = join(pki.dir, 'twenty.pem');
    writeFileSync(extra, readFileSync(pki.otherCa, 'utf8').repeat(20));
    const client = openssl([
      's_client',
      '-connect',
      `127.0.0.1:${server.port}`,
      '-tls1_3',
      '-cert',
      pki.client.ec.cert,
      '-key',
      pki.client.ec.key,
      '-cert_chain',
      extra,
    ]);
    try {
      expect(await Promise.race([server.exited, ended(LIMIT_MS)])).toBe(1);
      const report = JSON.parse(server.output().split('\n')[1]);
      expect(report).toMatchObject({ ok: false, alert: 'unknown_ca', certificateCheck: { reason: 'unknown_issuer' } });
      expect(report.certificateCheck.detail).toContain('the client presented 21 certificates');
      expect(await client.waitFor(/alert unknown ca/, LIMIT_MS)).toBe(true);
    } finally {
      client.kill();
      server.kill();
    }
  });

  it('refuses at start a certificate and a key that do not belong together', async () => {
    const r = await trunklabAsync(
      ['tls-serve', '0', '--cert', pki.server.ec.cert, '--key', pki.client.ec.key],
      LIMIT_MS,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^trunklab tls-serve: the key in .* does not belong to the certificate in .*\n$/);
  });
});

/** Resolves with undefined after `ms`: the other side of a race with something that should end first. */
function ended(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

/** Polls `condition` until it holds (true) or `ms` pass (false). */
async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (condition()) return true;
  }
  return condition();
}
