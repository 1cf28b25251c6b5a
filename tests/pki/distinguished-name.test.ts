/**
 * sim/pki/distinguished-name.ts writes a certificate's subject and issuer
 * from the DER without @peculiar/x509; the library's strings are the
 * reference (the lab and the other commands show them). Compared on every
 * certificate the tests make — the lab's cast, the OpenSSL-made interop PKI
 * and certificate matrix, one OpenSSL certificate with a subject full of
 * characters RFC 4514 §2.4 escapes — and on Names built byte by byte with
 * every string type, a multi-valued RDN and types the library knows no name for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Name, X509Certificate } from '@peculiar/x509';
import { buildCast } from '../../sim/pki/cast';
import { certificateNames } from '../../sim/pki/certificate-names';
import { formatDistinguishedName } from '../../sim/pki/distinguished-name';
import { readPemBlocks } from '../../sim/pki/pem';
import { HmacDrbg } from '../../sim/crypto/random';
import { utf8 } from '../../sim/wire/bytes';
import type { CarrierProfile } from '../../sim/carrier';
import { buildInteropPki, type InteropPki } from '../tls/openssl-pki';
import { buildOpenSslMatrix, type Matrix } from './openssl-matrix';

const AT = '2026-11-26T09:00:00Z';
const carrier = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../content/carrier.json', import.meta.url)), 'utf8'),
) as CarrierProfile;

/** Ours beside the library's, for one certificate. */
function bothWays(der: Uint8Array) {
  const names = certificateNames(der);
  const library = new X509Certificate(der as Uint8Array<ArrayBuffer>);
  return {
    ours: names && { subject: formatDistinguishedName(names.subject), issuer: formatDistinguishedName(names.issuer) },
    library: { subject: library.subject, issuer: library.issuer },
  };
}

/** Every CERTIFICATE block of every PEM file under `dir`. */
function certificatesUnder(dir: string): Uint8Array[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && /\.(crt|pem)$/.test(path))
    .flatMap((path) => readPemBlocks(readFileSync(path, 'utf8')))
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => block.der);
}

describe('certificate subject and issuer, as @peculiar/x509 writes them', () => {
  for (const keyType of ['ecdsa-p256', 'rsa-2048'] as const) {
    it(`the lab's cast (${keyType})`, async () => {
      const cast = await buildCast({ carrier, random: HmacDrbg.fromSeed(1), at: Date.parse(AT), keyType });
      const all = [
        cast.root.certificate,
        cast.intermediate.certificate,
        ...cast.sbc.chain,
        ...cast.pbx.chain,
        ...Object.values(cast.attacker).flatMap((x) => ('chain' in x ? x.chain : [])),
        cast.attacker.otherCa.root,
      ];
      for (const der of all) {
        const { ours, library } = bothWays(der);
        expect(ours).toEqual(library);
      }
    });
  }

  describe('made by OpenSSL', () => {
    let interop: InteropPki;
    let matrix: Matrix;
    let dir: string;
    beforeAll(() => {
      interop = buildInteropPki();
      matrix = buildOpenSslMatrix();
      dir = mkdtempSync(join(tmpdir(), 'trunklab-dn-'));
    });
    afterAll(() => {
      interop.dispose();
      matrix.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the interop PKI and the certificate matrix', () => {
      const all = [...certificatesUnder(interop.dir), ...certificatesUnder(matrix.dir)];
      expect(all.length).toBeGreaterThan(10);
      for (const der of all) {
        const { ours, library } = bothWays(der);
        expect(ours).toEqual(library);
      }
    });

    it('a subject with a multi-valued RDN, UTF-8 and every character RFC 4514 escapes', () => {
      const subject = [
        '/C=DE/ST=Baden-W\u00fcrttemberg',
        '/O=M\u00fcller\\, S\u00f6hne \\+ Co. <"Trunk"> ;',
        '/OU=#ops /OU= lead\\/night',
        '/CN=sbc+serialNumber=42/emailAddress=noc@example.test/DC=example/title=back\\\\slash',
      ].join('');
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'].concat([
          '-utf8',
          '-multivalue-rdn',
          '-subj',
          subject,
          '-keyout',
          'odd.key',
          '-out',
          'odd.crt',
        ]),
        { cwd: dir, stdio: 'pipe' },
      );
      const [der] = certificatesUnder(dir);
      const { ours, library } = bothWays(der);
      expect(ours).toEqual(library);
      expect(library.subject).toContain('\\, S\u00f6hne \\+ Co. \\<\\"Trunk\\"\\> \\;');
      expect(library.subject).toContain('OU=\\#ops\\ , OU=\\ lead/night');
      // DER sorts a SET OF by its encodings (X.690 §11.6): serialNumber's OID sorts before commonName's.
      expect(library.subject).toContain('2.5.4.5=42+CN=sbc');
    });
  });
});

