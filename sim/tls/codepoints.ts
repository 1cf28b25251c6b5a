/**
 * TLS code points from the IANA "Transport Layer Security (TLS) Parameters"
 * registries, with the names the RFCs spell: content types (RFC 8446 §5.1),
 * handshake types (RFC 8446 §4, RFC 5246 §7.4), protocol versions, extension
 * types (RFC 8446 §4.2, RFC 6066, RFC 7627, RFC 5746, RFC 8422), named groups
 * (RFC 8446 §4.2.7) and signature schemes (RFC 8446 §4.2.3).
 *
 * Every field written or read shows the name beside the number, so each table
 * here is the one place a number gets its name.
 */

export const CONTENT_TYPE = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;
export type ContentTypeName = keyof typeof CONTENT_TYPE;

export const HANDSHAKE_TYPE = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  key_update: 24,
  message_hash: 254,
} as const;
export type HandshakeTypeName = keyof typeof HANDSHAKE_TYPE;

/** The handshake messages' names as the ladder shows them. */
export const HANDSHAKE_LABEL: Record<HandshakeTypeName, string> = {
  hello_request: 'HelloRequest',
  client_hello: 'ClientHello',
  server_hello: 'ServerHello',
  new_session_ticket: 'NewSessionTicket',
  end_of_early_data: 'EndOfEarlyData',
  encrypted_extensions: 'EncryptedExtensions',
  certificate: 'Certificate',
  server_key_exchange: 'ServerKeyExchange',
  certificate_request: 'CertificateRequest',
  server_hello_done: 'ServerHelloDone',
  certificate_verify: 'CertificateVerify',
  client_key_exchange: 'ClientKeyExchange',
  finished: 'Finished',
  key_update: 'KeyUpdate',
  message_hash: 'message_hash',
};

export const PROTOCOL_VERSION = {
  'TLS 1.0': 0x0301,
  'TLS 1.1': 0x0302,
  'TLS 1.2': 0x0303,
  'TLS 1.3': 0x0304,
} as const;

export type TlsVersion = '1.2' | '1.3';

export const VERSION_CODE: Record<TlsVersion, number> = { '1.2': 0x0303, '1.3': 0x0304 };

export const EXTENSION_TYPE = {
  server_name: 0,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  application_layer_protocol_negotiation: 16,
  signed_certificate_timestamp: 18,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  record_size_limit: 28,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  renegotiation_info: 0xff01,
} as const;
export type ExtensionName = keyof typeof EXTENSION_TYPE;

export const NAMED_GROUP = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  ffdhe2048: 0x0100,
  ffdhe3072: 0x0101,
  ffdhe4096: 0x0102,
  ffdhe6144: 0x0103,
  ffdhe8192: 0x0104,
} as const;

export const SIGNATURE_SCHEME = {
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  rsa_pkcs1_sha512: 0x0601,
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  ecdsa_secp521r1_sha512: 0x0603,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  ed25519: 0x0807,
  ed448: 0x0808,
  rsa_pss_pss_sha256: 0x0809,
  rsa_pss_pss_sha384: 0x080a,
  rsa_pss_pss_sha512: 0x080b,
  rsa_pkcs1_sha1: 0x0201,
  ecdsa_sha1: 0x0203,
} as const;

/** The schemes this engine can sign and verify with (RFC 8446 §4.2.3; RFC 5246 §7.4.1.4.1). */
export type SignatureSchemeName = 'ecdsa_secp256r1_sha256' | 'rsa_pss_rsae_sha256' | 'rsa_pkcs1_sha256';

function reverse(table: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(table).map(([k, v]) => [v, k]));
}

const CONTENT_NAMES = reverse(CONTENT_TYPE);
const HANDSHAKE_NAMES = reverse(HANDSHAKE_TYPE);
const VERSION_NAMES = reverse(PROTOCOL_VERSION);
const EXTENSION_NAMES = reverse(EXTENSION_TYPE);
const GROUP_NAMES = reverse(NAMED_GROUP);
const SCHEME_NAMES = reverse(SIGNATURE_SCHEME);

function hex4(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

export function contentTypeName(v: number): ContentTypeName | undefined {
  return CONTENT_NAMES.get(v) as ContentTypeName | undefined;
}

export function handshakeTypeName(v: number): HandshakeTypeName | undefined {
  return HANDSHAKE_NAMES.get(v) as HandshakeTypeName | undefined;
}

/** `TLS 1.2 (0x0303)`, or `unknown (0x7f1c)`. */
export function describeVersion(v: number): string {
  return `${VERSION_NAMES.get(v) ?? 'unknown'} (${hex4(v)})`;
}

export function describeContentType(v: number): string {
  return `${CONTENT_NAMES.get(v) ?? 'unknown'} (${v})`;
}

export function describeHandshakeType(v: number): string {
  return `${HANDSHAKE_NAMES.get(v) ?? 'unknown'} (${v})`;
}

export function extensionName(v: number): string | undefined {
  return EXTENSION_NAMES.get(v);
}

export function describeExtension(v: number): string {
  return `${EXTENSION_NAMES.get(v) ?? 'unknown'} (${v})`;
}

export function groupName(v: number): string | undefined {
  return GROUP_NAMES.get(v);
}

export function describeGroup(v: number): string {
  return `${GROUP_NAMES.get(v) ?? 'unknown'} (${hex4(v)})`;
}

export function signatureSchemeName(v: number): string | undefined {
  return SCHEME_NAMES.get(v);
}

export function describeSignatureScheme(v: number): string {
  return `${SCHEME_NAMES.get(v) ?? 'unknown'} (${hex4(v)})`;
}
