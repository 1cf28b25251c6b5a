/**
 * The TCP connections of a capture (RFC 9293 §3.5): each found by its
 * addresses and ports, its client being the side that sent the SYN (or,
 * when the capture began after the handshake, the side with the higher,
 * ephemeral port), each direction reassembled in order with retransmitted
 * and out-of-order segments put right (net/stream-reassembly.ts). A SYN
 * after the connection closed starts a new one on the same ports.
 */
import { StreamReassembly } from '../net/stream-reassembly';
import { TCP_FLAG } from '../net/tcp-segment';
import type { CapturedHeaders } from './captured-packet';

export type TcpSide = 'client' | 'server';

export interface TcpEndpoint {
  ip: string;
  port: number;
}

/** Bytes of each direction's stream kept to compare with a retransmission of them. */
const HISTORY_BYTES = 64 * 1024;

/**
 * The last bytes a stream delivered, to tell a retransmission (the same bytes
 * again, RFC 9293 §3.8.1) from a copy whose bytes differ: TCP never sends
 * different data at the same sequence numbers, so such a copy was changed on
 * the way.
 */
export class StreamHistory {
  /** A ring: stream offset `i` is kept at `i % HISTORY_BYTES`, once the first bytes arrive. */
  private ring?: Uint8Array;
  /** Stream offset one past the last byte delivered. */
  private end = 0;

  append(bytes: Uint8Array): void {
    const ring = (this.ring ??= new Uint8Array(HISTORY_BYTES));
    const from = Math.max(0, bytes.length - HISTORY_BYTES);
    for (let i = from; i < bytes.length; i++) ring[(this.end + i) % HISTORY_BYTES] = bytes[i];
    this.end += bytes.length;
  }

  /** Whether `bytes` at `offset` repeat what the stream delivered there; `unknown` when that is no longer held. */
  compare(offset: number, bytes: Uint8Array): 'same' | 'different' | 'unknown' {
    const from = Math.max(offset, this.end - HISTORY_BYTES, 0);
    const to = Math.min(offset + bytes.length, this.end);
    if (!this.ring || from >= to) return 'unknown';
    for (let i = from; i < to; i++) if (this.ring[i % HISTORY_BYTES] !== bytes[i - offset]) return 'different';
    return 'same';
  }
}

export class TcpConnection {
  readonly streams: Record<TcpSide, StreamReassembly> = {
    client: new StreamReassembly(),
    server: new StreamReassembly(),
  };
  readonly history: Record<TcpSide, StreamHistory> = { client: new StreamHistory(), server: new StreamHistory() };
  /** Packet numbers of the handshake's segments, and of the first RST or FIN from each side. */
  syn?: number;
  synCount = 0;
  synAck?: number;
  rst?: { packet: number; side: TcpSide };
  fin: Partial<Record<TcpSide, number>> = {};
  /** Payload bytes carried each way (retransmissions included). */
  readonly bytes: Record<TcpSide, number> = { client: 0, server: 0 };
  lastPacket: number;

  constructor(
    readonly id: number,
    readonly client: TcpEndpoint,
    readonly server: TcpEndpoint,
    readonly firstPacket: number,
    readonly firstTimeMs: number,
  ) {
    this.lastPacket = firstPacket;
  }

  sideOf(ip: string, port: number): TcpSide {
    return ip === this.client.ip && port === this.client.port ? 'client' : 'server';
  }

  /** Notes the segment's control bits; returns the side that sent it. */
  see(h: CapturedHeaders, packet: number): TcpSide {
    const side = this.sideOf(h.src, h.srcPort);
    this.lastPacket = packet;
    this.bytes[side] += h.payload.length;
    if (h.flags & TCP_FLAG.SYN) {
      if (h.flags & TCP_FLAG.ACK) this.synAck ??= packet;
      else {
        this.syn ??= packet;
        this.synCount++;
      }
    }
    if (h.flags & TCP_FLAG.RST) this.rst ??= { packet, side };
    if (h.flags & TCP_FLAG.FIN) this.fin[side] ??= packet;
    return side;
  }

  /** Both sides have closed, or one reset it. */
  get closed(): boolean {
    return this.rst !== undefined || (this.fin.client !== undefined && this.fin.server !== undefined);
  }

  describe(): string {
    return `${endpoint(this.client)} → ${endpoint(this.server)}`;
  }
}

function endpoint(e: TcpEndpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

export class TcpConnections {
  private readonly open = new Map<string, TcpConnection>();
  private nextId = 1;
  readonly all: TcpConnection[] = [];

  /** The connection a segment belongs to, started when it is the first seen on its ports. */
  find(h: CapturedHeaders, packet: number, timeMs: number): TcpConnection {
    const a = `${h.src}|${h.srcPort}`;
    const b = `${h.dst}|${h.dstPort}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = this.open.get(key);
    const syn = (h.flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN;
    if (c && syn && c.closed) c = undefined;
    if (!c) {
      const src = { ip: h.src, port: h.srcPort };
      const dst = { ip: h.dst, port: h.dstPort };
      const synAck = (h.flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === (TCP_FLAG.SYN | TCP_FLAG.ACK);
      const srcIsClient = syn || (!synAck && h.srcPort > h.dstPort);
      c = new TcpConnection(this.nextId++, srcIsClient ? src : dst, srcIsClient ? dst : src, packet, timeMs);
      this.open.set(key, c);
      this.all.push(c);
    }
    return c;
  }
}
