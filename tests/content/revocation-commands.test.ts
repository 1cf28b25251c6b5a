/**
 * The certificate lifecycle article's revocation commands, run as shown in
 * a folder laid out as the reader's: the PBX's certificate from the CSR
 * flow, signed by a test issuing CA, and that CA's CRL (RFC 5280 §5) with
 * and without the certificate's serial number on it. OpenSSL reads the CRL
 * and refuses the revoked certificate (error 23); trunklab says `revoked`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { carrier } from '../../site/components/docs/carrier-profile';
import { csrFlowCommands } from '../../site/components/docs/csr-flow';
import { revocationCommands } from '../../site/components/docs/revocation-commands';
import { parsePrivateKeyPem } from '../../sim/pki/keys';
import { parseCertificatesPem } from '../../sim/pki/keys';
import { parseCertificate } from '../../sim/pki/certificate';
import { toPem } from '../../sim/pki/pem';
import { issueCrl } from '../../sim/pki/revocation';
import { OpenSslWorkbench } from './openssl-workbench';

const DAY = 86_400_000;
const r = revocationCommands(carrier);

describe('revocation, checked as the article shows', () => {
  let bench: OpenSslWorkbench;
  let serial: string;

  /** The issuing CA's CRL, written where the reader keeps it, revoking the PBX certificate or nothing. */
  async function publishCrl(revokePbx: boolean): Promise<void> {
    const issuing = parseCertificate(parseCertificatesPem(readFileSync(bench.issuing.cert, 'utf8'))[0]);
    const der = await issueCrl(
      { name: issuing.subjectName, privateKey: parsePrivateKeyPem(readFileSync(bench.issuing.key, 'utf8')) },
      {
        thisUpdate: Date.now() - DAY,
        nextUpdate: Date.now() + 7 * DAY,
        number: revokePbx ? 2 : 1,
        revoked: revokePbx ? [{ serial, at: Date.now() - DAY, reason: 'keyCompromise' }] : [],
      },
    );
    writeFileSync(join(bench.dir, r.files.crl), toPem('X509 CRL', der));
  }

  beforeAll(() => {
    bench = new OpenSslWorkbench(carrier);
    const flow = csrFlowCommands(carrier);
    for (const step of [flow.keyEc, flow.csr]) expect(bench.shell(step.command).status).toBe(0);
    bench.signLeaf(flow.files.csr, join(bench.dir, flow.files.certificate));
    expect(bench.shell(flow.makeChain.command).status).toBe(0);
    const out = bench.shell(r.serial).out;
    serial = /serial=([0-9A-F]+)/.exec(out)![1].toLowerCase();
  });
  afterAll(() => bench.dispose());

  it('reads the CRL: its issuer, its dates and the revoked serial with its reason', async () => {
    await publishCrl(true);
    const read = bench.shell(r.readCrl);
    expect(read.status, read.out).toBe(0);
    expect(read.out).toContain(`Issuer: CN = ${carrier.ca.intermediateName}`);
    expect(read.out).toMatch(/Next Update:/);
    expect(read.out).toContain(`Serial Number: ${serial.toUpperCase()}`);
    expect(read.out).toContain('Key Compromise');
  });

  it('openssl verify refuses a revoked certificate (error 23) and trunklab says revoked', async () => {
    await publishCrl(true);
    const verify = bench.shell(r.verifyWithCrl);
    expect(verify.status).not.toBe(0);
    expect(verify.out).toMatch(/error 23 at 0 depth lookup: certificate revoked/);
    const checked = bench.shell(r.certCheckWithCrl);
    expect(checked.status).toBe(1);
    expect(checked.out).toMatch(/^invalid \(revoked\)/);
  });

  it('with a CRL that does not list it, both find the certificate good', async () => {
    await publishCrl(false);
    const verify = bench.shell(r.verifyWithCrl);
    expect(verify.status, verify.out).toBe(0);
    expect(verify.out).toMatch(/: OK/);
    const checked = bench.shell(r.certCheckWithCrl);
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toMatch(/^valid: /);
  });
});
