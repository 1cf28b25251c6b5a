/**
 * The customer's PBX in a run, as its setup configures it: it dials the SBC
 * (TCP then TLS, or plain UDP), registers with digest credentials (RFC 3261
 * §10.2, §22.2) unless the carrier authenticates by address, places a call
 * with an SDP offer (RFC 3264 §5) carrying SDES keys (RFC 4568), talks over
 * SRTP once answered, and hangs up with BYE (RFC 3261 §15.1.1).
 *
 * The SIP decisions are the PBX user agent's (sip/pbx-agent.ts); this module
 * carries its messages, starts and stops its media, and writes down what it
 * learned and where it stopped.
 *
 * A PBX that waits for calls from the SBC keeps its connection alive: it
 * refreshes its registration halfway through (RFC 3261 §10.2.4), may send
 * CRLF keepalives (RFC 5626 §4.4.1), and when a refresh gets no answer
 * within Timer F (32 s, RFC 3261 §17.1.2.2) it gives the connection up and
 * registers again over a new one (RFC 5626 §4.4), as PBXs do.
 */
import type { Party, StateEvent } from '../timeline';
import { SkewedClock, type Clock } from '../crypto/clock';
import { TlsClient, tlsConfig } from '../tls';
import type { ParsedSipMessage } from '../sip/parse';
import { isSipParseError } from '../sip/syntax-error';
import { PbxAgent, type PbxEvent } from '../sip/pbx-agent';
import { mediaConnection, parseSdp } from '../sip/sdp';
import { sdesKeyEvents } from '../sip/sdes-key-events';
import type { SrtpAgreement } from '../sip/offer-answer';
import { SrtpContext } from '../rtp/srtp-context';
import type { Endpoint } from '../net/address';
import { MediaSession } from './media-session';
import { receiveSipDatagram, sipOverTls, sipOverUdp, type SipChannel } from './sip-channel';
import { TlsOverTcp } from './tls-over-tcp';
import type { TrunkRun } from './trunk-run';
import { partyName } from './verdicts';
import type { ScheduledEvent } from '../net/event-queue';

/** RFC 3261 §17.1.2.2: Timer F = 64·T1, T1 = 500 ms. */
const TIMER_F_MS = 64 * 500;

/** The number the PBX calls: a fictional one (555-01xx), in E.164 (ITU-T E.164 §6). */
export const DIALLED_NUMBER = '+15555550123';
/** The same number as a phone in its country dials it: without `+` and the country code (1, the NANP's). */
export const DIALLED_NATIONAL = DIALLED_NUMBER.replace(/^\+1/, '');
/** The PBX's RTP port (RTCP on the next one up). */
export const PBX_MEDIA_PORT = 16384;
/** The PBX's own SIP ports, as it writes them in Via and Contact. */
export const PBX_SIP_PORT = { tls: 5061, udp: 5060 } as const;

export class PbxSide {
  readonly agent: PbxAgent;
  readonly media: MediaSession;
  /** The PBX's clock: the network's, or wrong by the setup's skew. */
  readonly clock: Clock;
  private channel?: SipChannel;
  private tls?: TlsOverTcp;
  /** Connections opened so far (each gets its own TLS randomness). */
  private connections = 0;
  /** Pending timers of the connection's upkeep: the refresh, Timer F, the next keepalive. */
  private refreshTimer?: ScheduledEvent;
  private timerF?: ScheduledEvent;
  private keepaliveTimer?: ScheduledEvent;

