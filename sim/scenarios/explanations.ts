/**
 * A step's explanation in plain words: what the packet is, why it is sent,
 * and what it means for the trunk's security, from what the packet carries
 * (its topics in the ledger), what the attacker did to it, and what became
 * of it. With the articles that explain it further.
 */
import type { ArticleLink, Party } from '../timeline';
import type { WirePacket } from '../net/wire-record';
import { TCP_FLAG } from '../net/tcp-segment';
import { headerValue, headerValues, type SipMessage } from '../sip/message';
import { parseAuthHeader } from '../sip/digest';
import { PACKET_TIME_MS, SAMPLES_PER_PACKET } from '../rtp/g711-packetizer';
import { RTP_FIXED_HEADER_LENGTH } from '../rtp/rtp-packet';
import type { StepNote, Topic } from './step-ledger';
import { ARTICLES } from './article-links';
import { partyName } from './verdicts';

export interface StepText {
  explanation: string;
  articles: ArticleLink[];
  /**
   * The same without what the run knows beyond the packet (what the attacker did to it, the
   * link to the run's own article from the packet that carries its failure): what a trainee
   * reads before answering. Set only when it differs.
   */
  unmarked?: { explanation: string; articles: ArticleLink[] };
}

/**
 * What an explanation needs to know about the trunk it explains: the PBX's
 * address and the SBC's ports (to say which service a connection opens), and
 * the article of the run, linked from a step that carries a failure. A
 * scenario run gives its carrier profile and definition; an opened capture,
 * what it found.
 */
export interface ExplanationContext {
  carrier: {
    customer: { pbxIp: string };
    sbc: { ip: string; tlsPort: number; plainPort: number };
  };
  definition: { article: string; title: string };
  /** The run's network: with the customer's NAT router on the path, a dropped packet is the router's doing. */
  net?: { nat?: object };
}

const The = (p: Party) => (p === 'attacker' ? 'The attacker' : `The ${partyName(p)}`);
const the = (p: Party) => (p === 'attacker' ? 'the attacker' : `the ${partyName(p)}`);

/** Whether the sender of a TLS record on this packet plays the server (it sends towards the PBX). */
function actsAsServer(sender: Party, record: WirePacket, run: ExplanationContext): boolean {
  if (sender === 'sbc') return true;
  if (sender === 'pbx') return false;
  return record.dst.ip === run.carrier.customer.pbxIp;
}

/** Explanations of plain media packets, the same for every packet of a stream: written once per run. */
const mediaTexts = new WeakMap<ExplanationContext, Map<string, StepText>>();

export function explainStep(run: ExplanationContext, record: WirePacket, note: StepNote | undefined): StepText {
  const topic = note?.topics[0];
  const plainMedia =
    topic?.kind === 'media' &&
    note!.topics.length === 1 &&
    record.origin === 'sent' &&
    record.fate === 'delivered' &&
    !note!.failure &&
    Object.keys(note!.unreadable).length === 0;
  if (!plainMedia) return explainAnew(run, record, note);
  let texts = mediaTexts.get(run);
  if (!texts) mediaTexts.set(run, (texts = new Map()));
  const key = `${topic.protocol} ${topic.sender}`;
  let text = texts.get(key);
  if (!text) texts.set(key, (text = explainAnew(run, record, note)));
  return text;
}

