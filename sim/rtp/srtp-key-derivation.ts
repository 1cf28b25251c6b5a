/**
 * SRTP key derivation (RFC 3711 §4.3): the SDES master key and master salt
 * become six session keys, three for SRTP and three for SRTCP.
 *
 * 1. key_id = label || r, a 56-bit value; with the key derivation rate 0
 *    that SDES uses by default (RFC 4568 §6.1), r = 0 (§4.3.1).
 * 2. x = key_id XOR master_salt, both as 112-bit numbers (§4.3.1).
 * 3. The session key is the first n bytes of the AES-CM keystream under the
 *    master key with IV = x · 2^16 (the PRF of §4.3.3; AES-256 for RFC 6188 §3
 *    master keys).
 *
 * Labels (§4.3.2, §4.3.1): 0x00 SRTP encryption key, 0x01 SRTP authentication
 * key, 0x02 SRTP salt; 0x03–0x05 the same for SRTCP.
 *
 * AEAD suites carry a 96-bit master salt. RFC 7714 §11 as corrected by
 * erratum 4938 multiplies it by 2^16 (appends two zero bytes) to form the
 * 112-bit salt the derivation expects, and takes the first 96 bits of the
 * result as the session salt.
 */
import type { KeyEvent, Party } from '../timeline';
import { toHex } from '../wire/bytes';
import { AesCounterMode } from './aes-cm';
import type { SrtpSuite } from './srtp-suite';

export const SRTP_LABEL = {
  srtpEncryption: 0x00,
  srtpAuthentication: 0x01,
  srtpSalt: 0x02,
  srtcpEncryption: 0x03,
  srtcpAuthentication: 0x04,
  srtcpSalt: 0x05,
} as const;

export interface SessionKeys {
  encryptionKey: Uint8Array;
  /** Empty for AEAD suites, which authenticate with the encryption key. */
  authenticationKey: Uint8Array;
  salt: Uint8Array;
}

export interface SrtpSessionKeys {
  srtp: SessionKeys;
  srtcp: SessionKeys;
}

/** The 112-bit salt the PRF takes: the master salt, or a 96-bit one times 2^16 (RFC 7714 erratum 4938). */
export function kdfSalt(masterSalt: Uint8Array): Uint8Array {
  if (masterSalt.length === 14) return masterSalt;
  if (masterSalt.length === 12) {
    const salt = new Uint8Array(14);
    salt.set(masterSalt);
    return salt;
  }
  throw new RangeError(`an SRTP master salt is 14 bytes (12 for AEAD suites), got ${masterSalt.length}`);
}

/** One application of the PRF: `length` bytes for `label` (RFC 3711 §4.3.1, §4.3.3). */
export function deriveSrtpKey(prf: AesCounterMode, masterSalt: Uint8Array, label: number, length: number): Uint8Array {
  const iv = new Uint8Array(16);
  iv.set(kdfSalt(masterSalt));
  // key_id = label || r(48 bits, zero) occupies the low 56 bits of the 112-bit value:
  // the label sits seven bytes from the end of the salt.
  iv[7] ^= label;
  return prf.keystream(iv, length);
}

export function deriveSrtpSessionKeys(
  suite: SrtpSuite,
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
): SrtpSessionKeys {
  checkMasterKey(suite, masterKey, masterSalt);
  const prf = new AesCounterMode(masterKey);
  const keys = (encryption: number, authentication: number, salt: number): SessionKeys => ({
    encryptionKey: deriveSrtpKey(prf, masterSalt, encryption, suite.keyLength),
    authenticationKey:
      suite.authKeyLength > 0 ? deriveSrtpKey(prf, masterSalt, authentication, suite.authKeyLength) : new Uint8Array(0),
    salt: deriveSrtpKey(prf, masterSalt, salt, suite.saltLength),
  });
  return {
    srtp: keys(SRTP_LABEL.srtpEncryption, SRTP_LABEL.srtpAuthentication, SRTP_LABEL.srtpSalt),
    srtcp: keys(SRTP_LABEL.srtcpEncryption, SRTP_LABEL.srtcpAuthentication, SRTP_LABEL.srtcpSalt),
  };
}

export function checkMasterKey(suite: SrtpSuite, masterKey: Uint8Array, masterSalt: Uint8Array): void {
  if (masterKey.length !== suite.keyLength || masterSalt.length !== suite.saltLength) {
    throw new RangeError(
      `${suite.name} takes a ${suite.keyLength}-byte master key and a ${suite.saltLength}-byte master salt, ` +
        `got ${masterKey.length} and ${masterSalt.length}`,
    );
  }
}

/**
 * The derivation as the site shows it: one `KeyEvent` per session key, naming
 * what it came from and how, for the party that now holds it.
 */
export function srtpKeyEvents(party: Party, suite: SrtpSuite, keys: SrtpSessionKeys, direction = ''): KeyEvent[] {
  const prf = suite.keyLength === 32 ? 'AES-256-CM' : 'AES-CM';
  const saltNote = suite.saltLength === 12 ? ' (the 96-bit master salt · 2^16, RFC 7714 erratum 4938)' : '';
  const prefix = direction ? `${direction} ` : '';
  const event = (name: string, value: Uint8Array, label: number, spec: string): KeyEvent => ({
    kind: 'key',
    party,
    name: `${prefix}${name}`,
    value: toHex(value),
    from: [`${prefix}SRTP master key`, `${prefix}SRTP master salt`],
    how: `${prf}(master key, IV = ((0x${label.toString(16).padStart(2, '0')} || r=0) XOR master salt${saltNote}) · 2^16), first ${value.length} bytes`,
    spec,
  });
  const events: KeyEvent[] = [];
  for (const [protocol, k, base] of [
    ['SRTP', keys.srtp, 0],
    ['SRTCP', keys.srtcp, 3],
  ] as const) {
    events.push(event(`${protocol} session encryption key`, k.encryptionKey, base, 'RFC 3711 §4.3.1'));
    if (k.authenticationKey.length > 0) {
      events.push(event(`${protocol} session authentication key`, k.authenticationKey, base + 1, 'RFC 3711 §4.3.1'));
    }
    events.push(event(`${protocol} session salt`, k.salt, base + 2, 'RFC 3711 §4.3.1'));
  }
  return events;
}
