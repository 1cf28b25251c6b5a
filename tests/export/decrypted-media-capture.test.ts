/**
 * The decrypted media export: what the receivers accepted, as plain RTP and
 * RTCP in the packets' own IPv4 and UDP headers, at the packets' times;
 * what they dropped is left out. Cross-checked against `trunklab
 * srtp-decrypt`, which decrypts the run's own capture with the key from the
 * INVITE's a=crypto line, and against the audio the SBC played.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRun, runExports, type Timeline } from '../../sim/index';
import { CaptureReader, udpDatagramOf } from '../../sim/net/pcap-reader';
import { readPacket } from '../../sim/net/packet';
import { fromHex, toHex } from '../../sim/wire';
import { scratchDir, writeScratch } from '../net/tshark';
import { trunklab } from '../cli/trunklab';
import { audioOf, run } from '../scenarios/runs';

function records(pcap: Uint8Array) {
  const out: Array<{ ms: number; frame: Uint8Array }> = [];
  const reader = new CaptureReader();
  reader.push(pcap, (r) => out.push({ ms: r.seconds * 1000 + r.nanoseconds / 1e6, frame: r.data.slice() }));
  reader.end();
  return out;
}

/** G.711 payloads of the RTP (not RTCP) datagrams from `ip`, as hex, in order. */
function rtpPayloads(pcap: Uint8Array, ip: string): string {
  return records(pcap)
    .map((r) => udpDatagramOf(228, r.frame))
    .filter((d) => typeof d !== 'string' && d.src === ip && !(d.payload[1] >= 200 && d.payload[1] <= 204))
    .map((d) => toHex((d as { payload: Uint8Array }).payload.subarray(12)))
    .join('');
}

describe('decrypted media capture', () => {
  it('holds each accepted SRTP and SRTCP packet as plain RTP and RTCP, with valid headers, at its time', async () => {
    const t = await run('srtp-tamper');
    expect(runExports(t)).toContain('media-pcap');
    const recs = records(exportRun(t, 'media-pcap').bytes);
    const accepted = t.steps.filter(
      (s) => (s.protocol === 'SRTP' || s.protocol === 'SRTCP') && !s.failure && s.views[s.to].access === 'all',
    );
    expect(recs).toHaveLength(accepted.length);
    const start = Date.parse(t.startedAt);
    recs.forEach((r, i) => {
      const p = readPacket(r.frame);
      expect(p.checksumValid).toBe(true);
      expect(`${p.src.ip}:${p.src.port}`).toBe(accepted[i].src);
      expect(`${p.dst.ip}:${p.dst.port}`).toBe(accepted[i].dst);
      expect(p.payload[0] >> 6).toBe(2);
      // Classic pcap keeps microseconds.
      expect(Math.abs(r.ms - (start + accepted[i].time))).toBeLessThan(0.002);
    });
    // The five tampered packets the SBC dropped are not in it; what is in it is what the SBC played.
    expect(rtpPayloads(exportRun(t, 'media-pcap').bytes, '203.0.113.10')).toBe(audioOf(t, 'sbc')!.payload);
  });

  it('agrees with trunklab srtp-decrypt run on the capture with the key from the INVITE', async () => {
    const t: Timeline = await run('secure-call');
    const invite = t.steps.find((s) => s.summary === 'INVITE')!;
    const offer = new TextDecoder().decode(fromHex(invite.views.pbx.layers[0].bytes));
    const key = /a=crypto:1 AES_CM_128_HMAC_SHA1_80 (inline:[A-Za-z0-9+/=]+)/.exec(offer)![1];
    const dir = scratchDir();
    const capture = writeScratch(dir, 'call.pcapng', exportRun(t, 'pcapng').bytes);
    const out = join(dir, 'pbx-media.pcap');
    const r = await trunklab(['srtp-decrypt', capture, '--key', key, '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ authFailures: 0, replays: 0 });
    const theirs = rtpPayloads(new Uint8Array(readFileSync(out)), '203.0.113.10');
    const ours = rtpPayloads(exportRun(t, 'media-pcap').bytes, '203.0.113.10');
    expect(theirs.length).toBe(128 * 320);
    expect(ours).toBe(theirs);
  });

  it('is offered only for runs with media', async () => {
    const t = await run('mitm-self-signed');
    expect(runExports(t)).not.toContain('media-pcap');
    expect(() => exportRun(t, 'media-pcap')).toThrow(/no media/);
  });
});
