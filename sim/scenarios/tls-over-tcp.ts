/**
 * A TLS endpoint of the engine (sans-IO) on a TCP connection of the virtual
 * network, for one party of a run.
 *
 * - Bytes that arrive go to the endpoint; each record it answers with is
 *   written to the connection on its own, so each goes out in its own
 *   segments, as a stack with TCP_NODELAY sends each record it is handed
 *   (SIP stacks set it, RFC 3261 §18 has no use for Nagle's delay). The
 *   ladder then shows ClientHello, ServerHello, Certificate... one by one.
 * - Every record written is entered in the run's `TlsStreams` with its label,
 *   the plaintext its sender wrote and the state its sender gained; every
 *   record received is matched to the one the peer wrote, so the receiver's
 *   view of the packet that completed it shows what it could open.
 * - State the endpoint gains on input (keys, certificate checks, alerts) is
 *   noted on the packet that delivered the input.
 * - An alert the endpoint sends (other than close_notify) is the party's
 *   verdict on the connection (RFC 8446 §6.2). A client that has no
 *   ServerHello after ten seconds gives up (`handshake_timeout`), as PBXs do.
 * - SIP over the connection is framed from the application data (RFC 3261
 *   §18.3) and handed on; SIP to send is written with its own field tree.
 */
import type { Party, Protocol, StateEvent } from '../timeline';
import { formatEndpoint } from '../net/address';
import type { TcpConnection } from '../net/tcp-connection';
import type { Encoded } from '../net/ipv4';
import type { ScheduledEvent } from '../net/event-queue';
import type { TlsEndpoint } from '../tls/endpoint';
import { toStateEvent, type TlsOutput, type TlsRecordView } from '../tls/output';
import type { TlsAlert } from '../tls/alert';
import { isSipParseError } from '../sip/syntax-error';
import { SipStreamFramer } from '../sip/stream';
import { SIP_LIMITS, type ParsedSipMessage } from '../sip/parse';
import { sipSummary, type SipMessage } from '../sip/message';
import { writeSipMessage } from '../sip/write';
import { writeKeepalive, type KeepaliveKind } from '../sip/keepalive';
import type { Topic } from './step-ledger';
import type { RecordEntry } from './tls-streams';
import type { TrunkRun } from './trunk-run';
import { sipFailure } from './sip-channel';
import { partyName } from './verdicts';

/** How long a TLS client waits for the server's answer before it gives up (a common PBX default). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

interface Outgoing {
  label: string;
  protocol: Protocol;
  topic: Topic;
  failure?: string;
}

export interface TlsOverTcpOptions {
  run: TrunkRun;
  conn: TcpConnection;
  /** The endpoint, or its promise: it is made once the run's credentials are ready. */
  tls: TlsEndpoint | Promise<TlsEndpoint>;
  self: Party;
  /** Who is at the other end of the TCP connection. */
  peer: Party;
  /** A client starts the handshake as soon as the connection opens. */
  client?: boolean;
  onConnected?: () => unknown;
  /** SIP framed from the application data, with the packet that completed it. */
  onSip?: (message: ParsedSipMessage, bytes: Uint8Array, via: number | undefined) => unknown;
  /** A CRLF keepalive between messages (RFC 5626 §3.5.1): a ping (CRLF CRLF) or a pong (CRLF). */
  onKeepalive?: (kind: KeepaliveKind, via: number | undefined) => unknown;
  /** Application data as it arrives, when the party relays it rather than reading SIP (an interceptor). */
  onApplicationData?: (data: Uint8Array, via: number | undefined) => unknown;
  /** The TLS session is over: closed, refused, or the connection went away. */
  onDone?: () => unknown;
}

export class TlsOverTcp {
  /** Set once the endpoint is ready (`ready`); nothing reaches it before. */
  tls!: TlsEndpoint;
  private readonly ready: Promise<TlsEndpoint>;
  readonly conn: TcpConnection;
  private readonly run: TrunkRun;
  private readonly self: Party;
  private readonly peer: Party;
  /** The parties act on SIP's values; the field trees of what they read come from what was written. */
  private readonly framer = new SipStreamFramer(SIP_LIMITS, false);
  private readonly queue: Array<{ bytes: Uint8Array; fields: Encoded['fields'] }> = [];
  private written = 0;
  private received = 0;
  private pumping = false;
  private closeWhenDrained = false;
  private connectedReported = false;
  private handshakeTimer?: ScheduledEvent;
  private doneReported = false;

  constructor(private readonly o: TlsOverTcpOptions) {
    this.run = o.run;
    this.conn = o.conn;
    this.self = o.self;
    this.peer = o.peer;
    this.ready = Promise.resolve(o.tls).then((tls) => {
      this.tls = tls;
      if (o.client) o.run.tlsClients.push(tls);
      return tls;
    });
    const { conn } = o;
    if (o.client) {
      conn.onOpen = async () => {
        await this.ready;
        this.handshakeTimer = this.run.net.network.after(HANDSHAKE_TIMEOUT_MS, 'TLS handshake timeout', () =>
          this.timeout(),
        );
        await this.handle(await this.tls.start(), undefined);
      };
    }
    conn.onData = (data) => {
      // Which packet brought these bytes: read now, while the network is still delivering it.
      const via = this.run.arriving(this.self, conn.local, conn.remote);
      return this.ready.then(() => this.receive(data, via));
    };
    conn.onEnd = () => {
      // The peer sent FIN: it will send nothing more, so this side finishes too.
      this.closeWhenDrained = true;
      this.pump();
    };
    conn.onClose = () => this.done();
  }