function explainAnew(run: ExplanationContext, record: WirePacket, note: StepNote | undefined): StepText {
  const parts: string[] = [];
  const articles: ArticleLink[] = [];
  const topic = note?.topics[0];
  if (!topic) {
    parts.push(tcpText(run, record));
    articles.push(ARTICLES.tcp);
  } else if (topic.kind === 'tls') {
    parts.push(tlsText(run, record, topic));
    articles.push(...tlsArticles(run, record, topic));
  } else if (topic.kind === 'alert') {
    parts.push(alertText(topic));
    articles.push(ARTICLES.alert);
    if (topic.alert.name === 'certificate_revoked') articles.push(ARTICLES.revocation);
  } else if (topic.kind === 'sip') {
    parts.push(sipText(topic));
    articles.push(...sipArticles(topic));
  } else if (topic.kind === 'keepalive') {
    parts.push(keepaliveText(topic));
    articles.push(ARTICLES.natIdle);
  } else {
    parts.push(mediaText(topic));
    articles.push(topic.protocol.endsWith('CP') ? ARTICLES.srtcp : ARTICLES.rtpPacket);
    if (topic.protocol === 'SRTP') articles.push(ARTICLES.tag);
  }
  if (note?.retransmission) {
    parts.push(
      `This is TCP sending the same bytes again: no acknowledgment came for the first copy, so ${the(record.from)}’s TCP retransmits it, waiting twice as long each time (RFC 6298 §5). The ${topic?.kind === 'sip' ? 'SIP message' : 'record'} inside is not new.`,
    );
  }
  if (note && note.topics.length > 1) {
    parts.push(`The same packet also carries ${note.labels.slice(1).join(', ')}.`);
  }
  if (topic && record.tcp && record.tcp.flags & TCP_FLAG.FIN) {
    parts.push(`The same segment carries FIN: ${the(record.from)} closes its half of the TCP connection.`);
  }
  // An attacker's doing and a path's fate are exclusive for one fate, so this keeps the order they happen in.
  const doings = attackerDoings(run, record);
  const facts = pathFacts(run, record, note);
  const own = note?.failure ? [{ href: run.definition.article, title: run.definition.title }] : [];
  const text = (sentences: string[]) => sentences.filter(Boolean).join(' ');
  const explained: StepText = {
    explanation: text([...parts, ...doings.texts, ...facts.texts]),
    articles: unique([...articles, ...doings.articles, ...facts.articles, ...own]),
  };
  if (doings.texts.length === 0 && own.length === 0) return explained;
  return {
    ...explained,
    unmarked: { explanation: text([...parts, ...facts.texts]), articles: unique([...articles, ...facts.articles]) },
  };
}

/** Each article once, in the order first given. */
function unique(articles: ArticleLink[]): ArticleLink[] {
  const seen = new Set<string>();
  return articles.filter((a) => !seen.has(a.href) && seen.add(a.href));
}

interface Told {
  texts: string[];
  articles: ArticleLink[];
}

function tcpText(run: ExplanationContext, r: WirePacket): string {
  const flags = r.tcp?.flags ?? 0;
  const from = The(r.from);
  const to = the(r.to);
  const port = r.dst.port;
  if (flags & TCP_FLAG.RST)
    return `${from} resets the TCP connection (RST): it will take no more of it, and neither side waits for the other.`;
  if (flags & TCP_FLAG.SYN && !(flags & TCP_FLAG.ACK)) {
    const service =
      port === run.carrier.sbc.tlsPort
        ? 'the SBC’s SIP-over-TLS port'
        : port === run.carrier.sbc.plainPort
          ? 'the SBC’s plain SIP port, where it expects SIP without TLS'
          : `port ${port}`;
    return `${from} opens a TCP connection to ${service} (${port}): a SYN with its initial sequence number and the largest segment it will take (MSS). Nothing is protected yet; TLS starts once TCP is up.`;
  }
  if (flags & TCP_FLAG.SYN)
    return `${from} accepts the connection: SYN and ACK in one segment, the second step of TCP’s three-way handshake.`;
  if (flags & TCP_FLAG.FIN)
    return `${from} has nothing more to send and closes its half of the TCP connection (FIN); ${to} acknowledges and closes its own.`;
  return `${from} acknowledges the bytes it has received. TCP confirms every byte so that a lost segment can be sent again; this segment carries no data of its own.`;
}

