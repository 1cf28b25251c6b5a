/**
 * The cipher suites a trunk negotiates, and what each one means for the key
 * exchange, the record protection and the hash of the PRF or key schedule.
 *
 * - TLS 1.3 suites name only the AEAD and the hash (RFC 8446 §B.4).
 * - TLS 1.2 ECDHE suites with AES-GCM (RFC 5289 §3.2, RFC 5288).
 * - TLS 1.2 static-RSA suites with AES-CBC and HMAC (RFC 5246 Appendix A.5):
 *   the client encrypts the premaster secret to the server's certificate key,
 *   so whoever later holds that key decrypts every recorded session.
 */
import type { AeadName } from '../crypto/aead';
import type { HashName } from '../crypto/hash';
import type { Tls12SuiteName, Tls13SuiteName } from '../carrier';
import type { TlsVersion } from './codepoints';

export type CipherSuiteName = Tls13SuiteName | Tls12SuiteName;

export type KeyExchange = 'tls13' | 'ecdhe_ecdsa' | 'ecdhe_rsa' | 'rsa';

export type RecordCipherSpec =
  | {
      kind: 'aead';
      aead: AeadName;
      keyLength: number;
      /** TLS 1.3: the 12-byte write IV; TLS 1.2 GCM: the 4-byte implicit salt (RFC 5288 §3). */
      fixedIvLength: number;
      /** TLS 1.2 GCM sends 8 bytes of the nonce in each record; TLS 1.3 sends none. */
      explicitNonceLength: number;
    }
  | {
      kind: 'cbc';
      keyLength: 16 | 32;
      macHash: HashName;
      macLength: number;
    };

export interface CipherSuite {
  name: CipherSuiteName;
  code: number;
  version: TlsVersion;
  keyExchange: KeyExchange;
  cipher: RecordCipherSpec;
  /** The transcript hash and HKDF hash (1.3), or the PRF hash (1.2). */
  hash: HashName;
}

const gcm = (keyLength: 16 | 32, tls13: boolean): RecordCipherSpec => ({
  kind: 'aead',
  aead: keyLength === 16 ? 'aes-128-gcm' : 'aes-256-gcm',
  keyLength,
  fixedIvLength: tls13 ? 12 : 4,
  explicitNonceLength: tls13 ? 0 : 8,
});

export const CIPHER_SUITES: readonly CipherSuite[] = [
  {
    name: 'TLS_AES_128_GCM_SHA256',
    code: 0x1301,
    version: '1.3',
    keyExchange: 'tls13',
    cipher: gcm(16, true),
    hash: 'sha256',
  },
  {
    name: 'TLS_AES_256_GCM_SHA384',
    code: 0x1302,
    version: '1.3',
    keyExchange: 'tls13',
    cipher: gcm(32, true),
    hash: 'sha384',
  },
  {
    name: 'TLS_CHACHA20_POLY1305_SHA256',
    code: 0x1303,
    version: '1.3',
    keyExchange: 'tls13',
    cipher: { kind: 'aead', aead: 'chacha20-poly1305', keyLength: 32, fixedIvLength: 12, explicitNonceLength: 0 },
    hash: 'sha256',
  },
  {
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    code: 0xc02b,
    version: '1.2',
    keyExchange: 'ecdhe_ecdsa',
    cipher: gcm(16, false),
    hash: 'sha256',
  },
  {
    name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    code: 0xc02c,
    version: '1.2',
    keyExchange: 'ecdhe_ecdsa',
    cipher: gcm(32, false),
    hash: 'sha384',
  },
  {
    name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    code: 0xc02f,
    version: '1.2',
    keyExchange: 'ecdhe_rsa',
    cipher: gcm(16, false),
    hash: 'sha256',
  },
  {
    name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    code: 0xc030,
    version: '1.2',
    keyExchange: 'ecdhe_rsa',
    cipher: gcm(32, false),
    hash: 'sha384',
  },
  {
    name: 'TLS_RSA_WITH_AES_128_CBC_SHA',
    code: 0x002f,
    version: '1.2',
    keyExchange: 'rsa',
    cipher: { kind: 'cbc', keyLength: 16, macHash: 'sha1', macLength: 20 },
    hash: 'sha256',
  },
  {
    name: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
    code: 0x003d,
    version: '1.2',
    keyExchange: 'rsa',
    cipher: { kind: 'cbc', keyLength: 32, macHash: 'sha256', macLength: 32 },
    hash: 'sha256',
  },
];

/**
 * Not a suite: a client that retries a handshake with a lower version than it
 * first tried adds this, so a server that could have spoken the higher one
 * knows the first attempt was made to fail (RFC 7507 §2).
 */
export const TLS_FALLBACK_SCSV = 0x5600;

/** Suites a peer may offer that this engine does not implement, named so the inspector can say what they are. */
const OTHER_SUITE_NAMES: Record<number, string> = {
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
  [TLS_FALLBACK_SCSV]: 'TLS_FALLBACK_SCSV',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
};

const BY_CODE = new Map(CIPHER_SUITES.map((s) => [s.code, s]));
const BY_NAME = new Map(CIPHER_SUITES.map((s) => [s.name, s]));

export function suiteByCode(code: number): CipherSuite | undefined {
  return BY_CODE.get(code);
}

export function suiteByName(name: string): CipherSuite | undefined {
  return BY_NAME.get(name as CipherSuiteName);
}

/** `TLS_AES_128_GCM_SHA256 (0x1301)`. */
export function describeSuite(code: number): string {
  const name = BY_CODE.get(code)?.name ?? OTHER_SUITE_NAMES[code] ?? 'unknown';
  return `${name} (0x${code.toString(16).padStart(4, '0')})`;
}

/** Whether the suite's key exchange gives forward secrecy (RFC 8446 §1.2; RFC 5246 §F.1.1.2). */
export function forwardSecret(suite: CipherSuite): boolean {
  return suite.keyExchange !== 'rsa';
}
