/**
 * OpenSSL's names for the TLS 1.2 suites, which PBX settings such as
 * Asterisk's `cipher=` and FreeSWITCH's `tls-ciphers` take. TLS 1.3 suites
 * keep their IANA names in OpenSSL (`-ciphersuites`). The test in
 * tests/content checks every entry against `openssl ciphers -stdname`.
 */
import type { Tls12SuiteName } from '../../../sim/carrier';

export const OPENSSL_TLS12_NAMES: Record<Tls12SuiteName, string> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA256: 'AES256-SHA256',
};

/** The carrier's TLS 1.2 suites as an OpenSSL cipher list (`A:B:C`). */
export function opensslCipherList(suites: readonly Tls12SuiteName[]): string {
  return suites.map((s) => OPENSSL_TLS12_NAMES[s]).join(':');
}