function tlsText(run: ExplanationContext, r: WirePacket, t: Extract<Topic, { kind: 'tls' }>): string {
  const who = The(t.sender);
  const server = actsAsServer(t.sender, r, run);
  const tls12 = t.version === '1.2';
  const message = t.message.replace(/ \((second|empty)\)$/, '');
  if (t.message === 'Certificate (empty)') {
    return `${who} has no certificate to present: it answers the CertificateRequest with an empty certificate_list and sends no CertificateVerify. The server decides what happens next; an SBC that requires client certificates ends the handshake here.`;
  }
  switch (message) {
    case 'ClientHello':
      return `${who} opens the TLS handshake. The ClientHello travels in clear: the name of the server it wants (SNI), the TLS versions and cipher suites it accepts, a random value and, for TLS 1.3, its key share. Anyone on the path can read it, and nothing in it is secret.`;
    case 'ServerHello':
      return tls12
        ? `${who} chooses TLS 1.2 and a cipher suite. In TLS 1.2 the certificates and key exchange that follow still travel in clear; only the Finished messages and the data after them are encrypted.`
        : `${who} chooses TLS 1.3 and a cipher suite, and sends its own key share. From the two key shares both sides compute the same secret (ECDHE) without it ever crossing the wire; every message after this one is encrypted with keys derived from it.`;
    case 'HelloRetryRequest':
      return `${who} wants a key share for another group: the client must send its ClientHello again.`;
    case 'ChangeCipherSpec':
      return tls12
        ? `${who} switches on encryption: from its next record on, it encrypts with the keys both sides just derived.`
        : `A leftover kept for old middleboxes (RFC 8446 §D.4): in TLS 1.3 this record changes nothing, and the receiver drops it.`;
    case 'EncryptedExtensions':
      return `${who}’s first encrypted message: its answers to the extensions the client asked about. From here on an observer sees only the sizes and timing of records.`;
    case 'CertificateRequest':
      return `${who} asks for a client certificate. This is what makes the TLS mutual: the SBC will only go on with a certificate from the carrier’s CA, so a stolen trunk password alone cannot open a trunk.`;
    case 'Certificate':
      return server
        ? `${who}’s certificate chain: its own certificate, naming the host it serves, then the certificates of the CAs that issued it, if it sends them. The PBX checks the chain up to the root it trusts, the dates and the name (its panel shows each check). ${tls12 ? 'In TLS 1.2 the chain travels in clear: an eavesdropper learns which certificate it is.' : 'In TLS 1.3 the chain is encrypted: an eavesdropper does not even learn which certificate it is.'}`
        : `${who}’s answer to the CertificateRequest: the certificate it was configured with (an empty list if it has none). The SBC checks it against the carrier’s root, as the PBX checked the SBC’s.`;
    case 'CertificateVerify':
      return `${who} signs the handshake so far with the private key of the certificate it just sent. Only the holder of that key can make this signature, so a certificate copied off the wire is useless without it.`;
    case 'Finished':
      return `${who}’s Finished: a MAC over every handshake message, keyed from the shared secret. If anyone altered any message of the handshake, this check fails. ${finishedState(tls12, server)}`;
    case 'ServerKeyExchange':
      return `${who}’s ephemeral ECDHE public key, signed with its certificate’s key so the PBX knows it comes from the certificate’s holder: in TLS 1.2 this signature is the server’s proof that it holds the key, since a TLS 1.2 server sends no CertificateVerify (RFC 8422 §5.4). A fresh key pair for each connection is what gives forward secrecy.`;
    case 'ServerHelloDone':
      return `${who} has sent its whole flight; it is the client’s turn.`;
    case 'ClientKeyExchange':
      return rsaKeyTransport(r)
        ? `With a static-RSA suite (TLS_RSA_*), ${the(t.sender)} picks the premaster secret itself and encrypts it to the public key in the server’s certificate. Whoever holds that private key, today or after stealing it years later, can decrypt this packet and so the whole session.`
        : `${who}’s ephemeral ECDHE public key. With the server’s, both sides compute the premaster secret; this is the last key material sent in clear.`;
    case 'NewSessionTicket':
      return `${who} gives the client a ticket it could use to resume the session later without a full handshake.`;
    default:
      return `${who} sends a TLS ${t.encrypted ? 'encrypted ' : ''}record: ${t.message}.`;
  }
}

/**
 * Where a Finished leaves the handshake, which depends on the version and
 * on who sends it. TLS 1.3 (RFC 8446 §2): the server's Finished ends its
 * flight, the client's ends the handshake. A full TLS 1.2 handshake
 * (RFC 5246 §7.3): the client sends its ChangeCipherSpec and Finished
 * first and waits for the server's before it sends application data.
 */
function finishedState(tls12: boolean, server: boolean): string {
  if (tls12) {
    return server
      ? 'It answers the client’s Finished: once the client has checked it, the handshake is complete and SIP can flow.'
      : 'The client’s side is done, but not the handshake: it now waits for the server’s ChangeCipherSpec and Finished before it sends any SIP (RFC 5246 §7.3).';
  }
  return server
    ? 'The server’s flight is complete; with mutual TLS it now waits for the client’s certificate, CertificateVerify and Finished.'
    : 'The handshake is complete; SIP can flow.';
}

