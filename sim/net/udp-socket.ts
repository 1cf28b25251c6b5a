/**
 * A UDP socket (RFC 768): datagrams to and from one local address and port.
 * Plain SIP on 5060 and every RTP and SRTP packet on a trunk travel this way.
 * No connection, no retransmission: what the network drops is gone.
 */
import type { Encoded } from './ipv4';
import type { Endpoint } from './address';
import type { WirePacket } from './wire-record';

export interface UdpHostContext {
  sendUdp(from: Endpoint, to: Endpoint, payload: Encoded): WirePacket;
  unbind(socket: UdpSocket): void;
}

export class UdpSocket {
  /** A datagram arrived: its payload, who sent it (as its headers say), and the wire record. */
  onMessage?: (payload: Uint8Array, from: Endpoint, record: WirePacket) => unknown;
  private closed = false;

  constructor(
    readonly local: Endpoint,
    private readonly host: UdpHostContext,
  ) {}

  /**
   * Sends one datagram now; returns the wire record of the packet. An
   * `Encoded` payload's field tree becomes part of the packet's (moved, not
   * copied): write it for this datagram and do not use it again.
   */
  send(to: Endpoint, payload: Uint8Array | Encoded, name = 'UDP payload'): WirePacket {
    if (this.closed) throw new Error(`UDP socket ${this.local.ip}:${this.local.port} is closed`);
    const encoded: Encoded =
      payload instanceof Uint8Array
        ? {
            bytes: payload,
            fields: [{ name, start: 0, end: payload.length, value: `${payload.length} bytes` }],
          }
        : payload;
    return this.host.sendUdp(this.local, to, encoded);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.unbind(this);
  }
}
