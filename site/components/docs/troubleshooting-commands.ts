/**
 * The shell commands the troubleshooting article gives a support engineer,
 * built from the carrier profile. tests/content runs them: the OpenSSL and
 * trunklab ones against an `openssl s_server` standing in for the SBC, the
 * capture ones with tshark on captures the engine writes.
 */
import type { CarrierProfile } from '../../../sim/carrier';
import { csrFlowFiles } from './csr-flow';

export const SBC_CHAIN_FILE = 'sbc-chain.pem';

export function troubleshootingCommands(
  carrier: CarrierProfile,
  connect = `${carrier.sbc.host}:${carrier.sbc.tlsPort}`,
) {
  const f = csrFlowFiles(carrier);
  const sbc = carrier.sbc.host;
  return {
    /** Saves the chain the SBC presents (TLS 1.3 encrypts it, so a capture alone does not show it). */
    fetchSbcChain: [
      `openssl s_client -connect ${connect} -servername ${sbc} -showcerts \\`,
      `  -CAfile ${f.root} -cert ${f.certificate} -key ${f.key} -cert_chain ${f.issuing} \\`,
      `  </dev/null 2>/dev/null | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' > ${SBC_CHAIN_FILE}`,
    ].join('\n'),
    /** How many certificates the SBC sent, and whose. */
    listSbcChain: `grep -c 'BEGIN CERTIFICATE' ${SBC_CHAIN_FILE}\nopenssl x509 -in ${SBC_CHAIN_FILE} -noout -subject -issuer -dates`,
    /**
     * Subject and issuer of every certificate the SBC sent, then the subject of the root the PBX
     * holds: tells a missing intermediate (one certificate, issued by the issuing CA) from a wrong
     * root (the last certificate's issuer is not the root installed), which OpenSSL reports alike.
     */
    compareChainWithRoot: `openssl crl2pkcs7 -nocrl -certfile ${SBC_CHAIN_FILE} | openssl pkcs7 -print_certs -noout\nopenssl x509 -in ${f.root} -noout -subject`,
    /** The engine's path validation, step by step, as the PBX runs it. */
    checkSbcChain: `trunklab cert-check ${SBC_CHAIN_FILE} --ca ${f.root} --host ${sbc}`,
    /** The same check at the time the PBX believes it is. */
    checkSbcChainAt: (isoTime: string) =>
      `trunklab cert-check ${SBC_CHAIN_FILE} --ca ${f.root} --host ${sbc} --at ${isoTime}`,
    /** The PBX's own certificate, as the SBC will check it. */
    checkPbxChain: `trunklab cert-check ${f.chain} --ca ${f.root} --purpose client`,
  };
}

/** Commands on captures: a lab run's, or one from the PBX with a key log. */
export function captureCommands(scenario: string) {
  const pcap = `${scenario}.pcapng`;
  const keylog = `${scenario}.keys`;
  return {
    /** A lab run as files: the capture (TLS secrets inside) and the key log beside it. */
    runWithCapture: `trunklab run ${scenario} --pcap ${pcap} --keylog ${keylog}`,
    /** The SIP inside the TLS, one line per message. */
    sipLadder: `tshark -r ${pcap} -Y sip -T fields -e frame.number -e ip.src -e sip.Request-Line -e sip.Status-Line`,
    /** The same from a capture without embedded secrets, with the key log beside it. */
    sipLadderWithKeylog: (capture: string) =>
      `tshark -r ${capture} -o tls.keylog_file:${keylog} -Y sip -T fields -e frame.number -e sip.Request-Line -e sip.Status-Line`,
    /** TLS alerts: who sent which. */
    alerts: `tshark -r ${pcap} -Y tls.alert_message -T fields -e ip.src -e tls.alert_message.desc`,
  };
}
