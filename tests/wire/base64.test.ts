/** Strict base64 (RFC 4648 §4) in sim/wire/bytes.ts, on the test vectors of RFC 4648 §10 and on very long input. */
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, utf8 } from '../../sim/wire/bytes';

// RFC 4648 §10.
const VECTORS: Array<[string, string]> = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

describe('fromBase64', () => {
  it.each(VECTORS)('decodes the RFC 4648 §10 vector for "%s"', (plain, encoded) => {
    expect(fromBase64(encoded)).toEqual(utf8(plain));
    expect(toBase64(utf8(plain))).toBe(encoded);
  });

  it.each(['Zg', 'Zg=', 'Z===', '=Zg=', 'Zm9v!A==', 'Zm 9v', 'Zm9vYg=A'])('refuses "%s"', (text) => {
    expect(fromBase64(text)).toBeUndefined();
  });

  it('decodes a 16 MB body, where a regular expression over it exhausted the stack', () => {
    const decoded = fromBase64('QUJD'.repeat(4 * 2 ** 20));
    expect(decoded?.length).toBe(12 * 2 ** 20);
    expect(decoded?.subarray(-3)).toEqual(utf8('ABC'));
  });
});
