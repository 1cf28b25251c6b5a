/**
 * The OpenSSL commands the "Establishing trust" article shows, run exactly as
 * shown with OpenSSL 3 in a temporary folder. A test CA stands in for the
 * carrier's (root and issuing CA named as in the carrier profile) and signs
 * the CSR the way a carrier's CA would (RFC 5280 §4.2.1.3 key usage,
 * §4.2.1.12 extended key usage); `openssl s_server` on 127.0.0.1 stands in
 * for the SBC and demands the PBX's certificate (mutual TLS, RFC 8446 §4.3.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands, type CsrCommand } from '../../site/components/docs/csr-flow';

let dir: string;
const ca = () => join(dir, 'carrier-ca');
const bin = () => join(dir, 'bin');
const TRUNKLAB = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));

/** Runs an article command in the folder, as a reader's shell would, with `trunklab` on the PATH. */
function runShown(command: CsrCommand, cwd = dir): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', command.command], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${bin()}:${process.env.PATH}` },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function openssl(args: string[], cwd = dir): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A CA certificate (self-signed root, or signed by `issuer`), as a carrier's PKI would hold. */
function makeCa(name: string, file: string, keyFile: string, issuer?: { cert: string; key: string }) {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
  const ext = join(ca(), `${basename(file)}.ext`);
  writeFileSync(
    ext,
    'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
  );
  if (!issuer) {
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      keyFile,
      '-subj',
      `/CN=${name}`,
      '-days',
      '3650',
      '-out',
      file,
      '-config',
      '/dev/null',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-addext',
      'subjectKeyIdentifier=hash',
    ]);
    return;
  }
  const csr = `${file}.csr`;
  openssl(['req', '-new', '-key', keyFile, '-subj', `/CN=${name}`, '-out', csr]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    issuer.cert,
    '-CAkey',
    issuer.key,
    '-CAcreateserial',
    '-days',
    '1825',
    '-extfile',
    ext,
    '-out',
    file,
  ]);
}

/** Signs a CSR as an end-entity certificate for TLS clients and servers. */
function signLeaf(csr: string, out: string, issuing: string, issuingKey: string) {
  const ext = join(ca(), 'leaf.ext');
  writeFileSync(
    ext,
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth,serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
  );
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    issuing,
    '-CAkey',
    issuingKey,
    '-CAcreateserial',
    '-days',
    '397',
    '-copy_extensions',
    'copy',
    '-extfile',
    ext,
    '-out',
    out,
  ]);
}

/** An SBC certificate for `name`, signed by the test issuing CA unless another issuer is given. */
function makeSbcCertificate(name: string, prefix: string, issuer?: { cert: string; key: string }) {
  const signer = issuer ?? { cert: join(dir, csrFlowCommands(carrier).files.issuing), key: join(ca(), 'issuing.key') };
  const key = join(ca(), `${prefix}.key`);
  const csr = join(ca(), `${prefix}.csr`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  openssl([
    'req',
    '-new',
    '-key',
    key,
    '-subj',
    `/O=${carrier.name}/CN=${name}`,
    '-addext',
    `subjectAltName=DNS:${name}`,
    '-out',
    csr,
  ]);
  const cert = join(ca(), `${prefix}.crt`);
  signLeaf(csr, cert, signer.cert, signer.key);
  return { key, cert, chain: signer.cert };
}

/** `openssl s_server` standing in for the SBC: mutual TLS, one connection, on an ephemeral port. */
async function withSbc<T>(
  sbc: { key: string; cert: string; chain: string },
  files: { root: string },
  use: (port: number) => T,
): Promise<{ result: T; log: string }> {
  const server = spawn(
    'openssl',
    [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-naccept',
      '1',
      '-cert',
      sbc.cert,
      '-key',
      sbc.key,
      '-cert_chain',
      sbc.chain,
      '-Verify',
      '3',
      '-CAfile',
      files.root,
      '-verify_return_error',
    ],
    { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`s_server did not start: ${log}`)), 10_000);
      const look = () => {
        const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      server.stdout.on('data', look);
      server.stderr.on('data', look);
    });
    const result = use(port);
    await new Promise((r) => setTimeout(r, 200));
    return { result, log };
  } finally {
    server.kill();
  }
}

