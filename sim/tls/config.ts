/**
 * How a TLS endpoint is set up: what it offers or accepts, who it is, whom it
 * trusts, and where its time and randomness come from. The same settings
 * describe the PBX's client, the SBC's server and the attacker's pair.
 */
import type { Clock } from '../crypto/clock';
import type { GroupName } from '../crypto/key-agreement';
import type { RandomSource } from '../crypto/random';
import type { PrivateKey } from '../pki/keys';
import type { CipherSuiteName } from './cipher-suites';
import type { SignatureSchemeName, TlsVersion } from './codepoints';

export interface TlsCredentials {
  /** DER certificates, leaf first, as the Certificate message carries them. */
  chain: Uint8Array[];
  /** The private key of the leaf certificate (the same shape as pki/cast.ts's `Credential`). */
  privateKey: PrivateKey;
}

export interface TlsConfig {
  /** Versions offered (client) or accepted (server), most preferred first. */
  versions: TlsVersion[];
  /** Cipher suites, most preferred first; the server picks by its own order. */
  cipherSuites: CipherSuiteName[];
  /** Key-exchange groups, most preferred first. */
  groups: GroupName[];
  /** Signature schemes accepted from the peer and used by this endpoint. */
  signatureSchemes: SignatureSchemeName[];
  /**
   * Client: the name to check the server's certificate against (a DNS name, RFC 9525 §6, or an IP
   * address, RFC 5280 §4.2.1.6), and to put in SNI when it is a DNS name (RFC 6066 §3).
   */
  serverName?: string;
  /**
   * Client: whether the server's certificate must name `serverName` (default true). Off only when a
   * person says so: a certificate from a trusted CA for any other name would then pass.
   */
  checkServerName?: boolean;
  /** This endpoint's certificate chain and key (required for a server; a client sends it when asked). */
  credentials?: TlsCredentials;
  /** DER certificates of the CAs this endpoint trusts for the peer's chain. */
  trustAnchors: Uint8Array[];
  /** CRLs (DER) the endpoint checks the peer's chain against (RFC 5280 §6.3); none: no revocation check. */
  crls?: Uint8Array[];
  /**
   * Whether to validate the peer's chain. A PBX that accepts any certificate is a
   * real misconfiguration (and the attacker's client towards the SBC does not care).
   */
  verifyPeer: boolean;
  /** Server: ask the client for a certificate. */
  requestClientCertificate: boolean;
  /** Server: refuse a client that sends none (certificate_required, RFC 8446 §4.4.2.4). */
  requireClientCertificate: boolean;
  /** Client: groups to send key shares for in the first ClientHello (default: the first group). */
  keyShareGroups?: GroupName[];
  /** Time, for certificate validity: a device whose clock is wrong sees valid certificates as expired. */
  clock: Clock;
  random: RandomSource;
  /** Who this endpoint and its peer are, for the sentences it reports: `{ self: 'PBX', peer: 'SBC' }`. */
  names?: { self: string; peer: string };
}

export const DEFAULT_TLS13_SUITES: CipherSuiteName[] = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];

export const DEFAULT_TLS12_SUITES: CipherSuiteName[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
];

/** Defaults that a real trunk would use: TLS 1.3 and 1.2 with forward-secret suites only. */
export function tlsConfig(base: Pick<TlsConfig, 'clock' | 'random'> & Partial<TlsConfig>): TlsConfig {
  return {
    versions: ['1.3', '1.2'],
    cipherSuites: [...DEFAULT_TLS13_SUITES, ...DEFAULT_TLS12_SUITES],
    groups: ['x25519', 'secp256r1'],
    signatureSchemes: ['ecdsa_secp256r1_sha256', 'rsa_pss_rsae_sha256', 'rsa_pkcs1_sha256'],
    trustAnchors: [],
    verifyPeer: true,
    requestClientCertificate: base.requireClientCertificate ?? false,
    requireClientCertificate: false,
    ...base,
  };
}
