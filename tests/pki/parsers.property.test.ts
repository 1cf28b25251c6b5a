/**
 * Property tests: the PEM, DER certificate and key readers, and path
 * validation on damaged chains, never throw anything but a ParseError, on
 * random input and on valid input with bytes flipped, cut or inserted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCertificate } from '../../sim/pki/certificate';
import { parseCertificatesPem, parsePrivateKeyPem, publicKeyOfCertificate } from '../../sim/pki/keys';
import { readPemBlocks, toPem } from '../../sim/pki/pem';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { validateChain } from '../../sim/pki/validate';
import { HmacDrbg } from '../../sim/crypto/random';
import { isParseError } from '../../sim/wire/parse-error';
import type { CarrierProfile } from '../../sim/carrier';

const carrier = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../content/carrier.json', import.meta.url)), 'utf8'),
) as CarrierProfile;
const AT = Date.parse('2026-11-26T09:00:00Z');

let cast: Cast;
beforeAll(async () => {
  cast = await buildCast({ carrier, random: HmacDrbg.fromSeed(3), at: AT });
});

/** Runs `f`; passes if it returns or throws a ParseError, fails on any other exception. */
function onlyParseErrors(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (isParseError(e)) return true;
    throw e;
  }
}

async function onlyParseErrorsAsync(f: () => Promise<unknown>): Promise<boolean> {
  try {
    await f();
    return true;
  } catch (e) {
    if (isParseError(e)) return true;
    throw e;
  }
}

/** A valid input with one of: a byte changed, cut short, bytes inserted, or bytes removed. */
const mutated = (valid: () => Uint8Array) =>
  fc
    .tuple(
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      fc.uint8Array({ minLength: 1, maxLength: 8 }),
      fc.constantFrom('flip', 'cut', 'insert', 'remove'),
    )
    .map(([at, xor, extra, how]) => {
      const bytes = valid();
      const i = at % bytes.length;
      if (how === 'flip') {
        const copy = bytes.slice();
        copy[i] ^= xor;
        return copy;
      }
      if (how === 'cut') return bytes.slice(0, i);
      if (how === 'insert') return Uint8Array.from([...bytes.subarray(0, i), ...extra, ...bytes.subarray(i)]);
      return Uint8Array.from([...bytes.subarray(0, i), ...bytes.subarray(i + extra.length)]);
    });

describe('PEM and key readers', () => {
  it('readPemBlocks, parseCertificatesPem and parsePrivateKeyPem only throw ParseError on random text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ maxLength: 200 }).map((body) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`),
      fc.string({ maxLength: 200 }).map((body) => `-----BEGIN PRIVATE KEY-----\n${body}`),
      fc
        .base64String({ maxLength: 300 })
        .map((body) => `-----BEGIN EC PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----\n`),
    );
    fc.assert(
      fc.property(
        text,
        (t) =>
          onlyParseErrors(() => readPemBlocks(t)) &&
          onlyParseErrors(() => parseCertificatesPem(t)) &&
          onlyParseErrors(() => parsePrivateKeyPem(t)),
      ),
      { numRuns: 400 },
    );
  });

  it('parsePrivateKeyPem only throws ParseError on damaged keys of each kind', () => {
    const pkcs8 = () => readPemBlocks(toPemOfKey())[0].der;
    fc.assert(
      fc.property(mutated(pkcs8), fc.constantFrom('PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'), (der, label) =>
        onlyParseErrors(() => parsePrivateKeyPem(toPem(label, der))),
      ),
      { numRuns: 300 },
    );
  });

  it('a damaged PEM text of a real chain only throws ParseError', () => {
    const pem = () => new TextEncoder().encode(cast.sbc.chain.map((d) => toPem('CERTIFICATE', d)).join(''));
    fc.assert(
      fc.property(mutated(pem), (bytes) =>
        onlyParseErrors(() => parseCertificatesPem(new TextDecoder().decode(bytes))),
      ),
      { numRuns: 300 },
    );
  });
});

