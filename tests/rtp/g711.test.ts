/**
 * G.711 against the ITU-T tables and against two coders we did not write:
 * CPython's `audioop` (the classic Sun reference coder in C) for every 16-bit
 * value, and SoX for every value G.711's 14-bit (µ-law) and 13-bit (A-law)
 * input represents exactly — below that, how a 16-bit sample is rounded is
 * the coder's choice, and SoX rounds to nearest where the reference truncates.
 * Each is skipped where the program is not installed.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alawToLinear,
  decodeG711,
  decodeG711ToFloat32,
  encodeG711,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../sim/rtp/g711';

const hasAudioop = spawnSync('python3', ['-W', 'ignore', '-c', 'import audioop']).status === 0;

describe('G.711 (ITU-T G.711 Tables 1a and 2a)', () => {
  it('decodes the table’s end points and silence', () => {
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0x00)).toBe(-32124);
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
  });

  it('re-encodes every decoded code to itself (µ-law’s two zeros aside)', () => {
    for (let code = 0; code < 256; code++) {
      expect(linearToAlaw(alawToLinear(code))).toBe(code);
      if (code !== 0x7f) expect(linearToUlaw(ulawToLinear(code))).toBe(code);
    }
  });

  it('is monotonic: louder input never encodes to a quieter code', () => {
    for (const [encode, decode] of [
      [linearToUlaw, ulawToLinear],
      [linearToAlaw, alawToLinear],
    ] as const) {
      let last = -Infinity;
      for (let s = -32768; s <= 32767; s += 7) {
        const v = decode(encode(s));
        expect(v).toBeGreaterThanOrEqual(last);
        last = v;
      }
    }
  });

  it('decodes to Float32 in [-1, 1) for the Web Audio API', () => {
    const f = decodeG711ToFloat32('pcmu', Uint8Array.of(0xff, 0x80, 0x00));
    expect(Array.from(f)).toEqual([0, 32124 / 32768, -32124 / 32768]);
  });

  it.skipIf(!hasAudioop)('encodes all 65,536 sample values exactly as CPython’s audioop does, both laws', () => {
    const samples = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const script =
      'import sys, audioop; d = sys.stdin.buffer.read(); sys.stdout.buffer.write(audioop.lin2ulaw(d, 2) + audioop.lin2alaw(d, 2))';
    const out = new Uint8Array(
      execFileSync('python3', ['-W', 'ignore', '-c', script], {
        input: new Uint8Array(samples.buffer),
        maxBuffer: 1 << 20,
      }),
    );
    expect(toHexSlice(encodeG711('pcmu', samples))).toBe(toHexSlice(out.subarray(0, 65536)));
    expect(toHexSlice(encodeG711('pcma', samples))).toBe(toHexSlice(out.subarray(65536)));
  });

  it('encodes every exactly representable value as SoX does, and decodes all 256 codes alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'g711-'));
    const samples = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    writeFileSync(join(dir, 'in.raw'), new Uint8Array(samples.buffer));
    for (const [law, encoding] of [
      ['pcmu', 'mu-law'],
      ['pcma', 'a-law'],
    ] as const) {
      // -D: no dither, so SoX quantizes exactly.
      execFileSync('sox', [
        '-D',
        '-t',
        'raw',
        '-r',
        '8000',
        '-e',
        'signed',
        '-b',
        '16',
        '-c',
        '1',
        '-L',
        join(dir, 'in.raw'),
        '-t',
        'raw',
        '-e',
        encoding,
        join(dir, `${law}.raw`),
      ]);
      const theirs = new Uint8Array(readFileSync(join(dir, `${law}.raw`)));
      const ours = encodeG711(law, samples);
      let mismatches = 0;
      // Multiples of 8 are exact 13-bit and 14-bit values: no rounding choice is involved.
      for (let i = 0; i < ours.length; i += 8) if (ours[i] !== theirs[i]) mismatches++;
      expect(mismatches).toBe(0);
      // And SoX's decoder agrees with ours on all 256 codes.
      writeFileSync(
        join(dir, 'codes.raw'),
        Uint8Array.from({ length: 256 }, (_, i) => i),
      );
      execFileSync('sox', [
        '-t',
        'raw',
        '-r',
        '8000',
        '-e',
        encoding,
        '-b',
        '8',
        '-c',
        '1',
        join(dir, 'codes.raw'),
        '-t',
        'raw',
        '-e',
        'signed',
        '-b',
        '16',
        '-L',
        join(dir, 'decoded.raw'),
      ]);
      const decoded = new Int16Array(new Uint8Array(readFileSync(join(dir, 'decoded.raw'))).buffer);
      expect(
        Array.from(
          decodeG711(
            law,
            Uint8Array.from({ length: 256 }, (_, i) => i),
          ),
        ),
      ).toEqual(Array.from(decoded));
    }
  });
});

/** Compares long byte strings with a readable first difference. */
function toHexSlice(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
