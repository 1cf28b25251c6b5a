/**
 * `trunklab analyze` on a 100,000-packet secure call (TLS 1.3 signalling and
 * 50,000 SRTP packets each way, built by tests/capture/secure-call-capture.ts)
 * beside tshark decrypting the same capture with the same key log, in the
 * same run: packets per second of CPU time and by the clock (the aim is a
 * rate by the clock; each runs on one thread, beside V8's or tshark's own
 * helpers), with the machine's load at each round, and the largest resident
 * memory of each process. Then the analysis alone, in this process
 * (without the cost of starting Node), and the lab's path: the same
 * capture opened as a Timeline, up to its 20,000 steps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureAnalysis } from '../../sim/capture/capture-analysis';
import { CaptureOpening } from '../../sim/capture/open-capture';
import { writeSecureCallCapture } from '../capture/secure-call-capture';
import { printTable } from './measure';

const PER_DIRECTION = 50_000;
const CHUNK = 256 * 1024;

interface ProcessRun {
  kb: number;
  seconds: number;
  cpu: number;
  status: number | null;
  stdout: string;
}

function timed(command: string, args: string[]): ProcessRun {
  const r = spawnSync('/usr/bin/time', ['-f', '%M %e %U %S', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  const [kb, seconds, user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { kb, seconds, cpu: user + system, status: r.status, stdout: r.stdout };
}

/** The analysis in this process: CPU seconds for the whole capture, read in 256 KiB chunks. */
function inProcess(bytes: Uint8Array, keyLog: string): { cpu: number; wall: number; packets: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const a = new CaptureAnalysis({ keyLog });
  for (let at = 0; at < bytes.length; at += CHUNK) a.push(bytes.subarray(at, at + CHUNK));
  const r = a.end();
  const used = process.cpuUsage(cpu0);
  if (r.failure || r.media.some((m) => m.decrypted !== m.packets))
    throw new Error('the benchmark capture did not decrypt');
  return { cpu: (used.user + used.system) / 1e6, wall: (performance.now() - t0) / 1000, packets: r.capture.packets };
}

function timeline(bytes: Uint8Array, keyLog: string): { cpu: number; steps: number } {
  const cpu0 = process.cpuUsage();
  const o = new CaptureOpening({ name: 'call.pcap', keyLog });
  for (let at = 0; at < bytes.length; at += CHUNK) o.push(bytes.subarray(at, at + CHUNK));
  const { timeline } = o.end();
  const used = process.cpuUsage(cpu0);
  return { cpu: (used.user + used.system) / 1e6, steps: timeline.steps.length };
}

export default async function bench(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status !== 0) {
    console.log('(not measured: it needs /usr/bin/time, Debian package `time`)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'capture-bench-'));
  const bin = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));
  try {
    const call = await writeSecureCallCapture(dir, { perDirection: PER_DIRECTION, firstSequence: 60_000 });
    const bytes = new Uint8Array(readFileSync(call.pcap));
    const keyLog = readFileSync(call.keyLog, 'utf8');
    console.log(
      `capture: ${call.pcap.split('/').pop()}, ${(statSync(call.pcap).size / 1e6).toFixed(1)} MB, ${(PER_DIRECTION * 2).toLocaleString('en-US')} SRTP packets and the call's TLS 1.3 signalling, with its key log`,
    );
    const rows = [];
    const baseline = timed(process.execPath, [bin, '--help']);
    for (let round = 1; round <= 3; round++) {
      const load = loadavg()[0];
      const ours = timed(process.execPath, [bin, 'analyze', call.pcap, '--keylog', call.keyLog, '--json']);
      if (ours.status !== 0) throw new Error(`trunklab analyze exited ${ours.status}`);
      const total = JSON.parse(ours.stdout).capture.packets as number;
      const peer = timed('tshark', ['-n', '-r', call.pcap, '-o', `tls.keylog_file:${call.keyLog}`]);
      if (peer.status !== 0) throw new Error(`tshark exited ${peer.status}`);
      const alone = inProcess(bytes, keyLog);
      rows.push({
        round,
        load,
        packets: total,
        'analyze pkt/CPU-s': total / ours.cpu,
        'tshark pkt/CPU-s': total / peer.cpu,
        ratio: peer.cpu / ours.cpu,
        'in-process pkt/CPU-s': total / alone.cpu,
        'ratio ': peer.cpu / alone.cpu,
        'analyze s': ours.seconds,
        'tshark s': peer.seconds,
        'wall ratio': peer.seconds / ours.seconds,
        'analyze MB': ours.kb / 1024,
        'tshark MB': peer.kb / 1024,
      });
    }
    console.log(
      `Packets per second of CPU time (the machine is shared: CPU time is what each costs), and the ratio by the clock (seconds as /usr/bin/time gives them, to 10 ms; the load is the 1-minute average when the round began); analyze includes starting Node and the bundled command (a build older than its sources runs through tsx instead), ${baseline.cpu.toFixed(1)} CPU-s and ${(baseline.kb / 1024).toFixed(0)} MB for \`trunklab --help\`:`,
    );
    printTable(rows);
    const lab = timeline(bytes, keyLog);
    console.log(
      `\nOpened in the lab (a Timeline of the first ${lab.steps.toLocaleString('en-US')} packets with every byte explained, the rest read by the diagnosis): ${lab.cpu.toFixed(1)} CPU-s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
