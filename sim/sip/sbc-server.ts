/**
 * The carrier SBC's SIP side (RFC 3261 §8.2, §17.2, §10.3, §13.3, §9.2), sans-IO:
 * given a parsed request and where it came from, it returns the responses to
 * send, in order, and what it decided.
 *
 * 1. Retransmissions (same branch, sent-by and method, RFC 3261 §17.2.3) get
 *    the last response again, not a second answer.
 * 2. Admission (admission.ts): 501, 400, 483, 416, 420, 415, 406.
 * 3. OPTIONS: 200 with Allow and Accept (§11.2).
 * 4. REGISTER: the registrar (digest or IP authentication).
 * 5. INVITE: only from a registered PBX or a trusted address (else 403);
 *    to a called number the carrier routes, when it is given a routing rule
 *    (else 404 with a Warning, §21.4.4, §20.43);
 *    100 Trying, then the SDP answer (offer-answer.ts): 488 with a Warning when
 *    SRTP cannot be agreed, else 180 Ringing and — as the called side does —
 *    200 OK, or only ringing (for CANCEL), or 486 Busy Here.
 * 6. An INVITE inside a confirmed call is a re-INVITE (RFC 3261 §14.2): a
 *    new answer with a new SDES key of its own (RFC 4568 §7.1.4), in 200 OK.
 * 7. ACK confirms the dialog; BYE ends it (200, or 481 if there is none);
 *    CANCEL of a ringing INVITE gets 200 and the INVITE 487 (§9.2).
 * 8. The SBC may end an answered call itself: `hangUp` builds the BYE from
 *    the dialog the 200 OK set up (§12.1.1, §15.1.1).
 *
 * A test SBC answers PBXs for days (a keepalive every half minute), so what
 * it remembers is bounded: a server transaction is forgotten 64·T1 after its
 * final response, by then no retransmission of its request can come (Timer J,
 * §17.2.2; Timer H, §17.2.1; Timer L, RFC 6026 §8.7), and a call as soon as it
 * has ended (what comes for it later is answered as for an unknown call).
 */
import type { CarrierProfile } from '../carrier';
import type { Clock } from '../crypto/clock';
import type { RandomSource } from '../crypto/random';
import { admitRequest, type ElementPolicy, SBC_POLICY } from './admission';
import type { NameAddress } from './address';
import { newTag } from './identifiers';
import { headerValue, headerValues, type SipHeader, type SipRequest, type SipResponse } from './message';
import { contactTarget, inDialogRequest, tagOf, untagged, type Dialog } from './dialog';
import { answerOffer, type MediaDirection, type NegotiationFailure, type SrtpAgreement } from './offer-answer';
import { parsedValue, type ParsedSipMessage } from './parse';
import { Registrar, type RegistrarConfig, type RegistrarVerdict } from './registrar';
import type { DigestAlgorithm } from './digest';
import { responseTo } from './response';
import { parseSdp, serializeSdp } from './sdp';
import { isSipParseError } from './syntax-error';
import { viaBranch, type Via } from './via';
import type { SipTransport } from './pbx-agent';

export interface SbcServerConfig {
  carrier: CarrierProfile;
  transport: SipTransport;
  /** The SBC's SIP port on this transport (5061 for TLS). */
  port: number;
  /** What the called party does: answer, keep ringing (so the caller may cancel), or be busy. */
  callee: 'answer' | 'ring' | 'busy';
  /** The digest algorithms its registrar challenges with, most preferred first (default SHA-256 only). */
  digestAlgorithms?: readonly DigestAlgorithm[];
  policy?: ElementPolicy;
  /** Registrar settings over the carrier profile's (its trunk account, SHA-256, the customer's address). */
  registrar?: Partial<Omit<RegistrarConfig, 'realm'>>;
  /**
   * `host:port` for the Contact of answers: where the PBX sends requests in the dialog (by default the
   * profile's SBC host name and `port`; a real SBC on several addresses answers with the one it was reached at).
   */
  contact?: () => string;
  /** Where this call's media is received, for the SDP answer (by default the profile's SBC address and RTP port). */
  media?: (callId: string) => { address: string; port: number };
  /**
   * The carrier's routing, given the called number (the Request-URI's user part): why it cannot
   * route it, or undefined when it can. Without one, every number is routed.
   */
  route?: (called: string) => string | undefined;
}

