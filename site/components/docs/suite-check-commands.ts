/**
 * `openssl s_client` commands that ask the SBC for one TLS version and one
 * cipher suite, to see whether it accepts them: what a customer runs to
 * check a suite, and what a support engineer runs for a cipher mismatch.
 * tests/content runs them against `openssl s_server` configured with the
 * carrier profile's lists.
 */
import type { CarrierProfile, Tls12SuiteName, Tls13SuiteName, TlsVersionName } from '../../../sim/carrier';
import { OPENSSL_TLS12_NAMES } from './openssl-suite-names';
import { csrFlowFiles } from './csr-flow';

/** Checks one suite, with the PBX's own certificate (the SBC demands one). */
export function suiteCheckCommand(
  carrier: CarrierProfile,
  version: TlsVersionName,
  suite: Tls13SuiteName | Tls12SuiteName,
  connect = `${carrier.sbc.host}:${carrier.sbc.tlsPort}`,
): string {
  const f = csrFlowFiles(carrier);
  const choose =
    version === '1.3'
      ? `-tls1_3 -ciphersuites ${suite}`
      : `-tls1_2 -cipher ${OPENSSL_TLS12_NAMES[suite as Tls12SuiteName]}`;
  return [
    `openssl s_client -connect ${connect} -servername ${carrier.sbc.host} \\`,
    `  ${choose} \\`,
    `  -CAfile ${f.root} -cert ${f.certificate} -key ${f.key} -cert_chain ${f.issuing} \\`,
    `  -brief </dev/null`,
  ].join('\n');
}
