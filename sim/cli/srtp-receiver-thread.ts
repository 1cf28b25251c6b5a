/**
 * `trunklab analyze`'s SRTP received on a second thread: the reading thread
 * reads the capture, TLS and SIP, and finds each stream's key; the keyed
 * streams' packets are copied into batches and handed to a worker thread
 * (srtp-receiver-worker.ts) that authenticates them, so on a machine with two
 * cores the HMAC of the media runs beside the reading. Streams are
 * independent (RFC 3711 §3.2.3) and each keeps its capture order, so the
 * counts are the ones the reading thread would have made itself.
 *
 * The worker starts with the first keyed stream (a capture without SRTP
 * starts none). At most a few batches wait for it: the reader awaits
 * `caughtUp()` when it is ahead, so memory stays flat. If the worker fails,
 * its error is what the command reports (as if the counting had thrown in
 * the reading thread); if it stops without answering, that is said, never
 * waited for.
 */
import { Worker } from 'node:worker_threads';
import type { ReceiverCounts, ReceiverKey, StreamReceivers } from '../capture/receiver-counts';
import type { FromReceiverThread, ToReceiverThread } from './srtp-receiver-worker';

/** Bytes of packets per batch: about 1,400 packets of 20 ms G.711. */
const BATCH_BYTES = 256 * 1024;
/** Batches handed over and not yet received before the reader waits. */
const MAX_AHEAD = 8;
const ENTRY_HEADER = 10;

export class SrtpReceiverThread implements StreamReceivers {
  private worker?: Worker;
  private batch = new Uint8Array(BATCH_BYTES);
  private at = 0;
  private sent = 0;
  private consumed = 0;
  private results?: Map<number, ReceiverCounts>;
  private failure?: Error;
  private wake?: () => void;

  /** `script`: the built srtp-receiver-worker.js. */
  constructor(private readonly script: URL) {}

  open(stream: number, key: ReceiverKey): void {
    this.post({ open: stream, key });
  }

  receive(stream: number, packet: number, payload: Uint8Array): void {
    if (this.at + ENTRY_HEADER + payload.length > BATCH_BYTES) this.flush();
    const b = this.batch;
    let at = this.at;
    b[at] = stream >>> 24;
    b[at + 1] = (stream >>> 16) & 0xff;
    b[at + 2] = (stream >>> 8) & 0xff;
    b[at + 3] = stream & 0xff;
    b[at + 4] = packet >>> 24;
    b[at + 5] = (packet >>> 16) & 0xff;
    b[at + 6] = (packet >>> 8) & 0xff;
    b[at + 7] = packet & 0xff;
    b[at + 8] = payload.length >>> 8;
    b[at + 9] = payload.length & 0xff;
    at += ENTRY_HEADER;
    b.set(payload, at);
    this.at = at + payload.length;
  }

  /** Whether the reader is far enough ahead of the worker to wait for it (`caughtUp`). */
  get ahead(): boolean {
    return this.sent - this.consumed > MAX_AHEAD;
  }

  /** Resolves once the worker is no longer far behind; rejects with its failure. */
  async caughtUp(): Promise<void> {
    while (this.sent - this.consumed > MAX_AHEAD / 2) await this.next();
  }

  /** Hands over the last packets and resolves once the worker has counted them all; rejects with its failure. */
  async settled(): Promise<void> {
    if (!this.worker) return;
    this.flush();
    this.post({ end: true });
    while (!this.results) await this.next();
  }

  counts(stream: number): ReceiverCounts {
    const c = this.results?.get(stream);
    if (!c)
      throw new Error(`SRTP stream ${stream} was handed to the receiver thread but not counted (await settled())`);
    return c;
  }

  /** Stops the worker (once the counts are in, or when the command fails before). */
  close(): void {
    void this.worker?.terminate();
  }

  private flush(): void {
    if (this.at === 0) return;
    const buffer = this.batch.buffer as ArrayBuffer;
    this.post({ batch: buffer, length: this.at }, [buffer]);
    this.sent++;
    this.batch = new Uint8Array(BATCH_BYTES);
    this.at = 0;
  }

  private post(m: ToReceiverThread, transfer: ArrayBuffer[] = []): void {
    this.start().postMessage(m, transfer);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script);
    w.on('message', (m: FromReceiverThread) => {
      if ('consumed' in m) this.consumed = m.consumed;
      else this.results = new Map(m.counts);
      this.wake?.();
    });
    w.on('error', (e) => {
      this.failure ??= e;
      this.wake?.();
    });
    w.on('exit', (code) => {
      if (!this.results)
        this.failure ??= new Error(`the SRTP receiver thread stopped (exit code ${code}) before it counted the media`);
      this.wake?.();
    });
    this.worker = w;
    return w;
  }

  /** The next event from the worker; throws its failure. */
  private async next(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    if (this.failure) throw this.failure;
  }
}
