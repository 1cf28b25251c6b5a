/**
 * The cast (sim/pki/cast.ts): reproducible from the seed, each certificate
 * judged as the scenarios need by validateChain, and all of it accepted or
 * refused by OpenSSL the same way (`openssl verify`, `openssl req -verify`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { buildCast, type Cast, type CastKeyType } from '../../sim/pki/cast';
import { publicKeyOfCertificate } from '../../sim/pki/keys';
import { toPem } from '../../sim/pki/pem';
import { validateChain, type CertificateReason } from '../../sim/pki/validate';
import { HmacDrbg } from '../../sim/crypto/random';
import { toHex } from '../../sim/wire/bytes';
import type { CarrierProfile } from '../../sim/carrier';

const carrier = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../content/carrier.json', import.meta.url)), 'utf8'),
) as CarrierProfile;
const AT = Date.parse('2026-11-26T09:00:00Z');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-cast-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const allDer = (c: Cast) => [
  c.root.certificate,
  c.intermediate.certificate,
  ...c.sbc.chain,
  ...c.pbx.chain,
  c.pbx.csr,
  ...Object.values(c.attacker).flatMap((x) => ('chain' in x ? x.chain : [])),
];

describe.each(['ecdsa-p256', 'rsa-2048'] as CastKeyType[])('the %s cast', (keyType) => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: AT, keyType });
  });

  it('repeats byte for byte from the same seed and time, and changes with the seed', async () => {
    const again = await buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: AT, keyType });
    expect(allDer(again).map(toHex)).toEqual(allDer(cast).map(toHex));
    const other = await buildCast({ carrier, random: HmacDrbg.fromSeed(2), at: AT, keyType });
    expect(toHex(other.sbc.chain[0])).not.toBe(toHex(cast.sbc.chain[0]));
  });

  it('names the SBC and the PBX from the carrier profile, with the right purposes', () => {
    const sbc = new NodeX509(cast.sbc.chain[0]);
    expect(sbc.subjectAltName).toBe(`DNS:${carrier.sbc.host}, IP Address:${carrier.sbc.ip}`);
    expect(sbc.issuer).toContain(`CN=${carrier.ca.intermediateName}`);
    expect(sbc.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const pbx = new NodeX509(cast.pbx.chain[0]);
    expect(pbx.subjectAltName).toBe(`DNS:${carrier.customer.pbxHost}`);
    expect(pbx.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(new NodeX509(cast.root.certificate).ca).toBe(true);
    expect(new Date(sbc.validTo).getTime()).toBeGreaterThan(AT);
    expect(new Date(sbc.validFrom).getTime()).toBeLessThan(AT);
  });

  it('gives each party a private key that belongs to its certificate, except the copied SBC certificate', () => {
    const pub = (der: Uint8Array) => publicKeyOfCertificate(der);
    const matches = (der: Uint8Array, key: Cast['sbc']['privateKey']) => {
      const p = pub(der);
      return p.kind === 'rsa'
        ? key.kind === 'rsa' && key.key.n === p.key.n
        : key.kind === 'ecdsa-p256' && toHex(key.publicKey) === toHex(p.point);
    };
    expect(matches(cast.sbc.chain[0], cast.sbc.privateKey)).toBe(true);
    expect(matches(cast.pbx.chain[0], cast.pbx.privateKey)).toBe(true);
    expect(matches(cast.attacker.selfSigned.chain[0], cast.attacker.privateKey)).toBe(true);
    expect(matches(cast.attacker.copiedSbc.chain[0], cast.attacker.copiedSbc.privateKey)).toBe(false);
    expect(cast.keyType).toBe(keyType);
    expect(pub(cast.sbc.chain[0]).kind).toBe(keyType === 'rsa-2048' ? 'rsa' : 'ecdsa-p256');
  });

  const expectations: Array<[string, (c: Cast) => Uint8Array[], 'server' | 'client', CertificateReason]> = [
    ['SBC', (c) => c.sbc.chain, 'server', 'ok'],
    ['PBX', (c) => c.pbx.chain, 'client', 'ok'],
    ['attacker, self-signed', (c) => c.attacker.selfSigned.chain, 'server', 'self_signed'],
    ['attacker, another CA', (c) => c.attacker.otherCa.chain, 'server', 'unknown_issuer'],
    ['attacker, another name', (c) => c.attacker.otherName.chain, 'server', 'name_mismatch'],
    ['attacker, expired', (c) => c.attacker.expired.chain, 'server', 'expired'],
    ['attacker, not yet valid', (c) => c.attacker.notYetValid.chain, 'server', 'not_yet_valid'],
    ['attacker, copy of the SBC certificate', (c) => c.attacker.copiedSbc.chain, 'server', 'ok'],
  ];

  it.each(expectations)(
    '%s: validateChain says %s/%s and openssl verify agrees',
    async (_name, chainOf, purpose, reason) => {
      const chain = chainOf(cast);
      const host = purpose === 'server' ? carrier.sbc.host : undefined;
      const r = await validateChain(chain, { anchors: cast.anchors, at: AT, host, purpose });
      expect(r.reason).toBe(reason);
      writeFileSync(join(dir, 'root.pem'), toPem('CERTIFICATE', cast.root.certificate));
      writeFileSync(join(dir, 'leaf.pem'), toPem('CERTIFICATE', chain[0]));
      writeFileSync(
        join(dir, 'rest.pem'),
        chain
          .slice(1)
          .map((d) => toPem('CERTIFICATE', d))
          .join('') || toPem('CERTIFICATE', chain[0]),
      );
      const args = [
        'verify',
        '-CAfile',
        join(dir, 'root.pem'),
        '-untrusted',
        join(dir, 'rest.pem'),
        '-attime',
        String(AT / 1000),
        '-purpose',
        purpose === 'server' ? 'sslserver' : 'sslclient',
        ...(host ? ['-verify_hostname', host] : []),
        join(dir, 'leaf.pem'),
      ];
      let ok = true;
      try {
        execFileSync('openssl', args, { stdio: 'pipe' });
      } catch {
        ok = false;
      }
      expect(ok).toBe(reason === 'ok');
    },
  );

  it('the PBX certificate request verifies with openssl and carries the PBX name', () => {
    writeFileSync(join(dir, 'pbx.csr'), toPem('CERTIFICATE REQUEST', cast.pbx.csr));
    const out = execFileSync('openssl', ['req', '-in', join(dir, 'pbx.csr'), '-verify', '-noout', '-text'], {
      stdio: 'pipe',
    }).toString();
    expect(out).toContain(`CN = ${carrier.customer.pbxHost}`);
    expect(out).toContain(`DNS:${carrier.customer.pbxHost}`);
  });
});

describe('buildCast timing', () => {
  it('places validity periods around the chosen time', async () => {
    const later = Date.parse('2031-05-01T12:00:00Z');
    const cast = await buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: later });
    const r = await validateChain(cast.sbc.chain, {
      anchors: cast.anchors,
      at: later,
      host: carrier.sbc.host,
      purpose: 'server',
    });
    expect(r.reason).toBe('ok');
    const stale = await validateChain(cast.sbc.chain, {
      anchors: cast.anchors,
      at: later + 400 * 86_400_000,
      host: carrier.sbc.host,
      purpose: 'server',
    });
    expect(stale.reason).toBe('expired');
  });
});
