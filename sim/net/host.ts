/**
 * A host on the virtual network: the customer's PBX, the carrier's SBC or the
 * attacker. It owns an IPv4 address, runs TCP and UDP, and reads every packet
 * that reaches it from the bytes alone (`readPacket`): a packet with a wrong
 * checksum is discarded (RFC 9293 §3.1, RFC 768), a TCP segment for no
 * connection and no listener is answered with RST (RFC 9293 §3.10.7.1).
 *
 * An attacker's host can also `claim` another host's address, to answer for
 * it when the network hands it packets meant for that host (interception).
 */
import type { Party } from '../timeline';
import type { RandomSource } from '../crypto/random';
import { isParseError } from '../wire/parse-error';
import type { Encoded } from './ipv4';
import { formatEndpoint, type Endpoint } from './address';
import {
  decodeWirePacket,
  writePacket,
  type DecodedPacket,
  type PacketSpec,
  type UnnumberedPacketSpec,
} from './packet';
import { TCP_FLAG, seqAdd, segmentLength } from './tcp-segment';
import { DEFAULT_TCP_TUNING, TcpConnection, type TcpHostContext, type TcpTuning } from './tcp-connection';
import { UdpSocket } from './udp-socket';
import type { PacketFate, PacketOrigin, StreamPosition, WirePacket } from './wire-record';
import type { ScheduledEvent } from './event-queue';

export interface HostOptions {
  party: Party;
  /** A name for people: `PBX`, `SBC`, `Attacker`. */
  name: string;
  ip: string;
  /** Link speed for serialization delay; default 100 Mbit/s. */
  linkBitsPerSecond?: number;
  tcp?: Partial<TcpTuning>;
}

/** What a host needs from the network it is attached to. */
export interface HostNetwork {
  nowUs(): number;
  schedule(delayUs: number, label: string, run: () => unknown): ScheduledEvent;
  /** Lets an asynchronous handler finish before the next event (Network.settle). */
  settle(result: unknown): void;
  transmit(
    from: Host,
    packet: Encoded,
    meta: { origin: PacketOrigin; stream?: StreamPosition; derivedFrom?: number; note?: string },
  ): WirePacket;
}

export interface TcpListener {
  readonly local: Endpoint;
  close(): void;
}

/** Dynamic ports (RFC 6335 §6): where ephemeral source ports come from. */
const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

export class Host {
  readonly party: Party;
  readonly name: string;
  readonly ip: string;
  readonly linkBitsPerSecond: number;
  readonly tuning: TcpTuning;
  /** When this host's link is next free to transmit (serialization). */
  txFreeAtUs = 0;

  private readonly addresses = new Set<string>();
  private readonly listeners = new Map<string, (c: TcpConnection) => unknown>();
  private readonly connections = new Map<string, TcpConnection>();
  private readonly udp = new Map<string, UdpSocket>();
  private ipId: number;
  private nextPort: number;

  constructor(
    options: HostOptions,
    private readonly network: HostNetwork,
    readonly random: RandomSource,
  ) {
    this.party = options.party;
    this.name = options.name;
    this.ip = options.ip;
    this.linkBitsPerSecond = options.linkBitsPerSecond ?? 100e6;
    this.tuning = { ...DEFAULT_TCP_TUNING, ...options.tcp };
    this.addresses.add(options.ip);
    const r = random.bytes(4);
    this.ipId = (r[0] << 8) | r[1];
    this.nextPort = EPHEMERAL_FIRST + (((r[2] << 8) | r[3]) % EPHEMERAL_COUNT);
  }

  /** Answer for another host's address as well (an interceptor impersonating it). */
  claim(ip: string): void {
    this.addresses.add(ip);
  }

  owns(ip: string): boolean {
    return this.addresses.has(ip);
  }

  /** Listens for TCP connections on `port`; `onAccept` gets each one once it is ESTABLISHED. */
  listen(port: number, onAccept: (connection: TcpConnection) => unknown, ip = this.ip): TcpListener {
    const key = formatEndpoint({ ip, port });
    if (this.listeners.has(key)) throw new Error(`${this.name}: already listening on ${key}`);
    this.listeners.set(key, onAccept);
    return { local: { ip, port }, close: () => this.listeners.delete(key) };
  }

  /** Opens a TCP connection (active open); write to it at once, the data leaves when it is established. */
  connect(
    remote: Endpoint,
    options: { localIp?: string; localPort?: number; streamName?: string } = {},
  ): TcpConnection {
    const local = { ip: options.localIp ?? this.ip, port: options.localPort ?? this.ephemeralPort() };
    const c = new TcpConnection(local, remote, this.tcpContext(), this.tuning, options.streamName);
    this.connections.set(c.id, c);
    c.open();
    return c;
  }

  bindUdp(port: number, ip = this.ip): UdpSocket {
    const key = formatEndpoint({ ip, port });
    if (this.udp.has(key)) throw new Error(`${this.name}: UDP ${key} is already bound`);
    const socket = new UdpSocket(
      { ip, port },
      {
        // A socket's datagram is written for its packet alone (UdpSocket.send): its fields move, uncopied.
        sendUdp: (from, to, payload) => this.send({ transport: 'udp', src: from, dst: to, payload }, undefined, true),
        unbind: (s) => this.udp.delete(formatEndpoint(s.local)),
      },
    );
    this.udp.set(key, socket);
    return socket;
  }

