/**
 * The test SBC of `trunklab sbc`: the lab's carrier SBC (sip/sbc-server.ts:
 * admission, the registrar, the SDP answer with its SDES key, dialogs) on
 * real sockets, for rehearsing a PBX's configuration before go-live.
 *
 * - TCP connections get the engine's TLS server with the carrier profile's
 *   versions and suites, asking for and requiring a client certificate
 *   checked against the test CA (sbc-connection.ts).
 * - REGISTER is challenged with digest, by default SHA-256 then MD5 (RFC 8760
 *   §2.3), and a wrong answer gets 403 at once; or, with IP authentication,
 *   the source address must lie in the trusted range. A PBX that leaves a
 *   challenge unanswered and calls anyway is told why that may be: a client
 *   must skip a challenge it cannot answer and take the next (§2.4), and
 *   some give up at the first instead.
 * - INVITE gets 100, 180, then 200 OK with the SDES answer (RFC 4568 §7.1.2)
 *   and media on a fresh pair of UDP ports (call-media.ts), or 488 with a
 *   Warning when SRTP cannot be agreed. The SBC plays the spoken phrase and
 *   echoes the caller after ACK; either side may hang up with BYE.
 * - A re-INVITE in the call's dialog (a session refresh, hold and resume, a
 *   new key) gets 200 OK with a new SDES key of the SBC's own (RFC 3261
 *   §14.2, RFC 4568 §7.1.4), and the call's media follows it; one the SBC
 *   cannot accept gets 488 and the call goes on as it was.
 * - With a record folder, each connection and each call is written as a
 *   pcapng with its TLS secrets inside (session-capture.ts).
 *
 * At most `maxConnections` connections and `maxCalls` calls at once; stop()
 * ends every call with BYE, closes every connection with close_notify and
 * releases every socket.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { CarrierProfile } from '../../carrier';
import type { Endpoint } from '../../net/address';
import { LiveRandom } from '../../crypto/random';
import { TlsServer } from '../../tls/server';
import { tlsConfig, type TlsCredentials } from '../../tls/config';
import type { CipherSuiteName } from '../../tls/cipher-suites';
import { parseCredentials, type DigestAlgorithm } from '../../sip/digest';
import { newBranch } from '../../sip/identifiers';
import { headerValue, type SipRequest } from '../../sip/message';
import { parsedValue, type ParsedSipMessage } from '../../sip/parse';
import { responseTo } from '../../sip/response';
import { SbcServer, type SbcEvent as ServerEvent } from '../../sip/sbc-server';
import type { MediaDirection } from '../../sip/offer-answer';
import { mediaConnection, parseSdp } from '../../sip/sdp';
import type { NameAddress } from '../../sip/address';
import { parseCertificate } from '../../pki/certificate';
import { systemClock } from '../tcp-transport';
import { CallMedia, type MediaStats } from './call-media';
import { scenarioForStatus } from './lab-scenarios';
import { SbcConnection, type ConnectionTimeouts } from './sbc-connection';
import type { SbcEvent } from './sbc-events';
import { TcpStreamCapture, UdpCapture, writeSessionCapture } from './session-capture';

export type TrunkAuth =
  | {
      kind: 'digest';
      user: string;
      password: string;
      /** The challenges, most preferred first (RFC 8760 §2.3). */
      algorithms: DigestAlgorithm[];
    }
  | { kind: 'ip'; ranges: string[] };

export interface TestSbcOptions {
  carrier: CarrierProfile;
  host: string;
  port: number;
  credentials: TlsCredentials;
  /** The test root CA: client certificates must chain to it. */
  anchors: Uint8Array[];
  /** The names the SBC's certificate carries, for the listening line and its Contact. */
  certificateNames: string[];
  auth: TrunkAuth;
  timeouts: ConnectionTimeouts;
  /** A folder to write captures into. */
  record?: string;
  /** The SBC hangs up a call this long after it is answered (default: the PBX hangs up). */
  hangUpAfterMs?: number;
  maxConnections?: number;
  maxCalls?: number;
  /** SIP messages one connection may carry (default MAX_MESSAGES, sbc-connection.ts). */
  maxMessagesPerConnection?: number;
  emit(e: SbcEvent): void;
}

interface Call {
  callId: string;
  connection: SbcConnection;
  media: CallMedia;
  capture?: UdpCapture;
  connectionCapture?: TcpStreamCapture;
  answeredAt: number;
  hangUpTimer?: ReturnType<typeof setTimeout>;
  ended: boolean;
}

