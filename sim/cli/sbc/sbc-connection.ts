/**
 * One PBX connection to the test SBC: the engine's TLS server on an accepted
 * TCP socket (tcp-transport.ts), then SIP over it (RFC 3261 §18.3, framed by
 * sip/stream.ts), every step reported as it happens.
 *
 * The connection is a network server's, so everything about it is bounded:
 * - the handshake must finish within the handshake timeout and within
 *   MAX_HANDSHAKE_BYTES (a certificate list is at most a few kilobytes);
 * - each SIP message must arrive whole within the same timeout once it has
 *   begun (a client trickling a header byte by byte is cut off), and the
 *   connection may stay silent at most the idle timeout between messages;
 * - a message's headers and body have size limits (SBC_SIP_LIMITS), and a
 *   connection carries at most MAX_MESSAGES messages: the next request gets
 *   503 (RFC 3261 §21.5.4) and the connection is closed;
 * - bytes that are not TLS get the engine's alert; SIP that cannot be framed
 *   or parsed gets 400 Bad Request and the connection is closed, since a
 *   stream cannot be resynchronised (RFC 4475 §3.1.2.3).
 * A client that ends the connection, or that is cut off, is closed fully
 * (close_notify, then the socket, tcp-transport.ts) and others go on being served.
 *
 * A CRLF CRLF keepalive ping gets its CRLF pong (RFC 5626 §3.5.1).
 */
import type { Socket } from 'node:net';
import type { Endpoint } from '../../net/address';
import { unmappedIpv4 } from '../../net/address-range';
import type { TlsServer } from '../../tls/server';
import type { CertificateVerdict, TlsEvent } from '../../tls/output';
import { headerValue, serializeSipMessage, sipSummary, withContentLength, type SipMessage } from '../../sip/message';
import { parseSipMessage, type ParsedSipMessage } from '../../sip/parse';
import { SipStreamFramer } from '../../sip/stream';
import { isSipParseError } from '../../sip/syntax-error';
import { responseTo } from '../../sip/response';
import { parseCertificate } from '../../pki/certificate';
import { TlsSocket } from '../tcp-transport';
import { scenarioForAlert } from './lab-scenarios';
import type { SbcEvent } from './sbc-events';

/** More handshake bytes than any real PBX sends (a chain of a dozen certificates is some 20 KB). */
export const MAX_HANDSHAKE_BYTES = 160 * 1024;
/** SIP messages one connection may carry: days of keepalives, not a flood. */
export const MAX_MESSAGES = 10_000;
/** A trunk's SIP fits in a few kilobytes; an SDP offer in one or two. */
export const SBC_SIP_LIMITS = { maxHeaderBytes: 16 * 1024, maxBodyBytes: 64 * 1024, maxHeaders: 128 } as const;

export interface ConnectionTimeouts {
  /** For the handshake, and for each SIP message once it has begun. */
  handshakeMs: number;
  /** Silence allowed between SIP messages. */
  idleMs: number;
}

/** What the SBC knows of its own CA, to say what a refused client certificate lacks, and its message limit. */
export interface ConnectionContext {
  /** The Common Name of the issuing CA that signs PBX certificates. */
  issuingCaName?: string;
  /** SIP messages one connection may carry (default MAX_MESSAGES). */
  maxMessages?: number;
}

export interface SipHandler {
  request(connection: SbcConnection, parsed: ParsedSipMessage): Promise<void>;
  response(connection: SbcConnection, parsed: ParsedSipMessage): void;
}

export interface StreamRecorder {
  data(direction: 'in' | 'out', bytes: Uint8Array, atMs: number): void;
  close(atMs: number): void;
}

export class SbcConnection {
  readonly peer: string;
  readonly remote: Endpoint;
  readonly local: Endpoint;
  readonly tls: TlsSocket;
  private handshakeBytes = 0;
  private firstBytes = new Uint8Array(0);
  private closing = false;

