import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader, ByteWriter, checkCoverage, fromHex, ParseError, toHex, specUrl } from '../../sim/wire';

/** A TLS-style structure: a version, then a 16-bit length-prefixed list of 8-bit length-prefixed strings. */
function writeSample(items: Uint8Array[]) {
  const w = new ByteWriter(4);
  const done = w.group({ name: 'sample' });
  w.uint16(0x0303, { name: 'version', value: 'TLS 1.2', spec: 'RFC 8446 §4.1.2' });
  const list = w.lengthPrefixed(2, { name: 'list length' }, { name: 'list' });
  for (const item of items) {
    const one = w.lengthPrefixed(1, { name: 'item length' }, { name: 'item' });
    w.bytes(item, { name: 'item bytes' });
    one();
  }
  list();
  done();
  return w.finish();
}

function readSample(bytes: Uint8Array) {
  const r = new ByteReader(bytes);
  const done = r.group({ name: 'sample' });
  const version = r.uint16({ name: 'version' });
  const list = r.lengthPrefixed(2, { name: 'list length' }, { name: 'list' });
  const items: Uint8Array[] = [];
  while (r.remaining > 0) {
    const one = r.lengthPrefixed(1, { name: 'item length' }, { name: 'item' });
    items.push(r.rest({ name: 'item bytes' }));
    one();
  }
  list();
  done();
  r.expectEnd('sample');
  return { version, items, fields: r.fields };
}

describe('ByteWriter', () => {
  it('back-fills lengths and records every field with its range', () => {
    const { bytes, fields } = writeSample([Uint8Array.of(1, 2), Uint8Array.of(3)]);
    expect(toHex(bytes)).toBe('0303' + '0005' + '020102' + '0103');
    const sample = fields[0];
    expect(sample).toMatchObject({ name: 'sample', start: 0, end: 9 });
    expect(sample.children![0]).toMatchObject({
      name: 'version',
      start: 0,
      end: 2,
      value: 'TLS 1.2',
      spec: 'RFC 8446 §4.1.2',
    });
    expect(sample.children![1]).toMatchObject({ name: 'list length', start: 2, end: 4, value: '5' });
    expect(sample.children![2]).toMatchObject({ name: 'list', start: 4, end: 9 });
    expect(checkCoverage(bytes.length, fields)).toEqual({ unexplained: [], misplaced: [] });
  });

  it('refuses a value that does not fit its width', () => {
    const w = new ByteWriter();
    expect(() => w.uint8(256, { name: 'x' })).toThrow(/does not fit/);
    expect(() => w.uint16(-1, { name: 'y' })).toThrow(/does not fit/);
  });

  it('refuses a block longer than its length prefix can say', () => {
    const w = new ByteWriter();
    const end = w.lengthPrefixed(1, { name: 'len' }, { name: 'body' });
    w.bytes(new Uint8Array(300), { name: 'too much' });
    expect(() => end()).toThrow(/do not fit a 1-byte length/);
  });

  it('places an inner layer with its fields moved to where it sits', () => {
    const inner = new ByteWriter();
    inner.uint8(7, { name: 'inner' });
    const w = new ByteWriter();
    w.uint16(1, { name: 'outer' });
    w.embed(inner.finish());
    const { fields } = w.finish();
    expect(fields[1]).toMatchObject({ name: 'inner', start: 2, end: 3 });
  });
});

describe('ByteReader', () => {
  it('reads back what the writer wrote, with the same field ranges', () => {
    const items = [Uint8Array.of(9, 9, 9), new Uint8Array(0), Uint8Array.of(1)];
    const written = writeSample(items);
    const read = readSample(written.bytes);
    expect(read.version).toBe(0x0303);
    expect(read.items.map(toHex)).toEqual(items.map(toHex));
    const ranges = (f: typeof read.fields): unknown =>
      f.map((x) => [x.name, x.start, x.end, x.children ? ranges(x.children) : null]);
    expect(ranges(read.fields)).toEqual(ranges(written.fields));
  });

  it('names the field and offset when a length lies', () => {
    // The list says 9 bytes follow but only 3 do.
    expect(() => readSample(fromHex('0303 0009 020102'))).toThrow(ParseError);
    try {
      readSample(fromHex('0303 0009 020102'));
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      const p = e as ParseError;
      expect(p.code).toBe('truncated');
      expect(p.offset).toBe(4);
      expect(p.field).toBe('sample › list');
    }
  });

  it('catches an inner block that overruns its outer block', () => {
    // The list holds 2 bytes, but its item claims 5.
    try {
      readSample(fromHex('0303 0002 0501 0203 0405'));
      expect.unreachable();
    } catch (e) {
      expect((e as ParseError).code).toBe('truncated');
      expect((e as ParseError).field).toBe('sample › list › item');
    }
  });

  it('rejects trailing bytes', () => {
    expect(() => readSample(fromHex('0303 0000 ff'))).toThrow(/unexpected byte/);
  });

  it('never throws anything but ParseError on random input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          readSample(bytes);
        } catch (e) {
          if (!(e instanceof ParseError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any list (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }), (items) => {
        const { bytes, fields } = writeSample(items);
        expect(checkCoverage(bytes.length, fields).unexplained).toEqual([]);
        expect(readSample(bytes).items.map(toHex)).toEqual(items.map(toHex));
      }),
    );
  });
});

describe('checkCoverage', () => {
  it('lists the bytes no leaf explains and fields outside their parent', () => {
    const report = checkCoverage(10, [
      {
        name: 'a',
        start: 0,
        end: 4,
        children: [
          { name: 'a1', start: 0, end: 2 },
          { name: 'a2', start: 3, end: 6 },
        ],
      },
      { name: 'b', start: 8, end: 9 },
    ]);
    expect(report.unexplained).toEqual([
      [2, 3],
      [6, 8],
      [9, 10],
    ]);
    expect(report.misplaced).toEqual(['a › a2 [3, 6) is outside [0, 4)']);
  });
});

describe('specUrl', () => {
  it('links RFC sections and appendices', () => {
    expect(specUrl('RFC 8446 §4.1.2')).toBe('https://www.rfc-editor.org/rfc/rfc8446#section-4.1.2');
    expect(specUrl('RFC 3711 Appendix B.2')).toBe('https://www.rfc-editor.org/rfc/rfc3711#appendix-B.2');
    expect(specUrl('RFC 768')).toBe('https://www.rfc-editor.org/rfc/rfc768');
    expect(specUrl('NIST SP 800-90A')).toBeUndefined();
  });
});
