/**
 * The carrier's SBC in a run: SIP over TLS on its TLS port (RFC 3261 §26.2)
 * with the carrier's versions, suites and client-certificate rule, and plain
 * SIP over UDP and TCP on its plain port (§18). Requests go to the SBC's SIP
 * server (sip/sbc-server.ts): the registrar, the SDP answer with its own
 * SDES key (RFC 4568 §7.1.2), the dialog. Once the PBX acknowledges the
 * answer, the SBC's side of the call talks back over SRTP.
 *
 * It also logs what a careful SBC notices in each request it reads (the
 * findings of sip/lint.ts: a private Contact, keys over a plain transport),
 * as notes on the packet.
 *
 * Calls towards the customer (a caller from the telephone network) go to the
 * PBX over the TLS connection its registration came in on (RFC 5626 §5.3),
 * from the SBC's caller (sip/sbc-caller.ts); an INVITE that gets no answer
 * at all fails after Timer B (RFC 3261 §17.1.1.2). CRLF keepalive pings on
 * a connection get their pong (RFC 5626 §4.4.1). Once its last scheduled call
 * is over, the SBC closes the PBX's connection: the run is over.
 */
import type { Party, StateEvent } from '../timeline';
import type { Endpoint } from '../net/address';
import type { TcpConnection } from '../net/tcp-connection';
import { TlsServer, tlsConfig } from '../tls';
import type { CipherSuiteName } from '../tls/cipher-suites';
import type { ParsedSipMessage } from '../sip/parse';
import type { SipMessage } from '../sip/message';
import { SbcServer, type SbcEvent } from '../sip/sbc-server';
import type { SipTransport } from '../sip/pbx-agent';
import { mediaConnection, parseSdp } from '../sip/sdp';
import { sdesKeyEvents } from '../sip/sdes-key-events';
import { lintSipMessage } from '../sip/lint';
import { isSipParseError } from '../sip/syntax-error';
import { SrtpContext } from '../rtp/srtp-context';
import { SbcCaller, TIMER_B_MS } from '../sip/sbc-caller';
import { MediaSession } from './media-session';
import { SipOverTcp, receiveSipDatagram, sendSipDatagram } from './sip-channel';
import { TlsOverTcp } from './tls-over-tcp';
import type { TrunkRun } from './trunk-run';
import { partyName } from './verdicts';

export class SbcSide {
  readonly media: MediaSession;
  private readonly servers = new Map<SipTransport, SbcServer>();
  /** Where the PBX's offer said to send media. */
  private remote?: Endpoint;
  /** What the SBC has logged about the requests it read. */
  private readonly logged = new Set<string>();
  /** The TLS connection the PBX's registration came in on, and the Contact it registered. */
  private flow?: { session: TlsOverTcp; contact: string };
  /** The call towards the PBX under way, if any. */
  private caller?: SbcCaller;
  private callsLeft: number;
  private calls = 0;

  constructor(private readonly run: TrunkRun) {
    const { net, carrier } = run;
    this.media = new MediaSession(run, 'sbc', 'pbx', net.sbc, carrier.sbc.rtpPort);
    net.sbc.listen(carrier.sbc.tlsPort, (conn) => this.acceptTls(conn));
    net.sbc.listen(carrier.sbc.plainPort, (conn) => this.acceptTcp(conn));
    const scheduled = run.setup.sbc.incomingCallsAtMs ?? [];
    this.callsLeft = scheduled.length;
    for (const at of scheduled) net.network.after(at, 'a call for the customer', () => this.callCustomer());
    const udp = net.sbc.bindUdp(carrier.sbc.plainPort);
    udp.onMessage = (payload, from, record) => {
      const parsed = receiveSipDatagram(run, 'sbc', payload, record);
      if (!parsed) return;
      return this.request('UDP', parsed, payload, from, record.index, async (m) => {
        sendSipDatagram(run, udp, from, m, 'sbc');
      });
    };
  }

  private server(transport: SipTransport): SbcServer {
    let s = this.servers.get(transport);
    if (!s) {
      const { carrier } = this.run;
      s = new SbcServer(
        {
          carrier,
          transport,
          port: transport === 'TLS' ? carrier.sbc.tlsPort : carrier.sbc.plainPort,
          callee: 'answer',
          route: routeE164,
          ...(this.run.setup.sbc.digestAlgorithms ? { digestAlgorithms: this.run.setup.sbc.digestAlgorithms } : {}),
        },
        this.run.random.fork(`sbc sip ${transport}`),
        this.run.clock,
      );
      this.servers.set(transport, s);
    }
    return s;
  }

