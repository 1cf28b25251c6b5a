/**
 * `trunklab cert-check` run as a real child process on the OpenSSL-made
 * matrix (tests/pki/openssl-matrix.ts): the verdict and reason for every
 * reason code, the exit-status contract, and one clear line for unreadable input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AT, buildOpenSslMatrix, type Matrix, type MatrixCase } from '../pki/openssl-matrix';
import { trunklab } from './trunklab';

let matrix: Matrix;
beforeAll(() => {
  matrix = buildOpenSslMatrix();
});
afterAll(() => matrix?.dispose());

const args = (c: MatrixCase) => [
  'cert-check',
  c.chain,
  '--ca',
  c.ca,
  '--at',
  AT,
  '--purpose',
  c.purpose,
  ...(c.host ? ['--host', c.host] : []),
  ...(c.crl ? ['--crl', c.crl] : []),
  '--json',
];

describe('trunklab cert-check verdicts', () => {
  it('gives the right verdict, reason and exit status for one case of each reason code', async () => {
    const seen = new Set<string>();
    // One case per reason code keeps the number of child processes small.
    const picked = matrix.cases.filter((c) => !seen.has(c.expect) && seen.add(c.expect));
    expect(picked).toHaveLength(10);
    for (const c of picked) {
      const r = await trunklab(args(c));
      expect({ case: c.name, status: r.status, stderr: r.stderr }).toEqual({
        case: c.name,
        status: c.expect === 'ok' ? 0 : 1,
        stderr: '',
      });
      const json = JSON.parse(r.stdout);
      expect(json).toMatchObject({ valid: c.expect === 'ok', reason: c.expect });
      expect(typeof json.detail).toBe('string');
      expect(json.chain.length).toBeGreaterThan(0);
      expect(json.chain[0]).toEqual(
        expect.objectContaining({
          subject: expect.any(String),
          notAfter: expect.any(String),
          serial: expect.any(String),
        }),
      );
    }
  });

  it('prints the verdict, the chain and the checks for people', async () => {
    const c = matrix.cases.find((x) => x.expect === 'expired')!;
    const r = await trunklab(args(c).filter((a) => a !== '--json'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^invalid \(expired\): the server’s certificate expired on 2026-03-01; the client’s clock says 2026-11-26\n/,
    );
    expect(r.stdout).toMatch(/chain:\n {2}1\. CN=sbc\.test\.example\n/);
    expect(r.stdout).toMatch(/✗ validity: the server’s certificate expired/);
  });

  it('reads a DER certificate as well as PEM', async () => {
    const r = await trunklab([
      'cert-check',
      matrix.files.leafDer,
      '--ca',
      join(matrix.dir, 'intermediate.crt'),
      '--at',
      AT,
      '--host',
      'sbc.test.example',
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).reason).toBe('ok');
  });
});

describe('trunklab cert-check on input it cannot read', () => {
  const write = (name: string, content: string | Uint8Array) => {
    const path = join(matrix.dir, name);
    writeFileSync(path, content);
    return path;
  };
  const good = () => readFileSync(join(matrix.dir, 'good.pem'), 'utf8');

  const cases: Array<[string, () => string[], RegExp]> = [
    [
      'a missing file',
      () => ['cert-check', join(matrix.dir, 'nope.pem'), '--ca', matrix.files.rootPem],
      /cannot read .*nope\.pem: no such file/,
    ],
    [
      'an empty file',
      () => ['cert-check', write('empty.pem', ''), '--ca', matrix.files.rootPem],
      /empty\.pem is empty/,
    ],
    [
      'garbage',
      () => ['cert-check', write('garbage.pem', 'hello, this is not a certificate\n'), '--ca', matrix.files.rootPem],
      /neither PEM .* nor a DER certificate/,
    ],
    [
      'a truncated PEM',
      () => ['cert-check', write('truncated.pem', good().slice(0, 300)), '--ca', matrix.files.rootPem],
      /PEM block 1 \(CERTIFICATE\): no "-----END CERTIFICATE-----" line; the text was cut off/,
    ],
    [
      'a damaged base64 body',
      () => [
        'cert-check',
        write('base64.pem', good().replace(/^M.{10}/m, 'M!!!!!!!!!!')),
        '--ca',
        matrix.files.rootPem,
      ],
      /PEM block 1 \(CERTIFICATE\): the base64 body is damaged or empty/,
    ],
    [
      'DER that does not parse',
      () => ['cert-check', write('bad.der', Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05)), '--ca', matrix.files.rootPem],
      /bad\.der: DER certificate: not a valid X\.509 certificate/,
    ],
    [
      'DER cut short',
      () => [
        'cert-check',
        write('short.der', readFileSync(matrix.files.leafDer).subarray(0, 200)),
        '--ca',
        matrix.files.rootPem,
      ],
      /short\.der: DER certificate: cut short: 200 of \d+ bytes/,
    ],
    [
      'a private key instead of a certificate',
      () => ['cert-check', matrix.files.leafKey, '--ca', matrix.files.rootPem],
      /no CERTIFICATE block \(found PRIVATE KEY\)/,
    ],
    [
      'a CSR instead of a certificate',
      () => ['cert-check', matrix.files.csr, '--ca', matrix.files.rootPem],
      /no CERTIFICATE block \(found CERTIFICATE REQUEST\)/,
    ],
    [
      'an unreadable --ca',
      () => ['cert-check', join(matrix.dir, 'good.pem'), '--ca', write('ca-garbage.pem', 'x')],
      /ca-garbage\.pem is neither PEM/,
    ],
    ['no --ca', () => ['cert-check', join(matrix.dir, 'good.pem')], /--ca ROOT\.pem is required/],
    [
      'a bad --at',
      () => ['cert-check', join(matrix.dir, 'good.pem'), '--ca', matrix.files.rootPem, '--at', 'yesterday'],
      /--at must be an ISO 8601 time/,
    ],
    [
      'a certificate given as --crl',
      () => ['cert-check', join(matrix.dir, 'good.pem'), '--ca', matrix.files.rootPem, '--crl', matrix.files.rootPem],
      /holds no "X509 CRL" PEM block/,
    ],
    [
      'DER bytes that are not a CRL',
      () => [
        'cert-check',
        join(matrix.dir, 'good.pem'),
        '--ca',
        matrix.files.rootPem,
        '--crl',
        write('not-a-crl.der', '\x30\x03\x02\x01\x00'),
      ],
      /not-a-crl\.der CRL 1: not a certificate revocation list/,
    ],
    [
      'a bad --purpose',
      () => ['cert-check', join(matrix.dir, 'good.pem'), '--ca', matrix.files.rootPem, '--purpose', 'both'],
      /--purpose must be server or client/,
    ],
  ];

  it.each(cases)('%s: exit 2 with one line on stderr and no stack trace', async (_name, argv, message) => {
    const r = await trunklab(argv());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^trunklab cert-check: [^\n]+\n$/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  });
});
