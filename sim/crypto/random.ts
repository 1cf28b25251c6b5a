/**
 * Where every random byte in the engine comes from.
 *
 * A seeded run uses HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2),
 * instantiated from the seed, so the same seed yields the same bytes in Node
 * and in the browser. A live run uses the platform's CSPRNG
 * (`crypto.getRandomValues`) and is labelled as such wherever it is shown.
 *
 * HMAC_DRBG steps (SP 800-90A §10.1.2.2 – §10.1.2.5):
 * 1. Instantiate: K = 0x00…, V = 0x01…, then Update(seed material).
 * 2. Update(data): K = HMAC(K, V || 0x00 || data); V = HMAC(K, V);
 *    if data is non-empty, K = HMAC(K, V || 0x01 || data); V = HMAC(K, V).
 * 3. Generate: repeat V = HMAC(K, V) and append V until enough bytes; then Update().
 */
import { hmac } from './hash';
import { concatBytes, utf8 } from '../wire/bytes';

export interface RandomSource {
  /** `n` fresh random bytes. */
  bytes(n: number): Uint8Array;
  /** True for the seeded generator: the run can be reproduced. */
  readonly seeded: boolean;
  /** A generator for one purpose, independent of how much other purposes draw. */
  fork(label: string): RandomSource;
}

export class HmacDrbg implements RandomSource {
  readonly seeded = true;
  private k: Uint8Array = new Uint8Array(32);
  private v: Uint8Array = new Uint8Array(32).fill(1);

  constructor(private readonly seedMaterial: Uint8Array) {
    this.update(seedMaterial);
  }

  /** A DRBG from a run's seed and an optional personalization string (SP 800-90A §8.7.1). */
  static fromSeed(seed: number | string, personalization = ''): HmacDrbg {
    return new HmacDrbg(utf8(`trunklab seed ${seed}\u0000${personalization}`));
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 32) {
      this.v = hmac('sha256', this.k, this.v);
      out.set(this.v.subarray(0, Math.min(32, n - at)), at);
    }
    this.update(new Uint8Array(0));
    return out;
  }

  fork(label: string): RandomSource {
    return new HmacDrbg(concatBytes(this.seedMaterial, utf8(`\u0000fork\u0000${label}`)));
  }

  private update(data: Uint8Array): void {
    this.k = hmac('sha256', this.k, concatBytes(this.v, Uint8Array.of(0), data));
    this.v = hmac('sha256', this.k, this.v);
    if (data.length === 0) return;
    this.k = hmac('sha256', this.k, concatBytes(this.v, Uint8Array.of(1), data));
    this.v = hmac('sha256', this.k, this.v);
  }
}

/** Real randomness from the platform; runs that use it cannot be replayed. */
export class LiveRandom implements RandomSource {
  readonly seeded = false;

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    // getRandomValues fills at most 65536 bytes per call (WebCrypto §10.1.1).
    for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
    return out;
  }

  fork(): RandomSource {
    return this;
  }
}
