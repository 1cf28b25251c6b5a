/**
 * `trunklab tls-connect` and `trunklab tls-serve` as a support engineer runs
 * them: against OpenSSL and against each other on 127.0.0.1, with the exit
 * codes and JSON of the CLI contract.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trunklab, trunklabAsync, trunklabServer } from './trunklab';
import { buildInteropPki, SERVER_NAME, type InteropPki } from '../tls/openssl-pki';
import { openssl, sServer } from '../tls/openssl-peer';

let pki: InteropPki;
beforeAll(() => {
  pki = buildInteropPki();
});
afterAll(() => pki?.dispose());

const OPTIONS = [
  'OPTIONS sip:sbc.interop.example SIP/2.0',
  'Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKcli1',
  'Max-Forwards: 70',
  'From: <sip:pbx@interop.example>;tag=a1',
  'To: <sip:sbc.interop.example>',
  'Call-ID: cli-test-1@interop.example',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\\r\\n');

describe('trunklab tls-connect', () => {
  it('connects to openssl s_server, checks its certificate, sends, receives, writes the key log', async () => {
    const server = await sServer(['-cert', pki.server.ec.cert, '-key', pki.server.ec.key, '-rev']);
    const keylog = join(pki.dir, 'connect-keys.txt');
    try {
      const r = await trunklabAsync([
        'tls-connect',
        `127.0.0.1:${server.port}`,
        '--ca',
        pki.ca,
        '--servername',
        SERVER_NAME,
        '--send',
        'hello sbc\\n',
        '--keylog',
        keylog,
        '--json',
      ]);
      expect(r.status, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json).toMatchObject({
        ok: true,
        version: 'TLS 1.3',
        alert: null,
        certificateCheck: { valid: true, reason: 'ok' },
      });
      expect(json.received).toContain('cbs olleh');
      expect(existsSync(keylog)).toBe(true);
      expect(readFileSync(keylog, 'utf8')).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64}$/m);
    } finally {
      server.kill();
    }
  });

  it('exits 1 and names the alert when the server certificate comes from an unknown CA', async () => {
    const server = await sServer(['-cert', pki.server.otherCa.cert, '-key', pki.server.otherCa.key, '-tls1_2']);
    try {
      const r = await trunklabAsync([
        'tls-connect',
        `127.0.0.1:${server.port}`,
        '--ca',
        pki.ca,
        '--servername',
        SERVER_NAME,
        '--json',
      ]);
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: false,
        alert: 'unknown_ca',
        alertCode: 48,
        alertFrom: 'us',
        certificateCheck: { valid: false, reason: 'unknown_issuer' },
      });
    } finally {
      server.kill();
    }
  });

  it('exits 2 with one line for bad usage and unreadable files', async () => {
    for (const args of [
      ['tls-connect'],
      ['tls-connect', 'no-port'],
      ['tls-connect', '127.0.0.1:1', '--tls', '1.1'],
      ['tls-connect', '127.0.0.1:1', '--cert', pki.client.ec.cert],
      ['tls-connect', '127.0.0.1:1', '--ca', join(pki.dir, 'missing.pem')],
      ['tls-connect', '127.0.0.1:1', '--ca', pki.server.ec.key],
    ]) {
      const r = await trunklab(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('trunklab tls-serve', () => {
  it('answers SIP OPTIONS with 200 OK over mutual TLS, then ends with --once', async () => {
    const server = await trunklabServer([
      '--cert',
      pki.server.ec.cert,
      '--key',
      pki.server.ec.key,
      '--ca',
      pki.ca,
      '--require-client-cert',
      '--once',
    ]);
    try {
      const r = await trunklabAsync([
        'tls-connect',
        `127.0.0.1:${server.port}`,
        '--ca',
        pki.ca,
        '--servername',
        SERVER_NAME,
        '--cert',
        pki.client.ec.cert,
        '--key',
        pki.client.ec.key,
        '--send',
        OPTIONS,
        '--json',
      ]);
      expect(r.status, r.stderr + r.stdout).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json).toMatchObject({ ok: true, clientCertificateSent: true, clientCertificateAccepted: true });
      expect(json.received).toMatch(/^SIP\/2.0 200 OK\r\n/);
      expect(json.received).toContain('CSeq: 1 OPTIONS');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('OPTIONS → 200');
    } finally {
      server.kill();
    }
  });

  it('refuses a client without a certificate: certificate_required on both sides, exit 1', async () => {
    const server = await trunklabServer([
      '--cert',
      pki.server.rsa.cert,
      '--key',
      pki.server.rsa.key,
      '--ca',
      pki.ca,
      '--require-client-cert',
      '--once',
    ]);
    try {
      const r = await trunklabAsync([
        'tls-connect',
        `127.0.0.1:${server.port}`,
        '--ca',
        pki.ca,
        '--servername',
        SERVER_NAME,
        '--json',
      ]);
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, alert: 'certificate_required', alertFrom: 'peer' });
      expect(await server.exited).toBe(1);
      expect(server.output()).toMatch(/alert certificate_required \(116\) sent/);
    } finally {
      server.kill();
    }
  });

  it('serves openssl s_client over TLS 1.2', async () => {
    const server = await trunklabServer([
      '--cert',
      pki.server.rsa.cert,
      '--key',
      pki.server.rsa.key,
      '--tls',
      '1.2',
      '--once',
    ]);
    const client = openssl([
      's_client',
      '-connect',
      `127.0.0.1:${server.port}`,
      '-CAfile',
      pki.ca,
      '-servername',
      SERVER_NAME,
      '-verify_return_error',
      '-brief',
    ]);
    try {
      expect(await client.waitFor('Verification: OK')).toBe(true);
      client.proc.stdin.write(OPTIONS.replace(/\\r\\n/g, '\r\n'));
      expect(await client.waitFor('SIP/2.0 200 OK')).toBe(true);
      client.proc.stdin.end();
      expect(await server.exited).toBe(0);
      expect(server.output()).toMatch(/TLS 1\.2 with TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256/);
    } finally {
      client.kill();
      server.kill();
    }
  });

  it('exits 2 without a certificate and key', async () => {
    const r = await trunklab(['tls-serve', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--cert and --key are required');
  });
});
