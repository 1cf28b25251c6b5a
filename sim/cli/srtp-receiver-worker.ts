/**
 * The thread that receives `trunklab analyze`'s SRTP (srtp-receiver-thread.ts
 * starts it): one counting receiver per keyed stream (RFC 3711 §3.2.3: each
 * SSRC has its own ROC and replay list), fed the batches of packets the
 * reading thread hands over, in capture order. It answers each batch with how
 * many it has received, and the end with every stream's counts.
 *
 * A batch is a sequence of entries: the stream (4 bytes), the packet number
 * (4 bytes), the payload's length (2 bytes) and the payload.
 */
import { parentPort } from 'node:worker_threads';
import { CountingReceiver, type ReceiverKey } from '../capture/receiver-counts';

export type ToReceiverThread =
  { open: number; key: ReceiverKey } | { batch: ArrayBuffer; length: number } | { end: true };

export type FromReceiverThread = { consumed: number } | { counts: Array<[number, CountingReceiver['counts']]> };

const port = parentPort!;
const receivers = new Map<number, CountingReceiver>();
let consumed = 0;

port.on('message', (m: ToReceiverThread) => {
  if ('open' in m) {
    receivers.set(m.open, new CountingReceiver(m.key));
  } else if ('batch' in m) {
    const b = new Uint8Array(m.batch, 0, m.length);
    for (let at = 0; at < b.length;) {
      const stream = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
      const packet = ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0;
      const length = (b[at + 8] << 8) | b[at + 9];
      at += 10;
      receivers.get(stream)!.receive(packet, b.subarray(at, at + length));
      at += length;
    }
    port.postMessage({ consumed: ++consumed } satisfies FromReceiverThread);
  } else {
    port.postMessage({ counts: [...receivers].map(([id, r]) => [id, r.counts]) } satisfies FromReceiverThread);
  }
});
