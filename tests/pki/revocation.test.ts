/**
 * The lab CA's certificate revocation list (sim/pki/revocation.ts, RFC 5280
 * §5) read by OpenSSL, which we did not write: `openssl crl` decodes it and
 * verifies its signature with the issuing CA's key, and `openssl verify
 * -crl_check` finds the PBX's certificate revoked with it (error 23), and a
 * good one not. The engine's own check ignores CRLs that are not the
 * issuer's or not current (RFC 5280 §6.3.3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carrierCast, issuingCaCrl } from '../../sim/scenarios/credentials';
import { RUN_START } from '../../sim/scenarios/run-scenario';
import { toPem } from '../../sim/pki/pem';
import { parseCertificate } from '../../sim/pki/certificate';
import { checkRevocation, issueCrl } from '../../sim/pki/revocation';
import type { Cast } from '../../sim/pki/cast';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

const profile = carrier as CarrierProfile;
const at = Date.parse(RUN_START);
const DAY = 86_400_000;
let dir: string;
let cast: Cast;
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-crl-'));
  cast = await carrierCast(profile, 'ecdsa-p256', at);
  file('root.pem', toPem('CERTIFICATE', cast.anchors[0]));
  file('issuing.pem', toPem('CERTIFICATE', cast.intermediate.certificate));
  file('pbx.pem', toPem('CERTIFICATE', cast.pbx.chain[0]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function verify(crl: string): { status: number | null; out: string } {
  const r = spawnSync(
    'openssl',
    ['verify', '-crl_check', '-attime', String(at / 1000), '-CAfile', join(dir, 'root.pem')].concat([
      '-untrusted',
      join(dir, 'issuing.pem'),
      '-CRLfile',
      crl,
      '-purpose',
      'sslclient',
      join(dir, 'pbx.pem'),
    ]),
    { encoding: 'utf8' },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the issuing CA’s CRL, read by OpenSSL', () => {
  it('decodes, verifies with the issuing CA’s key, and lists the PBX certificate for a key compromise', async () => {
    const crl = file('revoked.crl.pem', toPem('X509 CRL', await issuingCaCrl(cast, profile, at, true)));
    const text = execFileSync('openssl', ['crl', '-in', crl, '-noout', '-text', '-CAfile', join(dir, 'issuing.pem')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const serial = parseCertificate(cast.pbx.chain[0]).serialNumber.toUpperCase();
    expect(text).toContain(`Issuer: O = ${profile.name}, CN = ${profile.ca.intermediateName}`);
    expect(text).toMatch(new RegExp(`Serial Number: ${serial}`));
    expect(text).toContain('Key Compromise');
    expect(text).toMatch(/X509v3 CRL Number:\s+2/);
    // `-CAfile` makes openssl crl check the signature; it says so on stderr.
    const signature = spawnSync('openssl', ['crl', '-in', crl, '-noout', '-CAfile', join(dir, 'issuing.pem')], {
      encoding: 'utf8',
    });
    expect(signature.stderr).toMatch(/verify OK/);
  });

  it('makes openssl verify refuse the PBX certificate as revoked (error 23)', async () => {
    const crl = file('revoked.crl.pem', toPem('X509 CRL', await issuingCaCrl(cast, profile, at, true)));
    const r = verify(crl);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/error 23 at 0 depth lookup: certificate revoked/);
  });

  it('an empty CRL leaves the same certificate good', async () => {
    const crl = file('empty.crl.pem', toPem('X509 CRL', await issuingCaCrl(cast, profile, at, false)));
    const r = verify(crl);
    expect(r.out).toMatch(/: OK/);
    expect(r.status).toBe(0);
  });
});

describe('checkRevocation (RFC 5280 §6.3.3)', () => {
  const pbx = () => parseCertificate(cast.pbx.chain[0]);
  const issuing = () => parseCertificate(cast.intermediate.certificate);
  const revokedBy = (privateKey: Cast['root']['privateKey'], thisUpdate = at - DAY, nextUpdate = at + 6 * DAY) =>
    issueCrl(
      { name: issuing().subjectName, privateKey },
      {
        thisUpdate,
        nextUpdate,
        number: 9,
        revoked: [{ serial: pbx().serialNumber, at: at - DAY, reason: 'keyCompromise' }],
      },
    );

  it('finds a listed certificate revoked, with its date and reason', async () => {
    const r = await checkRevocation(pbx(), issuing(), [await revokedBy(cast.intermediate.privateKey)], at);
    expect(r).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
  });

  it('ignores a CRL under the issuer’s name that another key signed', async () => {
    const r = await checkRevocation(pbx(), issuing(), [await revokedBy(cast.attacker.privateKey)], at);
    expect(r.status).toBe('unknown');
    expect(r.detail).toMatch(/signature does not verify/);
  });

  it('ignores a CRL that is no longer current', async () => {
    const stale = await revokedBy(cast.intermediate.privateKey, at - 30 * DAY, at - 23 * DAY);
    const r = await checkRevocation(pbx(), issuing(), [stale], at);
    expect(r.status).toBe('unknown');
    expect(r.detail).toMatch(/not current/);
  });

  it('ignores bytes that are not a CRL', async () => {
    const r = await checkRevocation(pbx(), issuing(), [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)], at);
    expect(r).toMatchObject({ status: 'unknown' });
  });
});
