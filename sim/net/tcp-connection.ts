/**
 * One end of a TCP connection (RFC 9293): the state machine of §3.3.2, the
 * segment arrival rules of §3.10.7, and a byte-stream API for the application
 * on top (a sans-IO TLS endpoint, a SIP stack).
 *
 * - Opening (§3.5): SYN carrying the MSS option, SYN-ACK, ACK; the initial
 *   sequence number comes from the run's RandomSource (§3.4.1).
 * - Sending (§3.7, §3.8): what the application writes during one event goes
 *   out together at the end of it, cut into segments of at most the
 *   effective MSS (§3.7.1), within the peer's window and the congestion
 *   window (initial window of RFC 6928, slow start of RFC 5681 §3.1). PSH
 *   marks the segment that empties the send queue. No Nagle (as SIP stacks
 *   set TCP_NODELAY).
 * - Acknowledging (§3.8.6.3, RFC 1122 §4.2.3.2): data is acknowledged at
 *   once every second segment, when it arrives out of order, or when it
 *   carries a FIN; otherwise after a delayed-ACK timer, unless a reply leaves
 *   first and carries the ACK.
 * - Retransmission (RFC 6298): RTO from smoothed RTT samples (Karn's rule),
 *   1 s initially and at least 1 s, doubling on each timeout; after too many
 *   the connection fails with `timeout`.
 * - Acceptability and resets (§3.10.7.4, RFC 5961 §3, §4): segments outside
 *   the window get an ACK; an RST is obeyed only at exactly RCV.NXT, and an
 *   RST or SYN elsewhere in the window gets a challenge ACK.
 * - Closing (§3.6): FIN after the queued data, FIN-WAIT-1/2, CLOSING,
 *   TIME-WAIT, CLOSE-WAIT, LAST-ACK; `abort` sends RST. TIME-WAIT's 2·MSL
 *   timer is not run: a run ends long before it would expire.
 *
 * Segments that arrive beyond RCV.NXT are held and used once the gap fills
 * (§3.10.7.4, "segments with higher beginning sequence numbers SHOULD be held").
 */
import type { Encoded } from './ipv4';
import { formatEndpoint, type Endpoint } from './address';
import type { DecodedPacket, UnnumberedPacketSpec } from './packet';
import type { StreamPosition } from './wire-record';
import type { ScheduledEvent } from './event-queue';
import { AnnotatedStream } from './annotated-stream';
import { TCP_FLAG, seqAdd, seqDiff, segmentLength, type TcpOption } from './tcp-segment';

export type TcpState =
  | 'CLOSED'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

/**
 * Why a connection ended: `closed` both sides finished; `reset` the peer sent
 * RST; `refused` RST in answer to our SYN (nothing listening); `timeout`
 * retransmissions gave up; `aborted` this side sent RST or closed before
 * the handshake finished.
 */
export type TcpCloseReason = 'closed' | 'reset' | 'refused' | 'timeout' | 'aborted';

export interface TcpTuning {
  /** The MSS this end announces: what it can receive (RFC 9293 §3.7.1). Ethernet: 1460. */
  mss: number;
  /** The receive window this end advertises, in bytes. */
  receiveWindow: number;
  /** Delayed-ACK timer (RFC 1122 §4.2.3.2 allows up to 500 ms; Linux uses 40 ms). */
  delayedAckMs: number;
  /** Initial retransmission timeout (RFC 6298 §2.1: 1 s). */
  initialRtoMs: number;
  /** Lower bound on the RTO (RFC 6298 §2.4: 1 s). */
  minRtoMs: number;
  /** Retransmissions of a SYN before giving up (Linux tcp_syn_retries: 6). */
  synRetries: number;
  /** Retransmissions of data before giving up. */
  dataRetries: number;
}

export const DEFAULT_TCP_TUNING: TcpTuning = {
  mss: 1460,
  receiveWindow: 64240,
  delayedAckMs: 40,
  initialRtoMs: 1000,
  minRtoMs: 1000,
  synRetries: 6,
  dataRetries: 8,
};

