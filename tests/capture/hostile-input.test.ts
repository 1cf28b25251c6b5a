/**
 * Hostile captures and key logs: whatever the bytes, opening a capture ends
 * in a report (or a Timeline) or in a ParseError that says what was wrong and
 * where — never another exception, a hang, or memory that grows with what a
 * length field claims. Properties run with fresh seeds; a counterexample
 * found becomes a fixed test below them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exportRun } from '../../sim/index';
import { CaptureAnalysis } from '../../sim/capture/capture-analysis';
import { openCapture } from '../../sim/capture/open-capture';
import { KeyLogSecrets } from '../../sim/capture/key-log-secrets';
import { writePcapHeader, writePcapRecord } from '../../sim/net/pcap-writer';
import { LINKTYPE } from '../../sim/net/pcap-reader';
import { concatBytes, isParseError, utf8 } from '../../sim/wire';
import { checkCoverage } from '../../sim/wire/coverage';
import { fromHex } from '../../sim/wire/bytes';
import { run } from '../scenarios/runs';

/** Reads a capture in the given chunk sizes; returns the report, or the ParseError it was refused with. */
function analyse(bytes: Uint8Array, chunks: number[] = [bytes.length], keyLog?: string) {
  const a = new CaptureAnalysis({ keyLog });
  try {
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = Math.max(1, chunks[i % chunks.length]);
      a.push(bytes.subarray(at, at + n));
      at += n;
    }
    return a.end();
  } catch (e) {
    if (isParseError(e)) return e;
    throw e;
  }
}

function open(bytes: Uint8Array) {
  try {
    return openCapture(bytes, { name: 'hostile.pcapng', maxSteps: 400 });
  } catch (e) {
    if (isParseError(e)) return e;
    throw e;
  }
}

const secureCall = run('secure-call', { audioMs: 200 }).then((t) => exportRun(t, 'pcapng').bytes);

/** A classic pcap of raw IP packets, one record each. */
function rawIpCapture(packets: Uint8Array[]): Uint8Array {
  return concatBytes(
    writePcapHeader(LINKTYPE.RAW).bytes,
    ...packets.map((p, i) => writePcapRecord({ seconds: 1_800_000_000 + i, nanoseconds: 0 }, p).bytes),
  );
}

