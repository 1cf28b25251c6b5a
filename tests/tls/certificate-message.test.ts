/**
 * The Certificate message (RFC 8446 §4.4.2, RFC 5246 §7.4.2) explains each
 * certificate it carries with the same tree as reading that certificate alone
 * (sim/pki/certificate-fields.ts), placed where it sits in the message,
 * whether the certificate is met for the first time or again; a message's
 * tree is its own, so changing one leaves the next message's unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCertificate, writeCertificate } from '../../sim/tls/messages/certificate';
import { certificateFields } from '../../sim/pki/certificate-fields';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { HmacDrbg } from '../../sim/crypto/random';
import { checkCoverage } from '../../sim/wire/coverage';
import type { Field } from '../../sim/wire/field';
import type { CarrierProfile } from '../../sim/carrier';

const carrier = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../content/carrier.json', import.meta.url)), 'utf8'),
) as CarrierProfile;
let cast: Cast;
beforeAll(async () => {
  cast = await buildCast({ carrier, random: HmacDrbg.fromSeed(7), at: Date.parse('2026-11-26T09:00:00Z') });
});

/** The fields that open an X.509 layer, depth first. */
const certificatesIn = (fields: readonly Field[], out: Field[] = []): Field[] => {
  for (const f of fields) {
    if (f.layer === 'x509') out.push(f);
    else if (f.children) certificatesIn(f.children, out);
  }
  return out;
};

/** The tree with every range moved by `delta` and the top note dropped, to compare with a reading at 0. */
const normalized = (f: Field, delta: number): unknown =>
  JSON.parse(JSON.stringify(f, (k, v: unknown) => (k === 'start' || k === 'end' ? (v as number) - delta : v)));

describe('Certificate message field trees', () => {
  for (const tls12 of [false, true]) {
    it(`${tls12 ? 'TLS 1.2' : 'TLS 1.3'}: each certificate's tree is its own reading, placed, the first time and again`, () => {
      const chain = cast.sbc.chain;
      for (let round = 0; round < 3; round++) {
        const written = writeCertificate({ requestContext: new Uint8Array(0), chain }, tls12);
        const read = readCertificate({ type: 11, bytes: written.bytes }, tls12);
        expect(read.value.chain).toEqual(chain);
        for (const fields of [written.fields, read.fields]) {
          expect(checkCoverage(written.bytes.length, fields)).toEqual({ unexplained: [], misplaced: [] });
          const certificates = certificatesIn(fields);
          expect(certificates).toHaveLength(chain.length);
          certificates.forEach((c, i) => {
            const alone = certificateFields(chain[i], 0)[0];
            expect(c.end - c.start).toBe(chain[i].length);
            expect(written.bytes.subarray(c.start, c.end)).toEqual(chain[i]);
            const { note, ...rest } = normalized(c, c.start) as Field;
            const { note: aloneNote, ...aloneRest } = normalized(alone, 0) as Field;
            expect(rest).toEqual(aloneRest);
            expect(aloneNote).toBe('an X.509 certificate');
            expect(note).toMatch(i === 0 ? /leaf/ : /CA/);
          });
          // Damage this message's tree: the next round must not see it.
          certificates[0].children![0].name = 'changed';
          certificates[0].start += 1000;
        }
      }
    });
  }
});