/** A ClientKeyExchange whose body is a 2-byte length and an RSA-encrypted premaster secret (RFC 5246 §7.4.7.1). */
function rsaKeyTransport(r: WirePacket): boolean {
  const p = r.bytes.subarray(r.payloadOffset, r.payloadOffset + r.payloadLength);
  if (p.length < 9 || p[0] !== 22 || p[5] !== 16) return false;
  const length = (p[6] << 16) | (p[7] << 8) | p[8];
  return length >= 130;
}

function tlsArticles(run: ExplanationContext, r: WirePacket, t: Extract<Topic, { kind: 'tls' }>): ArticleLink[] {
  const server = actsAsServer(t.sender, r, run);
  const tls12 = t.version === '1.2';
  const message = t.message.replace(/ \((second|empty)\)$/, '');
  if (tls12) {
    if (message === 'ChangeCipherSpec' || message === 'Finished') return [ARTICLES.finished12];
    if (message === 'ClientKeyExchange' && rsaKeyTransport(r)) return [ARTICLES.clientFlight12, ARTICLES.keyTransport];
    if (message === 'Certificate')
      return [server ? ARTICLES.serverFlight12 : ARTICLES.clientFlight12, ARTICLES.verifying];
    if (server) return [ARTICLES.serverFlight12];
    return [message === 'ClientHello' ? ARTICLES.clientHello12 : ARTICLES.clientFlight12];
  }
  switch (message) {
    case 'ClientHello':
      return [ARTICLES.clientHello];
    case 'ServerHello':
    case 'HelloRetryRequest':
      return [ARTICLES.serverHello];
    case 'ChangeCipherSpec':
      return [ARTICLES.middleboxCcs];
    case 'EncryptedExtensions':
      return [ARTICLES.encryptedExtensions];
    case 'CertificateRequest':
      return [ARTICLES.certificateRequest];
    case 'Certificate':
      return server ? [ARTICLES.certificate, ARTICLES.verifying] : [ARTICLES.pbxFlight, ARTICLES.verifying];
    case 'CertificateVerify':
      return server ? [ARTICLES.certificateVerify] : [ARTICLES.pbxFlight];
    case 'Finished':
      return server ? [ARTICLES.finished] : [ARTICLES.pbxFlight];
    default:
      return [ARTICLES.afterHandshake];
  }
}

function alertText(t: Extract<Topic, { kind: 'alert' }>): string {
  const who = The(t.sender);
  const name = t.alert.name;
  const why: Record<string, string> = {
    close_notify: `${who} closes the TLS session cleanly (close_notify), so the other side knows nothing was cut off.`,
    unknown_ca: `${who} refuses the certificate it was shown: no chain leads from it to a root it trusts (a self-signed certificate, another CA’s, or one whose issuing CA was not sent). It names the reason in alert unknown_ca and ends the handshake; nothing more is sent.`,
    bad_certificate: `${who} refuses the certificate: it chains to a trusted root, but it is wrong for this connection (most often, the name it was issued for is not the name that was dialled). Alert bad_certificate ends the handshake.`,
    certificate_expired: `${who} refuses the certificate: by its own clock, a certificate on the chain is outside its validity dates. Alert certificate_expired ends the handshake; whose clock is wrong, the certificate’s or the checker’s, the alert cannot tell.`,
    certificate_revoked: `${who} refuses the certificate: its CA revoked it before its expiry date, and the certificate revocation list ${who === 'The attacker' ? 'it' : `the ${partyName(t.sender)}`} checks lists its serial number. A revoked certificate stays revoked: only a new certificate, for a new key, brings the trunk back. Alert certificate_revoked ends the handshake.`,
    certificate_required: `${who} asked for a client certificate and got none: with mutual TLS, no certificate means no trunk. Alert certificate_required ends the handshake.`,
    protocol_version: `${who} finds no TLS version it shares with the other side and ends the handshake with alert protocol_version.`,
    handshake_failure: `${who} finds no set of parameters both sides accept, most often no cipher suite in common, and ends the handshake with alert handshake_failure.`,
    bad_record_mac: `A record’s authentication tag did not verify: its bytes were changed on the way. TLS never tries to use or repair such a record: ${the(t.sender)} sends alert bad_record_mac and ends the connection.`,
    decrypt_error: `${who} found a signature or Finished value that does not check out: the other side does not hold the private key of the certificate it sent, or the handshake was altered. Alert decrypt_error ends it.`,
  };
  const text = why[name] ?? `${who} ends the connection with alert ${name}: ${t.alert.reason}`;
  return t.encrypted && name !== 'close_notify'
    ? `${text} The alert itself is encrypted: an eavesdropper sees a small record, then the connection closing.`
    : text;
}

