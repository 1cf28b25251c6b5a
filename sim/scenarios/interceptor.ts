/**
 * The attacker in the middle of the TLS connection: its host answers for the
 * SBC's address on the TLS port (net/attacker.ts `interceptTcp`), so the
 * PBX's TCP connection ends at the attacker, which runs the engine's own TLS
 * server with the certificate of its choosing. It asks for a client
 * certificate as the SBC would, and checks nothing.
 *
 * If the PBX accepts it (a PBX that does not check certificates), the
 * attacker opens its own TLS connection to the real SBC and relays the SIP
 * both ways, reading everything, SDES keys included, which its tap then
 * uses to decrypt the SRTP that passes it (tap.ts: lenses share a memory).
 * It cannot present the PBX's certificate without the PBX's private key, so
 * an SBC that requires client certificates refuses the relay
 * (certificate_required, RFC 8446 §4.4.2.4). The attacker then poses as the
 * SBC (impostor-sbc.ts): it answers the requests the SBC never answered,
 * and every later one, itself.
 */
import type { Encoded } from '../net/ipv4';
import type { TcpConnection } from '../net/tcp-connection';
import { mediaNoteKey, type MediaNote } from '../net/media-note';
import { TlsClient, TlsServer, tlsConfig } from '../tls';
import type { CipherSuiteName } from '../tls/cipher-suites';
import { SipStreamFramer } from '../sip/stream';
import { isSipParseError } from '../sip/syntax-error';
import { sipSummary, type SipMessage } from '../sip/message';
import { attributes, mediaConnection, parseSdp } from '../sip/sdp';
import { parseCryptoAttribute } from '../sip/sdes';
import { isSrtpSuiteName } from '../rtp/srtp-suite';
import type { ParsedSipMessage } from '../sip/parse';
import { viaBranch, type Via } from '../sip/via';
import { TlsOverTcp } from './tls-over-tcp';
import { ImpostorSbc } from './impostor-sbc';
import type { TrunkRun } from './trunk-run';

export function installInterceptor(run: TrunkRun): void {
  const { net, carrier } = run;
  const sbc = { ip: carrier.sbc.ip, port: carrier.sbc.tlsPort };
  net.attacker.interceptTcp(sbc, (conn) => relay(run, conn));
}

/** Frames SIP out of a relayed stream: each message is forwarded with its field tree. */
function framed(framer: SipStreamFramer, data: Uint8Array): Array<{ parsed: ParsedSipMessage; encoded: Encoded }> {
  try {
    return framer
      .push(data)
      .filter((f) => f.kind === 'message')
      .map((f) => ({ parsed: f.parsed, encoded: { bytes: f.bytes, fields: f.parsed.fields } }));
  } catch (e) {
    if (!isSipParseError(e)) throw e;
    return [];
  }
}

