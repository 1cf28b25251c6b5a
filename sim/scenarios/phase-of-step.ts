/**
 * Which phase of a trunk's life a packet belongs to, read from what it
 * carries (its topics in the ledger) and the phase of the packet before it:
 *
 * 1. a TCP SYN opens a connection: `tcp` (RFC 9293 §3.5);
 * 2. a TLS handshake message is the `tls` handshake (RFC 8446 §4), except
 *    the post-handshake messages (§4.6), which belong where they happen;
 * 3. SIP REGISTER and its responses, and the OPTIONS a trunk pings its peer
 *    with, are `registration` (RFC 3261 §10, §11); INVITE, its responses,
 *    ACK, CANCEL, PRACK and UPDATE are `call-setup` (§13, §17); BYE and its
 *    response are the `hang-up` (§15);
 * 4. RTP, SRTP and their control protocols are `media`;
 * 5. anything else — a bare ACK, a FIN, a TLS alert, close_notify — stays
 *    in the phase of the packet before it, so a run that fails ends in the
 *    phase that failed.
 *
 * A packet that carries several messages takes the phase of the last one
 * that names a phase: the packet moves the trunk on.
 */
import type { Phase } from '../timeline';
import { headerValue } from '../sip/message';
import { TCP_FLAG } from '../net/tcp-segment';
import type { Topic } from './step-ledger';

const POST_HANDSHAKE = /^(NewSessionTicket|KeyUpdate)\b/;

/** The phase a SIP method's transaction belongs to, if it names one. */
function sipPhase(method: string): Phase | undefined {
  switch (method) {
    case 'REGISTER':
    case 'OPTIONS':
      return 'registration';
    case 'INVITE':
    case 'ACK':
    case 'CANCEL':
    case 'PRACK':
    case 'UPDATE':
      return 'call-setup';
    case 'BYE':
      return 'hang-up';
    default:
      return undefined;
  }
}

function topicPhase(t: Topic): Phase | undefined {
  switch (t.kind) {
    case 'tls':
      return POST_HANDSHAKE.test(t.message) ? undefined : 'tls';
    case 'alert':
      return undefined;
    case 'sip': {
      const m = t.message;
      // A response belongs to the transaction its CSeq names (RFC 3261 §8.1.1.5).
      const method = m.kind === 'request' ? m.method : (headerValue(m, 'CSeq')?.split(/\s+/)[1] ?? '');
      return sipPhase(method.toUpperCase());
    }
    case 'media':
      return 'media';
  }
}

/**
 * The phase of one packet.
 * @param topics what the packet carries, in order
 * @param tcpFlags its TCP flags, when it is a TCP segment
 * @param before the phase of the packet before it, if any
 */
export function phaseOf(topics: readonly Topic[], tcpFlags: number | undefined, before: Phase | undefined): Phase {
  let phase: Phase | undefined;
  for (const t of topics) phase = topicPhase(t) ?? phase;
  if (phase) return phase;
  if (tcpFlags !== undefined && tcpFlags & TCP_FLAG.SYN) return 'tcp';
  return before ?? (tcpFlags !== undefined ? 'tcp' : 'registration');
}