  /** A free port from the dynamic range, in sequence from a random start. */
  ephemeralPort(): number {
    const port = this.nextPort;
    this.nextPort = EPHEMERAL_FIRST + ((this.nextPort - EPHEMERAL_FIRST + 1) % EPHEMERAL_COUNT);
    return port;
  }

  /**
   * Sends a packet this host's stack built, numbering its IPv4 Identification.
   * @param payloadHandedOver see `writePacket`
   */
  send(spec: UnnumberedPacketSpec, stream?: StreamPosition, payloadHandedOver = false): WirePacket {
    const ipId = this.ipId;
    this.ipId = (this.ipId + 1) & 0xffff;
    const packet = writePacket({ ...spec, ipId } as PacketSpec, payloadHandedOver);
    return this.network.transmit(this, packet, { origin: 'sent', stream });
  }

  /** Whether a socket of this host would take the packet (what an interceptor checks before taking it). */
  wants(p: DecodedPacket): boolean {
    if (!this.owns(p.dst.ip)) return false;
    if (p.transport.kind === 'udp') return this.udp.has(formatEndpoint(p.dst));
    if (p.transport.kind !== 'tcp') return false;
    if (this.connections.has(connectionKey(p.dst, p.src))) return true;
    return (
      (p.transport.flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN && this.listeners.has(formatEndpoint(p.dst))
    );
  }

  /** A packet arrived; returns what became of it. */
  receive(record: WirePacket): PacketFate {
    // The headers as the network and any tap read them (shared: read, never changed).
    let onWire: DecodedPacket;
    try {
      onWire = decodeWirePacket(record.bytes);
    } catch (e) {
      if (isParseError(e)) {
        record.note = `${this.name} could not read it: ${e.message}`;
        return 'malformed';
      }
      throw e;
    }
    if (!onWire.checksumValid) {
      record.note = `${this.name} discarded it: checksum mismatch.`;
      return 'bad-checksum';
    }
    if (!this.owns(onWire.dst.ip)) {
      record.note = `${this.name} is not ${onWire.dst.ip}.`;
      return 'unroutable';
    }
    if (onWire.transport.kind === 'udp') {
      const socket = this.udp.get(formatEndpoint(onWire.dst));
      if (!socket) {
        record.note = `Nothing listens on UDP ${formatEndpoint(onWire.dst)}.`;
        return 'no-listener';
      }
      // Applications get their own copy of the payload: nothing they do may change the bytes the record keeps.
      this.network.settle(socket.onMessage?.(onWire.payload.slice(), onWire.src, record));
      return 'delivered';
    }
    if (onWire.transport.kind !== 'tcp') return 'no-listener';
    // A connection keeps what arrives until its application reads it: its own copy, as above.
    const p: DecodedPacket = { ...onWire, payload: onWire.payload.slice() };
    const existing = this.connections.get(connectionKey(p.dst, p.src));
    if (existing) {
      existing.segmentArrives(p);
      return 'delivered';
    }
    const t = onWire.transport;
    const onAccept = this.listeners.get(formatEndpoint(p.dst));
    if (onAccept && (t.flags & (TCP_FLAG.SYN | TCP_FLAG.ACK | TCP_FLAG.RST)) === TCP_FLAG.SYN) {
      const c = new TcpConnection(p.dst, p.src, this.tcpContext(), this.tuning);
      this.connections.set(c.id, c);
      c.onOpen = () => onAccept(c);
      c.acceptSyn(p);
      return 'delivered';
    }
    // No connection (RFC 9293 §3.10.7.1): anything but a RST is answered with a RST.
    if (!(t.flags & TCP_FLAG.RST)) {
      const reset =
        t.flags & TCP_FLAG.ACK
          ? { seq: t.ack, ack: 0, flags: TCP_FLAG.RST }
          : {
              seq: 0,
              ack: seqAdd(t.seq, segmentLength(t.flags, p.payload.length)),
              flags: TCP_FLAG.RST | TCP_FLAG.ACK,
            };
      this.send({
        transport: 'tcp',
        src: p.dst,
        dst: p.src,
        tcp: { ...reset, window: 0 },
        payload: { bytes: new Uint8Array(0), fields: [] },
      });
    }
    record.note = onAccept
      ? `No connection on ${formatEndpoint(p.dst)} for this segment.`
      : `Nothing listens on TCP ${formatEndpoint(p.dst)}.`;
    return 'no-listener';
  }

  /** Open TCP connections (in any state but CLOSED). */
  get tcpConnections(): TcpConnection[] {
    return [...this.connections.values()];
  }

  private tcpContext(): TcpHostContext {
    return {
      nowUs: () => this.network.nowUs(),
      schedule: (delayUs, label, run) => this.network.schedule(delayUs, label, run),
      settle: (result) => this.network.settle(result),
      // A connection cuts each segment's payload from its send stream for that segment alone: its fields move, uncopied.
      send: (spec, stream) => void this.send(spec, stream, true),
      randomIsn: () => {
        const b = this.random.bytes(4);
        return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
      },
      forget: (c) => this.connections.delete(c.id),
    };
  }
}

function connectionKey(local: Endpoint, remote: Endpoint): string {
  return `${formatEndpoint(local)} → ${formatEndpoint(remote)}`;
}
