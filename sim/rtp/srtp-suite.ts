/**
 * The SRTP crypto suites a trunk negotiates in SDES `a=crypto` lines
 * (RFC 4568 §6.2), with the parameters each one fixes:
 *
 * | suite                   | cipher      | key | salt | SRTP tag | SRTCP tag | spec                    |
 * | ----------------------- | ----------- | --- | ---- | -------- | --------- | ----------------------- |
 * | AES_CM_128_HMAC_SHA1_80 | AES-128-CM  | 16  | 14   | 10       | 10        | RFC 4568 §6.2.1         |
 * | AES_CM_128_HMAC_SHA1_32 | AES-128-CM  | 16  | 14   | 4        | 10        | RFC 4568 §6.2.2         |
 * | AES_256_CM_HMAC_SHA1_80 | AES-256-CM  | 32  | 14   | 10       | 10        | RFC 6188 §3, §5.1       |
 * | AEAD_AES_128_GCM        | AES-128-GCM | 16  | 12   | 16 (GCM) | 16 (GCM)  | RFC 7714 §12, §14.1     |
 * | AEAD_AES_256_GCM        | AES-256-GCM | 32  | 12   | 16 (GCM) | 16 (GCM)  | RFC 7714 §12, §14.1     |
 *
 * HMAC-SHA1 suites authenticate with a 160-bit session key (RFC 3711 §4.2.1)
 * and truncate the MAC to the tag length. AES_CM_128_HMAC_SHA1_32 shortens
 * only the SRTP tag: SRTCP keeps the 80-bit tag, as DTLS-SRTP's profile of the
 * same transform says (RFC 5764 §4.1.2, `RTCP_auth_tag_length: 80`) and as
 * libsrtp-based endpoints do.
 */
import type { SrtpSuiteName } from '../carrier';

export type { SrtpSuiteName };

export interface SrtpSuite {
  name: SrtpSuiteName;
  kind: 'aes-cm-hmac-sha1' | 'aead-aes-gcm';
  /** Master key length = session encryption key length, bytes. */
  keyLength: 16 | 32;
  /** Master salt length = session salt length, bytes. */
  saltLength: 14 | 12;
  /** Authentication tag appended to each SRTP packet, bytes. */
  srtpTagLength: number;
  srtcpTagLength: number;
  /** Session authentication key length (HMAC-SHA1 suites), bytes. */
  authKeyLength: number;
  spec: string;
}

export const SRTP_SUITES: Record<SrtpSuiteName, SrtpSuite> = {
  AES_CM_128_HMAC_SHA1_80: {
    name: 'AES_CM_128_HMAC_SHA1_80',
    kind: 'aes-cm-hmac-sha1',
    keyLength: 16,
    saltLength: 14,
    srtpTagLength: 10,
    srtcpTagLength: 10,
    authKeyLength: 20,
    spec: 'RFC 4568 §6.2.1',
  },
  AES_CM_128_HMAC_SHA1_32: {
    name: 'AES_CM_128_HMAC_SHA1_32',
    kind: 'aes-cm-hmac-sha1',
    keyLength: 16,
    saltLength: 14,
    srtpTagLength: 4,
    srtcpTagLength: 10,
    authKeyLength: 20,
    spec: 'RFC 4568 §6.2.2',
  },
  AES_256_CM_HMAC_SHA1_80: {
    name: 'AES_256_CM_HMAC_SHA1_80',
    kind: 'aes-cm-hmac-sha1',
    keyLength: 32,
    saltLength: 14,
    srtpTagLength: 10,
    srtcpTagLength: 10,
    authKeyLength: 20,
    spec: 'RFC 6188 §5.1',
  },
  AEAD_AES_128_GCM: {
    name: 'AEAD_AES_128_GCM',
    kind: 'aead-aes-gcm',
    keyLength: 16,
    saltLength: 12,
    srtpTagLength: 16,
    srtcpTagLength: 16,
    authKeyLength: 0,
    spec: 'RFC 7714 §14.1',
  },
  AEAD_AES_256_GCM: {
    name: 'AEAD_AES_256_GCM',
    kind: 'aead-aes-gcm',
    keyLength: 32,
    saltLength: 12,
    srtpTagLength: 16,
    srtcpTagLength: 16,
    authKeyLength: 0,
    spec: 'RFC 7714 §14.1',
  },
};

export const SRTP_SUITE_NAMES = Object.keys(SRTP_SUITES) as SrtpSuiteName[];

export function isSrtpSuiteName(name: string): name is SrtpSuiteName {
  return Object.prototype.hasOwnProperty.call(SRTP_SUITES, name);
}

/** The suites whose master key and salt together are `length` bytes (the `inline:` key's length). */
export function suitesForKeyLength(length: number): SrtpSuite[] {
  return SRTP_SUITE_NAMES.map((n) => SRTP_SUITES[n]).filter((s) => s.keyLength + s.saltLength === length);
}