describe('DER certificates', () => {
  it('parseCertificate and publicKeyOfCertificate only throw ParseError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .uint8Array({ maxLength: 300 })
            .map((b) => Uint8Array.from([0x30, 0x82, b.length >> 8, b.length & 0xff, ...b])),
        ),
        (der) => onlyParseErrors(() => parseCertificate(der)) && onlyParseErrors(() => publicKeyOfCertificate(der)),
      ),
      { numRuns: 500 },
    );
  });

  it('parseCertificate and publicKeyOfCertificate only throw ParseError on mutated real certificates', () => {
    fc.assert(
      fc.property(
        mutated(() => cast.sbc.chain[0]),
        (der) => onlyParseErrors(() => parseCertificate(der)) && onlyParseErrors(() => publicKeyOfCertificate(der)),
      ),
      { numRuns: 500 },
    );
  });

  it('parseCertificate and publicKeyOfCertificate only throw ParseError with any one byte of a real certificate changed', () => {
    // Exhaustive where random runs are lucky: a curve OID whose tag becomes 0x07 once escaped the key reader.
    const valid = cast.sbc.chain[0];
    for (let at = 0; at < valid.length; at++) {
      for (const xor of [0x01, 0x80, 0xff]) {
        const der = valid.slice();
        der[at] ^= xor;
        expect(
          onlyParseErrors(() => parseCertificate(der)),
          `byte ${at} ^ ${xor}`,
        ).toBe(true);
        expect(
          onlyParseErrors(() => publicKeyOfCertificate(der)),
          `byte ${at} ^ ${xor}`,
        ).toBe(true);
      }
    }
  });

  it('validateChain either gives a verdict or throws ParseError on a chain with a mutated certificate', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean().chain((leaf) => mutated(() => cast.sbc.chain[leaf ? 0 : 1]).map((der) => [der, leaf] as const)),
        async ([der, leafDamaged]) => {
          const chain = leafDamaged ? [der, cast.sbc.chain[1]] : [cast.sbc.chain[0], der];
          return onlyParseErrorsAsync(async () => {
            const r = await validateChain(chain, {
              anchors: cast.anchors,
              at: AT,
              host: carrier.sbc.host,
              purpose: 'server',
            });
            // A certificate with any byte changed must never validate.
            const original = leafDamaged ? cast.sbc.chain[0] : cast.sbc.chain[1];
            if (r.valid) expect(Buffer.from(der).equals(Buffer.from(original))).toBe(true);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a CA certificate whose ECDSA signature is not exact DER never validates (once found with seed 878003439)', async () => {
    // The issuing CA's certificate with its Ecdsa-Sig-Value's SEQUENCE length one short (RFC 5480 §2.2):
    // a lenient reader ignores the stray byte at the end and the signature still verifies.
    const issuing = cast.sbc.chain[1];
    const signature = new Uint8Array(parseCertificate(issuing).signature);
    const at = issuing.length - signature.length; // the BIT STRING's contents end the certificate
    expect(signature[0]).toBe(0x30);
    const damaged = issuing.slice();
    damaged[at + 1] -= 1;
    const r = await validateChain([cast.sbc.chain[0], damaged], {
      anchors: cast.anchors,
      at: AT,
      host: carrier.sbc.host,
      purpose: 'server',
    });
    expect(r.valid).toBe(false);
    expect(r.reason).toBe('bad_signature');
  });
});

function toPemOfKey(): string {
  const key = cast.sbc.privateKey;
  if (key.kind !== 'ecdsa-p256') throw new Error('the default cast uses ECDSA keys');
  // A PKCS #8 P-256 key as OpenSSL writes it (RFC 5208 §5, RFC 5915 §3): a fixed prefix, the scalar, the public point.
  const prefix = Uint8Array.from([
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
    0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20,
  ]);
  const middle = Uint8Array.from([0xa1, 0x44, 0x03, 0x42, 0x00]);
  const der = Uint8Array.from([...prefix, ...key.d, ...middle, ...key.publicKey]);
  const pem = toPem('PRIVATE KEY', der);
  expect(parsePrivateKeyPem(pem)).toEqual(key);
  return pem;
}
