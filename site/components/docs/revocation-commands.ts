/**
 * The shell commands the certificate lifecycle article gives for revocation,
 * built from the carrier profile's file names: read the issuing CA's CRL,
 * and check a certificate against it with OpenSSL and with trunklab
 * (RFC 5280 §5, §6.3). tests/content runs them against a CRL that names the
 * PBX's certificate and one that does not.
 */
import type { CarrierProfile } from '../../../sim/carrier';
import { csrFlowFiles } from './csr-flow';

export function revocationCommands(carrier: CarrierProfile) {
  const f = csrFlowFiles(carrier);
  const crl = f.issuing.replace(/\.pem$/, '.crl.pem');
  return {
    files: { ...f, crl },
    /** The serial number the CRL would list for your certificate. */
    serial: `openssl x509 -in ${f.certificate} -noout -serial`,
    /** Who issued the CRL, when, until when, and which serials it revokes. */
    readCrl: `openssl crl -in ${crl} -noout -text`,
    /** Your certificate against the root, the issuing CA and the CRL, as a CRL-checking SBC sees it. */
    verifyWithCrl: `openssl verify -crl_check -CAfile ${f.root} -untrusted ${f.issuing} -CRLfile ${crl} ${f.certificate}`,
    /** The same check, step by step. */
    certCheckWithCrl: `trunklab cert-check ${f.chain} --ca ${f.root} --purpose client --crl ${crl}`,
  };
}
