/**
 * The customer's NAT router as a middlebox on the path: a stateful firewall
 * that lets in only what answers a flow the inside opened, and forgets a
 * flow that has been idle too long.
 *
 * - A flow is one TCP connection or UDP port pair between an inside address
 *   and an outside one. An inside host opens a TCP flow with a SYN; any UDP
 *   datagram from inside opens a UDP flow (RFC 4787 §4.3, RFC 5382 §5).
 * - Every packet of a flow, either way, refreshes it; a TCP flow idle for
 *   longer than its timeout is forgotten (RFC 5382 §5, REQ-5 asks for at
 *   least 2 hours 4 minutes; many devices use far less), as is a UDP flow
 *   (RFC 4787 §4.3, REQ-5: at least 2 minutes).
 * - From outside, a packet with no flow is dropped: this is what keeps
 *   unsolicited traffic out, and what cuts an idle trunk. From inside, a TCP
 *   segment other than a SYN with no flow is dropped too, as stateful
 *   firewalls drop segments of connections they do not know (they cannot
 *   tell them from forged ones).
 *
 * The lab shows packets as they look on the internet side: the addresses
 * and ports the NAT maps are those of the PBX's public address, so the
 * translation itself does not appear; what the NAT keeps and forgets does.
 */
import type { InFlightPacket, Middlebox, PathDecision } from './network';
import { formatEndpoint } from './address';
import { TCP_FLAG } from './tcp-segment';

export interface NatOptions {
  /** The inside host's address (the PBX's). */
  inside: string;
  /** How long an idle TCP flow is kept, in ms. */
  tcpIdleMs: number;
  /** How long an idle UDP flow is kept, in ms (default 2 minutes, RFC 4787 REQ-5). */
  udpIdleMs?: number;
}

interface Flow {
  lastMs: number;
  opened: number;
}

export class StatefulNat implements Middlebox {
  private readonly flows = new Map<string, Flow>();

  constructor(
    private readonly options: NatOptions,
    /** Milliseconds of virtual time, from the network. */
    private readonly nowMs: () => number,
  ) {}

  onPacket({ parsed }: InFlightPacket): PathDecision {
    const t = parsed.transport;
    if (t.kind === 'other') return { action: 'forward' };
    const outbound = parsed.src.ip === this.options.inside;
    const inside = outbound ? parsed.src : parsed.dst;
    const outside = outbound ? parsed.dst : parsed.src;
    const key = `${t.kind} ${formatEndpoint(inside)} ${formatEndpoint(outside)}`;
    const now = this.nowMs();
    const idleMs = t.kind === 'tcp' ? this.options.tcpIdleMs : (this.options.udpIdleMs ?? 120_000);
    let flow = this.flows.get(key);
    let forgotten = '';
    if (flow && now - flow.lastMs > idleMs) {
      forgotten = ` It forgot this connection after ${seconds(idleMs)} without a packet (the last one passed ${seconds(now - flow.lastMs)} ago).`;
      this.flows.delete(key);
      flow = undefined;
    }
    if (!flow) {
      const opens = outbound && (t.kind === 'udp' || (t.flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN);
      if (!opens) {
        return {
          action: 'drop',
          note: outbound
            ? `The customer’s NAT router dropped it: it has no state for this TCP connection, and a segment that does not open one (no SYN) is not let out.${forgotten}`
            : `The customer’s NAT router dropped it: nothing inside asked for it, as far as the router knows.${forgotten}`,
        };
      }
      flow = { lastMs: now, opened: now };
      this.flows.set(key, flow);
    }
    flow.lastMs = now;
    return { action: 'forward' };
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
