/**
 * The lines a PBX administrator reads when a trunk is down, in the shape
 * Asterisk (`pjsip show registrations`, its log) and FreeSWITCH
 * (`sofia status gateway`, its log) print them. They are illustrative: the
 * exercises show them beside the capture as the symptom, labelled as such;
 * the run itself never produces them.
 */
import type { CarrierProfile } from '../carrier';

/** The trunk's name in the PBX's configuration. */
const TRUNK = 'quillfeather';

/** A row of Asterisk's `pjsip show registrations`: the trunk, the server it registers with, its state. */
export function asteriskRegistration(c: CarrierProfile, state: 'Registered' | 'Rejected' | 'Unregistered'): string {
  return `${TRUNK}/sip:${c.sbc.host}:${c.sbc.tlsPort};transport=tls  ${TRUNK}-auth  ${state}`;
}

/** A line of Asterisk's log at 02:14 on a Tuesday, with the process id Asterisk prints. */
export function asteriskLog(level: 'WARNING' | 'ERROR' | 'NOTICE', source: string, text: string): string {
  return `[Nov 24 02:14:07] ${level}[2417] ${source}: ${text}`;
}

/** FreeSWITCH's `sofia status gateway`: the gateway's state (NOREG: it does not register) and status. */
export function freeswitchGateway(state: 'REGED' | 'FAIL_WAIT' | 'TRYING' | 'NOREG', status: 'UP' | 'DOWN'): string {
  return `Name ${TRUNK}  State ${state}  Status ${status}`;
}

/** A line of FreeSWITCH's log. */
export function freeswitchLog(level: 'ERR' | 'WARNING' | 'NOTICE', source: string, text: string): string {
  return `2026-11-24 02:14:07.118402 [${level}] ${source} ${text}`;
}

/** FreeSWITCH's log line for a call the far end refused: the gateway, the number and the hangup cause (Q.850 name). */
export function freeswitchHangup(number: string, cause: string): string {
  return freeswitchLog(
    'NOTICE',
    'sofia.c:6773',
    `Hangup sofia/gateway/${TRUNK}/${number} [CS_CONSUME_MEDIA] [${cause}]`,
  );
}
