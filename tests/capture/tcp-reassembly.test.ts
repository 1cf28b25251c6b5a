/**
 * TCP as a capture shows it on a bad day (RFC 9293 §3.4, §3.8): segments
 * sent twice (retransmissions), segments that arrive after the ones that
 * follow them (out of order), a record cut into segments of a few bytes.
 * The analysis must read the same TLS, SIP and media as from the clean
 * capture, and the Timeline must say which packets were retransmissions and
 * still explain every byte.
 */
import { describe, expect, it } from 'vitest';
import type { Timeline } from '../../sim/index';
import { openCapture } from '../../sim/capture/open-capture';
import { writePcapHeader, writePcapRecord } from '../../sim/net/pcap-writer';
import { LINKTYPE } from '../../sim/net/pcap-reader';
import { readPacket, writePacket } from '../../sim/net/packet';
import { TCP_FLAG } from '../../sim/net/tcp-segment';
import { concatBytes, fromHex } from '../../sim/wire/bytes';
import { checkCoverage } from '../../sim/wire/coverage';
import { run } from '../scenarios/runs';

function capture(packets: Uint8Array[]): Uint8Array {
  return concatBytes(
    writePcapHeader(LINKTYPE.RAW).bytes,
    ...packets.map((p, i) => writePcapRecord({ seconds: 1_800_000_000, nanoseconds: i * 1000 }, p).bytes),
  );
}

/** The packets of a run, as bytes. */
function packetsOf(t: Timeline): Uint8Array[] {
  return t.steps.map((s) => fromHex(s.bytes));
}

/** A TCP data segment cut into pieces of `size` bytes, each a packet of its own with the right sequence number. */
function cut(packet: Uint8Array, size: number): Uint8Array[] {
  const p = readPacket(packet);
  if (p.transport.kind !== 'tcp' || p.payload.length <= size) return [packet];
  const out: Uint8Array[] = [];
  for (let at = 0; at < p.payload.length; at += size) {
    const piece = p.payload.subarray(at, at + size);
    out.push(
      writePacket({
        transport: 'tcp',
        src: p.src,
        dst: p.dst,
        ipId: p.ip.id,
        tcp: { ...p.transport, seq: (p.transport.seq + at) >>> 0, flags: p.transport.flags & ~TCP_FLAG.FIN },
        payload: { bytes: piece, fields: [] },
      }).bytes,
    );
  }
  return out;
}

function summary(t: Timeline) {
  return t.steps
    .filter((s) => !/\(TCP retransmission\)|\(part \d+\)/.test(s.summary) && s.protocol !== 'TCP')
    .map((s) => `${s.protocol} ${s.summary}`);
}

describe('TCP reassembly of a captured trunk', () => {
  it('retransmitted and out-of-order segments, and records cut into small segments, read as the clean capture', async () => {
    const t = await run('secure-call', { audioMs: 200 });
    const keyLog = t.keyLog!;
    const clean = openCapture(capture(packetsOf(t)), { name: 'clean.pcap', keyLog });
    const messy: Uint8Array[] = [];
    const data = (p: Uint8Array) => readPacket(p).transport.kind === 'tcp' && readPacket(p).payload.length > 0;
    const packets = packetsOf(t);
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      if (!data(p)) {
        messy.push(p);
        continue;
      }
      // Every third data segment is cut into 37-byte pieces sent last to first; every other one is sent twice.
      if (i % 3 === 0) messy.push(...cut(p, 37).reverse());
      else if (i % 2 === 0) messy.push(p, p);
      else messy.push(p);
    }
    const opened = openCapture(capture(messy), { name: 'messy.pcap', keyLog });
    expect(opened.report.sip.map((m) => m.message)).toEqual(clean.report.sip.map((m) => m.message));
    expect(opened.report.tls.map((x) => [x.version, x.records, x.opened, x.handshake])).toEqual(
      clean.report.tls.map((x) => [x.version, x.records, x.opened, x.handshake]),
    );
    expect(opened.report.media.map((m) => [m.ssrc, m.decrypted])).toEqual(
      clean.report.media.map((m) => [m.ssrc, m.decrypted]),
    );
    expect(opened.timeline.outcome).toEqual(clean.timeline.outcome);
    expect(summary(opened.timeline)).toEqual(summary(clean.timeline));
    expect(opened.timeline.steps.filter((s) => s.summary.endsWith('(TCP retransmission)')).length).toBeGreaterThan(0);
    for (const s of opened.timeline.steps) {
      expect({ packet: s.packet, ...checkCoverage(fromHex(s.bytes).length, s.fields) }).toEqual({
        packet: s.packet,
        unexplained: [],
        misplaced: [],
      });
    }
  });
});