  private peerOf(conn: TcpConnection): Party {
    return conn.remote.ip === this.run.carrier.attackerIp ? 'attacker' : 'pbx';
  }

  private acceptTls(conn: TcpConnection): void {
    const { carrier, clock, random } = this.run;
    const tls = this.run.credentials.then(
      (credentials) =>
        new TlsServer(
          tlsConfig({
            clock,
            random: random.fork(`sbc tls ${conn.remote.ip}:${conn.remote.port}`),
            versions: carrier.tls.versions,
            cipherSuites: [...carrier.tls.tls13Suites, ...carrier.tls.tls12Suites] as CipherSuiteName[],
            credentials: credentials.sbc,
            trustAnchors: credentials.cast.anchors,
            ...(credentials.sbcCrls ? { crls: credentials.sbcCrls } : {}),
            requestClientCertificate: true,
            requireClientCertificate: carrier.tls.requireClientCertificate,
            // The SBC cannot tell who connected; the run's narration can (an attacker relaying, say).
            names: { self: 'SBC', peer: partyName(this.peerOf(conn)) },
          }),
        ),
    );
    const session: TlsOverTcp = new TlsOverTcp({
      run: this.run,
      conn,
      tls,
      self: 'sbc',
      peer: this.peerOf(conn),
      onSip: (p, bytes, via) =>
        p.message.kind === 'response'
          ? this.callProgress(p, via)
          : this.request('TLS', p, bytes, conn.remote, via, (m) => session.sendSip(m), session),
      onKeepalive: (kind) => (kind === 'ping' ? session.sendKeepalive('pong') : undefined),
      onDone: () => {
        if (this.flow?.session === session) this.flow = undefined;
      },
    });
  }

  private acceptTcp(conn: TcpConnection): void {
    const channel: SipOverTcp = new SipOverTcp(this.run, conn, 'sbc', (p, bytes, via) =>
      this.request('TCP', p, bytes, conn.remote, via, (m) => channel.send(m)),
    );
  }

  private async request(
    transport: SipTransport,
    p: ParsedSipMessage,
    bytes: Uint8Array,
    source: Endpoint,
    via: number | undefined,
    reply: (m: SipMessage) => Promise<void>,
    session?: TlsOverTcp,
  ): Promise<void> {
    const events: StateEvent[] = [];
    if (p.message.kind === 'request') {
      for (const f of lintSipMessage(p, bytes, this.run.carrier)) {
        // Each finding once: the first request that shows it.
        const text = `SBC log (${f.severity}): ${f.message} (${f.spec})`;
        if (this.logged.has(text)) continue;
        this.logged.add(text);
        events.push({ kind: 'note', party: 'sbc', text });
      }
    }
    let answer;
    try {
      answer = this.server(transport).receive(p, source);
    } catch (e) {
      // A request whose parts do not parse (altered on the way): dropped, as a server drops it.
      if (!isSipParseError(e)) throw e;
      events.push({ kind: 'note', party: 'sbc', text: `The SBC drops a request it cannot read: ${e.message}.` });
      if (via !== undefined) this.run.ledger.note(via).events.push(...events);
      return;
    }
    const { send, events: decided } = answer;
    for (const e of decided) events.push(...this.react(e, p));
    // A registration over TLS makes its connection the way to the PBX (RFC 5626 §5.3).
    if (session && decided.some((e) => e.kind === 'registrar' && e.verdict === 'registered')) {
      const contact = p.headers.find((h) => h.canonical === 'Contact');
      if (contact) this.flow = { session, contact: contact.header.value };
    }
    if (via !== undefined) this.run.ledger.note(via).events.push(...events);
    for (const m of send) {
      try {
        await reply(m);
      } catch (e) {
        // A response copies the request's From, To, Call-ID and CSeq (RFC 3261 §8.2.6.2): a request
        // altered so that one is missing gets an answer that is not valid SIP, which is never sent.
        if (!isSipParseError(e)) throw e;
        if (via !== undefined) {
          this.run.ledger.note(via).events.push({
            kind: 'note',
            party: 'sbc',
            text: `The SBC cannot build a valid answer (${e.message}), so it answers nothing.`,
          });
        }
      }
    }
  }