/** What a connection needs from the host it lives on. */
export interface TcpHostContext {
  nowUs(): number;
  schedule(delayUs: number, label: string, run: () => unknown): ScheduledEvent;
  settle(result: unknown): void;
  send(spec: UnnumberedPacketSpec, stream?: StreamPosition): void;
  /** Four random bytes for an initial sequence number (RFC 9293 §3.4.1). */
  randomIsn(): number;
  /** Called once the connection is CLOSED, so the host forgets it. */
  forget(connection: TcpConnection): void;
}

/** An unacknowledged segment, kept for retransmission (RFC 9293 §3.8.1). */
interface InFlight {
  seq: number;
  /** Sequence space it occupies: data plus SYN and FIN. */
  length: number;
  flags: number;
  /** Stream range of its data. */
  from: number;
  to: number;
  sentUs: number;
  retransmitted: boolean;
  /** Marked after a timeout: to be sent again when the window allows. */
  lost: boolean;
}

export class TcpConnection {
  state: TcpState = 'CLOSED';
  /*
   * The application's handlers. Each may return a promise (a TLS endpoint's
   * crypto is asynchronous): the network waits for it before the next event.
   */
  /** The handshake finished: the connection is ESTABLISHED. */
  onOpen?: () => unknown;
  /** In-order data from the peer. */
  onData?: (data: Uint8Array) => unknown;
  /** The peer sent FIN: it will send no more data. */
  onEnd?: () => unknown;
  /** The connection is over; called once. */
  onClose?: (reason: TcpCloseReason) => unknown;

  readonly id: string;
  /** Initial send and receive sequence numbers. */
  iss = 0;
  irs = 0;
  private sndUna = 0;
  private sndNxt = 0;
  private sndWnd = 0;
  private sndWl1 = 0;
  private sndWl2 = 0;
  private rcvNxt = 0;
  /** Effective send MSS: the least of the peer's announced MSS and ours (RFC 9293 §3.7.1). */
  private sendMss: number;
  private cwnd = 0;
  private ssthresh = Number.POSITIVE_INFINITY;

  private readonly out = new AnnotatedStream();
  /** Stream offset of the next byte never sent. */
  private sendOffset = 0;
  private readonly inFlight: InFlight[] = [];
  private finQueued = false;
  private finSent = false;
  private finAcked = false;

  private rtoUs: number;
  private srttUs?: number;
  private rttvarUs = 0;
  private retries = 0;
  private rtoTimer?: ScheduledEvent;
  private flushEvent?: ScheduledEvent;
  private delayedAck?: ScheduledEvent;
  private ackOwed = false;
  private ackNow = false;
  private unackedSegments = 0;
  private readonly held = new Map<number, { payload: Uint8Array; fin: boolean }>();
  private closeReported = false;
  private endReported = false;
  private openReported = false;

  bytesSent = 0;
  bytesReceived = 0;

  constructor(
    readonly local: Endpoint,
    readonly remote: Endpoint,
    private readonly host: TcpHostContext,
    readonly tuning: TcpTuning,
    /** How the data this end writes is named when the application gives bare bytes. */
    private readonly streamName = 'TCP payload',
  ) {
    this.id = `${formatEndpoint(local)} → ${formatEndpoint(remote)}`;
    this.sendMss = 536; // RFC 9293 §3.7.1: the default when the peer sends no MSS option.
    this.rtoUs = tuning.initialRtoMs * 1000;
  }

  /** True from ESTABLISHED until this end has sent its FIN. */
  get writable(): boolean {
    return (
      !this.finQueued &&
      (this.state === 'ESTABLISHED' ||
        this.state === 'CLOSE-WAIT' ||
        this.state === 'SYN-SENT' ||
        this.state === 'SYN-RECEIVED')
    );
  }

  /** The peer's MSS as it announced it, once known. */
  get effectiveMss(): number {
    return this.sendMss;
  }

  /** Active open (RFC 9293 §3.10.1): send SYN with our MSS. */
  open(): void {
    this.iss = this.host.randomIsn();
    this.sndUna = this.iss;
    this.sndNxt = seqAdd(this.iss, 1);
    this.state = 'SYN-SENT';
    this.transmitNew(TCP_FLAG.SYN, this.iss, 0, 0, [{ kind: 'mss', mss: this.tuning.mss }]);
  }