/** What the SBC's registrar challenges with unless configured otherwise: SHA-256 only (RFC 8760). */
export const DEFAULT_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256'];

export type SbcEvent =
  | { kind: 'rejected'; status: number; detail: string; line?: number }
  | { kind: 'registrar'; verdict: RegistrarVerdict }
  | { kind: 'call-refused'; status: number; detail: string; failure?: NegotiationFailure }
  | { kind: 'media-agreed'; callId: string; agreement?: SrtpAgreement; direction: MediaDirection }
  /** A re-INVITE changed the call's media: the new agreement (the SBC's key is new) and direction (hold). */
  | { kind: 'media-updated'; callId: string; agreement?: SrtpAgreement; direction: MediaDirection }
  | { kind: 'call-established'; callId: string }
  | { kind: 'call-ended'; callId: string }
  | { kind: 'call-cancelled' }
  | { kind: 'retransmission' };

/**
 * How long a server transaction is remembered after its final response: 64·T1, T1 = 500 ms (RFC 3261
 * §17.2.2 Timer J for unreliable transports; over TLS it may be forgotten at once, and the same time is kept).
 */
export const SERVER_TRANSACTION_MEMORY_MS = 64 * 500;

interface ServerTransaction {
  request: SipRequest;
  responses: SipResponse[];
  toTag: string;
  /** When its final response was sent (the clock's milliseconds), once it has one. */
  finalAt?: number;
}

export class SbcServer {
  readonly registrar: Registrar;
  private readonly transactions = new Map<string, ServerTransaction>();
  /** The o= line of the current call's answers: its session id, and how many answers it has made. */
  private sdpSession?: string;
  private sdpVersion = 0;
  /** Confirmed or early dialogs by Call-ID. */
  private readonly calls = new Map<string, { state: 'ringing' | 'answered' | 'confirmed'; dialog?: Dialog }>();