  /** A caller dials the customer: the SBC offers the call to the PBX over its registered connection. */
  private async callCustomer(): Promise<void> {
    const { run } = this;
    const n = ++this.calls;
    const at = run.lastRecord();
    const say = (text: string) =>
      at !== undefined && run.ledger.note(at).events.push({ kind: 'note', party: 'sbc', text });
    if (!this.flow || !this.flow.session.connected) {
      say(
        'A call for the customer, but no registration to send it to: the SBC refuses it with 480 Temporarily Unavailable.',
      );
      run.verdicts.refuse({
        party: 'sbc',
        stage: 'sip',
        reason: '480',
        summary: 'A call came for the customer while the PBX was not registered: the SBC had nowhere to send it.',
        at: run.nowMs(),
      });
      this.callDone();
      return;
    }
    const caller = new SbcCaller(run.carrier, run.carrier.sbc.tlsPort, run.random.fork(`sbc call ${n}`));
    this.caller = caller;
    const invite = caller.call(this.flow.contact, CALLER_NUMBER);
    await this.flow.session.sendSip(invite);
    const sent = run.lastRecord();
    if (sent !== undefined) {
      run.ledger.note(sent).events.push({
        kind: 'note',
        party: 'sbc',
        text: `${CALLER_NUMBER} calls the customer: the SBC sends the INVITE to the PBX over the connection its registration came in on.`,
      });
    }
    run.net.network.after(TIMER_B_MS, 'SBC Timer B', () => {
      if (this.caller !== caller || caller.dialog) return;
      this.caller = undefined;
      run.verdicts.refuse({
        party: 'sbc',
        stage: 'sip',
        reason: '408',
        summary: `The SBC’s INVITE for the customer got no answer at all within Timer B (${TIMER_B_MS / 1000} s, RFC 3261 §17.1.1.2): the PBX never received it, and the caller heard the call fail.`,
        at: run.nowMs(),
      });
      const last = run.lastRecord();
      if (last !== undefined) {
        run.ledger.note(last).events.push({
          kind: 'note',
          party: 'sbc',
          text: `No answer from the PBX after ${TIMER_B_MS / 1000} s (Timer B): the SBC gives the call up (408 Request Timeout to the caller).`,
        });
      }
      this.callDone();
    });
  }

  /** A response from the PBX to the SBC's call. */
  private async callProgress(p: ParsedSipMessage, via: number | undefined): Promise<void> {
    const caller = this.caller;
    const flow = this.flow;
    if (!caller || !flow) return;
    const { send, events } = caller.receive(p);
    for (const m of send) await flow.session.sendSip(m);
    const { run } = this;
    const say = (text: string) =>
      via !== undefined && run.ledger.note(via).events.push({ kind: 'note', party: 'sbc', text });
    for (const e of events) {
      switch (e.kind) {
        case 'ringing':
          say('The customer’s phone is ringing: the SBC plays ringback to the caller.');
          break;
        case 'answered': {
          say('The customer answered: the SBC acknowledges and starts its side of the audio.');
          const answer = parseSdp(p.message.body).sdp;
          const audio = answer.media.find((m) => m.media === 'audio' && m.port !== 0)!;
          const a = e.agreement;
          if (a) {
            // The SBC made the offer: its key protects what it sends.
            this.media.useKeys({
              send: new SrtpContext(a.suite, a.offerer.masterKey, a.offerer.masterSalt),
              receive: new SrtpContext(a.suite, a.answerer.masterKey, a.answerer.masterSalt),
            });
          }
          this.media.start({ ip: mediaConnection(answer, audio)!.address, port: audio.port }, run.audioMs);
          run.net.network.after(run.audioMs + 40, 'the caller hangs up', async () => {
            this.media.stop();
            const bye = caller.bye();
            if (bye && this.flow) await this.flow.session.sendSip(bye);
          });
          break;
        }
        case 'call-failed':
          this.caller = undefined;
          run.verdicts.refuse({
            party: 'sbc',
            stage: 'sip',
            reason: String(e.status),
            summary: `The PBX refused the call from the SBC with ${e.status} ${e.reason}.`,
            at: run.nowMs(),
          });
          this.callDone();
          break;
        case 'call-ended':
          this.caller = undefined;
          run.verdicts.ended = true;
          say('The PBX confirmed the BYE: the call is over.');
          this.callDone();
          break;
      }
    }
  }

  /** One scheduled call less; after the last, the SBC closes the PBX's connection. */
  private callDone(): void {
    if (--this.callsLeft > 0) return;
    const flow = this.flow;
    if (flow) this.run.net.network.after(0, 'SBC closes the connection', () => flow.session.close());
  }

