/**
 * The customer PBX as a SIP user agent on the trunk (RFC 3261 §8.1, §10.2,
 * §13, §15, §9), sans-IO: each method returns the request to send; `receive`
 * takes a parsed message and returns what to send next and what happened.
 * The scenario carries the bytes (inside TLS records, or plain UDP), so the
 * transport, addresses and ports written into Via and Contact come from
 * configuration.
 *
 * - OPTIONS keepalive (RFC 3261 §11).
 * - REGISTER; on 401 it answers the digest challenge once (RFC 3261 §22.2,
 *   RFC 7616 §3.4): of several challenges, the topmost whose algorithm it
 *   supports (RFC 8760 §2); with none it supports, it cannot answer. 403
 *   ends it.
 * - INVITE with an SDP offer carrying SDES keys; 100/180 are provisional;
 *   on 200 it checks the answer, sends ACK (a new transaction, §13.2.2.4) and
 *   holds the SRTP keys; on a final failure it ACKs in the same transaction
 *   (§17.1.1.3).
 * - A re-INVITE in the confirmed dialog with a new offer and fresh SDES keys
 *   (RFC 3261 §14.1, RFC 3264 §8, RFC 4568 §7.1.4): on its 2xx it sends ACK
 *   and holds the new keys; a failure leaves the call as it was.
 * - CANCEL of a ringing INVITE (§9.1), BYE (§15.1.1), and 200 to the peer's BYE.
 * - A call from the SBC (an INVITE outside any dialog, §13.3): 180 Ringing,
 *   then 200 OK with an SDP answer carrying the PBX's own SDES key for one
 *   offered suite it supports (RFC 3264 §6, RFC 4568 §7.1.2), or 488 when
 *   none is; 486 Busy Here while another call is up.
 *
 * Call-IDs, tags, branches and keys come from a RandomSource.
 */
import type { CarrierProfile, SrtpSuiteName } from '../carrier';
import type { RandomSource } from '../crypto/random';
import { formatNameAddress, type NameAddress } from './address';
import { answerChallenge, formatCredentials, parseChallenge, type DigestAlgorithm } from './digest';
import { contactTarget, inDialogRequest, tagOf, untagged, type Dialog } from './dialog';
import { newBranch, newCallId, newTag, randomToken } from './identifiers';
import {
  headerValue,
  headerValues,
  withContentLength,
  type SipHeader,
  type SipMessage,
  type SipRequest,
} from './message';
import { acceptAnswer, answerOffer, buildOffer, type LocalMedia, type Offer, type SrtpAgreement } from './offer-answer';
import { parsedValue, parsedValues, type ParsedSipMessage } from './parse';
import { responseTo } from './response';
import { checkMessage } from './validate';
import { mediaConnection, parseSdp, serializeSdp } from './sdp';
import { formatVia, viaBranch, type Via } from './via';

export type SipTransport = 'TLS' | 'TCP' | 'UDP';

export interface PbxAgentConfig {
  carrier: CarrierProfile;
  transport: SipTransport;
  /** The PBX's address and SIP port as the SBC sees them. */
  localIp: string;
  localPort: number;
  /** The address the PBX writes into Contact and SDP c= (a misconfigured PBX writes a private one). */
  advertisedIp?: string;
  /** `sips` (TLS end to end), or `sip` with transport=tls when the transport is TLS. */
  contactScheme: 'sips' | 'sip';
  /** The SBC port requests are addressed to (5061 for TLS). */
  sbcPort: number;
  /** Credentials; default the carrier profile's demo customer. */
  username?: string;
  password?: string;
  /** The digest algorithms it can compute (default SHA-256 and MD5). */
  digestAlgorithms?: readonly DigestAlgorithm[];
  media: {
    port: number;
    secure: boolean;
    suites: SrtpSuiteName[];
    mki?: { value: number; length: number };
    lifetime?: string;
  };
}