function relay(run: TrunkRun, victimConn: TcpConnection): void {
  const { net, carrier, clock, random } = run;
  const suites = [...carrier.tls.tls13Suites, ...carrier.tls.tls12Suites] as CipherSuiteName[];
  const asSbc = run.credentials.then(
    (credentials) =>
      new TlsServer(
        tlsConfig({
          clock,
          random: random.fork('attacker tls server'),
          versions: carrier.tls.versions,
          cipherSuites: suites,
          credentials: credentials.attacker!,
          requestClientCertificate: true,
          verifyPeer: false,
          names: { self: 'attacker', peer: 'PBX' },
        }),
      ),
  );
  const fromPbx = new SipStreamFramer();
  const fromSbc = new SipStreamFramer();
  const backlog: Array<{ parsed: ParsedSipMessage; encoded: Encoded }> = [];
  // Requests relayed to the SBC that it has not answered yet, by their Via branch.
  const unanswered = new Map<string, ParsedSipMessage>();
  let upstream: TlsOverTcp | undefined;
  let impostor: ImpostorSbc | undefined;

  /** The attacker answers a request from the PBX itself, and notes what it learned. */
  const pose = async (p: ParsedSipMessage, via: number | undefined) => {
    const answer = impostor!.receive(p);
    if (answer.learned && via !== undefined) {
      run.ledger.note(via).events.push({
        kind: 'note',
        party: 'attacker',
        text: `Posing as the SBC, the attacker keeps ${answer.learned}.`,
      });
    }
    for (const r of answer.send) await victim.sendSip(r);
  };

  const victim: TlsOverTcp = new TlsOverTcp({
    run,
    conn: victimConn,
    tls: asSbc,
    self: 'attacker',
    peer: 'pbx',
    onConnected: () => {
      upstream = openUpstream();
    },
    onApplicationData: async (data, via) => {
      for (const m of framed(fromPbx, data)) {
        learn(run, m.parsed, via, impostor ? 'answers itself' : 'relays');
        if (impostor) await pose(m.parsed, via);
        else if (upstream?.connected) await relayUp(m);
        else backlog.push(m);
      }
    },
    onDone: () => upstream?.close(),
  });

  async function relayUp(m: { parsed: ParsedSipMessage; encoded: Encoded }): Promise<void> {
    const branch = topBranch(m.parsed);
    if (m.parsed.message.kind === 'request' && m.parsed.message.method !== 'ACK' && branch) {
      unanswered.set(branch, m.parsed);
    }
    await upstream!.sendApplication(m.encoded, m.parsed.message as SipMessage);
  }

  /**
   * The SBC refused the relay: if the PBX still talks to the attacker, the
   * attacker answers what the SBC left unanswered, and from now on everything.
   */
  async function relayRefused(): Promise<void> {
    if (!victim.connected) return;
    impostor = new ImpostorSbc(random.fork('attacker impostor sbc'));
    const at = run.lastRecord();
    if (at !== undefined) {
      run.ledger.note(at).events.push({
        kind: 'note',
        party: 'attacker',
        text: 'The SBC will not take the attacker’s connection, but the PBX still trusts the attacker’s: it stops relaying and answers the PBX itself, as if it were the SBC.',
      });
    }
    const waiting = [...unanswered.values(), ...backlog.splice(0).map((m) => m.parsed)];
    unanswered.clear();
    for (const p of waiting) await pose(p, undefined);
  }

  function openUpstream(): TlsOverTcp {
    const conn = net.attacker.connect({ ip: carrier.sbc.ip, port: carrier.sbc.tlsPort }, { streamName: 'TLS records' });
    const client = new TlsClient(
      tlsConfig({
        clock,
        random: random.fork('attacker tls client'),
        versions: carrier.tls.versions,
        serverName: carrier.sbc.host,
        verifyPeer: false,
        names: { self: 'attacker', peer: 'SBC' },
      }),
    );
    const session: TlsOverTcp = new TlsOverTcp({
      run,
      conn,
      tls: client,
      self: 'attacker',
      peer: 'sbc',
      client: true,
      onConnected: async () => {
        for (const m of backlog.splice(0)) await relayUp(m);
      },
      onApplicationData: async (data, via) => {
        for (const m of framed(fromSbc, data)) {
          learn(run, m.parsed, via, 'relays');
          const branch = topBranch(m.parsed);
          if (m.parsed.message.kind === 'response' && m.parsed.message.status >= 200 && branch)
            unanswered.delete(branch);
          await victim.sendApplication(m.encoded, m.parsed.message as SipMessage);
        }
      },
      // A session that ends refused (an alert from the SBC) leaves the PBX to the impostor; one that closes, closes both.
      onDone: () => (session.tls?.state === 'failed' ? relayRefused() : victim.close()),
    });
    return session;
  }
}

/** The branch of a message's top Via, which ties a response to its request (RFC 3261 §17.1.3). */
function topBranch(p: ParsedSipMessage): string | undefined {
  const via = p.headers.find((h) => h.canonical === 'Via')?.parsed as Via[] | undefined;
  return via?.[0] ? viaBranch(via[0]) : undefined;
}

/**
 * What the attacker learns from a SIP message it decrypted: it is noted on
 * the packet, and SDES keys go into its tap's memory, filed under the media
 * address they protect (net/media-note.ts), so the tap decrypts that SRTP.
 */
function learn(run: TrunkRun, p: ParsedSipMessage, via: number | undefined, then: 'relays' | 'answers itself'): void {
  const m = p.message;
  const summary = sipSummary(m);
  const learned: string[] = [];
  if (m.body.length > 0) {
    try {
      const sdp = parseSdp(m.body).sdp;
      for (const media of sdp.media) {
        const c = mediaConnection(sdp, media);
        if (!c) continue;
        const note: MediaNote = {
          proto: media.proto,
          keys: [],
          learnedFrom: `${summary} it ${then === 'relays' ? 'relayed' : 'answered'}`,
        };
        for (const value of attributes(media.lines, 'crypto')) {
          const crypto = parseCryptoAttribute(value);
          if ('error' in crypto || !isSrtpSuiteName(crypto.suite) || !crypto.keys[0]) continue;
          note.keys.push({ suite: crypto.suite, keySalt: crypto.keys[0].keySalt });
          learned.push(`the ${crypto.suite} key for media from ${c.address}:${media.port}`);
        }
        run.net.tap.notes.set(mediaNoteKey({ ip: c.address, port: media.port }), note);
      }
    } catch (e) {
      if (!isSipParseError(e)) throw e;
    }
  }
  if (via === undefined) return;
  run.ledger.note(via).events.push({
    kind: 'note',
    party: 'attacker',
    text: `The attacker decrypted the ${summary} and ${then === 'relays' ? 'relays it' : answered(m) ? 'answers it itself' : 'keeps it'}${learned.length ? `; it now holds ${learned.join(' and ')}` : ''}.`,
  });
}

/** Whether a message gets an answer of its own: a request other than ACK (RFC 3261 §17). */
function answered(m: SipMessage): boolean {
  return m.kind === 'request' && m.method !== 'ACK';
}
