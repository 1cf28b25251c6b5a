/** OpenSSL's s_server and s_client as child processes on 127.0.0.1, and our server on an ephemeral port. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { TlsSocket } from '../../sim/cli/tcp-transport';
import type { TlsEndpoint } from '../../sim/tls/endpoint';

export interface OpenSslProcess {
  proc: ChildProcessWithoutNullStreams;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves when `text` appears in the output (or the process exits, or the time is up). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<boolean>;
  kill(): void;
}

export function openssl(args: string[]): OpenSslProcess {
  const proc = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const listeners: Array<() => void> = [];
  const onData = (d: Buffer) => {
    output += d.toString('latin1');
    listeners.splice(0).forEach((l) => l());
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) =>
    proc.on('close', (code) => {
      listeners.splice(0).forEach((l) => l());
      resolve(code);
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    proc,
    output: () => output,
    exited,
    waitFor: (text, timeoutMs = 10_000) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        const check = () => {
          const found = typeof text === 'string' ? output.includes(text) : text.test(output);
          if (found || done) {
            clearTimeout(timer);
            resolve(found);
          } else listeners.push(check);
        };
        check();
      }),
    kill: () => {
      if (!done) proc.kill();
    },
  };
}

/** Starts `openssl s_server` on an ephemeral port of 127.0.0.1 and returns it with its port. */
export async function sServer(args: string[]): Promise<OpenSslProcess & { port: number }> {
  const p = openssl(['s_server', '-accept', '127.0.0.1:0', '-naccept', '1', ...args]);
  await p.waitFor(/ACCEPT 127\.0\.0\.1:\d+/);
  const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(p.output());
  if (!m) {
    p.kill();
    throw new Error(`s_server did not start: ${p.output()}`);
  }
  return { ...p, port: Number(m[1]) };
}

/** Listens on an ephemeral port of 127.0.0.1; each connection gets a fresh endpoint from `make`. */
export async function ourServer(
  make: () => TlsEndpoint,
): Promise<{ port: number; next: Promise<TlsSocket>; close(): void }> {
  let accept!: (s: TlsSocket) => void;
  const next = new Promise<TlsSocket>((resolve) => (accept = resolve));
  const server: Server = createServer((socket) => accept(new TlsSocket(socket, make())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, next, close: () => server.close() };
}
