/**
 * The annotated field tree of certificates (sim/pki/certificate-fields.ts):
 * every byte explained (checkCoverage) for the cast's certificates and for
 * OpenSSL-made ones, values that agree with node:crypto's reading, and
 * only ParseErrors on damaged bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { certificateFields } from '../../sim/pki/certificate-fields';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { HmacDrbg } from '../../sim/crypto/random';
import { checkCoverage } from '../../sim/wire/coverage';
import { leafFields, type Field } from '../../sim/wire/field';
import { isParseError } from '../../sim/wire/parse-error';
import type { CarrierProfile } from '../../sim/carrier';

const carrier = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../content/carrier.json', import.meta.url)), 'utf8'),
) as CarrierProfile;
const AT = Date.parse('2026-11-26T09:00:00Z');
const casts: Cast[] = [];
beforeAll(async () => {
  casts.push(await buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: AT }));
  casts.push(await buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: AT, keyType: 'rsa-2048' }));
});

const find = (fields: Field[], name: string): Field | undefined => {
  for (const f of fields) {
    if (f.name === name) return f;
    const inner = f.children && find(f.children, name);
    if (inner) return inner;
  }
  return undefined;
};

describe('certificateFields', () => {
  it('explains every byte of every certificate in the cast, ECDSA and RSA, at an offset inside a packet', () => {
    for (const cast of casts) {
      const all = [
        cast.root.certificate,
        ...cast.sbc.chain,
        ...cast.pbx.chain,
        ...cast.attacker.otherCa.chain,
        cast.attacker.selfSigned.chain[0],
      ];
      for (const der of all) {
        const fields = certificateFields(der, 100);
        const report = checkCoverage(100 + der.length, [{ name: 'before', start: 0, end: 100 }, ...fields]);
        expect(report).toEqual({ unexplained: [], misplaced: [] });
        expect(fields[0]).toMatchObject({ name: 'Certificate', layer: 'x509', start: 100, end: 100 + der.length });
      }
    }
  });

  it('reads the SBC certificate as node:crypto does: serial, dates, names', () => {
    const der = casts[0].sbc.chain[0];
    const node = new X509Certificate(der);
    const fields = certificateFields(der);
    expect(find(fields, 'serialNumber')!.value).toBe(node.serialNumber.toLowerCase());
    expect(find(fields, 'notAfter')!.value).toBe(new Date(node.validTo).toISOString().replace('.000', ''));
    expect(find(fields, 'subject')!.value).toBe(`O=${carrier.name}, CN=${carrier.sbc.host}`);
    expect(find(fields, 'version')!.value).toBe('v3 (2)');
    const san = find(fields, 'GeneralNames')!;
    expect(leafFields([san]).map((f) => f.value)).toContain(JSON.stringify(carrier.sbc.host));
    expect(leafFields([san]).map((f) => f.value)).toContain(carrier.sbc.ip);
    // The extensions read by their own structure (RFC 5280 §4.2.1), as node:crypto reads them.
    expect(san.value).toBe(node.subjectAltName!.replace('IP Address:', 'IP:'));
    expect(find(fields, 'ExtKeyUsageSyntax')!.value).toBe(
      node.keyUsage
        .map((oid) => ({ '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth' })[oid])
        .join(', '),
    );
    expect(find(fields, 'BasicConstraints')!.value).toBe(node.ca ? 'CA' : 'not a CA');
    expect(find(fields, 'KeyUsage')!.value).toBe('digitalSignature');
    // The one line a person reads it by: name, issuer, notAfter, purpose.
    expect(fields[0].value).toBe(
      `${carrier.sbc.host}, issued by ${carrier.ca.intermediateName}, valid until ${find(fields, 'notAfter')!.value}, serverAuth`,
    );
    const root = certificateFields(casts[0].root.certificate);
    expect(root[0].value).toMatch(new RegExp(`^${carrier.ca.rootName}, self-signed, valid until \\S+, a CA$`));
    expect(find(fields, 'extensions')!.value).toBe(
      'basicConstraints, keyUsage, extKeyUsage, subjectAltName, subjectKeyIdentifier, authorityKeyIdentifier',
    );
  });

  it('explains every byte of certificates OpenSSL made, including RSA-PSS parameters and IPv6 addresses', () => {
    const pem = execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        '/dev/null',
        '-subj',
        '/C=ZZ/O=Test Carrier/CN=sbc.test.example',
        '-addext',
        'subjectAltName=DNS:sbc.test.example,IP:2001:db8::10,IP:192.0.2.10',
        '-sigopt',
        'rsa_padding_mode:pss',
        '-days',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ).toString();
    const der = new Uint8Array(new X509Certificate(pem).raw);
    const fields = certificateFields(der);
    expect(checkCoverage(der.length, fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(find(fields, 'signatureAlgorithm')!.value).toBe('1.2.840.113549.1.1.10 (RSASSA-PSS)');
    expect(leafFields(fields).map((f) => f.value)).toContain('2001:db8:0:0:0:0:0:10');
  });

  it('throws only ParseError on random or damaged bytes', () => {
    const valid = casts[0].sbc.chain[0];
    const damaged = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean()).map(([at, xor, cut]) => {
      const i = at % valid.length;
      if (cut) return valid.slice(0, i);
      const copy = valid.slice();
      copy[i] ^= xor;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.uint8Array({ maxLength: 200 })), (der) => {
        try {
          const fields = certificateFields(der);
          expect(checkCoverage(der.length, fields).unexplained).toEqual([]);
        } catch (e) {
          if (!isParseError(e)) throw e;
        }
      }),
      { numRuns: 600 },
    );
  });

  it('refuses deep nesting instead of recursing without end', () => {
    const deep = new Uint8Array(200);
    for (let i = 0; i < 100; i++) [deep[2 * i], deep[2 * i + 1]] = [0x30, 198 - 2 * i];
    expect(() => certificateFields(deep)).toThrowError(/./);
    try {
      certificateFields(deep);
    } catch (e) {
      expect(isParseError(e)).toBe(true);
    }
  });
});
