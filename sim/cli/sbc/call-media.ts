/**
 * One call's media at the test SBC, on real UDP sockets: RTP on an even port
 * and RTCP on the next one up (RFC 3550 §11), protected as SRTP and SRTCP
 * with the SDES keys the offer and answer carried (RFC 3711 §3.3, §3.4;
 * RFC 4568 §6.1), or plain when the call agreed RTP/AVP.
 *
 * What the SBC sends, every 20 ms (RFC 3551 §4.5.14): the spoken phrase,
 * repeated after a pause, mixed with what it received from the caller (an
 * echo, a fifth of a second later), in the G.711 law the answer chose.
 * What it receives goes through the SRTP context: a packet that fails
 * authentication or is a replay is dropped and counted (the counts are
 * the SrtpContext's own), and only packets that authenticate move where
 * the SBC sends: symmetric RTP towards the address they came from, the
 * usual behaviour of an SBC in front of PBXs behind NAT.
 *
 * Every second the call reports packets per second and totals; RTCP sender
 * reports go out every five seconds (RFC 3550 §6.2).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Endpoint } from '../../net/address';
import type { RandomSource } from '../../crypto/random';
import { spokenPhrase } from '../../rtp/audio-sources';
import { G711Packetizer, PACKET_TIME_MS, SAMPLES_PER_PACKET, randomRtpStart } from '../../rtp/g711-packetizer';
import { decodeG711, encodeG711, G711_PAYLOAD_TYPE, type G711Law } from '../../rtp/g711';
import { writeRtpPacket } from '../../rtp/rtp-packet';
import { writeSenderReportCompound } from '../../rtp/rtcp-packet';
import { rtpHeaderLength, SrtpContext } from '../../rtp/srtp-context';
import type { MediaDirection, SrtpAgreement } from '../../sip/offer-answer';
import { equalBytes } from '../../wire/bytes';

/** A pause of this many packets (2 s) before the phrase plays again. */
const PHRASE_GAP_PACKETS = 100;
/** The echo comes back this many packets (200 ms) after it was received. */
const ECHO_DELAY_PACKETS = 10;
/** At most this many packets wait to be echoed; more means the caller sends faster than real time. */
const ECHO_QUEUE_LIMIT = 50;
const REPORT_EVERY_MS = 5000;
const STATS_EVERY_MS = 1000;
/** Whether the SBC sends, given its own direction in the answer. */
function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

function sameOffererKey(a: SrtpAgreement, b: SrtpAgreement): boolean {
  return (
    a.suite === b.suite &&
    equalBytes(a.offerer.masterKey, b.offerer.masterKey) &&
    equalBytes(a.offerer.masterSalt, b.offerer.masterSalt)
  );
}

/** Ports tried for an even RTP port with a free odd one above it. */
const PORT_ATTEMPTS = 20;

interface MediaKeys {
  /** The SBC's own key (from its answer): protects what it sends. */
  send: SrtpContext;
  /** The PBX's key (from its offer): opens what arrives. */
  receive: SrtpContext;
  agreement: SrtpAgreement;
}

/** What the receiving side counts; kept across a re-INVITE that replaces the PBX's key. */
type ReceiveCounts = Pick<
  MediaStats,
  'received' | 'decrypted' | 'authFailures' | 'replays' | 'rtcpReceived' | 'rtcpAuthFailures'
>;

const NO_COUNTS: ReceiveCounts = {
  received: 0,
  decrypted: 0,
  authFailures: 0,
  replays: 0,
  rtcpReceived: 0,
  rtcpAuthFailures: 0,
};

export interface MediaStats {
  protocol: 'SRTP' | 'RTP';
  sent: number;
  received: number;
  decrypted: number;
  authFailures: number;
  replays: number;
  rtcpReceived: number;
  rtcpAuthFailures: number;
}

export interface MediaObserver {
  /** Every datagram sent or received, for --record. */
  datagram?(src: Endpoint, dst: Endpoint, bytes: Uint8Array, atMs: number): void;
  /** Once a second while the call sends: packets in that second and totals. */
  second?(stats: MediaStats, sentPerSecond: number, receivedPerSecond: number): void;
}

async function bindUdp(address: string, port: number): Promise<Socket | undefined> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, address, () => resolve(socket));
  });
}

export class CallMedia {
  private keys?: MediaKeys;
  private law: G711Law = 'pcmu';
  private remote?: Endpoint;
  private packetizer?: G711Packetizer;
  private readonly echo: Array<{ law: G711Law; payload: Uint8Array }> = [];
  private readonly phrase = spokenPhrase().samples;
  private tick = 0;
  private startedAt = 0;
  private timers: Array<ReturnType<typeof setTimeout>> = [];
  private sending = false;
  private closed = false;
  private plainReceived = 0;
  private plainRtcp = 0;
  private lastSecond = { sent: 0, received: 0 };
  private observer: MediaObserver = {};
  /** Whether the SBC sends on this stream: not while the PBX holds the call (RFC 3264 §6.1). */
  private sendAllowed = true;
  /** What SRTP contexts replaced by a re-INVITE had counted. */
  private retired: ReceiveCounts = NO_COUNTS;