function sipText(t: Extract<Topic, { kind: 'sip' }>): string {
  const m = t.message;
  const over =
    t.over === 'tls'
      ? ''
      : ` It travels without TLS: every header${m.body.length ? ' and the SDP' : ''} can be read, and changed, by anyone on the path.`;
  return sipMessageText(m, t.sender, t.over) + over;
}

function sipMessageText(m: SipMessage, sender: Party, over: 'tls' | 'tcp' | 'udp'): string {
  const who = The(sender);
  if (m.kind === 'request') {
    switch (m.method) {
      case 'REGISTER':
        return headerValue(m, 'Authorization')
          ? `${who} registers again, now with an Authorization header: ${withArticle(algorithmsOf([headerValue(m, 'Authorization')!]))} digest of its password, the realm and the nonce of the challenge it answers. The password itself never travels, and the digest is good for this nonce only.`
          : `${who} registers its trunk account: it tells the SBC where to send calls for it (the Contact header). It has no credentials in this first request; the SBC will ask for them.`;
      case 'INVITE': {
        const body = new TextDecoder().decode(m.body);
        const keys = /a=crypto:/.test(body);
        if (reinvite(m)) {
          return keys
            ? `${who} sends a re-INVITE inside the call: a new SDP offer for the same audio, its o= version one higher, and in each a=crypto line a new key. Once the answer arrives, both sides must switch to the new keys together; the audio goes on meanwhile with the old ones.`
            : `${who} sends a re-INVITE inside the call: a new SDP offer for the same audio.`;
        }
        if (sender === 'sbc') {
          return `A caller dials the customer’s number, and ${the(sender)} offers the call to the PBX: the INVITE goes to the Contact the PBX registered, over the very connection its registration came in on (RFC 5626 §5.3), with an SDP offer carrying the SBC’s own SRTP key.`;
        }
        return keys
          ? `${who} places the call. Its SDP offer says where it wants the audio (the c= and m= lines), which codecs it can use, and, in each a=crypto line, an SRTP master key it will encrypt its own audio with (SDES). The keys are written in the SDP as they are: only the transport under the SIP can hide them.`
          : `${who} places the call with an SDP offer of plain RTP (RTP/AVP): no a=crypto line, so the audio would travel unencrypted.`;
      }
      case 'ACK':
        return `${who} acknowledges the answer: the call is up. From now on the audio flows directly between the PBX’s media port and the SBC’s, not through the SIP connection.`;
      case 'BYE':
        return `${who} hangs up: BYE ends the dialog the INVITE created, and the sender stops its media at once.`;
      case 'OPTIONS':
        return `${who} checks that the other side is alive with OPTIONS, as trunks do every half minute or so.`;
      default:
        return `${who} sends ${m.method}.`;
    }
  }
  const cseq = headerValue(m, 'CSeq')?.split(' ')[1] ?? '';
  switch (m.status) {
    case 100:
      return over !== 'udp'
        ? `${who} has the INVITE and is working on it. Over ${over === 'tls' ? 'TLS' : 'TCP'}, a reliable transport, the PBX does not retransmit the INVITE in any case (RFC 3261 §17.1.1.2): the 100 tells it that the SBC has the request and is setting up the call.`
        : `${who} has the INVITE and is working on it; this stops the PBX from sending it again (RFC 3261 §17.1.1.2).`;
    case 180:
      return `${who} says the called phone is ringing: the PBX can play ringback to its caller while it waits for an answer.`;
    case 401: {
      const challenges = headerValues(m, 'WWW-Authenticate');
      const algorithms =
        challenges.length > 1
          ? `one challenge per digest algorithm (${algorithmsOf(challenges)}), most preferred first, each with its own nonce`
          : `a fresh nonce, the realm and the digest algorithm (${algorithmsOf(challenges)})`;
      return `${who} challenges the registration: ${algorithms}. To go on, the PBX must show it knows the trunk password by hashing it with a nonce, with an algorithm it was offered.`;
    }
    case 403:
      return `${who} refuses: the credentials were wrong again, and it stops challenging this registration. That does not stop a guesser, who can start a new registration: only limiting the rate of failed attempts, per account and per source address, does.`;
    case 488:
      return `${who} refuses the offer: none of it is media the carrier accepts (plain RTP where SRTP is required, or no crypto suite in common). The Warning header says which.`;
    case 200:
      if (cseq === 'REGISTER')
        return `${who} accepts the registration: calls for this account will now be sent to the PBX, for as long as Expires says.`;
      if (cseq === 'INVITE' && reinvite(m)) {
        return `${who} accepts the re-INVITE: its SDP answer carries a new key of its own for what it sends from now on.`;
      }
      if (cseq === 'INVITE') {
        const body = new TextDecoder().decode(m.body);
        return /a=crypto:/.test(body)
          ? `The call is answered. The SDP answer picks one of the offered crypto suites and carries ${the(sender)}’s own key for the audio it will send: each direction has its own key.`
          : `The call is answered, with plain RTP: the audio will not be encrypted.`;
      }
      if (cseq === 'BYE')
        return `${who} confirms the end of the call: the dialog is over, and neither side sends more media.`;
      return `${who} answers 200 OK: the request succeeded.`;
    default:
      return m.status >= 400
        ? `${who} answers ${m.status} ${m.reason}: the request failed.`
        : `${who} answers ${m.status} ${m.reason}.`;
  }
}

