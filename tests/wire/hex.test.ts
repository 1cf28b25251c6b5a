/** Hex text of bytes: the same as a byte-by-byte reference for any input, short or packet-sized, and back. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, toHex, toHexInJavaScript } from '../../sim/wire/bytes';

const reference = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('toHex', () => {
  it('writes two lower-case digits per byte, for any bytes, and fromHex reads them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const hex = toHex(bytes);
        expect(hex).toBe(reference(bytes));
        expect(toHexInJavaScript(bytes)).toBe(hex);
        expect(fromHex(hex)).toEqual(bytes);
      }),
    );
  });

  it('around the length where it changes method', () => {
    for (const n of [0, 1, 31, 32, 33, 1500]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + 7) & 0xff);
      expect(toHex(bytes)).toBe(reference(bytes));
    }
  });

  it('reads only the view it is given, not the rest of its buffer, on both paths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = a % bytes.length;
        const view = bytes.subarray(start, start + (b % (bytes.length - start + 1)));
        expect(toHex(view)).toBe(reference(view));
        expect(toHexInJavaScript(view)).toBe(reference(view));
      }),
    );
  });
});