  private constructor(
    readonly address: string,
    private readonly rtp: Socket,
    private readonly rtcp: Socket,
    private readonly random: RandomSource,
  ) {
    rtp.on('message', (msg, from) => this.receiveRtp(new Uint8Array(msg), { ip: from.address, port: from.port }));
    rtcp.on('message', (msg, from) => this.receiveRtcp(new Uint8Array(msg), { ip: from.address, port: from.port }));
    // A datagram refused by the peer's host (ICMP port unreachable) surfaces here; the call goes on.
    rtp.on('error', () => undefined);
    rtcp.on('error', () => undefined);
  }

  /** Binds an even RTP port and the RTCP port above it on `address` (RFC 3550 §11). */
  static async bind(address: string, random: RandomSource): Promise<CallMedia> {
    for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      const rtp = await bindUdp(address, 0);
      if (!rtp) break;
      const port = rtp.address().port;
      const rtcp = port % 2 === 0 ? await bindUdp(address, port + 1) : undefined;
      if (rtcp) return new CallMedia(address, rtp, rtcp, random);
      rtp.close();
    }
    throw new Error(`no pair of free UDP ports for RTP and RTCP on ${address}`);
  }

  get port(): number {
    return this.rtp.address().port;
  }

  get protocol(): 'SRTP' | 'RTP' {
    return this.keys ? 'SRTP' : 'RTP';
  }

  /** What the offer and answer agreed: where to send, which law, which keys (none for RTP/AVP), which way. */
  configure(
    remote: Endpoint,
    payloadType: number,
    agreement: SrtpAgreement | undefined,
    direction: MediaDirection,
    observer: MediaObserver,
  ): void {
    this.remote = remote;
    this.law = payloadType === G711_PAYLOAD_TYPE.pcma ? 'pcma' : 'pcmu';
    this.keys = agreement && {
      send: new SrtpContext(agreement.suite, agreement.answerer.masterKey, agreement.answerer.masterSalt),
      receive: new SrtpContext(agreement.suite, agreement.offerer.masterKey, agreement.offerer.masterSalt),
      agreement,
    };
    this.sendAllowed = sends(direction);
    this.observer = observer;
    this.packetizer = new G711Packetizer(this.law, randomRtpStart(this.random));
  }

  /**
   * A re-INVITE's offer and answer (RFC 3264 §8): the new address and direction, the SBC's new key; the PBX's
   * context is kept when its key and suite are the same (RFC 4568 §7.1.4), else replaced, its counts kept.
   * The SBC's stream keeps its SSRC and sequence numbers: with a new key it is a new SRTP context all the same.
   */
  update(
    remote: Endpoint,
    agreement: SrtpAgreement | undefined,
    direction: MediaDirection,
  ): { receiveKey: 'kept' | 'new' } {
    this.remote = remote;
    this.sendAllowed = sends(direction);
    const old = this.keys;
    // The PBX's stream goes on as it was when its offer repeats its key and suite, or stays plain RTP.
    const same = old && agreement ? sameOffererKey(old.agreement, agreement) : !old && !agreement;
    if (!same) {
      this.retired = this.receiveCounts();
      this.plainReceived = 0;
      this.plainRtcp = 0;
    }
    this.keys = agreement && {
      send: new SrtpContext(agreement.suite, agreement.answerer.masterKey, agreement.answerer.masterSalt),
      receive:
        same && old
          ? old.receive
          : new SrtpContext(agreement.suite, agreement.offerer.masterKey, agreement.offerer.masterSalt),
      agreement,
    };
    return { receiveKey: same ? 'kept' : 'new' };
  }

  /** Starts sending: the phrase mixed with the echo, a packet every 20 ms on the wall clock. */
  start(): void {
    if (this.sending || this.closed || !this.packetizer) return;
    this.sending = true;
    this.startedAt = performance.now();
    this.sendNext();
    this.timers.push(setInterval(() => this.report(), REPORT_EVERY_MS));
    this.timers.push(setInterval(() => this.everySecond(), STATS_EVERY_MS));
  }

  stats(): MediaStats {
    return { protocol: this.protocol, sent: this.packetizer?.packetsSent ?? 0, ...this.receiveCounts() };
  }

  /** What was received since the call began, across every SRTP context it had. */
  private receiveCounts(): ReceiveCounts {
    const r = this.keys?.receive;
    const now: ReceiveCounts = {
      received: r ? r.counters.packets : this.plainReceived,
      decrypted: r ? r.counters.decrypted : this.plainReceived,
      authFailures: r ? r.counters.authFailures : 0,
      replays: r ? r.counters.replays : 0,
      rtcpReceived: r ? r.rtcpCounters.packets : this.plainRtcp,
      rtcpAuthFailures: r ? r.rtcpCounters.authFailures : 0,
    };
    const sum = { ...now };
    for (const k of Object.keys(sum) as Array<keyof ReceiveCounts>) sum[k] += this.retired[k];
    return sum;
  }

  /** Stops sending and releases both ports. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sending = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.rtp.close();
    this.rtcp.close();
  }

  private sendNext(): void {
    if (!this.sending) return;
    if (this.sendAllowed) this.sendFrame();
    this.tick++;
    // Scheduled against the start, so timer lateness does not add up over a call.
    const due = this.startedAt + this.tick * PACKET_TIME_MS - performance.now();
    const timer = setTimeout(
      () => {
        this.timers = this.timers.filter((t) => t !== timer);
        this.sendNext();
      },
      Math.max(0, due),
    );
    this.timers.push(timer);
  }

  /** The next 20 ms: the phrase (or the pause after it) plus the oldest echo waiting, clipped to 16 bits. */
  private sendFrame(): void {
    const samples = new Int16Array(SAMPLES_PER_PACKET);
    const cycle = Math.ceil(this.phrase.length / SAMPLES_PER_PACKET) + PHRASE_GAP_PACKETS;
    const at = (this.tick % cycle) * SAMPLES_PER_PACKET;
    if (at < this.phrase.length)
      samples.set(this.phrase.subarray(at, Math.min(this.phrase.length, at + SAMPLES_PER_PACKET)));
    if (this.echo.length > ECHO_DELAY_PACKETS) {
      const { law, payload } = this.echo.shift()!;
      const heard = decodeG711(law, payload);
      for (let i = 0; i < samples.length && i < heard.length; i++) {
        samples[i] = Math.max(-32768, Math.min(32767, samples[i] + heard[i]));
      }
    }
    const packet = writeRtpPacket(this.packetizer!.next(encodeG711(this.law, samples))).bytes;
    this.sendDatagram(this.rtp, this.remote!, this.keys ? this.keys.send.protect(packet) : packet);
  }

  private report(): void {
    const p = this.packetizer!;
    const compound = writeSenderReportCompound(
      {
        ssrc: p.ssrc,
        wallClockMs: Date.now(),
        rtpTimestamp: p.nextTimestamp,
        packetCount: p.packetsSent,
        octetCount: p.octetsSent,
        reports: [],
      },
      `sbc@${this.address}`,
    ).bytes;
    const to = { ip: this.remote!.ip, port: this.remote!.port + 1 };
    this.sendDatagram(this.rtcp, to, this.keys ? this.keys.send.protectRtcp(compound) : compound);
  }

  private everySecond(): void {
    const s = this.stats();
    this.observer.second?.(s, s.sent - this.lastSecond.sent, s.received - this.lastSecond.received);
    this.lastSecond = { sent: s.sent, received: s.received };
  }

  private sendDatagram(socket: Socket, to: Endpoint, bytes: Uint8Array): void {
    if (this.closed) return;
    socket.send(bytes, to.port, to.ip);
    this.observer.datagram?.({ ip: this.address, port: socket.address().port }, to, bytes, Date.now());
  }

  private receiveRtp(bytes: Uint8Array, from: Endpoint): void {
    // Before the answer there is nothing to read it with: such a datagram is not the call's.
    if (!this.packetizer) return;
    this.observer.datagram?.(from, { ip: this.address, port: this.port }, bytes, Date.now());
    let plain = bytes;
    if (this.keys) {
      const out = this.keys.receive.unprotect(bytes);
      if (!out.ok) return;
      plain = out.packet;
    } else {
      if (rtpHeaderLength(bytes, bytes.length) < 0) return;
      this.plainReceived++;
    }
    // Symmetric RTP: answer where authenticated media comes from (RFC 4961 §4).
    if (this.remote && (from.ip !== this.remote.ip || from.port !== this.remote.port)) this.remote = from;
    const header = rtpHeaderLength(plain, plain.length);
    const payloadType = plain[1] & 0x7f;
    if (header < 0 || (payloadType !== 0 && payloadType !== 8)) return;
    const padding = plain[0] & 0x20 ? plain[plain.length - 1] : 0;
    this.echo.push({ law: payloadType === 8 ? 'pcma' : 'pcmu', payload: plain.slice(header, plain.length - padding) });
    if (this.echo.length > ECHO_QUEUE_LIMIT) this.echo.shift();
  }

  private receiveRtcp(bytes: Uint8Array, from: Endpoint): void {
    if (!this.packetizer) return;
    this.observer.datagram?.(from, { ip: this.address, port: this.port + 1 }, bytes, Date.now());
    if (this.keys) this.keys.receive.unprotectRtcp(bytes);
    else this.plainRtcp++;
  }
}
