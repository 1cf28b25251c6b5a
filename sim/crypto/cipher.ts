/**
 * Block cipher modes without authentication, over @noble/ciphers: the parts
 * that older protocols combine with a separate MAC.
 *
 * - AES in counter mode (NIST SP 800-38A §6.5): SRTP's AES-CM (RFC 3711 §4.1.1)
 *   is AES-CTR with a 128-bit counter block built from the salt, SSRC and index.
 * - AES-CBC (NIST SP 800-38A §6.2) without padding: TLS 1.2 adds its own
 *   padding and MAC (RFC 5246 §6.2.3.2), so the mode must not pad again.
 */
import { cbc, ctr } from '@noble/ciphers/aes.js';

/** AES-CTR keystream XOR; `counterBlock` is the 16-byte initial counter. */
export function aesCtr(key: Uint8Array, counterBlock: Uint8Array, data: Uint8Array): Uint8Array {
  return ctr(key, counterBlock).encrypt(data);
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return cbc(key, iv, { disablePadding: true }).encrypt(data);
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return cbc(key, iv, { disablePadding: true }).decrypt(data);
}