  constructor(private readonly run: TrunkRun) {
    const { setup, carrier, net } = run;
    const pbx = setup.pbx;
    this.clock = pbx.clockSetTo ? new SkewedClock(run.clock, Date.parse(pbx.clockSetTo) - run.startMs) : run.clock;
    const transport = pbx.transport === 'tls' ? 'TLS' : 'UDP';
    this.agent = new PbxAgent(
      {
        carrier,
        transport,
        localIp: net.pbx.ip,
        localPort: PBX_SIP_PORT[pbx.transport],
        ...(pbx.contact === 'private' ? { advertisedIp: carrier.customer.pbxPrivateIp } : {}),
        contactScheme: 'sip',
        sbcPort: this.sbcPort,
        password: pbx.password === 'correct' ? carrier.customer.password : mistyped(carrier.customer.password),
        ...(pbx.digestAlgorithms ? { digestAlgorithms: pbx.digestAlgorithms } : {}),
        media: { port: PBX_MEDIA_PORT, secure: pbx.media.offer === 'srtp', suites: pbx.media.suites },
      },
      run.random.fork('pbx sip'),
    );
    this.media = new MediaSession(run, 'pbx', 'sbc', net.pbx, PBX_MEDIA_PORT);
  }

  private get sbcPort(): number {
    const { carrier, setup } = this.run;
    return setup.pbx.port === 'tls' ? carrier.sbc.tlsPort : carrier.sbc.plainPort;
  }

  /** Dials the SBC: the first packet of the run. */
  start(): void {
    const { net, carrier, setup } = this.run;
    const sbc: Endpoint = { ip: carrier.sbc.ip, port: this.sbcPort };
    if (setup.pbx.transport === 'udp') {
      const socket = net.pbx.bindUdp(PBX_SIP_PORT.udp);
      socket.onMessage = (payload, _from, record) => {
        const parsed = receiveSipDatagram(this.run, 'pbx', payload, record);
        return parsed && this.receive(parsed, record.index);
      };
      this.channel = sipOverUdp(this.run, socket, sbc, 'pbx');
      this.run.net.network.after(0, 'PBX starts', () => this.ready());
      return;
    }
    this.connectTls(sbc);
  }

  /** Opens a TCP connection to the SBC and runs TLS on it; SIP follows once it is up. */
  private connectTls(sbc: Endpoint): void {
    const { net, carrier, setup } = this.run;
    const conn = net.pbx.connect(sbc, { streamName: 'TLS records' });
    // An intercepting attacker answers the connection in the SBC's place.
    const answerer: Party = setup.attacker.kind === 'intercept' ? 'attacker' : 'sbc';
    const n = this.connections++;
    const tls = this.run.credentials.then(
      (credentials) =>
        new TlsClient(
          tlsConfig({
            clock: this.clock,
            random: this.run.random.fork(n === 0 ? 'pbx tls' : `pbx tls ${n + 1}`),
            versions: setup.pbx.tls.versions,
            ...(setup.pbx.tls.suites ? { cipherSuites: setup.pbx.tls.suites } : {}),
            serverName: carrier.sbc.host,
            trustAnchors: credentials.pbxTrusts,
            verifyPeer: setup.pbx.tls.verifiesServer,
            ...(credentials.pbx ? { credentials: credentials.pbx } : {}),
            // The PBX believes it talks to the SBC; the narrator says who really answers.
            names: { self: 'PBX', peer: partyName(answerer) },
          }),
        ),
    );
    this.tls = new TlsOverTcp({
      run: this.run,
      conn,
      tls,
      self: 'pbx',
      peer: answerer,
      client: true,
      onConnected: () => this.ready(),
      onSip: (p, _bytes, via) => this.receive(p, via),
      onDone: () => {
        this.media.stop();
        // A connection the PBX gave up on is replaced; one that ended otherwise ends the PBX's day.
        if (this.tls?.conn === conn) this.stopUpkeep();
      },
    });
    this.channel = sipOverTls(this.tls);
  }

  /** The signalling path is up: register, or call straight away when the carrier knows the PBX by address. */
  private async ready(): Promise<void> {
    this.scheduleKeepalive();
    if (this.run.carrier.auth === 'registration' && this.run.setup.pbx.registers !== false) await this.register();
    else if (this.waitsForCalls) return;
    else await this.channel!.send(this.agent.invite(this.dialled));
  }

  /** The number it calls, as its dial plan writes it. */
  private get dialled(): string {
    return this.run.setup.pbx.dialling === 'national' ? DIALLED_NATIONAL : DIALLED_NUMBER;
  }

