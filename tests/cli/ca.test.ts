/**
 * `trunklab ca`: the test PKI checked by OpenSSL (the SBC's chain verifies
 * as a TLS server chain to the root, with an IP address in its
 * subjectAltName when it was given one, RFC 5280 §4.2.1.6), PBX certificates
 * issued from OpenSSL's CSRs for the purpose asked, and requests refused with
 * one line and exit status 2: a weak key, a signature that does not verify
 * (RFC 2986 §3), a file that is no request.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trunklab } from './trunklab';

let dir: string;
let ca: string;
const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-ca-'));
  ca = join(dir, 'ca');
  const r = await trunklab(['ca', 'init', ca, '--sbc-name', 'sbc.rehearsal.example', '--sbc-name', '192.0.2.7']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/sbc-chain\.pem\s+the SBC’s certificate/);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const root = () => join(ca, 'quillfeather-root-ca.pem');

describe('trunklab ca init', () => {
  it('makes an SBC chain OpenSSL verifies as a TLS server for its DNS name and its address', () => {
    const chain = join(ca, 'sbc-chain.pem');
    const dns = openssl([
      'verify',
      '-purpose',
      'sslserver',
      '-verify_hostname',
      'sbc.rehearsal.example',
      '-CAfile',
      root(),
      '-untrusted',
      chain,
      chain,
    ]);
    expect(dns.status, dns.stdout + dns.stderr).toBe(0);
    const ip = openssl([
      'verify',
      '-purpose',
      'sslserver',
      '-verify_ip',
      '192.0.2.7',
      '-CAfile',
      root(),
      '-untrusted',
      chain,
      chain,
    ]);
    expect(ip.status, ip.stdout + ip.stderr).toBe(0);
    const other = openssl([
      'verify',
      '-verify_hostname',
      'other.example',
      '-CAfile',
      root(),
      '-untrusted',
      chain,
      chain,
    ]);
    expect(other.status).not.toBe(0);
  });
});

describe('trunklab ca sign', () => {
  it.each(['client', 'server', 'both'] as const)('issues a %s certificate from an OpenSSL CSR', async (purpose) => {
    const csr = join(dir, `${purpose}.csr`);
    expect(
      openssl([
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, `${purpose}.key`),
        '-out',
        csr,
        '-subj',
        '/CN=pbx.rehearsal.example',
        '-addext',
        'subjectAltName=DNS:pbx.rehearsal.example',
      ]).status,
    ).toBe(0);
    const out = join(dir, `${purpose}-chain.pem`);
    const r = await trunklab(['ca', 'sign', csr, '--out', out, '--ca-dir', ca, '--purpose', purpose]);
    expect(r.status, r.stderr).toBe(0);
    const eku = execFileSync('openssl', ['x509', '-in', out, '-noout', '-ext', 'extendedKeyUsage'], {
      encoding: 'utf8',
    });
    expect(eku.includes('TLS Web Client Authentication')).toBe(purpose !== 'server');
    expect(eku.includes('TLS Web Server Authentication')).toBe(purpose !== 'client');
    const sslPurpose = purpose === 'server' ? 'sslserver' : 'sslclient';
    const verified = openssl(['verify', '-purpose', sslPurpose, '-CAfile', root(), '-untrusted', out, out]);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  });

  it('refuses a weak key, a broken signature and a file that is no request, with one line and exit 2', async () => {
    expect(
      openssl([
        'req',
        '-new',
        '-newkey',
        'rsa:1024',
        '-nodes',
        '-keyout',
        'weak.key',
        '-out',
        'weak.csr',
        '-subj',
        '/CN=pbx.rehearsal.example',
      ]).status,
    ).toBe(0);
    const good = join(dir, 'client.csr');
    // One bit of the signature flipped: the request no longer verifies with its own key.
    const der = Buffer.from(readFileSync(good, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 1;
    writeFileSync(
      join(dir, 'tampered.csr'),
      `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`,
    );
    writeFileSync(join(dir, 'notes.csr'), 'this is not a certificate request\n');
    for (const [file, reason] of [
      ['weak.csr', 'weak_key'],
      ['tampered.csr', 'bad_signature'],
      ['notes.csr', 'not_a_request'],
    ]) {
      const r = await trunklab(['ca', 'sign', join(dir, file), '--out', join(dir, 'refused.pem'), '--ca-dir', ca]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^trunklab ca sign: .*${file}: refused \\(${reason}\\)`));
    }
  });
});