  get connected(): boolean {
    return this.tls?.state === 'connected';
  }

  /** Writes a SIP message as application data, its field tree inside the record. */
  async sendSip(message: SipMessage): Promise<void> {
    if (!this.connected) return;
    const out = await this.tls.send(writeSipMessage(message));
    await this.handle(out, undefined, {
      label: sipSummary(message),
      protocol: 'SIP',
      topic: { kind: 'sip', message, sender: this.self, over: 'tls' },
      failure: sipFailure(message),
    });
  }

  /** Writes application data as it is (what a relay forwards), labelled as the SIP it carries. */
  async sendApplication(data: Encoded, message?: SipMessage): Promise<void> {
    if (!this.connected) return;
    const out = await this.tls.send(data);
    await this.handle(
      out,
      undefined,
      message
        ? {
            label: sipSummary(message),
            protocol: 'SIP',
            topic: { kind: 'sip', message, sender: this.self, over: 'tls' },
            failure: sipFailure(message),
          }
        : undefined,
    );
  }

  /** Writes a CRLF keepalive ping or pong (RFC 5626 §3.5.1) as application data. */
  async sendKeepalive(kind: KeepaliveKind): Promise<void> {
    if (!this.connected) return;
    const out = await this.tls.send(writeKeepalive(kind));
    await this.handle(out, undefined, {
      label: kind === 'ping' ? 'Keepalive ping (CRLF CRLF)' : 'Keepalive pong (CRLF)',
      protocol: 'SIP',
      topic: { kind: 'keepalive', keepalive: kind, sender: this.self, over: 'tls' },
    });
  }

  /** Sends close_notify (RFC 8446 §6.1), then FIN once it is written. */
  async close(): Promise<void> {
    await this.ready;
    if (this.tls.state === 'closed' || this.tls.state === 'failed') {
      this.closeWhenDrained = true;
      this.pump();
      return;
    }
    await this.handle(await this.tls.close(), undefined);
  }

  private async receive(data: Uint8Array, via: number | undefined): Promise<void> {
    await this.handle(await this.tls.receive(data), via);
  }

  private timeout(): void {
    if (this.tls.state !== 'start' && this.tls.state !== 'handshaking') return;
    if (this.conn.state === 'CLOSED') return;
    this.run.verdicts.refuse({
      party: this.self,
      stage: 'tls',
      reason: 'handshake_timeout',
      summary: `The ${partyName(this.self)} gave up after ${HANDSHAKE_TIMEOUT_MS / 1000} s without an answer to its ClientHello: nothing at ${formatEndpoint(this.conn.remote)} speaks TLS.`,
      at: this.run.nowMs(),
    });
    this.conn.close();
    // The FIN that gives up is the proof: it leaves in TCP's send event, scheduled just now, so it is
    // marked once that event has run (before the segment arrives and its step is final).
    this.run.net.network.schedule(0, `handshake timeout noted by the ${partyName(this.self)}`, () => {
      const at = this.run.lastRecord();
      if (at === undefined) return;
      this.run.ledger.fail(
        at,
        `handshake_timeout: no ServerHello ${HANDSHAKE_TIMEOUT_MS / 1000} s after the ClientHello, so the ${partyName(this.self)} gives up`,
      );
      this.run.ledger.note(at).events.push({
        kind: 'note',
        party: this.self,
        text: `No ServerHello after ${HANDSHAKE_TIMEOUT_MS / 1000} s: the ${partyName(this.self)} abandons the handshake and closes the connection.`,
      });
    });
  }

  private async handle(out: TlsOutput, via: number | undefined, outgoing?: Outgoing): Promise<void> {
    const { ledger, streams } = this.run;
    const events: StateEvent[] = out.events.map((e) => toStateEvent(e, this.self));
    for (const e of out.events) {
      if (e.kind === 'alert' && e.direction === 'sent' && e.alert.name !== 'close_notify') this.refused(e.alert);
    }
    const sent: TlsRecordView[] = [];
    for (const r of out.records) {
      if (r.direction === 'received') this.matchReceived(r, via);
      else sent.push(r);
    }
    const entries = sent.map((r) => this.entryFor(r, outgoing));
    if (via !== undefined) ledger.note(via).events.push(...events);
    else if (entries.length > 0) entries[0].pending.push(...events);
    else {
      const last = this.run.lastRecord();
      if (last !== undefined) ledger.note(last).events.push(...events);
    }
    for (let i = 0; i < sent.length; i++) {
      streams.add(entries[i]);
      this.queue.push({ bytes: sent[i].bytes, fields: sent[i].fields });
    }
    if (out.state === 'failed' || out.state === 'closed') this.closeWhenDrained = true;
    this.pump();
    if (out.state !== 'start' && out.state !== 'handshaking') this.handshakeTimer?.cancel();
    if (out.state === 'connected' && !this.connectedReported) {
      this.connectedReported = true;
      await this.o.onConnected?.();
    }
    for (const data of out.received) await this.application(data, via);
    if (out.state === 'failed' || out.state === 'closed') await this.done();
  }

