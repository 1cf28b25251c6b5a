/**
 * TLS 1.2 key derivation (RFC 5246 §5, §6.3, §8.1, §7.4.9; RFC 7627 §4).
 *
 * 1. PRF(secret, label, seed) = P_<hash>(secret, label + seed), where
 *    P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
 *    and A(0) = seed, A(i) = HMAC(secret, A(i-1)) (§5).
 * 2. master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47] (§8.1),
 *    or with the extended master secret, PRF(pre_master_secret, "extended master secret", session_hash) (RFC 7627 §4).
 * 3. key_block = PRF(master_secret, "key expansion", server_random + client_random), cut into the
 *    MAC keys, write keys and IVs (§6.3).
 * 4. verify_data = PRF(master_secret, "client finished" | "server finished", Hash(handshake_messages))[0..11] (§7.4.9).
 */
import { hmac, type HashName } from '../crypto/hash';
import { concatBytes, utf8 } from '../wire/bytes';
import type { RecordCipherSpec } from './cipher-suites';
import type { KeySink } from './key-derivation';

/** P_hash (RFC 5246 §5). */
export function pHash(hash: HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let at = 0; at < length;) {
    a = hmac(hash, secret, a);
    const block = hmac(hash, secret, concatBytes(a, seed));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed) (RFC 5246 §5). */
export function prf12(hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  return pHash(hash, secret, concatBytes(utf8(label), seed), length);
}

export interface Tls12ConnectionKeys {
  clientMacKey: Uint8Array;
  serverMacKey: Uint8Array;
  clientKey: Uint8Array;
  serverKey: Uint8Array;
  clientIv: Uint8Array;
  serverIv: Uint8Array;
}

export class Tls12KeySchedule {
  constructor(
    /** The PRF hash: SHA-256, or the suite's hash when it is SHA-384 (RFC 5246 §5, RFC 5289 §3.2). */
    readonly hash: HashName,
    private readonly sink: KeySink = () => {},
  ) {}

  /** Step 2: the master secret, extended (RFC 7627) when both sides agreed to it. */
  masterSecret(
    premaster: Uint8Array,
    premasterName: string,
    input:
      | { extended: true; sessionHash: Uint8Array }
      | { extended: false; clientRandom: Uint8Array; serverRandom: Uint8Array },
  ): Uint8Array {
    if (input.extended) {
      const value = prf12(this.hash, premaster, 'extended master secret', input.sessionHash, 48);
      this.sink({
        name: 'master_secret',
        value,
        from: [premasterName, 'session_hash (ClientHello..ClientKeyExchange)'],
        how: 'PRF(pre_master_secret, "extended master secret", session_hash)[0..47]',
        spec: 'RFC 7627 §4',
      });
      return value;
    }
    const value = prf12(this.hash, premaster, 'master secret', concatBytes(input.clientRandom, input.serverRandom), 48);
    this.sink({
      name: 'master_secret',
      value,
      from: [premasterName, 'ClientHello.random', 'ServerHello.random'],
      how: 'PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]',
      spec: 'RFC 5246 §8.1',
    });
    return value;
  }

  /** Step 3: the key block, cut into MAC keys, write keys and IVs in the order of RFC 5246 §6.3. */
  keyBlock(
    master: Uint8Array,
    clientRandom: Uint8Array,
    serverRandom: Uint8Array,
    cipher: RecordCipherSpec,
  ): Tls12ConnectionKeys {
    const macLength = cipher.kind === 'cbc' ? cipher.macLength : 0;
    // CBC suites in TLS 1.2 carry an explicit IV in every record, so the key block holds none (§6.2.3.2).
    const ivLength = cipher.kind === 'aead' ? cipher.fixedIvLength : 0;
    const total = 2 * (macLength + cipher.keyLength + ivLength);
    const block = prf12(this.hash, master, 'key expansion', concatBytes(serverRandom, clientRandom), total);
    this.sink({
      name: 'key_block',
      value: block,
      from: ['master_secret', 'ServerHello.random', 'ClientHello.random'],
      how: `PRF(master_secret, "key expansion", server_random + client_random)[0..${total - 1}]`,
      spec: 'RFC 5246 §6.3',
    });
    let at = 0;
    const take = (name: string, n: number) => {
      const value = block.slice(at, at + n);
      if (n > 0) {
        this.sink({ name, value, from: ['key_block'], how: `key_block[${at}..${at + n - 1}]`, spec: 'RFC 5246 §6.3' });
      }
      at += n;
      return value;
    };
    return {
      clientMacKey: take('client_write_MAC_key', macLength),
      serverMacKey: take('server_write_MAC_key', macLength),
      clientKey: take('client_write_key', cipher.keyLength),
      serverKey: take('server_write_key', cipher.keyLength),
      clientIv: take(cipher.kind === 'aead' ? 'client_write_IV (GCM salt)' : 'client_write_IV', ivLength),
      serverIv: take(cipher.kind === 'aead' ? 'server_write_IV (GCM salt)' : 'server_write_IV', ivLength),
    };
  }

  /** Step 4: the Finished message's verify_data (§7.4.9). */
  verifyData(master: Uint8Array, sender: 'client' | 'server', handshakeHash: Uint8Array): Uint8Array {
    const value = prf12(this.hash, master, `${sender} finished`, handshakeHash, 12);
    this.sink({
      name: `verify_data (${sender} Finished)`,
      value,
      from: ['master_secret', 'Hash(handshake_messages)'],
      how: `PRF(master_secret, "${sender} finished", Hash(handshake_messages))[0..11]`,
      spec: 'RFC 5246 §7.4.9',
    });
    return value;
  }
}
