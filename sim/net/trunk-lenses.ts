/**
 * The lenses a tap on a trunk uses, chosen the way a protocol analyser
 * chooses dissectors: by port. The SIP over TLS port (RFC 3261 §26.2: 5061)
 * carries TLS; the plain SIP port (5060) carries SIP over UDP or TCP; other
 * UDP ports on a trunk carry RTP and RTCP.
 */
import type { Lenses } from './tap';
import { TlsLens } from './tls-lens';
import { SipDatagramLens, SipStreamLens } from './sip-lens';
import { RtpLens } from './rtp-lens';

export interface TrunkPorts {
  tls: number[];
  sip: number[];
  /** Names of the hosts by address, for the sentences (`PBX`, `SBC`). */
  names?: Record<string, string>;
}

export function trunkLenses(ports: TrunkPorts = { tls: [5061], sip: [5060] }): Lenses {
  const name = (ip: string, fallback: string) => ports.names?.[ip] ?? fallback;
  return {
    stream(flow, memory) {
      if (ports.tls.includes(flow.dst.port)) return new TlsLens(name(flow.src.ip, 'client'));
      if (ports.tls.includes(flow.src.port)) return new TlsLens(name(flow.src.ip, 'server'));
      if (ports.sip.includes(flow.dst.port) || ports.sip.includes(flow.src.port)) {
        return new SipStreamLens(name(flow.src.ip, flow.src.ip), memory);
      }
      return undefined;
    },
    datagram(flow, memory) {
      if (ports.sip.includes(flow.dst.port) || ports.sip.includes(flow.src.port)) {
        return new SipDatagramLens(name(flow.src.ip, flow.src.ip), memory);
      }
      return new RtpLens(flow, name(flow.src.ip, flow.src.ip), memory);
    },
  };
}