export type PbxEvent =
  | { kind: 'keepalive-ok' }
  | { kind: 'challenged'; realm: string; algorithm: string }
  | { kind: 'registered'; expires: number }
  | {
      kind: 'registration-failed';
      status: number;
      reason: string;
      /** Set when the PBX gave up itself: the challenges asked for algorithms it does not support. */
      unsupported?: DigestAlgorithm[];
    }
  | { kind: 'ringing' }
  | { kind: 'answered'; agreement?: SrtpAgreement }
  /** The answer to a re-INVITE: the call goes on with the media it describes. */
  | { kind: 'reanswered'; agreement?: SrtpAgreement }
  | { kind: 'reinvite-failed'; status: number; reason: string }
  /** A call from the SBC, answered: the agreement, and where the SBC wants the audio. */
  | { kind: 'incoming-call'; agreement?: SrtpAgreement; remote: { ip: string; port: number } }
  | { kind: 'incoming-call-refused'; status: number; detail: string }
  | { kind: 'call-failed'; status: number; reason: string; detail?: string }
  | { kind: 'call-ended'; by: 'pbx' | 'sbc' }
  | { kind: 'cancelled' }
  | { kind: 'ignored'; why: string };

interface ClientTransaction {
  method: string;
  request: SipRequest;
  /** For INVITE: the offer whose keys the answer will be checked against. */
  offer?: Offer;
  /** An INVITE inside the established dialog (RFC 3261 §14). */
  reinvite?: boolean;
  authAttempts: number;
}

export class PbxAgent {
  private readonly transactions = new Map<string, ClientTransaction>();
  private registrationCallId?: string;
  private registerSeq = 0;
  /** The From tag of the registration, kept across its retries and refreshes. */
  private readonly registrationTag: string;
  dialog?: Dialog;
  private inviteBranch?: string;
  /** What the first offer described, for the offers that change it (RFC 3264 §8). */
  private local?: LocalMedia;

  constructor(
    readonly config: PbxAgentConfig,
    private readonly random: RandomSource,
  ) {
    this.registrationTag = newTag(random);
  }

  private get username(): string {
    return this.config.username ?? this.config.carrier.customer.username;
  }

  private get sbcUri(): string {
    const scheme = this.config.transport === 'TLS' && this.config.contactScheme === 'sips' ? 'sips' : 'sip';
    const tls = scheme === 'sip' && this.config.transport === 'TLS' ? ';transport=tls' : '';
    return `${scheme}:${this.config.carrier.sbc.host}:${this.config.sbcPort}${tls}`;
  }

  private aor(scheme = this.config.contactScheme): string {
    return `${scheme}:${this.username}@${this.config.carrier.domain}`;
  }

  /** Contact: where the SBC should send requests for this PBX (RFC 3261 §8.1.1.8, §20.10). */
  contact(): string {
    const host = this.config.advertisedIp ?? this.config.localIp;
    const tls = this.config.transport === 'TLS' && this.config.contactScheme === 'sip' ? ';transport=tls' : '';
    const transport =
      this.config.transport !== 'TLS' && this.config.transport !== 'UDP'
        ? `;transport=${this.config.transport.toLowerCase()}`
        : '';
    return `<${this.config.contactScheme}:${this.username}@${host}:${this.config.localPort}${tls}${transport}>`;
  }

  private via(branch = newBranch(this.random)): SipHeader {
    // RFC 3261 §18.2.1: the transport and sent-by the response should come back on.
    const via = formatVia({
      protocol: 'SIP',
      version: '2.0',
      transport: this.config.transport,
      host: this.config.localIp,
      port: this.config.localPort,
      params: [{ name: 'branch', value: branch }],
    });
    return { name: 'Via', value: via };
  }

  private track(request: SipRequest, t: Omit<ClientTransaction, 'request' | 'method'>): SipRequest {
    const branch = /branch=([^;,\s]+)/.exec(request.headers[0].value)![1];
    this.transactions.set(branch, { method: request.method, request, ...t });
    return request;
  }

