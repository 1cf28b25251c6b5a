/**
 * Real traffic captured the way a support engineer captures it: dumpcap
 * (Wireshark's capture engine, Debian's tshark package) on the loopback
 * interface, with a capture filter on the test's own ports so that nothing
 * else on the machine is recorded. `lo` gives Ethernet frames; `any` gives
 * Linux cooked frames (v1, or v2 with `-y LINUX_SLL2`).
 *
 * dumpcap says "Capturing on" before the interface is recording (a datagram
 * sent the moment it says so can be missing from the file), and it reads the
 * kernel's buffer in batches, so the last packets may not be in the file yet
 * when the test's traffic ends. Both ends are therefore proven with marker
 * datagrams on a port of the capture's own: at the start, a marker is sent
 * until one is in the file; at the end, one marker is sent last and the
 * capture stopped once it is in the file. A marker is a datagram from an
 * address to itself, between no parties of the trunk.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';

export interface LoopbackCapture {
  path: string;
  /** Waits until every packet sent so far is in the file, then stops dumpcap. */
  stop(): Promise<void>;
}

const POLL_MS = 50;

export async function startCapture(
  path: string,
  filter: string,
  options: { iface?: 'lo' | 'any'; linkType?: 'LINUX_SLL' | 'LINUX_SLL2' } = {},
): Promise<LoopbackCapture> {
  const marker = createSocket('udp4');
  await new Promise<void>((resolve) => marker.bind(0, '127.0.0.1', resolve));
  const markerPort = marker.address().port;
  const args = ['-i', options.iface ?? 'lo', '-f', `(${filter}) or udp port ${markerPort}`, '-w', path];
  if (options.linkType) args.push('-y', options.linkType);
  const proc = spawn('dumpcap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
  const started = new Promise<boolean>((resolve) => {
    const check = (d: Buffer) => {
      output += d.toString();
      // The interface is open, but not necessarily recording yet: the start marker below proves that.
      if (/Capturing on/.test(output)) resolve(true);
    };
    proc.stderr.on('data', check);
    proc.stdout.on('data', check);
    void exited.then(() => resolve(false));
  });
  let done = false;
  void exited.then(() => (done = true));
  const send = (bytes: Buffer) =>
    new Promise<void>((resolve, reject) =>
      marker.send(bytes, markerPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
  const recorded = (bytes: Buffer) => existsSync(path) && readFileSync(path).includes(bytes);
  const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const begin = Buffer.from(`start of capture ${process.pid} ${Date.now()}`);
  if (await started) {
    while (!done) {
      await send(begin);
      await pause();
      if (recorded(begin)) break;
    }
  }
  if (done) {
    marker.close();
    throw new Error(`dumpcap did not start: ${output}`);
  }
  let stopped = false;
  return {
    path,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const end = Buffer.from(`end of capture ${process.pid} ${Date.now()}`);
      try {
        await send(end);
        while (!done && !recorded(end)) await pause();
      } finally {
        marker.close();
        proc.kill('SIGINT');
        await exited;
      }
      if (!existsSync(path)) throw new Error(`dumpcap wrote no file: ${output}`);
    },
  };
}