  private react(e: SbcEvent, p: ParsedSipMessage): StateEvent[] {
    const say = (text: string): StateEvent => ({ kind: 'note', party: 'sbc', text });
    switch (e.kind) {
      case 'registrar':
        return [say(REGISTRAR_WORDS[e.verdict] ?? `Registrar: ${e.verdict}.`)];
      case 'rejected':
        return [say(`Rejected with ${e.status}: ${e.detail}.`)];
      case 'call-refused':
        return [say(`Refused the call with ${e.status}: ${e.detail}.`)];
      case 'media-agreed': {
        const offer = parseSdp(p.message.body).sdp;
        const audio = offer.media.find((m) => m.media === 'audio' && m.port !== 0)!;
        this.remote = { ip: mediaConnection(offer, audio)!.address, port: audio.port };
        const a = e.agreement;
        if (!a) {
          this.media.useKeys(undefined);
          return [say('Agreed plain RTP (RTP/AVP): the audio will travel unencrypted.')];
        }
        const send = new SrtpContext(a.suite, a.answerer.masterKey, a.answerer.masterSalt);
        const receive = new SrtpContext(a.suite, a.offerer.masterKey, a.offerer.masterSalt);
        this.media.useKeys({ send, receive });
        return [
          say(`Chose ${a.suite} (tag ${a.tag}) from the offer and answered with its own key.`),
          ...sdesKeyEvents('sbc', a),
          ...send.keyEvents('sbc', 'SBC → PBX'),
          ...receive.keyEvents('sbc', 'PBX → SBC'),
        ];
      }
      case 'media-updated': {
        const a = e.agreement;
        if (!a || !this.media.secure) return [say('A re-INVITE: the SBC answers it with the same media.')];
        const send = new SrtpContext(a.suite, a.answerer.masterKey, a.answerer.masterSalt);
        const receive = new SrtpContext(a.suite, a.offerer.masterKey, a.offerer.masterSalt);
        const keepOld = this.run.setup.sbc.keepsOldKeyOnRekey === true;
        this.media.rekey({ send, receive }, { keepReceiving: keepOld });
        return [
          say(
            keepOld
              ? 'A re-INVITE with new keys: the SBC answers with a new key of its own and encrypts with it, but its media engine goes on decrypting the PBX’s audio with the PBX’s old key.'
              : 'A re-INVITE with new keys: the SBC answers with a new key of its own, encrypts with it, and decrypts the PBX’s audio with the PBX’s new key (the old one still opens what was already on its way).',
          ),
          ...sdesKeyEvents('sbc', a),
          ...send.keyEvents('sbc', 'SBC → PBX'),
          ...(keepOld ? [] : receive.keyEvents('sbc', 'PBX → SBC')),
        ];
      }
      case 'call-established':
        if (this.remote) this.media.start(this.remote, this.run.audioMs);
        return [say('The ACK confirms the call: the SBC starts sending its side of the audio.')];
      case 'call-ended':
        this.media.stop();
        return [say('BYE: the SBC stops its media and confirms with 200 OK.')];
      case 'call-cancelled':
        return [say('The call was cancelled before it was answered.')];
      case 'retransmission':
        return [say('A retransmission: the SBC sends its last response again.')];
    }
  }
}

/**
 * The carrier's routing: it takes called numbers in E.164 only, `+`, the country code and at most
 * 15 digits (ITU-T E.164 §6), as carriers ask of trunks; a national number is ambiguous to it.
 */
function routeE164(called: string): string | undefined {
  return /^\+[1-9]\d{1,14}$/.test(called)
    ? undefined
    : `no route to ${called}: called numbers must be in E.164 form, + and the country code`;
}

/** The caller from the telephone network, in the calls the SBC offers the customer: a fictional number (555-01xx). */
const CALLER_NUMBER = '+15555550187';

const REGISTRAR_WORDS: Record<string, string> = {
  challenged: 'No credentials yet: the SBC challenges with a fresh nonce (401).',
  registered: 'The digest matches the account password: registered.',
  wrong_credentials: 'The digest does not match the account password.',
  unknown_user: 'No such trunk account.',
  forbidden: 'Too many wrong answers on this registration: 403 Forbidden.',
  stale_nonce: 'The nonce has expired: a new challenge.',
  untrusted_address: 'The source address is not one the carrier trusts.',
  bad_request: 'The REGISTER is malformed.',
};
