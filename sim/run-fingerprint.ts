/**
 * A run's fingerprint: SHA-256 (FIPS 180-4) over every packet's wire bytes in
 * time order, each preceded by its length as a 32-bit big-endian number, so
 * that two different runs can never hash the same concatenation.
 *
 * A run is a pure function of (scenario, carrier, seed): the same inputs give
 * the same fingerprint in Node (`trunklab run`) and in the browser's engine
 * worker. Support engineers quote it to check that they and a customer are
 * looking at byte-identical runs.
 */
import type { Timeline } from './timeline';
import { runningHash } from './crypto/hash';
import { fromHex, toHex } from './wire/bytes';

export function runFingerprint(timeline: Pick<Timeline, 'steps'>): string {
  const h = runningHash('sha256');
  const length = new Uint8Array(4);
  const view = new DataView(length.buffer);
  for (const step of timeline.steps) {
    const bytes = fromHex(step.bytes);
    view.setUint32(0, bytes.length);
    h.update(length);
    h.update(bytes);
  }
  return toHex(h.peek());
}
