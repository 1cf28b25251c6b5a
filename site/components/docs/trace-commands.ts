/**
 * The commands the article on decrypted SIP gives: turning a PBX's own SIP
 * trace on and off (Asterisk's PJSIP logger, FreeSWITCH's sofia trace), and
 * removing the secrets from a trace before it is shared: the SRTP keys of
 * `a=crypto` lines (RFC 4568 §9.1) and the digest responses of
 * `Authorization` headers (RFC 7616 §3.4). tests/content runs the redaction
 * on SIP the engine wrote.
 */
import type { CarrierProfile } from '../../../sim/carrier';

export function traceCommands(carrier: CarrierProfile) {
  return {
    asteriskOn: `asterisk -rx "pjsip set logger host ${carrier.sbc.ip}"\nasterisk -rx "pjsip set logger on"`,
    asteriskOff: 'asterisk -rx "pjsip set logger off"',
    freeswitchOn: 'fs_cli -x "sofia global siptrace on"',
    freeswitchOff: 'fs_cli -x "sofia global siptrace off"',
    /** Keys and digest responses replaced, the rest of the trace kept as it was. */
    redact: [
      `sed -E -e 's#(a=crypto:[0-9]+ [A-Za-z0-9_]+ inline:)[A-Za-z0-9+/=]+#\\1REMOVED#'`,
      `  -e 's#(response=")[0-9a-fA-F]+#\\1REMOVED#' trace.log > trace-to-share.log`,
    ].join(' \\\n'),
  };
}
