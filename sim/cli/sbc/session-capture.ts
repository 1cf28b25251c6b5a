/**
 * What `trunklab sbc --record` writes: the bytes that went over a real TLS
 * connection and a call's UDP media, as a pcapng file that Wireshark, tshark
 * and the lab's capture import open and decrypt (sim/net/pcapng-writer.ts:
 * the TLS key log rides in a Decryption Secrets Block, draft-ietf-opsawg-pcapng §4.7).
 *
 * A program on a socket never sees the TCP segments the kernel sent, only
 * the stream, so the capture frames the stream in the segments a plain TCP
 * would send (RFC 9293 §3.5, §3.6): the three-way handshake when the
 * connection was accepted, each read or write as one or more segments of at
 * most MSS bytes with its sequence and acknowledgment numbers, and a FIN
 * each way at the end. The application bytes and their times are exactly
 * those of the connection; a packet comment on the SYN says the headers were
 * rebuilt. UDP datagrams are written as they were sent and received.
 */
import { writeFileSync } from 'node:fs';
import type { Endpoint } from '../../net/address';
import { writePacket } from '../../net/packet';
import { writePcapng, type CapturedPacket } from '../../net/pcapng-writer';
import { TCP_FLAG, seqAdd, segmentLength } from '../../net/tcp-segment';
import type { RandomSource } from '../../crypto/random';

/** The segment size of a loopback-free Ethernet path (1500 − 40 bytes of IPv4 and TCP headers). */
const MSS = 1460;
const WINDOW = 65535;

const opaque = (bytes: Uint8Array) => ({
  bytes,
  fields: bytes.length ? [{ name: 'payload', start: 0, end: bytes.length }] : [],
});

class Direction {
  ipId: number;
  seq: number;
  constructor(
    readonly src: Endpoint,
    readonly dst: Endpoint,
    random: RandomSource,
  ) {
    const b = random.bytes(6);
    this.ipId = (b[0] << 8) | b[1];
    this.seq = ((b[2] << 24) | (b[3] << 16) | (b[4] << 8) | b[5]) >>> 0;
  }
}

/** One TCP connection's bytes, framed as segments (the client is the PBX, the server the SBC). */
export class TcpStreamCapture {
  readonly packets: CapturedPacket[] = [];
  private readonly up: Direction;
  private readonly down: Direction;
  private finished = false;

  constructor(client: Endpoint, server: Endpoint, atMs: number, random: RandomSource) {
    this.up = new Direction(client, server, random);
    this.down = new Direction(server, client, random);
    // RFC 9293 §3.5: SYN, SYN-ACK, ACK.
    this.segment(this.up, this.down, TCP_FLAG.SYN, new Uint8Array(0), atMs, [
      'TCP/IP headers rebuilt by trunklab sbc from the socket: the TLS bytes and their times are the connection’s own',
    ]);
    this.segment(this.down, this.up, TCP_FLAG.SYN | TCP_FLAG.ACK, new Uint8Array(0), atMs);
    this.segment(this.up, this.down, TCP_FLAG.ACK, new Uint8Array(0), atMs);
  }

  /** Bytes the PBX sent (`in`) or the SBC sent (`out`). */
  data(direction: 'in' | 'out', bytes: Uint8Array, atMs: number): void {
    if (this.finished) return;
    const [from, to] = direction === 'in' ? [this.up, this.down] : [this.down, this.up];
    for (let at = 0; at < bytes.length; at += MSS) {
      this.segment(from, to, TCP_FLAG.PSH | TCP_FLAG.ACK, bytes.subarray(at, Math.min(bytes.length, at + MSS)), atMs);
    }
  }

  /** FIN from each side, then the last ACK (RFC 9293 §3.6). */
  close(atMs: number): void {
    if (this.finished) return;
    this.segment(this.down, this.up, TCP_FLAG.FIN | TCP_FLAG.ACK, new Uint8Array(0), atMs);
    this.segment(this.up, this.down, TCP_FLAG.FIN | TCP_FLAG.ACK, new Uint8Array(0), atMs);
    this.segment(this.down, this.up, TCP_FLAG.ACK, new Uint8Array(0), atMs);
    this.finished = true;
  }

  private segment(
    from: Direction,
    to: Direction,
    flags: number,
    payload: Uint8Array,
    atMs: number,
    comment?: string[],
  ) {
    const ack = flags & TCP_FLAG.SYN && !(flags & TCP_FLAG.ACK) ? 0 : to.seq;
    const { bytes } = writePacket({
      transport: 'tcp',
      src: from.src,
      dst: from.dst,
      ipId: from.ipId,
      tcp: { seq: from.seq, ack, flags, window: WINDOW },
      payload: opaque(payload),
    });
    from.ipId = (from.ipId + 1) & 0xffff;
    from.seq = seqAdd(from.seq, segmentLength(flags, payload.length));
    this.packets.push({ timeMs: atMs, bytes, ...(comment ? { comment: comment.join(' ') } : {}) });
  }
}

/** A call's UDP datagrams (RTP and RTCP, either way). */
export class UdpCapture {
  readonly packets: CapturedPacket[] = [];
  private ipId = 0;

  datagram(src: Endpoint, dst: Endpoint, payload: Uint8Array, atMs: number): void {
    const { bytes } = writePacket({ transport: 'udp', src, dst, ipId: this.ipId, payload: opaque(payload) });
    this.ipId = (this.ipId + 1) & 0xffff;
    this.packets.push({ timeMs: atMs, bytes });
  }
}

/** Writes the packets, in time order, with the key log embedded; and the key log beside it. */
export function writeSessionCapture(
  path: string,
  packets: readonly CapturedPacket[],
  keyLog: readonly string[],
  description: string,
): { keyLogPath: string } {
  const keyLogText = keyLog.length ? keyLog.join('\n') + '\n' : '';
  const sorted = [...packets].sort((a, b) => a.timeMs - b.timeMs);
  const file = writePcapng(sorted, {
    application: 'trunklab sbc',
    interfaceName: 'trunk',
    interfaceDescription: description,
    ...(keyLogText ? { tlsKeyLog: keyLogText } : {}),
  });
  writeFileSync(path, file.bytes);
  const keyLogPath = path.replace(/\.pcapng$/, '') + '.keylog';
  writeFileSync(keyLogPath, keyLogText, { mode: 0o600 });
  return { keyLogPath };
}