  private get waitsForCalls(): boolean {
    return this.run.setup.pbx.calls === 'incoming';
  }

  /** Sends a REGISTER and, when the setup has the PBX keep its registration up, starts Timer F for it. */
  private async register(): Promise<void> {
    const expires = this.run.setup.pbx.registerExpires;
    await this.channel!.send(this.agent.register(expires ?? 3600));
    this.startTimerF();
  }

  private startTimerF(): void {
    if (this.run.setup.pbx.registerExpires === undefined) return;
    this.timerF?.cancel();
    this.timerF = this.run.net.network.after(TIMER_F_MS, 'PBX Timer F', () => this.connectionDead());
  }

  /**
   * No answer to a REGISTER within Timer F: the connection is dead, whatever
   * TCP still believes. The PBX drops it (its RST goes nowhere the SBC can
   * see) and registers again over a new connection (RFC 5626 §4.4).
   */
  private connectionDead(): void {
    const old = this.tls!;
    this.note(undefined, {
      kind: 'note',
      party: 'pbx',
      text: `No answer to the REGISTER after ${TIMER_F_MS / 1000} s (Timer F, RFC 3261 §17.1.2.2): the PBX gives up this connection and registers again over a new one.`,
    });
    this.keepaliveTimer?.cancel();
    this.tls = undefined;
    old.conn.abort();
    const { carrier } = this.run;
    this.connectTls({ ip: carrier.sbc.ip, port: this.sbcPort });
  }

  /** Refreshes the registration halfway through its life (RFC 3261 §10.2.4 leaves the moment to the client). */
  private scheduleRefresh(expires: number): void {
    if (this.run.setup.pbx.registerExpires === undefined) return;
    this.refreshTimer?.cancel();
    this.refreshTimer = this.run.net.network.after((expires * 1000) / 2, 'PBX registration refresh', () =>
      this.register(),
    );
  }

  /** A CRLF keepalive ping on the connection every so often (RFC 5626 §4.4.1), if the setup has them. */
  private scheduleKeepalive(): void {
    const every = this.run.setup.pbx.keepaliveSeconds;
    if (every === undefined || !this.tls) return;
    const tls = this.tls;
    this.keepaliveTimer?.cancel();
    this.keepaliveTimer = this.run.net.network.after(every * 1000, 'PBX keepalive', async () => {
      if (this.tls !== tls || !tls.connected) return;
      await tls.sendKeepalive('ping');
      this.scheduleKeepalive();
    });
  }

  private stopUpkeep(): void {
    this.refreshTimer?.cancel();
    this.timerF?.cancel();
    this.keepaliveTimer?.cancel();
  }

  private async receive(p: ParsedSipMessage, via: number | undefined): Promise<void> {
    let answer;
    try {
      answer = this.agent.receive(p);
    } catch (e) {
      // A message whose parts do not parse (an SDP altered on the way): a user agent drops it.
      if (!isSipParseError(e)) throw e;
      this.note(via, { kind: 'note', party: 'pbx', text: `The PBX drops a message it cannot read: ${e.message}.` });
      return;
    }
    const { send, events } = answer;
    for (const m of send) await this.channel!.send(m);
    for (const e of events) await this.react(e, p, via);
  }

  private note(via: number | undefined, ...events: StateEvent[]): void {
    const at = via ?? this.run.lastRecord();
    if (at !== undefined) this.run.ledger.note(at).events.push(...events);
  }

