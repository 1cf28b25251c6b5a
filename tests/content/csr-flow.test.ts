/**
 * The OpenSSL and trunklab commands the "Establishing trust" article shows,
 * run exactly as shown in a temporary folder (see openssl-workbench.ts): the
 * key and CSR (RFC 2986), the checks on what the carrier sends back, and the
 * mutual TLS handshake against an `openssl s_server` standing in for the SBC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands } from '../../site/components/docs/csr-flow';
import { OpenSslWorkbench } from './openssl-workbench';

describe.each(['keyEc', 'keyRsa'] as const)('the CSR flow with %s, as the article shows it', (keyCommand) => {
  const commands = csrFlowCommands(carrier);
  const files = commands.files;
  let bench: OpenSslWorkbench;

  beforeAll(() => {
    bench = new OpenSslWorkbench(carrier);
  });
  afterAll(() => bench.dispose());

  it('makes a private key only its owner can read', () => {
    const r = bench.shell(commands[keyCommand].command);
    expect(r.status, r.out).toBe(0);
    const text = bench.openssl(['pkey', '-in', files.key, '-noout', '-text']);
    expect(text).toMatch(keyCommand === 'keyEc' ? /ASN1 OID: prime256v1/ : /Private-Key: \(3072 bit/);
    const mode = spawnSync('stat', ['-c', '%a', files.key], { cwd: bench.dir, encoding: 'utf8' }).stdout.trim();
    expect(mode).toBe('600');
  });

  it('makes a CSR naming the PBX, signed by its key (RFC 2986 §4)', () => {
    const made = bench.shell(commands.csr.command);
    expect(made.status, made.out).toBe(0);
    const checked = bench.shell(commands.checkCsr.command);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toContain('Certificate request self-signature verify OK');
    expect(checked.out).toContain(`CN = ${carrier.customer.pbxHost}`);
    expect(checked.out).toContain(`O = ${carrier.customer.name}`);
    expect(checked.out).toContain(`DNS:${carrier.customer.pbxHost}`);
  });

  it('reads the signed certificate, matches it to the key and chains it to the root', () => {
    bench.signLeaf(files.csr, join(bench.dir, files.certificate));

    const read = bench.shell(commands.checkCertificate.command);
    expect(read.status, read.out).toBe(0);
    expect(read.out).toContain(`subject=O = ${carrier.customer.name}, CN = ${carrier.customer.pbxHost}`);
    expect(read.out).toContain(`issuer=CN = ${carrier.ca.intermediateName}`);
    expect(read.out).toMatch(/notAfter=/);
    expect(read.out).toContain(`DNS:${carrier.customer.pbxHost}`);
    expect(read.out).toContain('TLS Web Client Authentication');

    const match = bench.shell(commands.matchKey.command);
    expect(match.status, match.out).toBe(0);
    const digests = match.out
      .trim()
      .split('\n')
      .map((line) => line.split('= ')[1]);
    expect(digests).toHaveLength(2);
    expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(digests[0]).toBe(digests[1]);

    const fingerprint = bench.shell(commands.rootFingerprint.command);
    expect(fingerprint.status, fingerprint.out).toBe(0);
    expect(fingerprint.out).toContain(`subject=CN = ${carrier.ca.rootName}`);
    expect(fingerprint.out).toMatch(/sha256 Fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}/i);

    const verified = bench.shell(commands.verifyChain.command);
    expect(verified.status, verified.out).toBe(0);
    expect(verified.out.trim()).toBe(`${files.certificate}: OK`);
  });

  it('checks the chain file with trunklab cert-check, as the SBC would', () => {
    const made = bench.shell(commands.makeChain.command);
    expect(made.status, made.out).toBe(0);
    const checked = bench.shell(commands.certCheck.command);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toMatch(/^valid: /);
    expect(checked.out).toContain(carrier.customer.pbxHost);
    expect(checked.out).toContain(carrier.ca.rootName);
    // The same command long after: the certificate has expired, and the verdict says so (exit 1).
    const later = bench.shell(`${commands.certCheck.command} --at 2099-01-01`);
    expect(later.status).toBe(1);
    expect(later.out).toMatch(/^invalid \(expired\)/);
  });

  it('completes a mutual TLS handshake with an SBC whose certificate names its host', async () => {
    const sbc = bench.makeServerCertificate(carrier.sbc.host, 'sbc');
    const { result, log } = await bench.withSbc(sbc, (port) =>
      bench.shell(csrFlowCommands(carrier, `127.0.0.1:${port}`).testHandshake.command),
    );
    expect(result.status, result.out).toBe(0);
    expect(result.out).toContain('CONNECTION ESTABLISHED');
    expect(result.out).toContain('Verification: OK');
    expect(result.out).toMatch(/Protocol version: TLSv1\.3/);
    // The SBC stand-in verified the PBX's certificate chain down to the PBX itself.
    expect(log).toContain(`CN = ${carrier.customer.pbxHost}`);
  });

  it('refuses an SBC whose certificate names another host, as the article says it will', async () => {
    const impostor = bench.makeServerCertificate(`sbc.not-${carrier.domain}`, 'impostor');
    const { result } = await bench.withSbc(impostor, (port) =>
      bench.shell(csrFlowCommands(carrier, `127.0.0.1:${port}`).testHandshake.command),
    );
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(/hostname mismatch/);
  });

  it('refuses an SBC whose chain leads to a root the PBX does not trust', async () => {
    // A complete chain (leaf and issuing CA) that ends at a root the PBX never installed.
    const otherRoot = { cert: join(bench.ca, 'other-root.pem'), key: join(bench.ca, 'other-root.key') };
    bench.makeCa('Some Other Root CA', otherRoot);
    const otherIssuing = { cert: join(bench.ca, 'other-issuing.pem'), key: join(bench.ca, 'other-issuing.key') };
    bench.makeCa('Some Other Issuing CA', otherIssuing, otherRoot);
    const stranger = bench.makeServerCertificate(carrier.sbc.host, 'stranger', { issuer: otherIssuing });
    const { result } = await bench.withSbc(stranger, (port) =>
      bench.shell(csrFlowCommands(carrier, `127.0.0.1:${port}`).testHandshake.command),
    );
    expect(result.status).not.toBe(0);
    expect(result.out).toMatch(/unable to get local issuer certificate/);
  });
});