  /** Passive open on a SYN that reached a listener (RFC 9293 §3.10.7.2). */
  acceptSyn(p: DecodedPacket): void {
    const t = this.tcp(p);
    this.irs = t.seq;
    this.rcvNxt = seqAdd(t.seq, 1);
    this.takeMss(t.options);
    this.sndWnd = t.window;
    this.iss = this.host.randomIsn();
    this.sndUna = this.iss;
    this.sndNxt = seqAdd(this.iss, 1);
    this.state = 'SYN-RECEIVED';
    this.transmitNew(TCP_FLAG.SYN | TCP_FLAG.ACK, this.iss, 0, 0, [{ kind: 'mss', mss: this.tuning.mss }]);
  }

  /** Queues bytes for the peer; they leave at the end of the current event. */
  write(data: Uint8Array | Encoded): void {
    if (!this.writable)
      throw new Error(`${this.id}: cannot write in ${this.state}${this.finQueued ? ' after close' : ''}`);
    this.out.append(data, () => this.streamName);
    this.scheduleFlush();
  }

  /** Graceful close (RFC 9293 §3.10.4): FIN after everything written so far. */
  close(): void {
    if (this.finQueued || this.state === 'CLOSED') return;
    if (this.state === 'SYN-SENT') {
      // RFC 9293 §3.10.4 deletes the TCB here; data already written is kept instead, and the FIN
      // follows it once the connection opens (as SYN-RECEIVED does), so write-then-close works.
      if (this.out.length === 0) {
        this.enterClosed('aborted');
        return;
      }
      this.finQueued = true;
      return;
    }
    this.finQueued = true;
    // In SYN-RECEIVED the FIN waits for ESTABLISHED; processAck then moves to FIN-WAIT-1.
    if (this.state === 'ESTABLISHED') this.state = 'FIN-WAIT-1';
    else if (this.state === 'CLOSE-WAIT') this.state = 'LAST-ACK';
    this.scheduleFlush();
  }

  /** Abort (RFC 9293 §3.10.5): send RST and forget the connection. */
  abort(): void {
    if (this.state === 'CLOSED') return;
    if (this.state !== 'SYN-SENT') {
      this.host.send(this.spec(TCP_FLAG.RST | TCP_FLAG.ACK, this.sndNxt, this.rcvNxt, empty()));
    }
    this.enterClosed('aborted');
  }

  /** A segment for this connection arrived (RFC 9293 §3.10.7.3 and §3.10.7.4). */
  segmentArrives(p: DecodedPacket): void {
    if (this.state === 'CLOSED') return;
    if (this.state === 'SYN-SENT') return this.arrivesInSynSent(p);
    const t = this.tcp(p);
    let seq = t.seq;
    let payload = p.payload;
    let fin = (t.flags & TCP_FLAG.FIN) !== 0;
    const length = segmentLength(t.flags, payload.length);

    // First: is the segment acceptable in our receive window? (§3.10.7.4)
    if (!this.acceptable(seq, length)) {
      if (!(t.flags & TCP_FLAG.RST)) this.sendAckNow();
      return;
    }
    // Second: RST (RFC 5961 §3.2: only an exact match resets; elsewhere in the window, a challenge ACK).
    if (t.flags & TCP_FLAG.RST) {
      if (seq === this.rcvNxt) this.enterClosed(this.state === 'SYN-RECEIVED' ? 'refused' : 'reset');
      else this.sendAckNow();
      return;
    }
    // Fourth: a SYN in a synchronized state gets a challenge ACK (RFC 5961 §4.2).
    if (t.flags & TCP_FLAG.SYN) {
      this.sendAckNow();
      return;
    }
    // Fifth: without ACK the segment is dropped.
    if (!(t.flags & TCP_FLAG.ACK)) return;
    if (!this.processAck(t.seq, t.ack, t.window)) return;
    const after = this.stateNow();
    if (after === 'CLOSED' || after === 'TIME-WAIT' || after === 'CLOSING') {
      if (after === 'TIME-WAIT' && fin) this.sendAckNow(); // a retransmitted FIN (§3.10.7.4, eighth)
      return;
    }

    // Seventh: the segment text. Data already received is trimmed off the front.
    if (seqDiff(this.rcvNxt, seq) > 0) {
      const cut = seqDiff(this.rcvNxt, seq);
      if (cut >= payload.length) {
        fin = fin && cut === payload.length; // the FIN itself is new only if nothing past it was received
        payload = payload.subarray(payload.length);
      } else payload = payload.subarray(cut);
      seq = this.rcvNxt;
    }
    const receiving = this.state === 'ESTABLISHED' || this.state === 'FIN-WAIT-1' || this.state === 'FIN-WAIT-2';
    if (!receiving) return;
    if (seq !== this.rcvNxt) {
      // Beyond a gap: hold it, and tell the sender at once what is missing (RFC 5681 §4.2).
      if (payload.length > 0 || fin) this.held.set(seq, { payload: payload.slice(), fin });
      this.sendAckNow();
      return;
    }
    this.receiveInOrder(payload, fin);
    for (let next = this.held.get(this.rcvNxt); next; next = this.held.get(this.rcvNxt)) {
      this.held.delete(this.rcvNxt);
      if (this.stateNow() === 'CLOSED' || this.endReported) break;
      this.receiveInOrder(next.payload, next.fin);
    }
    for (const key of [...this.held.keys()]) if (seqDiff(key, this.rcvNxt) < 0) this.held.delete(key);
  }

