/**
 * The platform's own public-key cryptography, when the engine runs in Node.
 *
 * In a browser the engine's public-key operations are WebCrypto's or
 * JavaScript's (@noble/curves, bigint RSA). In Node, node:crypto reaches the
 * same OpenSSL that Node's WebCrypto runs on its worker threads, but with
 * synchronous calls: no round trip to a worker per operation, and no slow
 * PKCS #8 decoding to import a key. A trunk's handshake makes a dozen such
 * operations in turn, and `trunklab sbc` serves many PBXs at once, so in Node
 * this path is several times faster.
 *
 * Only operations whose result is fixed by their inputs go here — raw RSA
 * (RFC 8017 §5.1.2, §5.2.1), signature verification, (EC)DH — or operations
 * whose randomness is not the run's (a live run's ECDSA nonces): a seeded run
 * yields the same bytes in Node and in a browser whichever path computed them,
 * and tests/crypto checks the paths against each other.
 *
 * node:crypto is found at run time (`process.getBuiltinModule`, Node 20.16 and
 * later), never imported, so a browser bundle of sim/ contains none of it.
 */
import type * as NodeCrypto from 'node:crypto';

export type NativeCrypto = typeof NodeCrypto;

let enabled = true;
let found: NativeCrypto | null | undefined;

/** node:crypto when the engine runs in Node (and the native path is on), else undefined. */
export function nativeCrypto(): NativeCrypto | undefined {
  if (!enabled) return undefined;
  if (found === undefined) {
    const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    try {
      found = (host?.getBuiltinModule?.('node:crypto') as NativeCrypto | undefined) ?? null;
    } catch {
      found = null;
    }
  }
  return found ?? undefined;
}

/**
 * Turns the native path off or back on, so that tests and benchmarks can run
 * the browser's path in Node and compare the two.
 */
export function useNativeCrypto(on: boolean): void {
  enabled = on;
}