/** A DER TLV (X.690 §8.1): tag, definite length, contents. */
function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((n, c) => n + c.length, 0);
  const header =
    length < 0x80 ? [tag, length] : length < 0x100 ? [tag, 0x81, length] : [tag, 0x82, length >> 8, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let at = header.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const bytes = (...b: number[]) => new Uint8Array(b);
/** 2.5.4.x, X.520's attribute types. */
const attributeType = (x: number) => tlv(0x06, bytes(0x55, 0x04, x));
const attribute = (type: Uint8Array, value: Uint8Array) => tlv(0x30, type, value);
const rdn = (...attributes: Uint8Array[]) => tlv(0x31, ...attributes);
const name = (...rdns: Uint8Array[]) => tlv(0x30, ...rdns);

describe('Names built byte by byte, as @peculiar/x509 writes them', () => {
  const CN = attributeType(3);
  const cases: Record<string, Uint8Array> = {
    'an empty Name': name(),
    'every string type': name(
      rdn(attribute(CN, tlv(0x0c, utf8('caf\u00e9 \u2603 \u{1f4de}')))),
      rdn(attribute(CN, tlv(0x13, utf8('Printable')))),
      rdn(attribute(CN, tlv(0x14, bytes(0x54, 0xe9, 0x6c)))),
      rdn(attribute(CN, tlv(0x16, utf8('ia5@example.test')))),
      rdn(attribute(CN, tlv(0x1e, bytes(0x00, 0x42, 0x26, 0x03)))),
      rdn(attribute(CN, tlv(0x1c, bytes(0, 0, 0, 0x55, 0, 0, 0x26, 0x03, 0, 1, 0xf4, 0xde)))),
    ),
    'types written as hex: NumericString, VisibleString, an INTEGER': name(
      rdn(attribute(attributeType(5), tlv(0x12, utf8('0042')))),
      rdn(attribute(attributeType(9), tlv(0x1a, utf8('visible')))),
      rdn(attribute(attributeType(65), tlv(0x02, bytes(0x01, 0x00)))),
    ),
    'a multi-valued RDN and OIDs without a short name': name(
      rdn(attribute(CN, tlv(0x0c, utf8('a'))), attribute(attributeType(5), tlv(0x13, utf8('7')))),
      rdn(
        attribute(
          tlv(0x06, bytes(0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x03)),
          tlv(0x13, utf8('DE')),
        ),
      ),
      rdn(attribute(tlv(0x06, bytes(0x88, 0x37, 0x01)), tlv(0x0c, utf8('joint-iso-itu-t')))),
    ),
    'escapes: a leading #, trailing space, CR LF TAB, every special character': name(
      rdn(attribute(CN, tlv(0x0c, utf8('#x, y+z "q" \\ <a>;b ')))),
      rdn(attribute(CN, tlv(0x0c, utf8(' line\r\nnext\ttab\n')))),
    ),
    'UTF8String that is not UTF-8, and one with a byte order mark': name(
      rdn(attribute(CN, tlv(0x0c, bytes(0x41, 0xc3, 0x28, 0xed, 0xa0, 0x80)))),
      rdn(attribute(CN, tlv(0x0c, bytes(0xef, 0xbb, 0xbf, 0x41)))),
      rdn(attribute(CN, tlv(0x0c, bytes(0xc0, 0xaf)))),
    ),
    'empty strings': name(rdn(attribute(CN, tlv(0x13, bytes()))), rdn(attribute(CN, tlv(0x16, bytes())))),
  };
  for (const [what, der] of Object.entries(cases)) {
    it(what, () => {
      expect(formatDistinguishedName(der)).toBe(new Name(der as Uint8Array<ArrayBuffer>).toString());
    });
  }

  it('refuses what is not a Name, where the library throws', () => {
    const refused = [
      bytes(0x31, 0x00),
      name(tlv(0x30, attribute(CN, tlv(0x13, utf8('x'))))),
      name(rdn(attribute(CN, tlv(0x1e, bytes(0x00, 0x42, 0x00))))),
      name(rdn(attribute(CN, tlv(0x1c, bytes(0, 0, 0x42))))),
      name(rdn(tlv(0x30, CN))),
      bytes(0x30, 0x05, 0x31, 0x03),
    ];
    for (const der of refused) {
      expect(formatDistinguishedName(der)).toBeUndefined();
      expect(() => new Name(der as Uint8Array<ArrayBuffer>).toString()).toThrow();
    }
  });
});