  private receiveInOrder(payload: Uint8Array, fin: boolean): void {
    if (payload.length > 0) {
      this.rcvNxt = seqAdd(this.rcvNxt, payload.length);
      this.bytesReceived += payload.length;
      this.ackOwed = true;
      if (++this.unackedSegments >= 2) this.ackNow = true;
      this.scheduleFlush();
      this.host.settle(this.onData?.(payload));
      if (this.stateNow() === 'CLOSED') return; // the application aborted
    }
    if (fin && !this.endReported) {
      // Eighth: FIN (§3.10.7.4). It takes one sequence number; acknowledge it at once.
      this.rcvNxt = seqAdd(this.rcvNxt, 1);
      this.ackOwed = true;
      this.ackNow = true;
      this.scheduleFlush();
      this.endReported = true;
      if (this.state === 'ESTABLISHED' || this.state === 'SYN-RECEIVED') this.state = 'CLOSE-WAIT';
      else if (this.state === 'FIN-WAIT-1') this.state = this.finAcked ? 'TIME-WAIT' : 'CLOSING';
      else if (this.state === 'FIN-WAIT-2') this.state = 'TIME-WAIT';
      this.host.settle(this.onEnd?.());
      if (this.state === 'TIME-WAIT') this.reportClose('closed');
    }
  }

  /** Processes SEG.ACK (§3.10.7.4, fifth). Returns false when the segment should go no further. */
  private processAck(seq: number, ack: number, window: number): boolean {
    if (this.state === 'SYN-RECEIVED') {
      if (seqDiff(ack, this.sndUna) > 0 && seqDiff(ack, this.sndNxt) <= 0) {
        this.state = this.finQueued ? 'FIN-WAIT-1' : 'ESTABLISHED';
        this.sndWnd = window;
        this.sndWl1 = seq;
        this.sndWl2 = ack;
        this.acknowledge(ack);
        this.reportOpen();
      } else {
        this.host.send(this.spec(TCP_FLAG.RST, ack, 0, empty()));
        return false;
      }
    }
    if (seqDiff(ack, this.sndNxt) > 0) {
      // Acknowledges something not yet sent: answer with an ACK and drop it.
      this.sendAckNow();
      return false;
    }
    if (seqDiff(ack, this.sndUna) > 0) this.acknowledge(ack);
    if (
      seqDiff(ack, this.sndUna) >= 0 &&
      (seqDiff(seq, this.sndWl1) > 0 || (seq === this.sndWl1 && seqDiff(ack, this.sndWl2) >= 0))
    ) {
      this.sndWnd = window;
      this.sndWl1 = seq;
      this.sndWl2 = ack;
      this.scheduleFlush();
    }
    if (this.finSent && this.sndUna === this.sndNxt && !this.finAcked) {
      this.finAcked = true;
      if (this.state === 'FIN-WAIT-1') this.state = 'FIN-WAIT-2';
      else if (this.state === 'CLOSING') {
        this.state = 'TIME-WAIT';
        this.reportClose('closed');
      } else if (this.state === 'LAST-ACK') {
        this.enterClosed('closed');
        return false;
      }
    }
    return true;
  }

