/**
 * Reading keys and certificates (sim/pki/keys.ts, pem.ts, certificate.ts) from
 * what OpenSSL writes, compared with what node:crypto reads from the same files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificatesPem, parsePrivateKeyPem, publicKeyOfCertificate } from '../../sim/pki/keys';
import { readPemBlocks, toPem } from '../../sim/pki/pem';
import { ecdsaP256Sign } from '../../sim/crypto/ecdsa';
import { rsaPkcs1Sign } from '../../sim/crypto/rsa';
import { toHex, utf8 } from '../../sim/wire/bytes';
import { verify } from 'node:crypto';

let dir: string;
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const b64big = (s: string) => BigInt('0x' + Buffer.from(s, 'base64url').toString('hex'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trunklab-keys-'));
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa-pkcs8.pem');
  openssl('rsa', '-in', 'rsa-pkcs8.pem', '-traditional', '-out', 'rsa-pkcs1.pem');
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-out', 'ec-sec1.pem');
  openssl('pkey', '-in', 'ec-sec1.pem', '-out', 'ec-pkcs8.pem');
  openssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'req-key.pem',
    '-subj',
    '/CN=pbx.test.example',
    '-out',
    'req.csr',
  );
  openssl('genpkey', '-algorithm', 'ed25519', '-out', 'ed25519.pem');
  openssl('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'p384.pem');
  openssl('pkey', '-in', 'rsa-pkcs8.pem', '-aes-128-cbc', '-passout', 'pass:x', '-out', 'encrypted.pem');
  openssl(
    'rsa',
    '-in',
    'rsa-pkcs8.pem',
    '-traditional',
    '-aes128',
    '-passout',
    'pass:x',
    '-out',
    'encrypted-legacy.pem',
  );
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'ec-sec1.pem',
    '-subj',
    '/CN=ec.test.example',
    '-days',
    '2',
    '-out',
    'ec.crt',
  );
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'rsa-pkcs8.pem',
    '-subj',
    '/CN=rsa.test.example',
    '-days',
    '2',
    '-out',
    'rsa.crt',
  );
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'ed25519.pem',
    '-subj',
    '/CN=ed.test.example',
    '-days',
    '2',
    '-out',
    'ed.crt',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parsePrivateKeyPem', () => {
  it.each(['rsa-pkcs8.pem', 'rsa-pkcs1.pem'])(
    'reads an RSA key from %s with the same numbers node:crypto reads',
    (name) => {
      const key = parsePrivateKeyPem(readFileSync(file(name), 'utf8'));
      const jwk = createPrivateKey(readFileSync(file(name))).export({ format: 'jwk' }) as Record<string, string>;
      expect(key.kind).toBe('rsa');
      if (key.kind !== 'rsa') return;
      for (const part of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const)
        expect(key.key[part]).toBe(b64big(jwk[part]));
    },
  );

  it.each(['ec-sec1.pem', 'ec-pkcs8.pem', 'req-key.pem'])(
    'reads a P-256 key from %s that signs what node:crypto verifies',
    (name) => {
      const key = parsePrivateKeyPem(readFileSync(file(name), 'utf8'));
      expect(key.kind).toBe('ecdsa-p256');
      if (key.kind !== 'ecdsa-p256') return;
      const jwk = createPrivateKey(readFileSync(file(name))).export({ format: 'jwk' }) as Record<string, string>;
      expect(toHex(key.d)).toBe(Buffer.from(jwk.d, 'base64url').toString('hex'));
      const message = utf8('REGISTER sip:trunks.test.example SIP/2.0');
      const signature = ecdsaP256Sign(key.d, message);
      expect(verify('sha256', message, createPublicKey(readFileSync(file(name))), signature)).toBe(true);
    },
  );

  it('skips the EC PARAMETERS block that `openssl ecparam -genkey` writes first', () => {
    const text = readFileSync(file('ec-sec1.pem'), 'utf8');
    expect(readPemBlocks(text).map((b) => b.label)).toEqual(['EC PARAMETERS', 'EC PRIVATE KEY']);
    expect(parsePrivateKeyPem(text).kind).toBe('ecdsa-p256');
  });

  it.each([
    ['ed25519.pem', /Ed25519 \(1\.3\.101\.112\) keys are not supported/],
    ['p384.pem', /P-384 \(1\.3\.132\.0\.34\) keys are not supported/],
    ['encrypted.pem', /the private key is encrypted; decrypt it first/],
    ['encrypted-legacy.pem', /encrypted \(Proc-Type\/DEK-Info headers\)/],
    ['ec.crt', /no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block \(found CERTIFICATE\)/],
  ])('refuses %s with a ParseError that says why', (name, message) => {
    expect(() => parsePrivateKeyPem(readFileSync(file(name), 'utf8'))).toThrowError(message);
    try {
      parsePrivateKeyPem(readFileSync(file(name), 'utf8'));
    } catch (e) {
      expect((e as Error).name).toBe('ParseError');
    }
  });

  it('refuses an RSA key whose parts disagree', () => {
    const der = readPemBlocks(readFileSync(file('rsa-pkcs1.pem'), 'utf8'))[0].der;
    // The modulus starts at byte 11 (SEQUENCE header, version, INTEGER header of n); change one of its bytes.
    const bent = der.slice();
    bent[40] ^= 0x01;
    expect(() => parsePrivateKeyPem(toPem('RSA PRIVATE KEY', bent))).toThrowError(/p·q is not n/);
  });
});

describe('publicKeyOfCertificate and parseCertificatesPem', () => {
  it('gives the P-256 point and RSA modulus that node:crypto reads from the same certificates', async () => {
    const [ec] = parseCertificatesPem(readFileSync(file('ec.crt'), 'utf8'));
    const ecKey = publicKeyOfCertificate(ec);
    const ecJwk = createPublicKey(readFileSync(file('ec.crt'))).export({ format: 'jwk' }) as Record<string, string>;
    expect(ecKey.kind === 'ecdsa-p256' && toHex(ecKey.point)).toBe(
      '04' + Buffer.from(ecJwk.x, 'base64url').toString('hex') + Buffer.from(ecJwk.y, 'base64url').toString('hex'),
    );
    const [rsa] = parseCertificatesPem(readFileSync(file('rsa.crt'), 'utf8'));
    const rsaKey = publicKeyOfCertificate(rsa);
    const rsaJwk = createPublicKey(readFileSync(file('rsa.crt'))).export({ format: 'jwk' }) as Record<string, string>;
    expect(rsaKey.kind === 'rsa' && rsaKey.key).toEqual({ n: b64big(rsaJwk.n), e: b64big(rsaJwk.e) });
    // And the private key that belongs to it signs what the certificate's key verifies.
    const priv = parsePrivateKeyPem(readFileSync(file('rsa-pkcs8.pem'), 'utf8'));
    if (priv.kind === 'rsa' && rsaKey.kind === 'rsa') expect(priv.key.n).toBe(rsaKey.key.n);
    const sig = priv.kind === 'rsa' ? await rsaPkcs1Sign(priv.key, 'sha256', utf8('x')) : new Uint8Array();
    expect(verify('sha256', utf8('x'), createPublicKey(readFileSync(file('rsa.crt'))), sig)).toBe(true);
  });

  it('refuses a certificate whose key the engine does not speak', () => {
    const [ed] = parseCertificatesPem(readFileSync(file('ed.crt'), 'utf8'));
    expect(() => publicKeyOfCertificate(ed)).toThrowError(/Ed25519 \(1\.3\.101\.112\) keys are not supported/);
  });

  it('reads every CERTIFICATE block in order, skipping keys and explanatory text', () => {
    const text = `Issued to the SBC\n${readFileSync(file('ec.crt'), 'utf8')}${readFileSync(file('rsa-pkcs8.pem'), 'utf8')}and its CA:\n${readFileSync(file('rsa.crt'), 'utf8')}`;
    const ders = parseCertificatesPem(text);
    expect(ders).toHaveLength(2);
    expect(toPem('CERTIFICATE', ders[1])).toBe(readFileSync(file('rsa.crt'), 'utf8'));
  });

  it('refuses bytes that decode but are not DER, and a signatureAlgorithm that is not the signed one', () => {
    const [der] = parseCertificatesPem(readFileSync(file('ec.crt'), 'utf8'));
    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1).
    const lengthOf = (at: number) =>
      der[at + 1] < 0x80
        ? [2, der[at + 1]]
        : [2 + (der[at + 1] & 0x7f), parseInt(toHex(der.subarray(at + 2, at + 2 + (der[at + 1] & 0x7f))), 16)];
    const [outerHeader] = lengthOf(0);
    const [tbsHeader, tbsLength] = lengthOf(outerHeader);
    const algorithm = outerHeader + tbsHeader + tbsLength;
    expect(der[algorithm]).toBe(0x30);
    // The outer AlgorithmIdentifier under a context tag [16] instead of SEQUENCE: the library would read past it.
    const retagged = der.slice();
    retagged[algorithm] = 0xb0;
    expect(() => parseCertificatesPem(toPem('CERTIFICATE', retagged))).toThrowError(
      new RegExp(`^PEM block 1 \\(CERTIFICATE\\): not DER: byte ${algorithm} \\(0xb0\\)`),
    );
    // ecdsa-with-SHA256 (1.2.840.10045.4.3.2) outside, while the signed part still says SHA-256: now SHA-384 (…4.3.3).
    const oid = toHex(der).indexOf('2a8648ce3d040302', algorithm * 2) / 2;
    expect(oid).toBeGreaterThan(algorithm);
    const swapped = der.slice();
    swapped[oid + 7] = 0x03;
    expect(() => parseCertificatesPem(toPem('CERTIFICATE', swapped))).toThrowError(/RFC 5280 §4\.1\.1\.2/);
  });

  it('names the block that is damaged', () => {
    const two = readFileSync(file('ec.crt'), 'utf8') + readFileSync(file('rsa.crt'), 'utf8').replace(/^MII/m, 'XII');
    expect(() => parseCertificatesPem(two)).toThrowError(
      /^PEM block 2 \(CERTIFICATE\): not DER: the first byte is 0x5c/,
    );
  });
});
