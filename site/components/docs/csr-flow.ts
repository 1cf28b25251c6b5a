/**
 * The certificate flow a customer runs with OpenSSL, from the carrier
 * profile: make a key, make a certificate signing request (CSR, RFC 2986),
 * check what comes back, and test the trunk's TLS handshake by hand.
 *
 * These are the exact commands the article shows, and the exact commands
 * tests/content runs with OpenSSL in a temporary folder (against a test CA
 * standing in for the carrier's, and an `openssl s_server` standing in for
 * the SBC on 127.0.0.1), so the article cannot show a command that fails.
 */
import type { CarrierProfile } from '../../../sim/carrier';

export interface CsrFlowFiles {
  key: string;
  csr: string;
  certificate: string;
  /** Your certificate followed by the issuing CA's: what the PBX sends in its Certificate message. */
  chain: string;
  root: string;
  issuing: string;
}

export interface CsrCommand {
  id: string;
  title: string;
  /** Shell text, exactly as shown; `\` continues a line. */
  command: string;
}

/** The file names the commands use. */
export function csrFlowFiles(carrier: CarrierProfile): CsrFlowFiles {
  const slug = carrier.domain.split('.')[0];
  return {
    key: 'pbx.key',
    csr: 'pbx.csr',
    certificate: 'pbx.crt',
    chain: 'pbx-chain.pem',
    root: `${slug}-root-ca.pem`,
    issuing: `${slug}-issuing-ca.pem`,
  };
}

/** A value for `-subj`: slashes separate fields, so they may not appear inside one (RFC 4514 aside). */
function subjectValue(text: string): string {
  if (/[/"\\$`]/.test(text)) throw new Error(`cannot put ${JSON.stringify(text)} in an OpenSSL -subj argument`);
  return text;
}

/**
 * The commands, in the order a customer runs them. `connect` overrides where
 * the handshake test connects (the tests point it at 127.0.0.1); the name the
 * PBX checks stays the SBC's host name.
 */
export function csrFlowCommands(carrier: CarrierProfile, connect = `${carrier.sbc.host}:${carrier.sbc.tlsPort}`) {
  const f = csrFlowFiles(carrier);
  const host = carrier.customer.pbxHost;
  const sbc = carrier.sbc.host;
  const subject = `/O=${subjectValue(carrier.customer.name)}/CN=${subjectValue(host)}`;
  return {
    files: f,
    keyEc: {
      id: 'key-ec',
      title: 'Make the PBX’s private key (ECDSA P-256)',
      command: `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${f.key}\nchmod 600 ${f.key}`,
    },
    keyRsa: {
      id: 'key-rsa',
      title: 'Or an RSA key, for a PBX that cannot use ECDSA',
      command: `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out ${f.key}\nchmod 600 ${f.key}`,
    },
    csr: {
      id: 'csr',
      title: 'Make the certificate signing request',
      command: [
        `openssl req -new -key ${f.key} -out ${f.csr} \\`,
        `  -subj "${subject}" \\`,
        `  -addext "subjectAltName=DNS:${host}"`,
      ].join('\n'),
    },
    checkCsr: {
      id: 'check-csr',
      title: 'Check the request before you send it',
      command: `openssl req -in ${f.csr} -noout -verify -subject -text`,
    },
    checkCertificate: {
      id: 'check-certificate',
      title: 'Read the certificate you receive',
      command: `openssl x509 -in ${f.certificate} -noout -subject -issuer -dates -ext subjectAltName,extendedKeyUsage`,
    },
    matchKey: {
      id: 'match-key',
      title: 'Check that the certificate belongs to your key',
      command: `openssl x509 -in ${f.certificate} -noout -pubkey | openssl sha256\nopenssl pkey -in ${f.key} -pubout | openssl sha256`,
    },
    rootFingerprint: {
      id: 'root-fingerprint',
      title: 'Check the root certificate’s fingerprint',
      command: `openssl x509 -in ${f.root} -noout -subject -fingerprint -sha256`,
    },
    verifyChain: {
      id: 'verify-chain',
      title: 'Check your certificate chains to the carrier’s root',
      command: `openssl verify -CAfile ${f.root} -untrusted ${f.issuing} -purpose sslclient ${f.certificate}`,
    },
    makeChain: {
      id: 'make-chain',
      title: 'Put your certificate and the issuing CA in one file',
      command: `cat ${f.certificate} ${f.issuing} > ${f.chain}`,
    },
    certCheck: {
      id: 'cert-check',
      title: 'Check the chain the way the SBC will',
      command: `trunklab cert-check ${f.chain} --ca ${f.root} --purpose client`,
    },
    testHandshake: {
      id: 'test-handshake',
      title: 'Test the handshake with the SBC',
      command: [
        `openssl s_client -connect ${connect} -servername ${sbc} \\`,
        `  -CAfile ${f.root} -verify_return_error -verify_hostname ${sbc} \\`,
        `  -cert ${f.certificate} -key ${f.key} -cert_chain ${f.issuing} \\`,
        `  -brief </dev/null`,
      ].join('\n'),
    },
  } satisfies Record<string, CsrCommand | CsrFlowFiles>;
}