export const MAX_CONNECTIONS = 128;
export const MAX_CALLS = 32;

export class TestSbc {
  private listener?: Server;
  private readonly sip: SbcServer;
  private readonly random = new LiveRandom();
  /** Each connection, with its capture when recording. */
  private readonly connections = new Map<SbcConnection, TcpStreamCapture | undefined>();
  private readonly serving = new Set<Promise<void>>();
  private readonly calls = new Map<string, Call>();
  /** The media ports reserved for the INVITE being answered (SbcServer asks for them while it answers). */
  private reserved?: CallMedia;
  /** The connection whose request SbcServer is answering, for the Contact it writes. */
  private answering?: SbcConnection;
  private readonly stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  private recordings = 0;
  /** Connections whose REGISTER was challenged and not yet answered with credentials. */
  private readonly unanswered = new Set<SbcConnection>();
  private listeningPort = 0;

  private readonly issuingCaName?: string;

  constructor(private readonly options: TestSbcOptions) {
    const issuing = options.credentials.chain[1];
    this.issuingCaName = issuing ? parseCertificate(issuing).subjectName.getField('CN')[0] : undefined;
    const { carrier, auth } = options;
    const profile: CarrierProfile = {
      ...carrier,
      sbc: { ...carrier.sbc, host: options.certificateNames[0] ?? carrier.sbc.host, ip: options.host },
      auth: auth.kind === 'ip' ? 'ip' : 'registration',
    };
    this.sip = new SbcServer(
      {
        carrier: profile,
        transport: 'TLS',
        port: options.port,
        callee: 'answer',
        registrar: {
          auth: profile.auth,
          algorithms: auth.kind === 'digest' ? auth.algorithms : ['SHA-256'],
          accounts: auth.kind === 'digest' ? { [auth.user]: auth.password } : {},
          trustedAddresses: auth.kind === 'ip' ? auth.ranges : [],
          // A rehearsal says at once that the password is wrong: the first wrong answer gets 403.
          maxFailures: 1,
        },
        // A new call's reserved ports; a re-INVITE keeps the call's own (RFC 3264 §8.3.1 lets an answer move them; it need not).
        media: (callId) => {
          const media = this.reserved ?? this.calls.get(callId)?.media;
          return { address: media?.address ?? options.host, port: media?.port ?? 0 };
        },
        // The address this connection reached, and the port the SBC listens on: in-dialog requests come back there.
        contact: () => `${hostInUri(this.answering?.local.ip ?? options.host)}:${this.listeningPort}`,
      },
      this.random,
      systemClock,
    );
  }