/** An INVITE (or its answer) inside an established call: the lab's first INVITE of a dialog has CSeq 1. */
function reinvite(m: SipMessage): boolean {
  return Number(headerValue(m, 'CSeq')?.split(' ')[0] ?? 1) > 1;
}

/** The algorithm of each challenge or credentials, in order: `SHA-256, MD5` (RFC 7616 §3.3: MD5 when absent). */
function algorithmsOf(values: string[]): string {
  return values.map((v) => parseAuthHeader(v)?.params.algorithm?.toUpperCase() ?? 'MD5').join(', ');
}

/** `an MD5`, `a SHA-256`: the article as the name is said aloud. */
function withArticle(algorithm: string): string {
  return `${/^[AEFHILMNORSX]/.test(algorithm) && !algorithm.startsWith('SHA') ? 'an' : 'a'} ${algorithm}`;
}

function sipArticles(t: Extract<Topic, { kind: 'sip' }>): ArticleLink[] {
  const m = t.message;
  const out: ArticleLink[] = [];
  const method = m.kind === 'request' ? m.method : (headerValue(m, 'CSeq')?.split(' ')[1] ?? '');
  if (method === 'REGISTER') out.push(ARTICLES.register, ARTICLES.registration);
  else if (method === 'INVITE') out.push(ARTICLES.invite, ARTICLES.keysTravel);
  if (method === 'INVITE' && reinvite(m)) out.push(ARTICLES.rekey);
  if (m.kind === 'request' && m.method === 'INVITE' && t.sender === 'sbc') out.push(ARTICLES.incomingCall);
  if (m.kind === 'response' && m.status === 401) out.push(ARTICLES.digestAlgorithms);
  else if (method === 'ACK' || method === 'BYE') out.push(ARTICLES.afterSetup);
  else out.push(ARTICLES.secureTrunk);
  if (t.over === 'tls' && m.kind === 'request' && method === 'REGISTER' && !headerValue(m, 'Authorization')) {
    out.push(ARTICLES.firstSip);
  }
  if (t.over !== 'tls') out.push(m.body.length ? ARTICLES.sdesWithoutTls : ARTICLES.eavesdropping);
  return out;
}

function keepaliveText(t: Extract<Topic, { kind: 'keepalive' }>): string {
  const who = The(t.sender);
  return t.keepalive === 'ping'
    ? `${who} sends a keepalive ping: two empty lines (CRLF CRLF) between SIP messages, inside TLS (RFC 5626 §3.5.1). It carries nothing, but every NAT router and firewall on the path sees traffic on the connection and keeps its state for it, and the answer proves the connection still works.`
    : `${who} answers the ping with a pong, one empty line (CRLF): the connection works both ways, and the traffic refreshes the state of every box on the path once more.`;
}

