/**
 * Path validation against a presenter that sends more than a path needs
 * (sim/pki/validate.ts): a list longer than MAX_PRESENTED is refused before
 * any certificate in it is parsed, and a certificate the path does not take
 * is never parsed at all. Certificates made by OpenSSL (tests/tls/openssl-pki.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateNames, parseCertificate } from '../../sim/pki/certificate';
import { parseCertificatesPem } from '../../sim/pki/keys';
import { MAX_PRESENTED, validateChain } from '../../sim/pki/validate';
import { isParseError } from '../../sim/wire/parse-error';
import { buildInteropPki, SERVER_NAME, type InteropPki } from '../tls/openssl-pki';

let pki: InteropPki;
let leaf: Uint8Array;
let otherCa: Uint8Array;
beforeAll(() => {
  pki = buildInteropPki();
  leaf = pki.credentials(pki.server.ec).chain[0];
  otherCa = parseCertificatesPem(readFileSync(pki.otherCa, 'utf8'))[0];
});
afterAll(() => pki?.dispose());

const options = () => ({ anchors: pki.anchors, at: Date.now(), host: SERVER_NAME, purpose: 'server' as const });

/** A certificate whose outline (issuer, subject) reads, but which does not parse: its notBefore is not a time. */
function unparseable(der: Uint8Array): Uint8Array {
  const out = der.slice();
  // Validity ::= SEQUENCE { notBefore UTCTime, notAfter UTCTime } (RFC 5280 §4.1.2.5): 30 1e 17 0d ...
  const at = out.findIndex((b, i) => b === 0x30 && out[i + 1] === 0x1e && out[i + 2] === 0x17 && out[i + 3] === 0x0d);
  out[at + 2] = 0x04;
  return out;
}

describe('validateChain bounds what it reads', () => {
  it('refuses more than MAX_PRESENTED certificates unread, even ones that would not parse', async () => {
    const chain = [leaf, ...Array.from({ length: MAX_PRESENTED }, () => Uint8Array.of(0x30, 0x00))];
    const r = await validateChain(chain, options());
    expect(r).toMatchObject({ valid: false, reason: 'unknown_issuer' });
    expect(r.detail).toContain(`presented ${MAX_PRESENTED + 1} certificates`);
    expect(r.detail).toContain(`no more than ${MAX_PRESENTED} are read`);
  });

  it('takes a path of up to MAX_PRESENTED certificates as before', async () => {
    const chain = [leaf, ...Array.from({ length: MAX_PRESENTED - 1 }, () => otherCa)];
    expect(await validateChain(chain, options())).toMatchObject({ valid: true, reason: 'ok' });
  });

  it('parses only the certificates on the path: an unreadable extra one does not matter', async () => {
    const broken = unparseable(otherCa);
    expect(certificateNames(broken)).toBeDefined();
    expect(() => parseCertificate(broken)).toThrow(/not a valid X\.509 certificate/);
    expect(await validateChain([leaf, broken], options())).toMatchObject({ valid: true, reason: 'ok' });
  });

  it('still says which certificate is unreadable when the path needs it', async () => {
    const broken = unparseable(leaf);
    const error = await validateChain([broken], options()).catch((e: unknown) => e);
    expect(isParseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^presented certificate 1: not a valid X\.509 certificate/);
  });

  it('reads a certificate’s issuer and subject as the DER a full parse finds', () => {
    const names = certificateNames(leaf)!;
    const parsed = parseCertificate(leaf);
    expect(new Uint8Array(parsed.issuerName.toArrayBuffer())).toEqual(names.issuer);
    expect(new Uint8Array(parsed.subjectName.toArrayBuffer())).toEqual(names.subject);
    expect(certificateNames(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05))).toBeUndefined();
  });
});
