/**
 * Real traffic captured the way a support engineer captures it: dumpcap
 * (Wireshark's capture engine, Debian's tshark package) on the loopback
 * interface, with a capture filter on the test's own ports so that nothing
 * else on the machine is recorded. `lo` gives Ethernet frames; `any` gives
 * Linux cooked frames (v1, or v2 with `-y LINUX_SLL2`).
 *
 * dumpcap reads the kernel's buffer in batches, so the last packets may not
 * be in the file yet when the test's traffic ends. To stop without losing
 * them, the capture also records one marker datagram on a port of its own,
 * sent last; it is stopped once the marker is in the file. The marker is a
 * datagram from an address to itself, between no parties of the trunk.
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
      // dumpcap says so once the interface is open and the filter set: packets from here on are recorded.
      if (/Capturing on/.test(output)) resolve(true);
    };
    proc.stderr.on('data', check);
    proc.stdout.on('data', check);
    void exited.then(() => resolve(false));
  });
  if (!(await started)) {
    marker.close();
    throw new Error(`dumpcap did not start: ${output}`);
  }
  let stopped = false;
  return {
    path,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const text = `end of capture ${process.pid} ${Date.now()}`;
      const bytes = Buffer.from(text);
      try {
        await new Promise<void>((resolve, reject) =>
          marker.send(bytes, markerPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
        );
        let done = false;
        void exited.then(() => (done = true));
        while (!done && !(existsSync(path) && readFileSync(path).includes(bytes))) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      } finally {
        marker.close();
        proc.kill('SIGINT');
        await exited;
      }
      if (!existsSync(path)) throw new Error(`dumpcap wrote no file: ${output}`);
    },
  };
}