  private async react(e: PbxEvent, p: ParsedSipMessage, via: number | undefined): Promise<void> {
    const { verdicts } = this.run;
    const say = (text: string) => this.note(via, { kind: 'note', party: 'pbx', text });
    switch (e.kind) {
      case 'challenged':
        say(
          `The SBC asks for credentials (realm ${e.realm}, ${e.algorithm}): the PBX answers with a digest of its password and the SBC's nonce, never the password itself.`,
        );
        // The answer is a new REGISTER transaction, with its own Timer F.
        this.startTimerF();
        return;
      case 'registered':
        this.timerF?.cancel();
        verdicts.registered = true;
        say(`Registered for ${e.expires} s: the SBC now routes this account's calls to this connection.`);
        this.scheduleRefresh(e.expires);
        if (!this.waitsForCalls) await this.channel!.send(this.agent.invite(this.dialled));
        return;
      case 'incoming-call':
        verdicts.answered = true;
        this.answeredIncoming(e.agreement, e.remote, via);
        return;
      case 'incoming-call-refused':
        say(`The PBX refuses a call from the SBC with ${e.status}: ${e.detail}.`);
        return;
      case 'registration-failed': {
        this.timerF?.cancel();
        const supported = this.run.setup.pbx.digestAlgorithms ?? ['SHA-256', 'MD5'];
        const summary = e.unsupported
          ? `The SBC challenged with ${e.unsupported.join(' and ')} only, and the PBX computes ${supported.join(' and ')} only: it cannot answer the ${e.status} ${e.reason}, so it never registers.`
          : `The SBC refused the registration with ${e.status} ${e.reason}: the credentials the PBX answered the challenge with are wrong.`;
        say(
          e.unsupported
            ? `Registration failed: no challenge uses an algorithm the PBX supports (${supported.join(', ')}).`
            : `Registration failed: ${e.status} ${e.reason}.`,
        );
        if (e.unsupported && via !== undefined) {
          this.run.ledger.fail(
            via,
            `${e.status} ${e.reason}: no challenge with a digest algorithm the PBX supports (${supported.join(', ')})`,
          );
        }
        // A PBX that cannot answer the challenge gives up (it decided); a wrong password is the SBC's refusal.
        verdicts.refuse({
          party: e.unsupported ? 'pbx' : 'sbc',
          stage: 'sip',
          reason: String(e.status),
          summary,
          at: this.run.nowMs(),
        });
        await this.channel!.close();
        return;
      }
      case 'ringing':
        say('The called party is ringing.');
        return;
      case 'answered':
        verdicts.answered = true;
        this.answered(e.agreement, p, via);
        return;
      case 'call-failed': {
        const sdp = e.status === 488;
        say(`The call failed: ${e.status} ${e.reason}${e.detail ? ` (${e.detail})` : ''}.`);
        // A Warning's text, without its code and host (RFC 3261 §20.43): why the SBC refused.
        const why = e.detail ? ` — ${e.detail.replace(/^\d{3} \S+ /, '').replace(/^"|"$/g, '')}` : '';
        verdicts.refuse({
          // The SBC's answer refused: it decided, the PBX reports it.
          party: 'sbc',
          stage: sdp ? 'sdp' : 'sip',
          reason: String(e.status),
          summary: sdp
            ? `The SBC refused the call with ${e.status} ${e.reason}: no media offer it accepts${why}.`
            : `The call failed with ${e.status} ${e.reason}${why}.`,
          at: this.run.nowMs(),
        });
        await this.channel!.close();
        return;
      }
      case 'call-ended':
        verdicts.ended = true;
        this.media.stop();
        if (e.by === 'sbc') {
          say('The SBC hung up: the PBX confirms the BYE and stops its media.');
        } else {
          say('The SBC confirmed the BYE: the call is over.');
        }
        // A PBX that waits for calls keeps its connection, and its registration, up.
        if (!this.waitsForCalls) await this.channel!.close();
        return;
      case 'reanswered':
        this.rekeyed(e.agreement, via);
        return;
      case 'reinvite-failed':
        say(`The re-INVITE failed with ${e.status} ${e.reason}: the call goes on with the media it had.`);
        return;
      case 'cancelled':
        return;
      case 'ignored':
        say(`Ignored: ${e.why}.`);
        return;
      case 'keepalive-ok':
        return;
    }
  }