  private request(
    method: string,
    uri: string,
    to: string,
    callId: string,
    seq: number,
    extra: SipHeader[],
    body?: Uint8Array,
    // RFC 3261 §8.1.1.3: a new tag for each request outside a dialog.
    fromTag = newTag(this.random),
  ): SipRequest {
    return withContentLength<SipRequest>({
      kind: 'request',
      method,
      uri,
      headers: [
        this.via(),
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: `<${this.aor()}>;tag=${fromTag}` },
        { name: 'To', value: to },
        { name: 'Call-ID', value: callId },
        { name: 'CSeq', value: `${seq} ${method}` },
        ...extra,
      ],
      body: body ?? new Uint8Array(0),
    });
  }

  /** An OPTIONS keepalive (RFC 3261 §11). */
  options(): SipRequest {
    const r = this.request(
      'OPTIONS',
      this.sbcUri,
      `<${this.sbcUri}>`,
      newCallId(this.random, this.config.carrier.customer.pbxHost),
      1,
      [
        { name: 'Contact', value: this.contact() },
        { name: 'Accept', value: 'application/sdp' },
      ],
    );
    return this.track(r, { authAttempts: 0 });
  }

  /** REGISTER (RFC 3261 §10.2): To and From are the address of record; the Call-ID stays for refreshes. */
  register(expires = 3600): SipRequest {
    return this.track(this.registerRequest(expires), { authAttempts: 0 });
  }

  private registerRequest(expires: number, authorization?: SipHeader): SipRequest {
    this.registrationCallId ??= newCallId(this.random, this.config.carrier.customer.pbxHost);
    // A sip: URI over TLS says so (RFC 3261 §26.2.2), as the PBX's other URIs do.
    const tls = this.config.transport === 'TLS' && this.config.contactScheme === 'sip' ? ';transport=tls' : '';
    const registrar = `${this.config.contactScheme}:${this.config.carrier.domain}${tls}`;
    return this.request(
      'REGISTER',
      registrar,
      `<${this.aor()}>`,
      this.registrationCallId,
      ++this.registerSeq,
      [
        { name: 'Contact', value: this.contact() },
        { name: 'Expires', value: String(expires) },
        ...(authorization ? [authorization] : []),
      ],
      undefined,
      this.registrationTag,
    );
  }

  /** INVITE with an SDP offer (RFC 3261 §13.2.1, RFC 3264 §5). */
  invite(number: string): SipRequest {
    this.local = {
      address: this.config.advertisedIp ?? this.config.localIp,
      port: this.config.media.port,
      payloadTypes: [0, 8],
      username: this.username,
      sessionId: String(new DataView(this.random.bytes(4).buffer).getUint32(0)),
    };
    const offer = buildOffer(this.local, this.config.media, this.random);
    const scheme = this.config.contactScheme;
    const target = `${scheme}:${number}@${this.config.carrier.sbc.host}${scheme === 'sip' && this.config.transport === 'TLS' ? ';transport=tls' : ''};user=phone`;
    const callId = newCallId(this.random, this.config.carrier.customer.pbxHost);
    const r = this.request(
      'INVITE',
      target,
      `<${target}>`,
      callId,
      1,
      [
        { name: 'Contact', value: this.contact() },
        { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS' },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      serializeSdp(offer.sdp),
    );
    this.inviteBranch = /branch=([^;,\s]+)/.exec(r.headers[0].value)![1];
    return this.track(r, { offer, authAttempts: 0 });
  }

  /**
   * A re-INVITE (RFC 3261 §14.1) with a new offer: the same stream, the o=
   * line's version one higher (RFC 3264 §8), and a fresh SDES key in each
   * a=crypto line (RFC 4568 §7.1.4), as PBXs send on a hold, a transfer or a
   * session refresh.
   */
  reinvite(): SipRequest | undefined {
    if (!this.dialog || this.dialog.state !== 'confirmed' || !this.local) return undefined;
    this.local = { ...this.local, version: String(Number(this.local.version ?? this.local.sessionId) + 1) };
    const offer = buildOffer(this.local, this.config.media, this.random);
    const r = inDialogRequest(
      this.dialog,
      'INVITE',
      this.via(),
      [
        { name: 'Contact', value: this.contact() },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      { body: serializeSdp(offer.sdp) },
    );
    return this.track(r, { offer, reinvite: true, authAttempts: 0 });
  }

  /** CANCEL of the pending INVITE (RFC 3261 §9.1): same branch, Request-URI, Call-ID, From, To and CSeq number. */
  cancel(): SipRequest | undefined {
    const t = this.inviteBranch ? this.transactions.get(this.inviteBranch) : undefined;
    if (!t) return undefined;
    const inv = t.request;
    const pick = (n: string) => ({ name: n, value: headerValue(inv, n)! });
    return withContentLength<SipRequest>({
      kind: 'request',
      method: 'CANCEL',
      uri: inv.uri,
      headers: [
        inv.headers[0],
        { name: 'Max-Forwards', value: '70' },
        pick('From'),
        pick('To'),
        pick('Call-ID'),
        { name: 'CSeq', value: `${headerValue(inv, 'CSeq')!.split(' ')[0]} CANCEL` },
      ],
      body: new Uint8Array(0),
    });
  }

  /** BYE to end the call (RFC 3261 §15.1.1). */
  bye(): SipRequest | undefined {
    if (!this.dialog || this.dialog.state !== 'confirmed') return undefined;
    const r = inDialogRequest(this.dialog, 'BYE', this.via());
    this.dialog.state = 'terminated';
    return this.track(r, { authAttempts: 0 });
  }

  receive(p: ParsedSipMessage): { send: SipMessage[]; events: PbxEvent[] } {
    const m = p.message;
    if (m.kind === 'request') return this.receiveRequest(p);
    // RFC 3261 §8.2.6.2: a response copies Via, From, To, Call-ID and CSeq from its request. One without them
    // (the answer to a request altered on the way) is malformed, and acting on it would mean writing an ACK
    // with a header made of nothing: drop it, as an unreadable message is dropped.
    const malformed = checkMessage(p);
    if (malformed) return { send: [], events: [{ kind: 'ignored', why: `a malformed response: ${malformed.detail}` }] };
    const via = parsedValue<Via[]>(p, 'Via')?.[0];
    const branch = via ? viaBranch(via) : undefined;
    const cseq = parsedValue<{ seq: number; method: string }>(p, 'CSeq');
    const t = branch ? this.transactions.get(branch) : undefined;
    // RFC 3261 §17.1.3: a response matches the client transaction by top Via branch and CSeq method.
    if (!t || !cseq || cseq.method !== t.method) {
      return { send: [], events: [{ kind: 'ignored', why: 'the response matches no transaction' }] };
    }
    if (m.status < 200) {
      if (t.method === 'INVITE' && m.status >= 180 && m.status < 200)
        return { send: [], events: [{ kind: 'ringing' }] };
      return { send: [], events: [] };
    }
    this.transactions.delete(branch!);
    switch (t.method) {
      case 'OPTIONS':
        return {
          send: [],
          events:
            m.status === 200 ? [{ kind: 'keepalive-ok' }] : [{ kind: 'ignored', why: `OPTIONS answered ${m.status}` }],
        };
      case 'REGISTER':
        return this.registerResponse(p, t);
      case 'INVITE':
        return this.inviteResponse(p, t);
      case 'BYE':
        return { send: [], events: [{ kind: 'call-ended', by: 'pbx' }] };
      default:
        return { send: [], events: [] };
    }
  }

  private registerResponse(p: ParsedSipMessage, t: ClientTransaction): { send: SipMessage[]; events: PbxEvent[] } {
    const m = p.message;
    if (m.kind !== 'response') return { send: [], events: [] };
    if (m.status === 401 && t.authAttempts < 2) {
      const challenges = headerValues(m, 'WWW-Authenticate')
        .map(parseChallenge)
        .filter((c) => c !== undefined);
      const supported = this.config.digestAlgorithms ?? ['SHA-256', 'MD5'];
      const challenge = challenges.find((c) => supported.includes(c.algorithm));
      if (!challenge)
        return {
          send: [],
          events: [
            challenges.length
              ? {
                  kind: 'registration-failed',
                  status: 401,
                  reason: 'Unauthorized',
                  unsupported: challenges.map((c) => c.algorithm),
                }
              : { kind: 'registration-failed', status: 401, reason: 'a challenge the PBX cannot read' },
          ],
        };
      const credentials = answerChallenge(
        challenge,
        { username: this.username, password: this.config.password ?? this.config.carrier.customer.password },
        { method: 'REGISTER', uri: t.request.uri },
        randomToken(this.random, 16),
        1,
      );
      const retry = this.registerRequest(Number(headerValue(t.request, 'Expires') ?? 3600), {
        name: 'Authorization',
        value: formatCredentials(credentials),
      });
      this.track(retry, { authAttempts: t.authAttempts + 1 });
      return {
        send: [retry],
        events: [{ kind: 'challenged', realm: challenge.realm, algorithm: challenge.algorithm }],
      };
    }
    if (m.status === 200) {
      const contacts = parsedValues<NameAddress[] | '*'>(p, 'Contact').flatMap((c) => (c === '*' ? [] : c));
      const expires = Number(
        contacts[0]?.params.find((x) => x.name === 'expires')?.value ?? headerValue(m, 'Expires') ?? 0,
      );
      return { send: [], events: [{ kind: 'registered', expires }] };
    }
    return { send: [], events: [{ kind: 'registration-failed', status: m.status, reason: m.reason }] };
  }

  private inviteResponse(p: ParsedSipMessage, t: ClientTransaction): { send: SipMessage[]; events: PbxEvent[] } {
    const m = p.message;
    if (m.kind !== 'response') return { send: [], events: [] };
    if (t.reinvite) return this.reinviteResponse(p, t);
    const to = parsedValue<NameAddress>(p, 'To')!;
    if (m.status >= 300) {
      // RFC 3261 §17.1.1.3: ACK for a failure is part of the INVITE transaction (same branch, same To tag).
      const ack = withContentLength<SipRequest>({
        kind: 'request',
        method: 'ACK',
        uri: t.request.uri,
        headers: [
          t.request.headers[0],
          { name: 'Max-Forwards', value: '70' },
          { name: 'From', value: headerValue(t.request, 'From')! },
          { name: 'To', value: headerValue(m, 'To')! },
          { name: 'Call-ID', value: headerValue(t.request, 'Call-ID')! },
          { name: 'CSeq', value: `${headerValue(t.request, 'CSeq')!.split(' ')[0]} ACK` },
        ],
        body: new Uint8Array(0),
      });
      const events: PbxEvent[] =
        m.status === 487
          ? [{ kind: 'cancelled' }]
          : [{ kind: 'call-failed', status: m.status, reason: m.reason, detail: headerValue(m, 'Warning') }];
      return { send: [ack], events };
    }
    // 2xx: the answer must carry SDP that fits the offer (RFC 3264 §5, RFC 4568 §7.1.3).
    const callId = headerValue(m, 'Call-ID')!;
    const fromAddr = parsedValue<NameAddress>(p, 'From')!;
    const recordRoute = parsedValues<NameAddress[]>(p, 'Record-Route').flat();
    this.dialog = {
      callId,
      localTag: tagOf(fromAddr) ?? newTag(this.random),
      remoteTag: tagOf(to) ?? '',
      localAddress: untagged(fromAddr),
      remoteAddress: untagged(to),
      remoteTarget: contactTarget(parsedValue<NameAddress[] | '*'>(p, 'Contact')) ?? t.request.uri,
      // RFC 3261 §12.1.2: the UAC takes Record-Route in reverse order.
      routeSet: recordRoute.reverse().map((r) => formatNameAddress(r)),
      localSeq: Number(headerValue(t.request, 'CSeq')!.split(' ')[0]),
      state: 'confirmed',
    };
    const ack = inDialogRequest(this.dialog, 'ACK', this.via(), [], { cseq: this.dialog.localSeq });
    let agreement: SrtpAgreement | undefined;
    if (t.offer) {
      const accepted = m.body.length
        ? acceptAnswer(t.offer, parseSdp(m.body).sdp)
        : { ok: false as const, failure: 'answer_mismatch' as const, detail: 'the 200 OK has no SDP answer' };
      if (!accepted.ok) {
        // The answer is unusable: acknowledge the 2xx, then end the call (RFC 3261 §13.2.2.4, RFC 3264 §6).
        const bye = inDialogRequest(this.dialog, 'BYE', this.via());
        this.dialog.state = 'terminated';
        this.track(bye, { authAttempts: 0 });
        return {
          send: [ack, bye],
          events: [{ kind: 'call-failed', status: 488, reason: 'Not Acceptable Here', detail: accepted.detail }],
        };
      }
      agreement = accepted.agreement;
    }
    return { send: [ack], events: [{ kind: 'answered', agreement }] };
  }

  /** The final answer to a re-INVITE: ACK, and the new media, or the call as it was (RFC 3261 §14.1). */
  private reinviteResponse(p: ParsedSipMessage, t: ClientTransaction): { send: SipMessage[]; events: PbxEvent[] } {
    const m = p.message;
    if (m.kind !== 'response' || !this.dialog) return { send: [], events: [] };
    const cseq = Number(headerValue(t.request, 'CSeq')!.split(' ')[0]);
    if (m.status >= 300) {
      // The ACK of a failure belongs to the INVITE's transaction (RFC 3261 §17.1.1.3).
      const ack = inDialogRequest(this.dialog, 'ACK', t.request.headers[0], [], { cseq });
      return { send: [ack], events: [{ kind: 'reinvite-failed', status: m.status, reason: m.reason }] };
    }
    const ack = inDialogRequest(this.dialog, 'ACK', this.via(), [], { cseq });
    const accepted = m.body.length
      ? acceptAnswer(t.offer!, parseSdp(m.body).sdp)
      : { ok: false as const, failure: 'answer_mismatch' as const, detail: 'the 200 OK has no SDP answer' };
    if (!accepted.ok)
      return { send: [ack], events: [{ kind: 'reinvite-failed', status: 488, reason: accepted.detail }] };
    return { send: [ack], events: [{ kind: 'reanswered', agreement: accepted.agreement }] };
  }

  /** A call towards the PBX (RFC 3261 §13.3): ring, then answer with its own key (RFC 4568 §7.1.2). */
  private incomingInvite(p: ParsedSipMessage): { send: SipMessage[]; events: PbxEvent[] } {
    const m = p.message as SipRequest;
    const toTag = newTag(this.random);
    if (this.dialog && this.dialog.state !== 'terminated') {
      return {
        send: [responseTo(m, 486, { toTag })],
        events: [{ kind: 'incoming-call-refused', status: 486, detail: 'another call is up' }],
      };
    }
    const offer = parseSdp(m.body).sdp;
    const answer = answerOffer(
      offer,
      { suites: this.config.media.suites, required: this.config.media.secure, acceptMki: false },
      {
        address: this.config.advertisedIp ?? this.config.localIp,
        port: this.config.media.port,
        payloadTypes: [0, 8],
        username: this.username,
        sessionId: String(new DataView(this.random.bytes(4).buffer).getUint32(0)),
      },
      this.random,
    );
    if (!answer.ok) {
      return {
        send: [responseTo(m, 488, { toTag })],
        events: [{ kind: 'incoming-call-refused', status: 488, detail: answer.detail }],
      };
    }
    const from = parsedValue<NameAddress>(p, 'From')!;
    const to = parsedValue<NameAddress>(p, 'To')!;
    // RFC 3261 §12.1.1: the UAS's dialog, from the INVITE; its route set is Record-Route as received.
    this.dialog = {
      callId: headerValue(m, 'Call-ID')!,
      localTag: toTag,
      remoteTag: tagOf(from) ?? '',
      localAddress: untagged(to),
      remoteAddress: untagged(from),
      remoteTarget: contactTarget(parsedValue<NameAddress[] | '*'>(p, 'Contact')) ?? m.uri,
      routeSet: parsedValues<NameAddress[]>(p, 'Record-Route')
        .flat()
        .map((r) => formatNameAddress(r)),
      localSeq: 0,
      remoteSeq: Number(headerValue(m, 'CSeq')!.split(' ')[0]),
      state: 'confirmed',
    };
    const contact = { name: 'Contact', value: this.contact() };
    const audio = offer.media.find((s) => s.media === 'audio' && s.port !== 0)!;
    const address = mediaConnection(offer, audio)!.address;
    return {
      send: [
        responseTo(m, 180, { toTag, headers: [contact] }),
        responseTo(m, 200, {
          toTag,
          headers: [contact, { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS' }],
          body: serializeSdp(answer.sdp),
          contentType: 'application/sdp',
        }),
      ],
      events: [{ kind: 'incoming-call', agreement: answer.agreement, remote: { ip: address, port: audio.port } }],
    };
  }

  private receiveRequest(p: ParsedSipMessage): { send: SipMessage[]; events: PbxEvent[] } {
    const m = p.message;
    if (m.kind !== 'request') return { send: [], events: [] };
    if (m.method === 'BYE' && this.dialog && headerValue(m, 'Call-ID') === this.dialog.callId) {
      this.dialog.state = 'terminated';
      return { send: [responseTo(m, 200)], events: [{ kind: 'call-ended', by: 'sbc' }] };
    }
    if (m.method === 'OPTIONS') return { send: [responseTo(m, 200, { toTag: newTag(this.random) })], events: [] };
    if (m.method === 'INVITE' && !tagOf(parsedValue<NameAddress>(p, 'To')!)) return this.incomingInvite(p);
    if (m.method === 'ACK') return { send: [], events: [] };
    return {
      send: [responseTo(m, 481, { toTag: newTag(this.random) })],
      events: [{ kind: 'ignored', why: `${m.method} outside a dialog` }],
    };
  }
}
