/**
 * Path validation (sim/pki/validate.ts) on a matrix of chains made by OpenSSL
 * during the run (openssl-matrix.ts): every reason code, good chains,
 * wildcards, IP addresses. Each verdict is also asked of `openssl verify`,
 * so our reading of RFC 5280 and RFC 6125 is checked against OpenSSL's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCertificatesPem } from '../../sim/pki/keys';
import { readPemBlocks } from '../../sim/pki/pem';
import { validateChain, type CertificateReason } from '../../sim/pki/validate';
import { useNativeCrypto } from '../../sim/crypto/native';
import { AT, buildOpenSslMatrix, opensslVerdict, type Matrix } from './openssl-matrix';

let matrix: Matrix;
beforeAll(() => {
  matrix = buildOpenSslMatrix();
});
afterAll(() => matrix?.dispose());

const read = (file: string) => parseCertificatesPem(readFileSync(file, 'utf8'));

describe('validateChain on OpenSSL-made chains', () => {
  it('covers every reason code', () => {
    const reasons: CertificateReason[] = [
      'ok',
      'expired',
      'not_yet_valid',
      'unknown_issuer',
      'bad_signature',
      'name_mismatch',
      'not_a_ca',
      'bad_key_usage',
      'self_signed',
      'revoked',
    ];
    expect(new Set(matrix.cases.map((c) => c.expect))).toEqual(new Set(reasons));
  });

  it('gives each case its expected reason, agrees with openssl verify, and ends the trace at the verdict', async () => {
    for (const c of matrix.cases) {
      const r = await validateChain(read(c.chain), {
        anchors: read(c.ca),
        at: Date.parse(AT),
        host: c.host,
        purpose: c.purpose,
        ...(c.crl ? { crls: readPemBlocks(readFileSync(c.crl, 'utf8')).map((b) => b.der) } : {}),
      });
      expect({ case: c.name, reason: r.reason }).toEqual({ case: c.name, reason: c.expect });
      expect(r.valid).toBe(c.expect === 'ok');
      expect({ case: c.name, openssl: opensslVerdict(c, matrix.dir) }).toEqual({
        case: c.name,
        openssl: c.openssl ?? c.expect,
      });
      const last = r.trace.at(-1)!;
      if (c.expect === 'ok') {
        expect(r.trace.every((s) => s.result === 'pass')).toBe(true);
      } else {
        expect(last.result).toBe('fail');
        expect(last.detail).toBe(r.detail);
        expect(r.trace.slice(0, -1).every((s) => s.result === 'pass')).toBe(true);
      }
      expect(r.detail.length).toBeGreaterThan(20);
    }
  });
});

describe('validateChain as a browser runs it', () => {
  it('gives every case the same verdict with signatures checked by WebCrypto as by node:crypto', async () => {
    const verdicts = async (native: boolean) => {
      useNativeCrypto(native);
      try {
        const out = [];
        for (const c of matrix.cases) {
          const r = await validateChain(read(c.chain), {
            anchors: read(c.ca),
            at: Date.parse(AT),
            host: c.host,
            purpose: c.purpose,
          });
          out.push({ case: c.name, reason: r.reason, detail: r.detail });
        }
        return out;
      } finally {
        useNativeCrypto(true);
      }
    };
    expect(await verdicts(false)).toEqual(await verdicts(true));
  });
});

describe('what the verdicts say', () => {
  const run = (file: string, host?: string, purpose: 'server' | 'client' = 'server', ca?: string) =>
    validateChain(read(`${matrix.dir}/${file}`), {
      anchors: read(ca ?? matrix.files.rootPem),
      at: Date.parse(AT),
      host,
      purpose,
      names: { presenter: 'SBC', verifier: 'PBX' },
    });

  it('an expired certificate says when it expired and what the clock says', async () => {
    const r = await run('expired.pem', 'sbc.test.example');
    expect(r.detail).toBe('the SBC’s certificate expired on 2026-03-01; the PBX’s clock says 2026-11-26');
  });

  it('a good chain lists the path leaf first, ending at the trust anchor', async () => {
    const r = await run('good.pem', 'sbc.test.example');
    expect(r.chain.map((c) => c.subject)).toEqual([
      'CN=sbc.test.example',
      'CN=Test Issuing CA, O=Test Carrier',
      'CN=Test Root CA, O=Test Carrier',
    ]);
    expect(r.chain[0].notAfter).toBe('2039-12-31T23:59:59.000Z');
    expect(r.trace.find((s) => s.check === 'path')!.detail).toBe(
      '“sbc.test.example” ← issued by “Test Issuing CA” ← issued by “Test Root CA” (trusted)',
    );
  });

  it('says when the Common Name stood in for a missing subjectAltName', async () => {
    const r = await run('cn_only.pem', 'sbc.test.example');
    expect(r.trace.find((s) => s.check === 'host name')!.detail).toMatch(
      /no subjectAltName, so the Common Name stands in \(RFC 6125 §6\.4\.4/,
    );
  });

  it('a missing intermediate is named, with the fix', async () => {
    const r = await run('leaf_only.pem', 'sbc.test.example');
    expect(r.detail).toMatch(
      /issued by “Test Issuing CA”, which is neither in the chain the SBC sent nor among the PBX’s trusted CAs \(if it is an intermediate CA, the SBC must send it/,
    );
  });

  it('a pathLen violation says how many CAs were allowed and found', async () => {
    const r = await run('below_sub_ca.pem', 'sbc.test.example');
    expect(r.detail).toBe(
      '“Test Issuing CA” has pathLenConstraint 0, allowing 0 intermediate CAs below it, but the chain has 1',
    );
  });

  it('a wrong purpose names the EKU needed', async () => {
    const r = await run('client.pem', 'pbx.test.example');
    expect(r.detail).toBe('the SBC’s certificate is for clientAuth only; acting as a TLS server needs serverAuth');
  });

  it('a DER certificate that is cut short is a ParseError, not a verdict', async () => {
    const [leaf] = read(`${matrix.dir}/good.pem`);
    await expect(
      validateChain([leaf.subarray(0, 100)], {
        anchors: read(matrix.files.rootPem),
        at: Date.parse(AT),
        purpose: 'server',
      }),
    ).rejects.toMatchObject({
      name: 'ParseError',
      code: 'truncated',
    });
  });

  it('an empty chain is unknown_issuer with a sentence', async () => {
    const r = await validateChain([], { anchors: read(matrix.files.rootPem), at: Date.parse(AT), purpose: 'client' });
    expect(r).toMatchObject({ valid: false, reason: 'unknown_issuer', detail: 'the client presented no certificate' });
  });
});