  /** New data acknowledged: trim the retransmission queue, sample RTT, grow cwnd (RFC 6298 §5, RFC 5681 §3.1). */
  private acknowledge(ack: number): void {
    this.sndUna = ack;
    this.retries = 0;
    const now = this.host.nowUs();
    let dataAcked = 0;
    while (this.inFlight.length && seqDiff(seqAdd(this.inFlight[0].seq, this.inFlight[0].length), ack) <= 0) {
      const s = this.inFlight.shift()!;
      if (!s.retransmitted) this.sampleRtt(now - s.sentUs);
      this.out.release(s.to);
      dataAcked += s.to - s.from;
    }
    if (dataAcked > 0) {
      // Slow start below ssthresh, congestion avoidance above it (RFC 5681 §3.1).
      if (this.cwnd < this.ssthresh) this.cwnd += Math.min(dataAcked, this.sendMss);
      else this.cwnd += Math.max(1, Math.floor((this.sendMss * this.sendMss) / this.cwnd));
    }
    this.rtoTimer?.cancel();
    this.rtoTimer = undefined;
    if (this.inFlight.length) this.startRto();
  }

  private sampleRtt(rUs: number): void {
    // RFC 6298 §2.2 and §2.3, with α = 1/8 and β = 1/4, G taken as 1 ms.
    if (this.srttUs === undefined) {
      this.srttUs = rUs;
      this.rttvarUs = rUs / 2;
    } else {
      this.rttvarUs = 0.75 * this.rttvarUs + 0.25 * Math.abs(this.srttUs - rUs);
      this.srttUs = 0.875 * this.srttUs + 0.125 * rUs;
    }
    const rto = this.srttUs + Math.max(1000, 4 * this.rttvarUs);
    this.rtoUs = Math.round(Math.max(this.tuning.minRtoMs * 1000, rto));
  }

  private arrivesInSynSent(p: DecodedPacket): void {
    const t = this.tcp(p);
    const ackOk = seqDiff(t.ack, this.iss) > 0 && seqDiff(t.ack, this.sndNxt) <= 0;
    if (t.flags & TCP_FLAG.ACK && !ackOk) {
      if (!(t.flags & TCP_FLAG.RST)) this.host.send(this.spec(TCP_FLAG.RST, t.ack, 0, empty()));
      return;
    }
    if (t.flags & TCP_FLAG.RST) {
      if (t.flags & TCP_FLAG.ACK) this.enterClosed('refused'); // "connection reset": nothing listens
      return;
    }
    if (!(t.flags & TCP_FLAG.SYN)) return;
    this.irs = t.seq;
    this.rcvNxt = seqAdd(t.seq, 1);
    this.takeMss(t.options);
    if (t.flags & TCP_FLAG.ACK) {
      this.sndWnd = t.window;
      this.sndWl1 = t.seq;
      this.sndWl2 = t.ack;
      this.state = this.finQueued ? 'FIN-WAIT-1' : 'ESTABLISHED';
      this.acknowledge(t.ack);
      // Third step of the handshake: a bare ACK, before any data (RFC 9293 §3.5, Figure 6).
      this.sendAckNow();
      this.reportOpen();
      this.scheduleFlush();
    } else {
      // Simultaneous open (§3.5, Figure 7).
      this.state = 'SYN-RECEIVED';
      this.inFlight.length = 0;
      this.transmitNew(TCP_FLAG.SYN | TCP_FLAG.ACK, this.iss, 0, 0, [{ kind: 'mss', mss: this.tuning.mss }]);
    }
  }