describe.each(['keyEc', 'keyRsa'] as const)('the CSR flow with %s, as the article shows it', (keyCommand) => {
  const commands = csrFlowCommands(carrier);
  const files = commands.files;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trunklab-csr-'));
    mkdirSync(ca());
    // `trunklab` as a reader who installed Secure Trunk Lab has it: a command on the PATH.
    mkdirSync(bin());
    writeFileSync(join(bin(), 'trunklab'), `#!/bin/sh\nexec "${process.execPath}" "${TRUNKLAB}" "$@"\n`);
    chmodSync(join(bin(), 'trunklab'), 0o755);
    makeCa(carrier.ca.rootName, files.root, join(ca(), 'root.key'));
    makeCa(carrier.ca.intermediateName, files.issuing, join(ca(), 'issuing.key'), {
      cert: files.root,
      key: join(ca(), 'root.key'),
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a private key only its owner can read', () => {
    const r = runShown(commands[keyCommand]);
    expect(r.status, r.out).toBe(0);
    const text = openssl(['pkey', '-in', files.key, '-noout', '-text']);
    expect(text).toMatch(keyCommand === 'keyEc' ? /ASN1 OID: prime256v1/ : /Private-Key: \(3072 bit/);
    const mode = spawnSync('stat', ['-c', '%a', files.key], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    expect(mode).toBe('600');
  });

  it('makes a CSR naming the PBX, signed by its key (RFC 2986 §4)', () => {
    const made = runShown(commands.csr);
    expect(made.status, made.out).toBe(0);
    const checked = runShown(commands.checkCsr);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toMatch(/verify OK/);
    expect(checked.out).toContain(`CN = ${carrier.customer.pbxHost}`);
    expect(checked.out).toContain(`O = ${carrier.customer.name}`);
    expect(checked.out).toContain(`DNS:${carrier.customer.pbxHost}`);
  });

  it('reads the signed certificate, matches it to the key and chains it to the root', () => {
    signLeaf(files.csr, files.certificate, files.issuing, join(ca(), 'issuing.key'));

    const read = runShown(commands.checkCertificate);
    expect(read.status, read.out).toBe(0);
    expect(read.out).toContain(`subject=O = ${carrier.customer.name}, CN = ${carrier.customer.pbxHost}`);
    expect(read.out).toContain(`issuer=CN = ${carrier.ca.intermediateName}`);
    expect(read.out).toMatch(/notAfter=/);
    expect(read.out).toContain(`DNS:${carrier.customer.pbxHost}`);
    expect(read.out).toContain('TLS Web Client Authentication');

    const match = runShown(commands.matchKey);
    expect(match.status, match.out).toBe(0);
    const digests = match.out
      .trim()
      .split('\n')
      .map((line) => line.split('= ')[1]);
    expect(digests).toHaveLength(2);
    expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(digests[0]).toBe(digests[1]);

    const fingerprint = runShown(commands.rootFingerprint);
    expect(fingerprint.status, fingerprint.out).toBe(0);
    expect(fingerprint.out).toContain(`subject=CN = ${carrier.ca.rootName}`);
    expect(fingerprint.out).toMatch(/sha256 Fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}/i);

    const verified = runShown(commands.verifyChain);
    expect(verified.status, verified.out).toBe(0);
    expect(verified.out.trim()).toBe(`${files.certificate}: OK`);
  });

  it('checks the chain file with trunklab cert-check, as the SBC would', () => {
    const made = runShown(commands.makeChain);
    expect(made.status, made.out).toBe(0);
    const checked = runShown(commands.certCheck);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toMatch(/^valid: /);
    expect(checked.out).toContain(carrier.customer.pbxHost);
    expect(checked.out).toContain(carrier.ca.rootName);
    // The same command two years on: the certificate has expired, and the verdict says so (exit 1).
    const later = runShown({ ...commands.certCheck, command: `${commands.certCheck.command} --at 2099-01-01` });
    expect(later.status).toBe(1);
    expect(later.out).toMatch(/^invalid \(expired\)/);
  });

  it('completes a mutual TLS handshake with an SBC whose certificate names its host', async () => {
    const sbc = makeSbcCertificate(carrier.sbc.host, 'sbc');
    const { result, log } = await withSbc(sbc, files, (port) =>
      runShown(csrFlowCommands(carrier, `127.0.0.1:${port}`).testHandshake),
    );
    expect(result.status, result.out).toBe(0);
    expect(result.out).toContain('CONNECTION ESTABLISHED');
    expect(result.out).toContain('Verification: OK');
    expect(result.out).toMatch(/Protocol version: TLSv1\.3/);
    // The SBC stand-in verified the PBX's certificate chain (depth 1 is the issuing CA, 0 the PBX).
    expect(log).toContain(`CN = ${carrier.customer.pbxHost}`);
  });

  it('refuses an SBC whose certificate names another host, as the article says it will', async () => {
    const impostor = makeSbcCertificate(`sbc.not-${carrier.domain}`, 'impostor');
    const { result } = await withSbc(impostor, files, (port) =>
      runShown(csrFlowCommands(carrier, `127.0.0.1:${port}`).testHandshake),
    );
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(/hostname mismatch/);
  });

  it('refuses an SBC whose chain leads to a root the PBX does not trust', async () => {
    // A complete chain (leaf and issuing CA) that ends at a root the PBX never installed.
    const otherRoot = { cert: join(ca(), 'other-root.pem'), key: join(ca(), 'other-root.key') };
    makeCa('Some Other Root CA', otherRoot.cert, otherRoot.key);
    const otherIssuing = { cert: join(ca(), 'other-issuing.pem'), key: join(ca(), 'other-issuing.key') };
    makeCa('Some Other Issuing CA', otherIssuing.cert, otherIssuing.key, otherRoot);
    const stranger = makeSbcCertificate(carrier.sbc.host, 'stranger', otherIssuing);
    const { result } = await withSbc(stranger, files, (port) =>
      runShown(csrFlowCommands(carrier, `127.0.0.1:${port}`).testHandshake),
    );
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(/unable to get local issuer certificate/);
  });
});
