/**
 * The engine's sans-IO TLS endpoints over a real TCP socket (node:net): bytes
 * that arrive go to `endpoint.receive`, and whatever the endpoint returns is
 * written back in order. The only place where a TlsClient or TlsServer meets
 * the operating system's network.
 */
import { connect, type Socket } from 'node:net';
import type { TlsEndpoint } from '../tls/endpoint';
import type { TlsOutput } from '../tls/output';
import type { Clock } from '../crypto/clock';

/** The machine's clock, for real connections (the engine itself only ever reads a `Clock`). */
export const systemClock: Clock = { now: () => Date.now() };

export class TlsSocket {
  /** Every output of the endpoint, in order. */
  readonly outputs: TlsOutput[] = [];
  /** Application data received and not yet read. */
  private readonly inbox: Uint8Array[] = [];
  private waiters: Array<() => void> = [];
  private ended = false;
  /** A socket-level problem (refused, reset), if any. */
  error?: string;

  constructor(
    readonly socket: Socket,
    readonly endpoint: TlsEndpoint,
  ) {
    socket.on('data', (chunk: Buffer) => {
      void this.endpoint.receive(new Uint8Array(chunk)).then((out) => this.handle(out));
    });
    socket.on('error', (e) => {
      this.error = e.message;
      this.finish();
    });
    socket.on('close', () => this.finish());
  }

  /** Connects to host:port, failing after `timeoutMs`. */
  static connect(host: string, port: number, endpoint: TlsEndpoint, timeoutMs = 10_000): Promise<TlsSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${host}:${port} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new TlsSocket(socket, endpoint));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** Starts the client's handshake. */
  async start(): Promise<void> {
    this.handle(await this.endpoint.start());
  }

  /** Waits until the handshake has finished or failed, or `timeoutMs` passes. */
  async handshake(timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.endpoint.state !== 'start' && this.endpoint.state !== 'handshaking', timeoutMs);
  }

  async write(data: Uint8Array): Promise<void> {
    this.handle(await this.endpoint.send(data));
  }

  /** The next application data, or undefined if none arrives within `timeoutMs` or the connection ends. */
  async read(timeoutMs: number): Promise<Uint8Array | undefined> {
    await this.waitFor(() => this.inbox.length > 0, timeoutMs);
    return this.inbox.shift();
  }

  /** Sends close_notify and closes the socket once written. */
  async close(): Promise<void> {
    if (!this.ended && this.endpoint.state === 'connected') this.handle(await this.endpoint.close());
    this.socket.end();
  }

  get closed(): boolean {
    return this.ended;
  }

  private handle(out: TlsOutput): void {
    this.outputs.push(out);
    if (out.bytes.length > 0 && !this.socket.destroyed) this.socket.write(out.bytes);
    this.inbox.push(...out.received);
    if (out.state === 'closed' || out.state === 'failed') this.socket.end();
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `done()` holds, the connection ends, or the time is up. */
  waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(), timeoutMs);
      const check = () => {
        if (done() || this.ended) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }
}
