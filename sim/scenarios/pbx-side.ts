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

/** The number the PBX calls: a fictional one (555-01xx). */
export const DIALLED_NUMBER = '+15555550123';
/** The PBX's RTP port (RTCP on the next one up). */
export const PBX_MEDIA_PORT = 16384;
/** The PBX's own SIP ports, as it writes them in Via and Contact. */
const PBX_SIP_PORT = { tls: 5061, udp: 5060 } as const;

export class PbxSide {
  readonly agent: PbxAgent;
  readonly media: MediaSession;
  /** The PBX's clock: the network's, or wrong by the setup's skew. */
  readonly clock: Clock;
  private channel?: SipChannel;
  private tls?: TlsOverTcp;

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
    const conn = net.pbx.connect(sbc, { streamName: 'TLS records' });
    // An intercepting attacker answers the connection in the SBC's place.
    const answerer: Party = setup.attacker.kind === 'intercept' ? 'attacker' : 'sbc';
    const tls = this.run.credentials.then(
      (credentials) =>
        new TlsClient(
          tlsConfig({
            clock: this.clock,
            random: this.run.random.fork('pbx tls'),
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
      onDone: () => this.media.stop(),
    });
    this.channel = sipOverTls(this.tls);
  }

  /** The signalling path is up: register, or call straight away when the carrier knows the PBX by address. */
  private async ready(): Promise<void> {
    if (this.run.carrier.auth === 'registration') await this.channel!.send(this.agent.register());
    else await this.channel!.send(this.agent.invite(DIALLED_NUMBER));
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
        return;
      case 'registered':
        verdicts.registered = true;
        say(`Registered for ${e.expires} s: the SBC now routes this account's calls to this connection.`);
        await this.channel!.send(this.agent.invite(DIALLED_NUMBER));
        return;
      case 'registration-failed':
        say(`Registration failed: ${e.status} ${e.reason}.`);
        verdicts.refuse({
          // The SBC's answer refused: it decided, the PBX reports it.
          party: 'sbc',
          stage: 'sip',
          reason: String(e.status),
          summary: `The SBC refused the registration with ${e.status} ${e.reason}: the credentials the PBX answered the challenge with are wrong.`,
          at: this.run.nowMs(),
        });
        await this.channel!.close();
        return;
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
        verdicts.refuse({
          // The SBC's answer refused: it decided, the PBX reports it.
          party: 'sbc',
          stage: sdp ? 'sdp' : 'sip',
          reason: String(e.status),
          summary: sdp
            ? `The SBC refused the call with ${e.status} ${e.reason}: no media offer it accepts${e.detail ? ` — ${e.detail.replace(/^305 \S+ /, '').replace(/^"|"$/g, '')}` : ''}.`
            : `The call failed with ${e.status} ${e.reason}.`,
          at: this.run.nowMs(),
        });
        await this.channel!.close();
        return;
      }
      case 'call-ended':
        verdicts.ended = true;
        say('The SBC confirmed the BYE: the call is over.');
        await this.channel!.close();
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