function mediaText(t: Extract<Topic, { kind: 'media' }>): string {
  const who = The(t.sender);
  const peer = t.sender === 'pbx' ? 'the SBC' : 'the PBX';
  const voice = `${PACKET_TIME_MS} ms of voice`;
  const audio = `${SAMPLES_PER_PACKET} bytes of G.711 audio`;
  switch (t.protocol) {
    case 'SRTP':
      return `${who} sends ${voice} as SRTP. The ${RTP_FIXED_HEADER_LENGTH}-byte RTP header stays in clear so ${peer} can find its key and put packets in order; the ${audio} are encrypted, and the authentication tag at the end covers header and payload: a packet changed on the way fails it and is thrown away, and a packet sent again passes it but is caught by the receiver’s replay list. ${peer[0].toUpperCase()}${peer.slice(1)} decrypts it with the key ${the(t.sender)} sent in its a=crypto line.`;
    case 'RTP':
      return `${who} sends ${voice} as plain RTP: ${audio} after a ${RTP_FIXED_HEADER_LENGTH}-byte header. Anyone who captures these packets can play the conversation.`;
    case 'SRTCP':
      return `${who}’s RTCP sender report, protected as SRTCP: how much it has sent and what it has received of the other stream (loss, jitter). It is encrypted and authenticated like the voice, with keys derived from the same master key.`;
    case 'RTCP':
      return `${who}’s RTCP sender report, in clear: how much it has sent and what it has received of the other stream (loss, jitter).`;
  }
}

/** What the attacker did to this packet: made it, altered or replayed it, took it off the wire, answered it. */
function attackerDoings(run: ExplanationContext, r: WirePacket): Told {
  const out: string[] = [];
  const articles: ArticleLink[] = [];
  switch (r.origin) {
    case 'tampered':
      out.push(
        'The attacker flipped a bit of this packet on its way and fixed the TCP or UDP checksum, so the network stack takes it; only the cryptography can notice.',
      );
      articles.push(ARTICLES.tampering);
      break;
    case 'replayed':
      out.push('This is a copy the attacker recorded earlier and sends again, byte for byte.');
      articles.push(ARTICLES.replay, ARTICLES.replayProtection);
      break;
    case 'rewritten':
      out.push(`The attacker rewrote this packet on its way${r.note ? `: ${r.note.replace(/\.$/, '')}` : ''}.`);
      articles.push(ARTICLES.downgrade);
      break;
    case 'injected':
      out.push(`The attacker made this packet up${r.note ? `: ${r.note.replace(/\.$/, '')}` : ''}.`);
      break;
    case 'sent':
      break;
  }
  switch (r.fate) {
    case 'replaced':
      out.push('The attacker took this packet off the wire and sent an altered copy in its place.');
      break;
    case 'dropped':
      // With the customer's NAT router on the path instead of the attacker, the drop is the router's (pathFacts).
      if (!run.net?.nat) {
        out.push(
          `The attacker dropped it: it never reaches ${r.dst.ip === run.carrier.sbc.ip ? 'the SBC' : 'the PBX'}.`,
        );
      }
      break;
    case 'intercepted':
      out.push(
        'The attacker answers in the SBC’s place: the connection the PBX opened ends at the attacker, which runs its own TLS server with its own certificate.',
      );
      articles.push(ARTICLES.mitm);
      break;
    default:
      break;
  }
  return { texts: out, articles };
}

/** What became of this packet on a path with no attacker acting on it, and who could not use it. */
function pathFacts(run: ExplanationContext, r: WirePacket, note: StepNote | undefined): Told {
  const out: string[] = [];
  const articles: ArticleLink[] = [];
  switch (r.fate) {
    case 'dropped':
      if (run.net?.nat) {
        // The NAT router's note says why it dropped it.
        out.push(r.note ?? 'The customer’s NAT router dropped it.');
        articles.push(ARTICLES.natIdle);
      }
      break;
    case 'unroutable':
      out.push(
        `Nothing on the path has ${r.dst.ip}: it is a private address that only means something inside the customer’s network, so the packet is lost.`,
      );
      articles.push(ARTICLES.privateContact);
      break;
    default:
      break;
  }
  for (const [party, why] of Object.entries(note?.unreadable ?? {})) {
    out.push(`${The(party as Party)} cannot use it: ${why}.`);
  }
  return { texts: out, articles };
}
