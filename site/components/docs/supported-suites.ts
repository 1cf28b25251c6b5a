/**
 * What the carrier's SBC accepts, as rows for the "supported suites" article:
 * the names come from the carrier profile; what each name means (code point,
 * key exchange, record protection, key and tag lengths) comes from the
 * engine's own suite tables, so the page, the profile and the simulator
 * cannot disagree. A suite the engine does not know fails the build.
 */
import type { CarrierProfile } from '../../../sim/carrier';
import { suiteByName, forwardSecret, type CipherSuite } from '../../../sim/tls/cipher-suites';
import { SRTP_SUITES, type SrtpSuite } from '../../../sim/rtp/srtp-suite';
import { OPENSSL_TLS12_NAMES } from './openssl-suite-names';

export interface TlsSuiteRow {
  name: string;
  code: string;
  openssl: string;
  keyExchange: string;
  protection: string;
  hash: string;
  forwardSecrecy: boolean;
}

export interface SrtpSuiteRow {
  name: string;
  cipher: string;
  masterKey: string;
  /** Length of the base64 `inline:` key in `a=crypto` (RFC 4568 §6.1). */
  inlineKeyChars: number;
  srtpTag: string;
  srtcpTag: string;
  spec: string;
}

const KEY_EXCHANGE: Record<CipherSuite['keyExchange'], string> = {
  tls13: 'ECDHE key shares in the hellos; the certificate key signs CertificateVerify',
  ecdhe_ecdsa: 'ECDHE, signed with the SBC’s ECDSA key',
  ecdhe_rsa: 'ECDHE, signed with the SBC’s RSA key',
  rsa: 'RSA key transport: the premaster secret encrypted to the SBC’s certificate key',
};

const AEAD_NAMES: Record<string, string> = {
  'aes-128-gcm': 'AES-128-GCM',
  'aes-256-gcm': 'AES-256-GCM',
  'chacha20-poly1305': 'ChaCha20-Poly1305',
};

function protection(suite: CipherSuite): string {
  const c = suite.cipher;
  if (c.kind === 'aead') return `${AEAD_NAMES[c.aead] ?? c.aead} (AEAD)`;
  return `AES-${c.keyLength * 8}-CBC + HMAC-${c.macHash.toUpperCase()}`;
}

function known(name: string): CipherSuite {
  const suite = suiteByName(name);
  if (!suite) throw new Error(`content/carrier.json lists TLS suite ${name}, which the engine does not implement`);
  return suite;
}

const hex4 = (code: number) => `0x${code.toString(16).padStart(4, '0').toUpperCase()}`;

export function tlsSuiteRows(names: readonly string[]): TlsSuiteRow[] {
  return names.map((name) => {
    const suite = known(name);
    return {
      name,
      code: hex4(suite.code),
      openssl: suite.version === '1.3' ? name : OPENSSL_TLS12_NAMES[name as keyof typeof OPENSSL_TLS12_NAMES],
      keyExchange: KEY_EXCHANGE[suite.keyExchange],
      protection: protection(suite),
      hash: suite.hash.toUpperCase().replace('SHA', 'SHA-'),
      forwardSecrecy: forwardSecret(suite),
    };
  });
}

function srtpRow(suite: SrtpSuite): SrtpSuiteRow {
  const bits = (bytes: number) => `${bytes * 8}-bit`;
  const gcm = suite.kind === 'aead-aes-gcm';
  return {
    name: suite.name,
    cipher: gcm
      ? `AES-${suite.keyLength * 8}-GCM (encrypts and authenticates)`
      : `AES-${suite.keyLength * 8} counter mode + HMAC-SHA1`,
    masterKey: `${bits(suite.keyLength)} key + ${bits(suite.saltLength)} salt`,
    inlineKeyChars: Math.ceil((suite.keyLength + suite.saltLength) / 3) * 4,
    srtpTag: `${bits(suite.srtpTagLength)}${gcm ? ' GCM tag' : ' HMAC-SHA1'}`,
    srtcpTag: `${bits(suite.srtcpTagLength)}${gcm ? ' GCM tag' : ' HMAC-SHA1'}`,
    spec: suite.spec,
  };
}

export function srtpSuiteRows(profile: CarrierProfile): SrtpSuiteRow[] {
  return profile.srtp.suites.map((name) => {
    const suite = SRTP_SUITES[name];
    if (!suite) throw new Error(`content/carrier.json lists SRTP suite ${name}, which the engine does not implement`);
    return srtpRow(suite);
  });
}