  constructor(
    socket: Socket,
    readonly server: TlsServer,
    private readonly handler: SipHandler,
    private readonly emit: (e: SbcEvent) => void,
    private readonly timeouts: ConnectionTimeouts,
    private readonly context: ConnectionContext = {},
    private readonly recorder?: StreamRecorder,
  ) {
    this.remote = { ip: unmappedIpv4(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    this.local = { ip: unmappedIpv4(socket.localAddress ?? ''), port: socket.localPort ?? 0 };
    this.peer = `${this.remote.ip}:${this.remote.port}`;
    this.tls = new TlsSocket(socket, server, {
      received: (bytes) => {
        this.recorder?.data('in', bytes, Date.now());
        if (this.server.state === 'start' || this.server.state === 'handshaking') this.countHandshake(bytes);
      },
      sent: (bytes) => this.recorder?.data('out', bytes, Date.now()),
    });
  }

  /** Serves the connection to its end: the handshake, then SIP until either side closes or a limit is hit. */
  async serve(): Promise<void> {
    this.emit({ event: 'connection', peer: this.peer });
    await this.tls.handshake(this.timeouts.handshakeMs);
    const handshake = this.reportHandshake();
    this.tls.outputs.splice(0);
    const why = handshake ? await this.readSip() : 'the handshake did not complete';
    await this.close(why);
  }

  /** Sends a SIP message (refusing to send one that would not parse back) and reports it. */
  async send(message: SipMessage): Promise<void> {
    if (this.server.state !== 'connected') return;
    const bytes = serializeSipMessage(message);
    parseSipMessage(bytes, { transport: 'stream', annotate: false });
    await this.tls.write(bytes);
    this.tls.outputs.splice(0);
    this.emit({
      event: 'sip',
      peer: this.peer,
      direction: 'out',
      summary: describeSip(message),
      callId: headerValue(message, 'Call-ID') ?? null,
    });
  }

  /** close_notify and the socket closed (at once if the peer does not close its side); reports why. */
  async close(why: string): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.tls.close();
    this.recorder?.close(Date.now());
    this.emit({ event: 'closed', peer: this.peer, detail: why });
  }

  get closed(): boolean {
    return this.closing;
  }

  private countHandshake(bytes: Uint8Array): void {
    if (this.firstBytes.length < 16) this.firstBytes = Uint8Array.of(...this.firstBytes, ...bytes.subarray(0, 16));
    this.handshakeBytes += bytes.length;
    if (this.handshakeBytes > MAX_HANDSHAKE_BYTES) {
      void this.tls.abort(
        'handshake_failure',
        `the client sent ${this.handshakeBytes} bytes without finishing the handshake; at most ${MAX_HANDSHAKE_BYTES} are read`,
      );
    }
  }

  /** The handshake's outcome as events; true when it succeeded. */
  private reportHandshake(): boolean {
    const events: TlsEvent[] = this.tls.outputs.flatMap((o) => o.events);
    const check = events.find(
      (e): e is Extract<TlsEvent, { kind: 'certificate-check' }> => e.kind === 'certificate-check',
    );
    if (check) {
      const verdict: CertificateVerdict = {
        subject: check.subject,
        valid: check.valid,
        reason: check.reason,
        detail: check.detail,
        trace: check.trace,
        at: check.at,
      };
      this.emit({ event: 'certificate', peer: this.peer, ...verdict });
    }
    const s = this.server.session;
    if (this.server.state === 'connected' && s) {
      this.emit({
        event: 'handshake',
        peer: this.peer,
        version: s.version,
        cipherSuite: s.cipherSuite,
        keyExchange: s.keyExchange,
        clientCertificate: s.clientAuthenticated ? `${leafSubject(s.peerCertificates[0])}, verified` : null,
      });
      return true;
    }
    const sent = this.server.sentAlert?.name !== 'close_notify' ? this.server.sentAlert : undefined;
    const received = this.server.receivedAlert;
    if (sent || received) {
      const alert = (sent ?? received)!;
      const who = sent ? 'the SBC sent' : 'the PBX sent';
      // Issued by our own issuing CA, yet no path: the PBX sent its certificate without the issuing CA's after it.
      const issuing = this.context.issuingCaName;
      const withoutChain =
        !!sent && check?.reason === 'unknown_issuer' && !!issuing && check.detail.includes(`“${issuing}”`);
      const hint = withoutChain
        ? ' — the PBX sent its certificate without the issuing CA’s: give it the file `trunklab ca sign` wrote, which holds both'
        : sent
          ? hintForSbcAlert(check?.reason)
          : hintForPbxAlert(alert.name);
      this.emit({
        event: 'failure',
        peer: this.peer,
        stage: 'tls',
        reason: alert.name,
        detail: `${who} alert ${alert.name} (${alert.code}): ${alert.reason ?? ''}${hint}`,
        scenario: withoutChain ? 'missing-intermediate' : scenarioForAlert(alert.name, !!sent, alert.reason ?? ''),
      });
      return false;
    }
    const plainSip = /^(REGISTER|INVITE|OPTIONS|SIP\/2\.0)/i.test(new TextDecoder().decode(this.firstBytes));
    this.emit({
      event: 'failure',
      peer: this.peer,
      stage: 'tls',
      reason: 'handshake_timeout',
      detail: plainSip
        ? 'the PBX sent plain SIP to the TLS port: set its transport to TLS'
        : this.tls.closed
          ? 'the client closed the connection before the handshake finished'
          : `no handshake within ${this.timeouts.handshakeMs / 1000} s`,
      scenario: plainSip ? null : 'wrong-port',
    });
    return false;
  }

  /** Reads SIP until the connection ends or a limit is hit; returns why it ended. */
  private async readSip(): Promise<string> {
    const framer = new SipStreamFramer(SBC_SIP_LIMITS, false);
    let messages = 0;
    let partialSince: number | undefined;
    for (;;) {
      const now = Date.now();
      const wait = partialSince !== undefined ? partialSince + this.timeouts.handshakeMs - now : this.timeouts.idleMs;
      const data = wait > 0 ? await this.tls.read(wait) : undefined;
      this.tls.outputs.splice(0);
      if (!data) {
        if (this.tls.closed || this.server.state !== 'connected') return closedBy(this.server);
        return partialSince !== undefined
          ? `a SIP message began but did not arrive whole within ${this.timeouts.handshakeMs / 1000} s`
          : `idle for ${this.timeouts.idleMs / 1000} s`;
      }
      let frames;
      try {
        frames = framer.push(data);
      } catch (e) {
        if (!isSipParseError(e)) throw e;
        await this.badRequest(e.message);
        return 'it sent SIP that cannot be read';
      }
      for (const frame of frames) {
        if (frame.kind === 'keepalive') {
          // RFC 5626 §3.5.1: a double CRLF ping gets a single CRLF pong.
          if (frame.bytes.length >= 4) await this.tls.write(Uint8Array.of(0x0d, 0x0a));
          continue;
        }
        const m = frame.parsed.message;
        if (++messages > (this.context.maxMessages ?? MAX_MESSAGES)) return this.overLimit(m);
        this.emit({
          event: 'sip',
          peer: this.peer,
          direction: 'in',
          summary: describeSip(m),
          callId: headerValue(m, 'Call-ID') ?? null,
        });
        if (m.kind === 'request') await this.handler.request(this, frame.parsed);
        else this.handler.response(this, frame.parsed);
        if (this.server.state !== 'connected') return closedBy(this.server);
      }
      // The clock runs for the message still incomplete: one that began in this chunk began now, even when a
      // client sends faster than the SBC reads and the framer is never empty.
      partialSince = framer.pending > 0 ? (frames.length > 0 ? now : (partialSince ?? now)) : undefined;
    }
  }

  /**
   * The message over the limit (MAX_MESSAGES unless configured): a request gets 503 with a Warning saying why (RFC 3261 §21.5.4: the
   * server declines for its own reasons, the request itself is fine), then the connection is closed.
   */
  private async overLimit(m: SipMessage): Promise<string> {
    const why = `more than ${this.context.maxMessages ?? MAX_MESSAGES} SIP messages on one connection`;
    this.emit({
      event: 'failure',
      peer: this.peer,
      stage: 'sip',
      reason: m.kind === 'request' ? '503' : 'message_limit',
      detail: `${why}: the connection is closed; a PBX opens a new one`,
      scenario: null,
    });
    if (m.kind === 'request' && m.method !== 'ACK') {
      await this.send(
        responseTo(m, 503, {
          headers: [{ name: 'Warning', value: `399 ${this.local.ip} "${why}: open a new connection"` }],
        }),
      );
    }
    return why;
  }

  /** 400 for SIP that cannot be parsed: no Via to answer along, so the reason is in a Warning (RFC 3261 §20.43). */
  private async badRequest(detail: string): Promise<void> {
    this.emit({
      event: 'failure',
      peer: this.peer,
      stage: 'sip',
      reason: '400',
      detail: `unreadable SIP: ${detail}`,
      scenario: null,
    });
    const text = detail.replace(/["\\]/g, "'").slice(0, 200);
    await this.send(
      withContentLength({
        kind: 'response',
        status: 400,
        reason: 'Bad Request',
        headers: [{ name: 'Warning', value: `399 ${this.local.ip} "${text}"` }],
        body: new Uint8Array(0),
      }),
    );
  }
}

/** `REGISTER sip:…`, `401 Unauthorized (REGISTER)`. */
function describeSip(m: SipMessage): string {
  if (m.kind === 'request') return `${m.method} ${m.uri}`;
  const cseq = headerValue(m, 'CSeq')?.split(/\s+/)[1];
  return `${sipSummary(m)}${cseq ? ` (${cseq})` : ''}`;
}

function leafSubject(der: Uint8Array | undefined): string {
  if (!der) return 'none';
  try {
    return parseCertificate(der).subject;
  } catch {
    return 'unreadable';
  }
}

function closedBy(server: TlsServer): string {
  const alert = server.receivedAlert ?? server.sentAlert;
  if (alert?.name === 'close_notify') return 'close_notify';
  if (alert) return `alert ${alert.name}`;
  return 'the PBX closed the connection';
}

/** What to change when the SBC refused the PBX's certificate for its dates. */
function hintForSbcAlert(reason: string | undefined): string {
  if (reason === 'expired')
    return ' — the PBX’s certificate is past its notAfter: issue a new one from its CSR with `trunklab ca sign`';
  if (reason === 'not_yet_valid')
    return ' — the PBX’s certificate is not valid yet by the SBC’s clock: check this machine’s clock, and the clock of the machine that issued it';
  return '';
}

/** What to check on the PBX when it refused the SBC. */
function hintForPbxAlert(alert: string): string {
  if (alert === 'unknown_ca') return ' — install the test root CA on the PBX as the CA it trusts for the trunk';
  if (alert === 'bad_certificate')
    return ' — the SBC’s certificate may not name the host the PBX connects to: see the names `trunklab ca init --sbc-name` gave it';
  return '';
}
