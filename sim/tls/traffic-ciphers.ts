/**
 * Record ciphers for a negotiated suite: from a TLS 1.3 traffic secret
 * (RFC 8446 §7.3), or from the TLS 1.2 key block for each direction (RFC 5246 §6.3).
 */
import type { RandomSource } from '../crypto/random';
import type { CipherSuite } from './cipher-suites';
import type { Tls13KeySchedule } from './key-schedule-13';
import type { Tls12ConnectionKeys } from './key-schedule-12';
import type { RecordCipher } from './record-cipher';
import { Tls13RecordCipher } from './record-protection-13';
import { Tls12CbcCipher, Tls12GcmCipher } from './record-protection-12';

export function tls13Cipher(
  suite: CipherSuite,
  ks: Tls13KeySchedule,
  secretName: string,
  secret: Uint8Array,
  epoch: string,
): RecordCipher {
  if (suite.cipher.kind !== 'aead') throw new Error(`${suite.name} is not a TLS 1.3 suite`);
  return new Tls13RecordCipher(
    suite.cipher.aead,
    ks.trafficKeys(secretName, secret, suite.cipher.keyLength, epoch),
    epoch,
  );
}

export function tls12Ciphers(
  suite: CipherSuite,
  keys: Tls12ConnectionKeys,
  random: RandomSource,
): { client: RecordCipher; server: RecordCipher } {
  const c = suite.cipher;
  if (c.kind === 'aead') {
    return {
      client: new Tls12GcmCipher(c.aead, keys.clientKey, keys.clientIv, 'client write'),
      server: new Tls12GcmCipher(c.aead, keys.serverKey, keys.serverIv, 'server write'),
    };
  }
  return {
    client: new Tls12CbcCipher(keys.clientKey, keys.clientMacKey, c.macHash, c.macLength, random, 'client write'),
    server: new Tls12CbcCipher(keys.serverKey, keys.serverMacKey, c.macHash, c.macLength, random, 'server write'),
  };
}