  private acceptable(seq: number, length: number): boolean {
    const wnd = this.tuning.receiveWindow;
    const inWindow = (s: number) => seqDiff(s, this.rcvNxt) >= 0 && seqDiff(s, seqAdd(this.rcvNxt, wnd)) < 0;
    if (length === 0) return wnd === 0 ? seq === this.rcvNxt : inWindow(seq);
    if (wnd === 0) return false;
    return inWindow(seq) || inWindow(seqAdd(seq, length - 1));
  }

  private takeMss(options: readonly TcpOption[]): void {
    const mss = options.find((o) => o.kind === 'mss');
    this.sendMss = Math.min(mss && mss.kind === 'mss' ? mss.mss : 536, this.tuning.mss);
    // RFC 6928: initial window min(10·MSS, max(2·MSS, 14600)).
    this.cwnd = Math.min(10 * this.sendMss, Math.max(2 * this.sendMss, 14600));
  }

  private scheduleFlush(): void {
    if (this.flushEvent && !this.flushEvent.cancelled) return;
    this.flushEvent = this.host.schedule(0, `TCP send ${this.id}`, () => {
      this.flushEvent = undefined;
      this.flush();
    });
  }

  /** Sends what the windows allow: lost segments first, then new data, then FIN; then any ACK owed. */
  private flush(): void {
    const synchronized =
      this.state === 'ESTABLISHED' ||
      this.state === 'CLOSE-WAIT' ||
      this.state === 'FIN-WAIT-1' ||
      this.state === 'LAST-ACK' ||
      this.state === 'CLOSING';
    let sentSomething = false;
    if (synchronized) {
      for (const s of this.inFlight) {
        if (!s.lost) continue;
        if (sentSomething && this.bytesInFlight(false) + s.length > this.cwnd) break;
        this.retransmit(s);
        sentSomething = true;
      }
      const window = Math.min(this.cwnd, this.sndWnd);
      while (this.sendOffset < this.out.length) {
        const room = window - this.bytesInFlight(false);
        const n = Math.min(this.sendMss, this.out.length - this.sendOffset, room);
        if (n <= 0) break;
        const last = this.sendOffset + n === this.out.length;
        const withFin = last && this.finQueued && !this.finSent;
        const flags = TCP_FLAG.ACK | (last ? TCP_FLAG.PSH : 0) | (withFin ? TCP_FLAG.FIN : 0);
        this.transmitNew(flags, this.sndNxt, this.sendOffset, this.sendOffset + n);
        sentSomething = true;
      }
      if (this.finQueued && !this.finSent && this.sendOffset === this.out.length) {
        this.transmitNew(TCP_FLAG.FIN | TCP_FLAG.ACK, this.sndNxt, this.sendOffset, this.sendOffset);
        sentSomething = true;
      }
    }
    if (sentSomething || !this.ackOwed) return;
    if (this.ackNow) this.sendAckNow();
    else if (!this.delayedAck || this.delayedAck.cancelled) {
      this.delayedAck = this.host.schedule(this.tuning.delayedAckMs * 1000, `delayed ACK ${this.id}`, () => {
        this.delayedAck = undefined;
        if (this.ackOwed && this.state !== 'CLOSED') this.sendAckNow();
      });
    }
  }

  private bytesInFlight(countLost: boolean): number {
    let n = 0;
    for (const s of this.inFlight) if (countLost || !s.lost) n += s.length;
    return n;
  }

  /** Sends a segment that takes new sequence space (SYN, data, FIN) and keeps it for retransmission. */
  private transmitNew(flags: number, seq: number, from: number, to: number, options: TcpOption[] = []): void {
    const length = segmentLength(flags, to - from);
    const segment: InFlight = {
      seq,
      length,
      flags,
      from,
      to,
      sentUs: this.host.nowUs(),
      retransmitted: false,
      lost: false,
    };
    if (!(flags & TCP_FLAG.SYN)) this.sndNxt = seqAdd(this.sndNxt, length);
    this.sendOffset = Math.max(this.sendOffset, to);
    if (flags & TCP_FLAG.FIN) this.finSent = true;
    this.bytesSent += to - from;
    this.inFlight.push(segment);
    this.emit(segment, options);
    if (!this.rtoTimer) this.startRto();
  }