describe('hostile captures', () => {
  it('random bytes, in chunks of any size: a report or a ParseError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 6 }),
        (bytes, chunks) => {
          analyse(bytes, chunks);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a real secure call with bytes changed, cut short or overwritten: a report, a Timeline whose every byte is explained, or a ParseError', async () => {
    const original = await secureCall;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.option(fc.nat({ max: original.length }), { nil: undefined }),
        (edits, cut) => {
          const bytes = original.slice(0, cut ?? original.length);
          for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v;
          const opened = open(bytes);
          if (isParseError(opened)) return;
          for (const s of opened.timeline.steps) {
            expect(checkCoverage(fromHex(s.bytes).length, s.fields).unexplained).toEqual([]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('packets whose IP, TCP and UDP headers are anything at all', () => {
    const ipish = fc
      .tuple(fc.constantFrom(0x45, 0x46, 0x4f, 0x60, 0x40, 0x00), fc.uint8Array({ minLength: 0, maxLength: 90 }))
      .map(([first, rest]) => Uint8Array.of(first, ...rest));
    fc.assert(
      fc.property(fc.array(ipish, { maxLength: 30 }), (packets) => {
        const opened = open(rawIpCapture(packets));
        expect(isParseError(opened)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('a record or block that claims a gigabyte is refused at once, without holding it', () => {
    const pcap = writePcapHeader(LINKTYPE.RAW).bytes;
    const record = new Uint8Array(16);
    new DataView(record.buffer).setUint32(8, 1_000_000_000, true);
    new DataView(record.buffer).setUint32(12, 1_000_000_000, true);
    const e1 = analyse(concatBytes(pcap, record));
    expect(isParseError(e1) && e1.code).toBe('too_large');
    expect((e1 as Error).message).toMatch(/record 1 claims 1000000000 bytes/);

    const shb = fromHex('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000');
    const huge = new Uint8Array(12);
    new DataView(huge.buffer).setUint32(0, 6, true);
    new DataView(huge.buffer).setUint32(4, 0x40000000, true);
    const e2 = analyse(concatBytes(shb, huge));
    expect(isParseError(e2) && e2.code).toBe('too_large');
  });

  it('a capture that ends inside a record says where', () => {
    const bytes = concatBytes(
      writePcapHeader(LINKTYPE.RAW).bytes,
      writePcapRecord({ seconds: 1, nanoseconds: 0 }, new Uint8Array(40)).bytes,
    );
    const e = analyse(bytes.subarray(0, bytes.length - 10));
    expect(isParseError(e) && e.message).toMatch(/ends inside a record/);
  });

  it('a Decryption Secrets Block whose length lies is refused, naming the block', () => {
    const shb = fromHex('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000');
    const dsb = new Uint8Array(20);
    const v = new DataView(dsb.buffer);
    v.setUint32(0, 10, true);
    v.setUint32(4, 20, true);
    v.setUint32(8, 0x544c534b, true);
    v.setUint32(12, 4096, true);
    v.setUint32(16, 20, true);
    const e = analyse(concatBytes(shb, dsb));
    expect(isParseError(e) && e.message).toMatch(/Decryption Secrets Block.*overrun/);
  });

  it('TCP segments with any sequence numbers and flags on a TLS connection', () => {
    const segment = fc.record({
      seq: fc.nat({ max: 0xffffffff }),
      flags: fc.integer({ min: 0, max: 0x3f }),
      fromClient: fc.boolean(),
      data: fc.uint8Array({ maxLength: 300 }),
    });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 25 }), (segments) => {
        const packets = segments.map((s) => tcpPacket(s.fromClient, s.seq, s.flags, s.data));
        const opened = open(rawIpCapture(packets));
        expect(isParseError(opened)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('hostile key logs', () => {
  it('lines of anything: the good ones kept, the rest counted with a reason, never a throw', () => {
    const good = fc
      .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 48, maxLength: 48 }))
      .map(([r, s]) => `CLIENT_RANDOM ${Buffer.from(r).toString('hex')} ${Buffer.from(s).toString('hex')}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(good, fc.string({ maxLength: 120 })), { maxLength: 30 }), (lines) => {
        const secrets = new KeyLogSecrets();
        const kept = secrets.add(lines.join('\n'), 'the key log');
        expect(kept + secrets.skipped).toBeLessThanOrEqual(lines.length);
        for (const p of secrets.problems) expect(p.message).toMatch(/^key log line \d+: /);
      }),
      { numRuns: 300 },
    );
  });

  it('a capture read with a key log of garbage lines decrypts what the good lines cover', async () => {
    const t = await run('secure-call', { audioMs: 200 });
    const garbage = ['CLIENT_RANDOM nothex', 'SERVER_TRAFFIC_SECRET_0 00 11', 'random words', '\u0000\u00ff'].join(
      '\n',
    );
    const report = analyse(
      (await import('../../sim/export/timeline-capture')).timelineCapture(t),
      undefined,
      `${garbage}\n${t.keyLog}`,
    );
    if (isParseError(report)) throw report;
    expect(report.keyLog.skippedLines).toBe(4);
    expect(report.outcome).toMatchObject({ ok: true, stage: 'complete' });
  });
});

const CLIENT = [203, 0, 113, 10];
const SERVER = [198, 51, 100, 20];

/** An IPv4 packet with a TCP segment between the PBX's port 40000 and the SBC's 5061 (checksums left zero). */
function tcpPacket(fromClient: boolean, seq: number, flags: number, data: Uint8Array): Uint8Array {
  const total = 40 + data.length;
  const p = new Uint8Array(total);
  const v = new DataView(p.buffer);
  p[0] = 0x45;
  v.setUint16(2, total);
  p[8] = 64;
  p[9] = 6;
  p.set(fromClient ? CLIENT : SERVER, 12);
  p.set(fromClient ? SERVER : CLIENT, 16);
  v.setUint16(20, fromClient ? 40000 : 5061);
  v.setUint16(22, fromClient ? 5061 : 40000);
  v.setUint32(24, seq);
  p[32] = 0x50;
  p[33] = flags;
  v.setUint16(34, 65535);
  p.set(data, 40);
  return p;
}

describe('fixed counterexamples', () => {
  it('an empty capture is a ParseError saying it has no header', () => {
    const e = analyse(utf8(''));
    expect(isParseError(e) && e.message).toMatch(/not a pcap or pcapng file header/);
  });
});