  /** Listens; resolves with the port (useful with port 0). */
  start(): Promise<number> {
    const listener = createServer((socket) => this.accept(socket));
    this.listener = listener;
    listener.maxConnections = this.options.maxConnections ?? MAX_CONNECTIONS;
    listener.on('drop', (d) =>
      this.options.emit({
        event: 'refused',
        peer: `${d?.remoteAddress}:${d?.remotePort}`,
        detail: `already serving ${listener.maxConnections} connections`,
      }),
    );
    return new Promise((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.options.port, this.options.host, () => {
        const address = listener.address();
        this.listeningPort = typeof address === 'object' && address ? address.port : this.options.port;
        resolve(this.listeningPort);
      });
    });
  }

  /** Ends every call with BYE, closes every connection, releases every socket. */
  async stop(): Promise<void> {
    this.listener?.close();
    for (const call of [...this.calls.values()]) await this.hangUp(call, 'the SBC is stopping');
    await Promise.all([...this.connections.keys()].map((c) => c.close('the SBC is stopping')));
    await Promise.all([...this.serving]);
  }

  private accept(socket: Socket): void {
    const { options } = this;
    const now = Date.now();
    const remote: Endpoint = { ip: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const local: Endpoint = { ip: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    const capture = options.record ? new TcpStreamCapture(remote, local, now, this.random) : undefined;
    const server = new TlsServer(
      tlsConfig({
        clock: systemClock,
        random: this.random,
        versions: options.carrier.tls.versions,
        cipherSuites: [...options.carrier.tls.tls13Suites, ...options.carrier.tls.tls12Suites] as CipherSuiteName[],
        credentials: options.credentials,
        trustAnchors: options.anchors,
        requestClientCertificate: true,
        requireClientCertificate: true,
        names: { self: 'SBC', peer: 'PBX' },
      }),
    );
    const connection = new SbcConnection(
      socket,
      server,
      { request: (c, p) => this.request(c, p), response: () => undefined },
      options.emit,
      options.timeouts,
      { issuingCaName: this.issuingCaName, maxMessages: options.maxMessagesPerConnection },
      capture,
    );
    this.connections.set(connection, capture);
    const done = connection.serve().then(
      () => this.finish(connection, capture),
      () => this.finish(connection, capture),
    );
    this.serving.add(done);
    void done.then(() => this.serving.delete(done));
  }

  /** Why a PBX may leave a digest challenge unanswered. */
  private unansweredHint(): string {
    const { auth } = this.options;
    if (auth.kind !== 'digest' || auth.algorithms.length === 1) return 'its REGISTER was challenged and never answered';
    return `its REGISTER was challenged and never answered. A PBX must skip a challenge whose algorithm it lacks and answer one it knows (RFC 8760 §2.4); some refuse the whole 401 when any challenge in it names an algorithm they lack. To rehearse with one challenge, run with --digest MD5 (or --digest SHA-256), and ask the carrier which its SBC sends`;
  }

  /** After a connection: its calls end, and its capture is written. */
  private async finish(connection: SbcConnection, capture: TcpStreamCapture | undefined): Promise<void> {
    if (this.unanswered.delete(connection)) {
      this.options.emit({
        event: 'failure',
        peer: connection.peer,
        stage: 'sip',
        reason: '401',
        detail: `the PBX left: ${this.unansweredHint()}`,
        scenario: null,
      });
    }
    const calls = [...this.calls.values()].filter((c) => c.connection === connection);
    for (const call of calls) this.endCall(call, 'its connection closed');
    this.connections.delete(connection);
    if (capture && this.options.record) {
      const media = calls.flatMap((c) => c.capture?.packets ?? []);
      this.writeRecording(
        `tls-${connection.peer.replace(/[^0-9A-Za-z]+/g, '-')}`,
        [...capture.packets, ...media],
        connection,
        'the connection',
      );
    }
  }

  private async request(connection: SbcConnection, p: ParsedSipMessage): Promise<void> {
    const m = p.message as SipRequest;
    const callId = headerValue(m, 'Call-ID') ?? '';
    let reserved: CallMedia | undefined;
    // An INVITE in the dialog of a call in progress is a re-INVITE (RFC 3261 §14.2): it keeps the call's media ports.
    const reinvite = m.method === 'INVITE' && this.calls.has(callId) && /;\s*tag\s*=/i.test(headerValue(m, 'To') ?? '');
    if (m.method === 'INVITE' && !reinvite) {
      const refusal = this.inviteRefusal(callId);
      if (refusal) {
        this.options.emit({
          event: 'failure',
          peer: connection.peer,
          stage: 'sip',
          reason: String(refusal.status),
          detail: refusal.detail,
          scenario: null,
        });
        await connection.send(responseTo(m, refusal.status, { headers: refusal.headers }));
        return;
      }
      try {
        reserved = await CallMedia.bind(connection.local.ip, this.random);
      } catch (e) {
        this.options.emit({
          event: 'failure',
          peer: connection.peer,
          stage: 'sdp',
          reason: '503',
          detail: String(e),
          scenario: null,
        });
        await connection.send(responseTo(m, 503));
        return;
      }
    }
    // SbcServer asks for the media address while it answers (TestSbcOptions' `media`), synchronously.
    this.reserved = reserved;
    this.answering = connection;
    let answer;
    try {
      answer = this.sip.receive(p, connection.remote);
    } finally {
      this.reserved = undefined;
      this.answering = undefined;
    }
    let answered = false;
    for (const e of answer.events) answered = this.react(e, connection, p, reserved) || answered;
    if (reserved && !answered) reserved.close();
    for (const response of answer.send) await connection.send(response);
  }

  /** Why a new call's INVITE is not taken: the Call-ID of a call in progress outside its dialog, or too many calls. */
  private inviteRefusal(callId: string) {
    if (this.calls.has(callId)) {
      // RFC 3261 §8.1.1.4: a new dialog has a new Call-ID; a re-INVITE carries the dialog's To tag.
      const detail = 'an INVITE without a To tag reuses the Call-ID of a call in progress';
      return { status: 400, detail, headers: [{ name: 'Warning', value: `399 ${this.options.host} "${detail}"` }] };
    }
    const max = this.options.maxCalls ?? MAX_CALLS;
    if (this.calls.size >= max) {
      return {
        status: 503,
        detail: `already ${max} calls in progress`,
        headers: [{ name: 'Retry-After', value: '30' }],
      };
    }
    return undefined;
  }

  /** Reports what the SIP server decided and acts on it; true when a call's media was set up. */
  private react(e: ServerEvent, connection: SbcConnection, p: ParsedSipMessage, reserved?: CallMedia): boolean {
    const { emit } = this.options;
    const peer = connection.peer;
    switch (e.kind) {
      case 'registrar':
        this.reportRegistration(e.verdict, connection, p);
        return false;
      case 'rejected':
        emit({ event: 'failure', peer, stage: 'sip', reason: String(e.status), detail: e.detail, scenario: null });
        return false;
      case 'call-refused':
        emit({
          event: 'failure',
          peer,
          stage: e.status === 488 ? 'sdp' : 'sip',
          reason: String(e.status),
          detail:
            e.status === 403 && this.unanswered.has(connection) ? `${e.detail}: ${this.unansweredHint()}` : e.detail,
          scenario: e.status === 488 ? scenarioForStatus(488, e.failure) : null,
        });
        return false;
      case 'media-agreed':
        if (!reserved) return false;
        this.answerCall(e.callId, connection, p, reserved, e.agreement, e.direction);
        return true;
      case 'call-established': {
        const call = this.calls.get(e.callId);
        if (!call) return false;
        call.media.start();
        emit({
          event: 'call',
          peer,
          callId: e.callId,
          state: 'up',
          detail: 'ACK: playing the spoken phrase and echoing the caller',
        });
        if (this.options.hangUpAfterMs !== undefined) {
          call.hangUpTimer = setTimeout(
            () => void this.hangUp(call, 'its time is up (--hangup-after)'),
            this.options.hangUpAfterMs,
          );
        }
        return false;
      }
      case 'call-ended': {
        emit({ event: 'bye', peer, callId: e.callId, from: 'pbx' });
        const call = this.calls.get(e.callId);
        if (call) this.endCall(call, 'the PBX hung up');
        return false;
      }
      case 'call-cancelled':
        emit({
          event: 'call',
          peer,
          callId: headerValue(p.message, 'Call-ID') ?? '',
          state: 'ended',
          detail: 'cancelled before it was answered',
        });
        return false;
      case 'media-updated': {
        const call = this.calls.get(e.callId);
        if (call) this.updateCall(call, p, e.agreement, e.direction);
        return false;
      }
      case 'retransmission':
        return false;
    }
  }

  private reportRegistration(verdict: string, connection: SbcConnection, p: ParsedSipMessage): void {
    const { auth } = this.options;
    const credentials = p.message.headers
      .filter((h) => h.name.toLowerCase() === 'authorization')
      .map((h) => parseCredentials(h.value))
      .find((c) => c !== undefined);
    const to = parsedValue<NameAddress>(p, 'To');
    const user = credentials?.username ?? (to?.uri.kind === 'sip' ? (to.uri.user ?? null) : null);
    const emit = (status: number, detail: string) =>
      this.options.emit({ event: 'register', peer: connection.peer, user, status, detail });
    if (credentials) this.unanswered.delete(connection);
    const fail = (status: number, detail: string, scenario: string | null) => {
      emit(status, detail);
      this.options.emit({
        event: 'failure',
        peer: connection.peer,
        stage: 'sip',
        reason: String(status),
        detail,
        scenario,
      });
    };
    switch (verdict) {
      case 'challenged':
        this.unanswered.add(connection);
        return emit(
          401,
          auth.kind === 'digest' && auth.algorithms.length > 1
            ? `no credentials yet: challenged with digest ${auth.algorithms.join(', then ')} (RFC 8760 §2.3), each with a fresh nonce`
            : `no credentials yet: challenged with digest ${auth.kind === 'digest' ? auth.algorithms[0] : ''} and a fresh nonce`,
        );
      case 'stale_nonce':
        return emit(
          401,
          'the nonce is not one this SBC issued for that algorithm, or was used already: challenged again (stale=true)',
        );
      case 'registered': {
        const contact = p.headers.find((h) => h.canonical === 'Contact')?.header.value ?? 'no Contact (a query)';
        const expires = p.headers.find((h) => h.canonical === 'Expires')?.parsed;
        if (expires === 0 || /;\s*expires\s*=\s*0\b/i.test(contact))
          return emit(200, `unregistered (expires 0): ${contact}`);
        return emit(
          200,
          auth.kind === 'ip'
            ? `registered by its address ${connection.remote.ip} (IP authentication); Contact ${contact}`
            : `registered: the digest (${credentials?.algorithm ?? '?'}) matches the password; Contact ${contact}`,
        );
      }
      case 'forbidden':
      case 'wrong_credentials':
      case 'unknown_user': {
        const username = credentials?.username ?? '?';
        // RFC 3261 §10.3 step 3: a name without an account cannot be authenticated; answered as a wrong password.
        const known = auth.kind === 'digest' && username === auth.user;
        return fail(
          403,
          known
            ? `the digest response does not match: wrong password for ${auth.user}`
            : `unknown user ${username}: no such trunk account${auth.kind === 'digest' ? ` (the trunk account is ${auth.user})` : ''}; answered as a wrong password is (RFC 3261 §10.3 step 3), so a stranger cannot tell which names exist`,
          scenarioForStatus(403),
        );
      }
      case 'not_authorized':
        return fail(
          403,
          `authenticated as ${credentials?.username ?? '?'}, which may not register ${aorText(to)} (RFC 3261 §10.3 step 4): the To of the REGISTER must name the trunk account`,
          null,
        );
      case 'not_found':
        return fail(
          404,
          `${aorText(to)} is not an address of record in ${this.options.carrier.domain} (RFC 3261 §10.3 step 5): the PBX's registration domain (its To and From) must be ${this.options.carrier.domain}`,
          null,
        );
      case 'untrusted_address':
        return fail(
          403,
          `${connection.remote.ip} is not in the trusted range (${auth.kind === 'ip' ? auth.ranges.join(', ') : ''})`,
          null,
        );
      default:
        return fail(400, 'the REGISTER is malformed (its To is not a SIP address of record)', null);
    }
  }

  private answerCall(
    callId: string,
    connection: SbcConnection,
    p: ParsedSipMessage,
    media: CallMedia,
    agreement: Extract<ServerEvent, { kind: 'media-agreed' }>['agreement'],
    direction: MediaDirection,
  ): void {
    const { remote, payloadType } = offeredMedia(p, connection);
    const capture = this.options.record ? new UdpCapture() : undefined;
    const call: Call = { callId, connection, media, capture, answeredAt: Date.now(), ended: false };
    media.configure(remote, payloadType, agreement, direction, {
      datagram: capture ? (src, dst, bytes, at) => capture.datagram(src, dst, bytes, at) : undefined,
      second: (s, sent, received) =>
        this.options.emit({ event: 'media', callId, sentPerSecond: sent, receivedPerSecond: received, ...counts(s) }),
    });
    this.calls.set(callId, call);
    this.options.emit({
      event: 'call',
      peer: connection.peer,
      callId,
      state: 'answered',
      detail: `200 OK with ${agreement ? `SRTP ${agreement.suite} (the offer's a=crypto tag ${agreement.tag}) and the SBC's own key` : 'plain RTP (RTP/AVP)'}; media ${media.address}:${media.port} ↔ ${remote.ip}:${remote.port}, ${payloadType === 8 ? 'PCMA' : 'PCMU'}`,
    });
  }

  /**
   * A re-INVITE answered with 200 (RFC 3261 §14.2): the call's media follows the new offer and answer. The SBC's
   * answer always carries a new key of its own; the PBX's stream keeps its SRTP context (rollover counter, replay
   * list) when its offer repeats the same key and suite, and gets a new one when it changes them (RFC 4568 §7.1.4).
   * A stream the PBX puts on hold (sendonly, inactive) stops the SBC's sending until it is taken off.
   */
  private updateCall(
    call: Call,
    p: ParsedSipMessage,
    agreement: Extract<ServerEvent, { kind: 'media-updated' }>['agreement'],
    direction: MediaDirection,
  ): void {
    const { remote } = offeredMedia(p, call.connection);
    const change = call.media.update(remote, agreement, direction);
    this.options.emit({
      event: 'call',
      peer: call.connection.peer,
      callId: call.callId,
      state: 'updated',
      detail: `re-INVITE answered with 200 OK: ${
        agreement
          ? `SRTP ${agreement.suite}, the PBX's key ${change.receiveKey === 'kept' ? 'unchanged (its SRTP context goes on)' : 'new (a new SRTP context)'}, a new key from the SBC`
          : 'plain RTP (RTP/AVP)'
      }; the SBC ${direction === 'sendrecv' ? 'sends and receives' : direction === 'recvonly' ? 'receives only (the PBX put the call on hold)' : direction === 'inactive' ? 'neither sends nor receives (on hold)' : 'sends only'}; media to ${remote.ip}:${remote.port}`,
    });
  }

  /** The SBC ends the call: BYE in the dialog, then the call's media and recording end. */
  private async hangUp(call: Call, why: string): Promise<void> {
    if (call.ended) return;
    const via = {
      name: 'Via',
      value: `SIP/2.0/TLS ${hostInUri(call.connection.local.ip)}:${this.listeningPort};branch=${newBranch(this.random)}`,
    };
    const bye = this.sip.hangUp(call.callId, via);
    if (bye && !call.connection.closed) {
      this.options.emit({ event: 'bye', peer: call.connection.peer, callId: call.callId, from: 'sbc' });
      await call.connection.send(bye);
    }
    this.endCall(call, `the SBC hung up: ${why}`);
  }

  private endCall(call: Call, why: string): void {
    if (call.ended) return;
    call.ended = true;
    clearTimeout(call.hangUpTimer);
    call.media.close();
    this.calls.delete(call.callId);
    const stats = call.media.stats();
    const seconds = ((Date.now() - call.answeredAt) / 1000).toFixed(1);
    this.options.emit({
      event: 'call',
      peer: call.connection.peer,
      callId: call.callId,
      state: 'ended',
      detail: `${why} after ${seconds} s; ${stats.protocol}: ${stats.sent} sent, ${stats.received} received, ${stats.decrypted} ${stats.protocol === 'SRTP' ? 'decrypted' : 'read'}, ${stats.authFailures} authentication failures, ${stats.replays} replays`,
    });
    if (stats.authFailures > 0) {
      this.options.emit({
        event: 'failure',
        peer: call.connection.peer,
        stage: 'srtp',
        reason: 'auth_failure',
        detail: `${stats.authFailures} of ${stats.received} SRTP packets from the PBX failed authentication: its key or suite is not the one its offer announced`,
        scenario: 'srtp-tamper',
      });
    }
    if (call.capture && this.options.record) {
      const signalling = this.connectionPackets(call.connection);
      this.writeRecording(
        `call-${call.callId.replace(/[^0-9A-Za-z]+/g, '-').slice(0, 40)}`,
        [...signalling, ...call.capture.packets],
        call.connection,
        'the call',
      );
    }
  }

  private connectionPackets(connection: SbcConnection) {
    return this.connections.get(connection)?.packets ?? [];
  }

  private writeRecording(
    name: string,
    packets: Parameters<typeof writeSessionCapture>[1],
    connection: SbcConnection,
    what: string,
  ): void {
    const file = join(this.options.record!, `${this.stamp}-${++this.recordings}-${name}.pcapng`);
    try {
      const { keyLogPath } = writeSessionCapture(
        file,
        packets,
        connection.server.keyLog,
        `trunklab sbc: ${what} with ${connection.peer}`,
      );
      this.options.emit({ event: 'recorded', file, keyLog: keyLogPath, detail: `${what} with ${connection.peer}` });
    } catch (e) {
      this.options.emit({
        event: 'failure',
        peer: connection.peer,
        stage: 'tcp',
        reason: 'record',
        detail: `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        scenario: null,
      });
    }
  }
}

/** Where the offer (an INVITE's or a re-INVITE's) wants media sent, and the G.711 law it names first. */
function offeredMedia(p: ParsedSipMessage, connection: SbcConnection): { remote: Endpoint; payloadType: number } {
  const offer = parseSdp(p.message.body).sdp;
  const audio = offer.media.find((m) => m.media === 'audio' && m.port !== 0)!;
  return {
    remote: { ip: mediaConnection(offer, audio)?.address ?? connection.remote.ip, port: audio.port },
    payloadType: [0, 8].find((pt) => audio.formats.includes(String(pt))) ?? 0,
  };
}

/** The address of record a REGISTER's To names, as `user@host`. */
function aorText(to: NameAddress | undefined): string {
  return to?.uri.kind === 'sip' ? `${to.uri.user ?? ''}@${to.uri.host}` : 'its To';
}

/** An IPv6 address in brackets, as a SIP URI or Via writes it (RFC 3261 §25.1 IPv6reference). */
function hostInUri(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

function counts(s: MediaStats) {
  return {
    protocol: s.protocol,
    sent: s.sent,
    received: s.received,
    decrypted: s.decrypted,
    authFailures: s.authFailures,
    replays: s.replays,
  };
}
