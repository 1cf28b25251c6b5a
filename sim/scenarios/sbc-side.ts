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

  constructor(private readonly run: TrunkRun) {
    const { net, carrier } = run;
    this.media = new MediaSession(run, 'sbc', 'pbx', net.sbc, carrier.sbc.rtpPort);
    net.sbc.listen(carrier.sbc.tlsPort, (conn) => this.acceptTls(conn));
    net.sbc.listen(carrier.sbc.plainPort, (conn) => this.acceptTcp(conn));
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
            requestClientCertificate: true,
            requireClientCertificate: carrier.tls.requireClientCertificate,
            // Whoever connected: an attacker relaying the PBX's connection is not the PBX.
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
      onSip: (p, bytes, via) => this.request('TLS', p, bytes, conn.remote, via, (m) => session.sendSip(m)),
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