  private retransmit(s: InFlight): void {
    s.lost = false;
    s.retransmitted = true;
    s.sentUs = this.host.nowUs();
    const options: TcpOption[] = s.flags & TCP_FLAG.SYN ? [{ kind: 'mss', mss: this.tuning.mss }] : [];
    this.emit(s, options);
  }

  private emit(s: InFlight, options: TcpOption[]): void {
    // Every segment but the opening SYN acknowledges what has arrived (RFC 9293 §3.10.7.4: "once in a synchronized state, all segments must carry current acknowledgment information").
    const flags = s.flags & TCP_FLAG.SYN && !(s.flags & TCP_FLAG.ACK) ? s.flags : s.flags | TCP_FLAG.ACK;
    const payload = this.out.slice(s.from, s.to);
    const spec = this.spec(flags, s.seq, flags & TCP_FLAG.ACK ? this.rcvNxt : 0, payload, options);
    this.host.send(spec, s.to > s.from ? { connection: this.id, offset: s.from, length: s.to - s.from } : undefined);
    if (flags & TCP_FLAG.ACK) this.ackSent();
  }

  private sendAckNow(): void {
    if (this.state === 'CLOSED' || this.state === 'SYN-SENT') return;
    this.host.send(this.spec(TCP_FLAG.ACK, this.sndNxt, this.rcvNxt, empty()));
    this.ackSent();
  }

  private ackSent(): void {
    this.ackOwed = false;
    this.ackNow = false;
    this.unackedSegments = 0;
    this.delayedAck?.cancel();
    this.delayedAck = undefined;
  }

  private startRto(): void {
    this.rtoTimer = this.host.schedule(this.rtoUs, `retransmission timer ${this.id}`, () => this.onRtoExpired());
  }

  /** RFC 6298 §5.4–5.6 and RFC 5681 §3.1 (equation 4). */
  private onRtoExpired(): void {
    this.rtoTimer = undefined;
    if (this.inFlight.length === 0 || this.state === 'CLOSED') return;
    const limit = this.inFlight[0].flags & TCP_FLAG.SYN ? this.tuning.synRetries : this.tuning.dataRetries;
    if (this.retries >= limit) {
      this.enterClosed('timeout');
      return;
    }
    this.retries++;
    if (this.retries === 1) this.ssthresh = Math.max(Math.floor(this.bytesInFlight(true) / 2), 2 * this.sendMss);
    this.cwnd = this.sendMss;
    for (const s of this.inFlight) s.lost = true;
    this.retransmit(this.inFlight[0]);
    // RFC 6298 §5.5: back off; §2.5 allows a ceiling of at least 60 s (Linux uses 120 s).
    this.rtoUs = Math.min(this.rtoUs * 2, 120_000_000);
    this.startRto();
  }

  private spec(flags: number, seq: number, ack: number, payload: Encoded, options: TcpOption[] = []) {
    return {
      transport: 'tcp' as const,
      src: this.local,
      dst: this.remote,
      tcp: { seq, ack, flags, window: this.tuning.receiveWindow, options },
      payload,
      sequence: { iss: this.iss, irs: this.irs },
    };
  }

  /** The state read afresh (handlers and acknowledgments change it under a narrowed type). */
  private stateNow(): TcpState {
    return this.state;
  }

  private tcp(p: DecodedPacket) {
    if (p.transport.kind !== 'tcp') throw new Error('not a TCP segment');
    return p.transport;
  }

  private reportOpen(): void {
    if (this.openReported) return;
    this.openReported = true;
    this.host.settle(this.onOpen?.());
  }

  private reportClose(reason: TcpCloseReason): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.host.settle(this.onClose?.(reason));
  }

  private enterClosed(reason: TcpCloseReason): void {
    this.state = 'CLOSED';
    this.rtoTimer?.cancel();
    this.delayedAck?.cancel();
    this.flushEvent?.cancel();
    this.host.forget(this);
    this.reportClose(reason);
  }
}

function empty(): Encoded {
  return { bytes: new Uint8Array(0), fields: [] };
}
