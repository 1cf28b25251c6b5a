/**
 * SRTP throughput: protect and unprotect of 160-byte G.711 packets (20 ms of
 * audio, 172 bytes of RTP) per second for each suite, the engine beside the
 * same transform on node:crypto (OpenSSL) called per packet, in the same run.
 * Then the memory `trunklab srtp-decrypt` uses on a 100,000-packet capture.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SrtpContext } from '../../sim/rtp/srtp-context';
import { SRTP_SUITE_NAMES, SRTP_SUITES } from '../../sim/rtp/srtp-suite';
import { writeRtpPacket } from '../../sim/rtp/rtp-packet';
import { ReferenceSrtp } from '../rtp/reference-srtp';
import { writeSecureCallCapture } from '../rtp/srtp-capture';
import { measureRateAndCpu, printTable } from './measure';

const STREAM = 20_000;

/** Packets per second of wall time and per second of this process's CPU time. */
async function rate(fn: () => void): Promise<{ wall: number; cpu: number }> {
  const r = await measureRateAndCpu(fn, { batch: 1000 });
  return { wall: r.perSecond, cpu: r.perCpuSecond };
}

function plainPackets(n: number): Uint8Array[] {
  const payload = new Uint8Array(160).fill(0xd5);
  return Array.from(
    { length: n },
    (_, i) =>
      writeRtpPacket({
        marker: i === 0,
        payloadType: 0,
        sequenceNumber: i & 0xffff,
        timestamp: (i * 160) >>> 0,
        ssrc: 0x1234abcd,
        csrcs: [],
        payload,
        paddingLength: 0,
      }).bytes,
  );
}

async function throughput(): Promise<void> {
  const plain = plainPackets(STREAM);
  const rows = [];
  for (const name of SRTP_SUITE_NAMES) {
    const s = SRTP_SUITES[name];
    const keySalt = Uint8Array.from({ length: s.keyLength + s.saltLength }, (_, i) => i * 7);
    const out = new Uint8Array(256);

    // Protect: one sender context, packets in order (the ROC follows the wraps).
    let sender = SrtpContext.fromKeySalt(name, keySalt);
    let i = 0;
    const ours = await rate(() => {
      for (let k = 0; k < 1000; k++) sender.protectInto(plain[i++ % STREAM], out);
    });
    const reference = new ReferenceSrtp(name, keySalt);
    i = 0;
    const peer = await rate(() => {
      for (let k = 0; k < 1000; k++) reference.protect(plain[i++ % STREAM], 0);
    });

    // Unprotect: a stream of fresh packets (a new receiver each time the stream runs out, as replays would be dropped).
    sender = SrtpContext.fromKeySalt(name, keySalt);
    const protectedPackets = plain.map((p) => sender.protect(p));
    let receiver = SrtpContext.fromKeySalt(name, keySalt);
    i = 0;
    let failures = 0;
    const oursOpen = await rate(() => {
      for (let k = 0; k < 1000; k++) {
        if (i === STREAM) {
          receiver = SrtpContext.fromKeySalt(name, keySalt);
          i = 0;
        }
        if (!receiver.unprotectInto(protectedPackets[i++], out).ok) failures++;
      }
    });
    i = 0;
    const peerOpen = await rate(() => {
      for (let k = 0; k < 1000; k++) {
        const p = protectedPackets[i++ % STREAM];
        if (!reference.unprotect(p, 0)) failures++;
      }
    });
    if (failures > 0) throw new Error(`${name}: ${failures} packets failed to unprotect during the benchmark`);
    rows.push({
      suite: name,
      'protect/s ours': ours.wall,
      'node:crypto': peer.wall,
      ratio: ours.wall / peer.wall,
      'unprotect/s ours': oursOpen.wall,
      'node:crypto ': peerOpen.wall,
      'ratio ': oursOpen.wall / peerOpen.wall,
      'per CPU-s: protect ours': ours.cpu,
      'node:crypto  ': peer.cpu,
      'unprotect ours': oursOpen.cpu,
      'node:crypto   ': peerOpen.cpu,
    });
  }
  console.log('160-byte G.711 packets per second (a call leg needs 50), by the clock and per second of CPU:');
  printTable(rows);
}

function memory(): void {
  if (spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status !== 0) {
    console.log('\n(srtp-decrypt memory not measured: it needs /usr/bin/time, Debian package `time`)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'srtp-bench-'));
  const bin = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));
  const run = (args: string[]) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%M %e %U %S', process.execPath, bin, ...args], { encoding: 'utf8' });
    const [kb, seconds, user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { kb, seconds, cpu: user + system, stdout: r.stdout, status: r.status };
  };
  try {
    const baseline = run(['--help']);
    const rows = [];
    // The caller's packets (across a sequence wrap), the callee's as many, and SRTCP: a tenth, then the full size.
    for (const packets of [10_000, 100_000]) {
      const capture = join(dir, `call-${packets}.pcap`);
      const cap = writeSecureCallCapture(capture, { packets, firstSequence: 30_000, rtcpEvery: 250 });
      const d = run(['srtp-decrypt', capture, '--key', cap.callerKey, '--out', join(dir, 'plain.pcap'), '--json']);
      if (d.status !== 0) throw new Error(`srtp-decrypt exited ${d.status}: ${d.stdout}`);
      const summary = JSON.parse(d.stdout) as { packets: number; decrypted: number };
      rows.push({
        'SRTP packets': summary.packets,
        decrypted: summary.decrypted,
        'capture MB': statSync(capture).size / 1e6,
        'seconds (both passes)': d.seconds,
        'CPU seconds': d.cpu,
        'max RSS MB': d.kb / 1024,
      });
    }
    console.log(
      `\ntrunklab srtp-decrypt memory (max RSS of \`trunklab --help\`: ${(baseline.kb / 1024).toFixed(0)} MB):`,
    );
    printTable(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<void> {
  await throughput();
  memory();
}