  /** A call from the SBC, answered: the PBX holds the keys and talks to where the SBC's offer said. */
  private answeredIncoming(agreement: SrtpAgreement | undefined, remote: Endpoint, via: number | undefined): void {
    const events: StateEvent[] = [
      {
        kind: 'note',
        party: 'pbx',
        text: 'A call from the SBC: the PBX rings, answers, and starts its side of the audio.',
      },
    ];
    if (agreement) {
      // Here the SBC made the offer: its key protects what it sends, the PBX's answer key what the PBX sends.
      const send = new SrtpContext(agreement.suite, agreement.answerer.masterKey, agreement.answerer.masterSalt);
      const receive = new SrtpContext(agreement.suite, agreement.offerer.masterKey, agreement.offerer.masterSalt);
      this.media.useKeys({ send, receive });
      events.push(...send.keyEvents('pbx', 'PBX → SBC'), ...receive.keyEvents('pbx', 'SBC → PBX'));
    }
    this.note(via, ...events);
    // Its audio starts as its 200 OK leaves: the next moment, after the ringing and the answer are on their way.
    this.run.net.network.after(1, 'PBX answers', () => this.media.start(remote, this.run.audioMs));
  }

  /** The answer to the re-INVITE: from now on the PBX sends and receives with the new keys. */
  private rekeyed(agreement: SrtpAgreement | undefined, via: number | undefined): void {
    if (!agreement || !this.media.secure) return;
    const send = new SrtpContext(agreement.suite, agreement.offerer.masterKey, agreement.offerer.masterSalt);
    const receive = new SrtpContext(agreement.suite, agreement.answerer.masterKey, agreement.answerer.masterSalt);
    this.media.rekey({ send, receive });
    this.note(
      via,
      {
        kind: 'note',
        party: 'pbx',
        text: 'The re-INVITE is answered: from the next packet on, the PBX encrypts its audio with the key of its new offer and decrypts the SBC’s with the key of the new answer.',
      },
      ...sdesKeyEvents('pbx', agreement),
      ...send.keyEvents('pbx', 'PBX → SBC'),
      ...receive.keyEvents('pbx', 'SBC → PBX'),
    );
  }

  /** 200 OK with an answer: hold the keys, send media to where the answer says, and hang up after the talk. */
  private answered(agreement: SrtpAgreement | undefined, p: ParsedSipMessage, via: number | undefined): void {
    const events: StateEvent[] = [];
    if (agreement) {
      const send = new SrtpContext(agreement.suite, agreement.offerer.masterKey, agreement.offerer.masterSalt);
      const receive = new SrtpContext(agreement.suite, agreement.answerer.masterKey, agreement.answerer.masterSalt);
      this.media.useKeys({ send, receive });
      events.push(
        ...sdesKeyEvents('pbx', agreement),
        ...send.keyEvents('pbx', 'PBX → SBC'),
        ...receive.keyEvents('pbx', 'SBC → PBX'),
      );
    }
    this.note(via, ...events);
    const answer = parseSdp(p.message.body).sdp;
    const audio = answer.media.find((m) => m.media === 'audio' && m.port !== 0)!;
    const remote = { ip: mediaConnection(answer, audio)!.address, port: audio.port };
    const { net } = this.run;
    this.media.start(remote, this.run.audioMs);
    const rekeyAfter = this.run.setup.pbx.rekeyAfterMs;
    if (rekeyAfter !== undefined) {
      net.network.after(rekeyAfter, 'PBX re-INVITE', async () => {
        const reinvite = this.agent.reinvite();
        if (reinvite) await this.channel!.send(reinvite);
      });
    }
    // The PBX's user hangs up when the phrase has been said.
    net.network.after(this.run.audioMs + 40, 'PBX hangs up', async () => {
      this.media.stop();
      const bye = this.agent.bye();
      if (bye) await this.channel!.send(bye);
    });
  }
}

/** A password with its first letter's case changed: the commonest way a typed password goes wrong. */
function mistyped(password: string): string {
  const first = password[0];
  const swapped = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
  return swapped === first ? `${password}1` : swapped + password.slice(1);
}