  private async application(data: Uint8Array, via: number | undefined): Promise<void> {
    if (this.o.onApplicationData) {
      await this.o.onApplicationData(data, via);
      return;
    }
    let frames;
    try {
      frames = this.framer.push(data);
    } catch (e) {
      if (!isSipParseError(e)) throw e;
      // A stream that cannot be framed cannot be recovered (RFC 3261 §18.3): close it.
      await this.close();
      return;
    }
    for (const f of frames) {
      if (f.kind === 'message') await this.o.onSip?.(f.parsed, f.bytes, via);
      else await this.o.onKeepalive?.(f.bytes.length >= 4 ? 'ping' : 'pong', via);
    }
  }

  /** The peer's record this one is, by order in the peer's stream. */
  private matchReceived(r: TlsRecordView, via: number | undefined): void {
    const peerConnection = `${formatEndpoint(this.conn.remote)} → ${formatEndpoint(this.conn.local)}`;
    const entry = this.run.streams.entries(peerConnection)[this.received++];
    const at = entry?.wire[entry.wire.length - 1] ?? via;
    if (at === undefined) return;
    if (r.summary.endsWith('(rejected)')) {
      this.run.ledger.note(at).unreadable[this.self] =
        'its authentication tag does not verify, so it is refused unread';
      const alert = this.tls.sentAlert?.name ?? 'refused';
      this.run.ledger.fail(at, `${alert}: the ${partyName(this.self)} could not authenticate this record`);
    } else if (entry?.layer) {
      this.run.ledger.addLayer(at, this.self, entry.layer);
    }
  }

  private entryFor(r: TlsRecordView, outgoing: Outgoing | undefined): RecordEntry {
    const start = this.written;
    this.written += r.bytes.length;
    const base = {
      connection: this.conn.id,
      start,
      end: this.written,
      sender: this.self,
      encrypted: r.encrypted,
      wire: [],
      pending: [],
      ...(r.decoded ? { layer: r.decoded } : {}),
    };
    const version = this.tls.version;
    if (r.contentType === 'alert') {
      const name = /^Alert \((\w+)\)$/.exec(r.summary)?.[1] ?? 'unknown';
      const alert = this.tls.sentAlert ?? { name, level: 'fatal', code: 0, reason: '' };
      return {
        ...base,
        label: `Alert ${name}`,
        protocol: 'TLS',
        topic: { kind: 'alert', alert: alert as TlsAlert, sender: this.self, encrypted: r.encrypted },
        ...(name === 'close_notify' ? {} : { failure: `${name}: ${alert.reason}` }),
      };
    }
    if (r.contentType === 'application_data' && outgoing) {
      return {
        ...base,
        label: outgoing.label,
        protocol: outgoing.protocol,
        topic: outgoing.topic,
        ...(outgoing.failure ? { failure: outgoing.failure } : {}),
      };
    }
    return {
      ...base,
      label: r.summary,
      protocol: 'TLS',
      topic: {
        kind: 'tls',
        message: r.summary,
        sender: this.self,
        encrypted: r.encrypted,
        ...(version ? { version } : {}),
      },
    };
  }

  private refused(alert: TlsAlert): void {
    const self = partyName(this.self);
    const peer = partyName(this.peer);
    this.run.verdicts.refuse({
      party: this.self,
      stage: 'tls',
      reason: alert.name,
      summary: `The ${self} ended the TLS ${this.connectedReported ? 'connection' : 'handshake'} with ${peer === 'attacker' ? 'the attacker' : `the ${peer}`}: alert ${alert.name} — ${alert.reason.replace(/\.?$/, '.')}`,
      at: this.run.nowMs(),
    });
  }

  /**
   * Writes queued records one per network event: TCP sends what is written
   * during an event at its end (tcp-connection.ts), so each record leaves in
   * its own segments.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const next = () => {
      const item = this.queue.shift();
      if (item && this.conn.writable) this.conn.write(item);
      if (this.queue.length > 0) {
        this.run.net.network.schedule(0, `TLS record from the ${partyName(this.self)}`, next);
        return;
      }
      this.pumping = false;
      if (this.closeWhenDrained && this.conn.state !== 'CLOSED') this.conn.close();
    };
    this.run.net.network.schedule(0, `TLS record from the ${partyName(this.self)}`, next);
  }

  private async done(): Promise<void> {
    this.handshakeTimer?.cancel();
    if (this.doneReported) return;
    this.doneReported = true;
    await this.o.onDone?.();
  }
}