  constructor(
    readonly config: SbcServerConfig,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {
    const { carrier } = config;
    this.registrar = new Registrar(
      {
        realm: carrier.domain,
        auth: carrier.auth,
        algorithms: config.digestAlgorithms ?? DEFAULT_DIGEST_ALGORITHMS,
        accounts: { [carrier.customer.username]: carrier.customer.password },
        trustedAddresses: [carrier.customer.pbxIp],
        ...config.registrar,
      },
      random.fork('registrar'),
      clock,
    );
  }

  /** RFC 3261 §12.1.1: when the request came to a sips: URI, the Contact of the answer is sips: too. */
  private contact(request: SipRequest): SipHeader {
    const where = this.config.contact?.() ?? `${this.config.carrier.sbc.host}:${this.config.port}`;
    if (/^sips:/i.test(request.uri)) return { name: 'Contact', value: `<sips:${where}>` };
    const tls = this.config.transport === 'TLS' ? ';transport=tls' : '';
    return { name: 'Contact', value: `<sip:${where}${tls}>` };
  }

  /** Server transactions remembered now (for a request's retransmission, or a CANCEL). */
  get rememberedTransactions(): number {
    return this.transactions.size;
  }

  /** Records a response of the transaction; a final one starts the time after which it is forgotten. */
  private respond(t: ServerTransaction, r: SipResponse): SipResponse {
    t.responses.push(r);
    if (r.status >= 200) t.finalAt = this.clock.now();
    return r;
  }

  private forgetFinishedTransactions(): void {
    const before = this.clock.now() - SERVER_TRANSACTION_MEMORY_MS;
    for (const [key, t] of this.transactions) {
      if (t.finalAt !== undefined && t.finalAt < before) this.transactions.delete(key);
    }
  }

  receive(p: ParsedSipMessage, source: { ip: string; port: number }): { send: SipResponse[]; events: SbcEvent[] } {
    const m = p.message;
    if (m.kind !== 'request') return { send: [], events: [] };
    this.forgetFinishedTransactions();
    const via = parsedValue<Via[]>(p, 'Via')?.[0];
    const key = `${via ? viaBranch(via) : ''};${via?.host}:${via?.port ?? ''};${m.method === 'ACK' ? 'INVITE' : m.method}`;
    const known = this.transactions.get(key);
    if (known && m.method !== 'ACK' && m.method !== 'CANCEL') {
      // RFC 3261 §17.2.1, §17.2.2: a retransmitted request gets the latest response again.
      return { send: known.responses.slice(-1), events: [{ kind: 'retransmission' }] };
    }
    const t: ServerTransaction = { request: m, responses: [], toTag: newTag(this.random) };
    const reply = (status: number, extra: Omit<Parameters<typeof responseTo>[2], 'toTag'> = {}) =>
      this.respond(t, responseTo(m, status, { toTag: t.toTag, ...extra }));
    if (m.method !== 'ACK' && m.method !== 'CANCEL') this.transactions.set(key, t);

    const refused = admitRequest(p, this.config.policy ?? SBC_POLICY);
    if (refused) {
      if (m.method === 'ACK') return { send: [], events: [] };
      return {
        send: [reply(refused.status, { headers: refused.responseHeaders })],
        events: [{ kind: 'rejected', status: refused.status, detail: refused.detail, line: refused.line }],
      };
    }

    switch (m.method) {
      case 'OPTIONS':
        return {
          send: [
            reply(200, {
              headers: [
                { name: 'Allow', value: SBC_POLICY.methods.join(', ') },
                { name: 'Accept', value: 'application/sdp' },
              ],
            }),
          ],
          events: [],
        };
      case 'REGISTER': {
        const { response, verdict } = this.registrar.handle(p, source);
        this.respond(t, response);
        return { send: [response], events: [{ kind: 'registrar', verdict }] };
      }
      case 'INVITE': {
        const call = this.calls.get(headerValue(m, 'Call-ID')!);
        const inDialog = /;\s*tag\s*=/i.test(headerValue(m, 'To') ?? '');
        if (call?.state === 'confirmed' && inDialog) return this.reinvite(p, reply);
        if (call && inDialog) {
          // RFC 3261 §14.2: a re-INVITE before the call is set up (its first INVITE not yet acknowledged) waits.
          return {
            send: [reply(491)],
            events: [{ kind: 'rejected', status: 491, detail: 're-INVITE before the ACK of the first INVITE' }],
          };
        }
        return this.invite(p, source, t, reply);
      }
      case 'ACK': {
        const callId = headerValue(m, 'Call-ID')!;
        const call = this.calls.get(callId);
        // Only the ACK of the first answer establishes the call; one for a re-INVITE's 2xx changes nothing.
        if (!call || call.state !== 'answered') return { send: [], events: [] };
        call.state = 'confirmed';
        if (call.dialog) call.dialog.state = 'confirmed';
        return { send: [], events: [{ kind: 'call-established', callId }] };
      }
      case 'BYE': {
        const callId = headerValue(m, 'Call-ID')!;
        const call = this.calls.get(callId);
        if (!call) return { send: [reply(481)], events: [] };
        this.calls.delete(callId);
        return { send: [reply(200)], events: [{ kind: 'call-ended', callId }] };
      }
      case 'CANCEL': {
        // RFC 3261 §9.2: the CANCEL matches the INVITE's server transaction by its branch.
        const inviteKey = key.replace(/;CANCEL$/, ';INVITE');
        const invite = this.transactions.get(inviteKey);
        const callId = headerValue(m, 'Call-ID')!;
        const call = this.calls.get(callId);
        if (!invite || !call || call.state !== 'ringing') return { send: [reply(481)], events: [] };
        this.calls.delete(callId);
        const ok = reply(200);
        const terminated = this.respond(invite, responseTo(invite.request, 487, { toTag: invite.toTag }));
        return { send: [ok, terminated], events: [{ kind: 'call-cancelled' }] };
      }
      default:
        return {
          send: [reply(405, { headers: [{ name: 'Allow', value: SBC_POLICY.methods.join(', ') }] })],
          events: [],
        };
    }
  }

  /** A re-INVITE: the offer answered afresh, with a new key of its own (RFC 3264 §8, RFC 4568 §7.1.4). */
  private reinvite(
    p: ParsedSipMessage,
    reply: (status: number, extra?: Omit<Parameters<typeof responseTo>[2], 'toTag'>) => SipResponse,
  ): { send: SipResponse[]; events: SbcEvent[] } {
    const m = p.message as SipRequest;
    let offer;
    try {
      offer = parseSdp(m.body).sdp;
    } catch (e) {
      if (!isSipParseError(e)) throw e;
      return {
        send: [reply(400, { reason: 'Bad SDP' })],
        events: [{ kind: 'rejected', status: 400, detail: e.message }],
      };
    }
    const callId = headerValue(m, 'Call-ID')!;
    const answer = answerOffer(offer, this.config.carrier.srtp, this.localMedia(callId), this.random);
    if (!answer.ok) {
      // RFC 3261 §14.2: the call goes on with the media it had; the Warning says why the change was refused.
      return {
        send: [reply(488, { headers: [this.incompatibleMedia(answer.detail)] })],
        events: [{ kind: 'rejected', status: 488, detail: answer.detail }],
      };
    }
    const ok = reply(200, {
      headers: [this.contact(m), { name: 'Allow', value: SBC_POLICY.methods.join(', ') }],
      body: serializeSdp(answer.sdp),
      contentType: 'application/sdp',
    });
    return {
      send: [ok],
      events: [{ kind: 'media-updated', callId, agreement: answer.agreement, direction: answer.direction }],
    };
  }

  /** RFC 3261 §20.43: warn-code 305 "Incompatible media format", with why. */
  private incompatibleMedia(detail: string): SipHeader {
    return { name: 'Warning', value: `305 ${this.config.carrier.sbc.host} "${detail.replace(/["\\]/g, "'")}"` };
  }

  /** The SBC's side of the media, for its SDP answers; a new o= version for each (RFC 3264 §8). */
  private localMedia(callId: string) {
    const { carrier } = this.config;
    const local = this.config.media?.(callId) ?? { address: carrier.sbc.ip, port: carrier.sbc.rtpPort };
    this.sdpVersion++;
    return {
      address: local.address,
      port: local.port,
      payloadTypes: [0, 8],
      username: 'sbc',
      sessionId: (this.sdpSession ??= String(new DataView(this.random.bytes(4).buffer).getUint32(0))),
      version: String(Number(this.sdpSession) + this.sdpVersion - 1),
    };
  }

  private invite(
    p: ParsedSipMessage,
    source: { ip: string },
    t: ServerTransaction,
    reply: (status: number, extra?: Omit<Parameters<typeof responseTo>[2], 'toTag'>) => SipResponse,
  ): { send: SipResponse[]; events: SbcEvent[] } {
    const m = p.message as SipRequest;
    const { carrier } = this.config;
    const trying = this.respond(t, responseTo(m, 100));
    const callId = headerValue(m, 'Call-ID')!;

    // Who is calling: a PBX registered from this address, or a trusted address (IP authentication).
    const from = parsedValue<NameAddress>(p, 'From')!;
    const user = from.uri.kind === 'sip' ? from.uri.user : undefined;
    const registered = ['sip', 'sips'].some(
      (scheme) => this.registrar.bindingsOf(`${scheme}:${user ?? ''}@${carrier.domain}`).length > 0,
    );
    const known = carrier.auth === 'ip' ? this.registrar.trusts(source.ip) : registered;
    if (!known) {
      return {
        send: [trying, reply(403)],
        events: [
          {
            kind: 'call-refused',
            status: 403,
            detail: carrier.auth === 'ip' ? `${source.ip} is not a trusted address` : 'the caller is not registered',
          },
        ],
      };
    }

    // RFC 3261 §21.4.4: a number the carrier cannot route does not exist for it; the Warning says why (§20.43).
    const uri = p.requestUri!;
    const called = uri.kind === 'sip' ? (uri.user ?? '') : uri.text.slice(uri.scheme.length + 1).replace(/;.*$/, '');
    const noRoute = this.config.route?.(called);
    if (noRoute !== undefined) {
      const warning = { name: 'Warning', value: `399 ${carrier.sbc.host} "${noRoute.replace(/["\\]/g, "'")}"` };
      return {
        send: [trying, reply(404, { headers: [warning] })],
        events: [{ kind: 'call-refused', status: 404, detail: noRoute }],
      };
    }

    let offer;
    try {
      offer = parseSdp(m.body).sdp;
    } catch (e) {
      if (!isSipParseError(e)) throw e;
      return {
        send: [trying, reply(400, { reason: 'Bad SDP' })],
        events: [{ kind: 'call-refused', status: 400, detail: e.message }],
      };
    }
    this.sdpSession = undefined;
    this.sdpVersion = 0;
    const answer = answerOffer(offer, carrier.srtp, this.localMedia(callId), this.random);
    if (!answer.ok) {
      return {
        send: [trying, reply(488, { headers: [this.incompatibleMedia(answer.detail)] })],
        events: [{ kind: 'call-refused', status: 488, detail: answer.detail, failure: answer.failure }],
      };
    }
    const ringing = reply(180, { headers: [this.contact(m)] });
    if (this.config.callee === 'busy') {
      return {
        send: [trying, ringing, reply(486)],
        events: [{ kind: 'call-refused', status: 486, detail: 'the called party is busy' }],
      };
    }
    if (this.config.callee === 'ring') {
      this.calls.set(callId, { state: 'ringing' });
      return { send: [trying, ringing], events: [] };
    }
    const ok = reply(200, {
      headers: [this.contact(m), { name: 'Allow', value: SBC_POLICY.methods.join(', ') }],
      body: serializeSdp(answer.sdp),
      contentType: 'application/sdp',
    });
    this.calls.set(callId, { state: 'answered', dialog: this.dialogOf(p, t.toTag) });
    return {
      send: [trying, ringing, ok],
      events: [{ kind: 'media-agreed', callId, agreement: answer.agreement, direction: answer.direction }],
    };
  }

  /** The dialog a 2xx to this INVITE sets up, seen from the answering side (RFC 3261 §12.1.1). */
  private dialogOf(p: ParsedSipMessage, toTag: string): Dialog | undefined {
    const from = parsedValue<NameAddress>(p, 'From');
    const to = parsedValue<NameAddress>(p, 'To');
    const target = contactTarget(parsedValue<NameAddress[] | '*'>(p, 'Contact'));
    const remoteTag = from && tagOf(from);
    if (!from || !to || !target || remoteTag === undefined) return undefined;
    return {
      callId: headerValue(p.message, 'Call-ID')!,
      localTag: toTag,
      remoteTag,
      localAddress: untagged(to),
      remoteAddress: untagged(from),
      remoteTarget: target,
      // The UAS keeps the Record-Route entries in the order they arrived (§12.1.1).
      routeSet: headerValues(p.message, 'Record-Route'),
      localSeq: 0,
      state: 'early',
    };
  }

  /**
   * Ends an answered call from the SBC's side: the BYE to send, with `via` as
   * its top Via (RFC 3261 §15.1.1), or undefined when there is no such call.
   * The call is over for the SBC as soon as it sends BYE (§15.1.1); the
   * PBX's own BYE crossing it gets 481.
   */
  hangUp(callId: string, via: SipHeader): SipRequest | undefined {
    const call = this.calls.get(callId);
    if (!call?.dialog || (call.state !== 'answered' && call.state !== 'confirmed')) return undefined;
    this.calls.delete(callId);
    call.dialog.state = 'terminated';
    return inDialogRequest(call.dialog, 'BYE', via);
  }
}
