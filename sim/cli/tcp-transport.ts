/**
 * The engine's sans-IO TLS endpoints over a real TCP socket (node:net): bytes
 * that arrive go to `endpoint.receive`, and whatever the endpoint returns is
 * written back in order. The only place where a TlsClient or TlsServer meets
 * the operating system's network.
 *
 * A connection always ends, whatever the peer does: once the endpoint has
 * closed (close_notify, RFC 8446 §6.1) or failed (its alert, §6.2), the
 * socket is ended, and destroyed after a short grace period if the peer
 * keeps its side open. A peer that goes silent, or never closes, costs a
 * descriptor for seconds, not for as long as it likes. While the endpoint is
 * busy with bytes, the socket is paused, so a fast peer waits (TCP flow
 * control) rather than filling memory.
 */
import { connect, type Socket } from 'node:net';
import type { TlsEndpoint } from '../tls/endpoint';
import type { TlsOutput } from '../tls/output';
import type { Clock } from '../crypto/clock';

/** The machine's clock, for real connections (the engine itself only ever reads a `Clock`). */
export const systemClock: Clock = { now: () => Date.now() };

/** How long a peer has to close its side after ours is closed, before the socket is destroyed. */
export const CLOSE_GRACE_MS = 500;

export class TlsSocket {
  /** Every output of the endpoint, in order. */
  readonly outputs: TlsOutput[] = [];
  /** Application data received and not yet read. */
  private readonly inbox: Uint8Array[] = [];
  private waiters: Array<() => void> = [];
  private ended = false;
  private shuttingDown = false;
  /** Resolves once the socket is closed in both directions. */
  readonly closedFully: Promise<void>;
  /** A socket-level problem (refused, reset), if any. */
  error?: string;

  constructor(
    readonly socket: Socket,
    readonly endpoint: TlsEndpoint,
  ) {
    this.closedFully = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      socket.pause();
      void this.endpoint.receive(new Uint8Array(chunk)).then(
        (out) => {
          this.handle(out);
          if (!this.shuttingDown) socket.resume();
        },
        () => this.shutdown(),
      );
    });
    socket.on('error', (e) => {
      this.error = e.message;
      this.finish();
    });
    socket.on('end', () => this.finish());
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
        socket.destroy();
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

  /**
   * Sends close_notify if the connection is still up, ends the socket, and
   * resolves once it is closed: by the peer closing its side, or by
   * destroying it after `graceMs`.
   */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    if (!this.ended && this.endpoint.state === 'connected') this.handle(await this.endpoint.close());
    this.shutdown(graceMs);
    await this.closedFully;
  }

  get closed(): boolean {
    return this.ended;
  }

  private handle(out: TlsOutput): void {
    this.outputs.push(out);
    if (out.bytes.length > 0 && this.socket.writable) this.socket.write(out.bytes);
    this.inbox.push(...out.received);
    // After close_notify or an alert the endpoint reads nothing more: close the connection.
    if (out.state === 'closed' || out.state === 'failed') this.shutdown();
    this.wake();
  }

  /** Ends our side (after whatever is queued) and destroys the socket if it is still open after `graceMs`. */
  private shutdown(graceMs = CLOSE_GRACE_MS): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.socket.end();
    if (this.socket.destroyed) return;
    // Kept referenced: a paused socket whose side is ended no longer holds the event loop open by itself,
    // and the connection must be settled before its caller's promise can be.
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    this.socket.once('close', () => clearTimeout(timer));
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
