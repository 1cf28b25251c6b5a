/**
 * The carrier's SBC placing a call towards a registered PBX (RFC 3261 §8.1,
 * §13.2), sans-IO: a caller from the telephone network dials the customer's
 * number, and the SBC sends an INVITE to the Contact the PBX registered,
 * over the connection the registration came in on (RFC 5626 §5.3: the flow
 * the PBX keeps open), with an SDP offer carrying the SBC's own SDES keys
 * (RFC 4568 §7.1.1).
 *
 * - 1xx: the call is proceeding or ringing;
 * - 2xx: ACK (a new transaction, §13.2.2.4), and the answer checked against
 *   the offer (RFC 3264 §6, RFC 4568 §7.1.3): the keys each side sends with;
 * - 3xx–6xx: ACK in the INVITE's transaction (§17.1.1.3), the call failed;
 * - BYE ends the call from the SBC's side (§15.1.1).
 *
 * When no response comes at all, the transaction layer gives up after Timer B
 * (64·T1 = 32 s, §17.1.1.2); the scenario keeps that clock.
 */
import type { CarrierProfile } from '../carrier';
import type { RandomSource } from '../crypto/random';
import type { NameAddress } from './address';
import { contactTarget, inDialogRequest, tagOf, untagged, type Dialog } from './dialog';
import { newBranch, newCallId, newTag } from './identifiers';
import { headerValue, withContentLength, type SipRequest } from './message';
import { acceptAnswer, buildOffer, type Offer, type SrtpAgreement } from './offer-answer';
import { parsedValue, type ParsedSipMessage } from './parse';
import { parseSdp, serializeSdp } from './sdp';
import { formatVia, viaBranch, type Via } from './via';

/** RFC 3261 §17.1.1.2: Timer B = 64·T1, T1 = 500 ms. */
export const TIMER_B_MS = 64 * 500;

export type SbcCallEvent =
  | { kind: 'ringing' }
  | { kind: 'answered'; agreement?: SrtpAgreement }
  | { kind: 'call-failed'; status: number; reason: string }
  | { kind: 'call-ended' };

export class SbcCaller {
  private invite?: { request: SipRequest; offer: Offer; branch: string };
  private byeBranch?: string;
  dialog?: Dialog;

  constructor(
    private readonly carrier: CarrierProfile,
    private readonly port: number,
    private readonly random: RandomSource,
  ) {}

  private via(branch = newBranch(this.random)) {
    return {
      name: 'Via',
      value: formatVia({
        protocol: 'SIP',
        version: '2.0',
        transport: 'TLS',
        host: this.carrier.sbc.host,
        port: this.port,
        params: [{ name: 'branch', value: branch }],
      }),
    };
  }

  /** The INVITE for a call from `caller` to the customer's number, sent to the PBX's registered Contact. */
  call(contact: string, caller: string): SipRequest {
    const { carrier } = this;
    const offer = buildOffer(
      {
        address: carrier.sbc.ip,
        port: carrier.sbc.rtpPort,
        payloadTypes: [0, 8],
        username: 'sbc',
        sessionId: String(new DataView(this.random.bytes(4).buffer).getUint32(0)),
      },
      { secure: true, suites: carrier.srtp.suites },
      this.random,
    );
    const branch = newBranch(this.random);
    const uri = /^<?([^>]+)>?/.exec(contact)?.[1]?.replace(/;expires=\d+$/, '') ?? contact;
    const request = withContentLength<SipRequest>({
      kind: 'request',
      method: 'INVITE',
      uri,
      headers: [
        this.via(branch),
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: `<sip:${caller}@${carrier.domain};user=phone>;tag=${newTag(this.random)}` },
        { name: 'To', value: `<sip:${carrier.customer.number}@${carrier.domain};user=phone>` },
        { name: 'Call-ID', value: newCallId(this.random, carrier.sbc.host) },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Contact', value: `<sip:${carrier.sbc.host}:${this.port};transport=tls>` },
        { name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS' },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body: serializeSdp(offer.sdp),
    });
    this.invite = { request, offer, branch };
    return request;
  }

  /** BYE, once the call is up (RFC 3261 §15.1.1). */
  bye(): SipRequest | undefined {
    if (!this.dialog || this.dialog.state !== 'confirmed') return undefined;
    this.byeBranch = newBranch(this.random);
    this.dialog.state = 'terminated';
    return inDialogRequest(this.dialog, 'BYE', this.via(this.byeBranch));
  }

  /** A response from the PBX: what to send back, and what happened. */
  receive(p: ParsedSipMessage): { send: SipRequest[]; events: SbcCallEvent[] } {
    const m = p.message;
    if (m.kind !== 'response') return { send: [], events: [] };
    const via = parsedValue<Via[]>(p, 'Via')?.[0];
    const branch = via ? viaBranch(via) : undefined;
    if (branch && branch === this.byeBranch) {
      return m.status >= 200 ? { send: [], events: [{ kind: 'call-ended' }] } : { send: [], events: [] };
    }
    const invite = this.invite;
    if (!invite || branch !== invite.branch) return { send: [], events: [] };
    if (m.status < 200) return { send: [], events: m.status >= 180 ? [{ kind: 'ringing' }] : [] };
    const to = parsedValue<NameAddress>(p, 'To')!;
    if (m.status >= 300) {
      // RFC 3261 §17.1.1.3: the ACK of a failure is part of the INVITE's transaction.
      const ack = withContentLength<SipRequest>({
        kind: 'request',
        method: 'ACK',
        uri: invite.request.uri,
        headers: [
          invite.request.headers[0],
          { name: 'Max-Forwards', value: '70' },
          { name: 'From', value: headerValue(invite.request, 'From')! },
          { name: 'To', value: headerValue(m, 'To')! },
          { name: 'Call-ID', value: headerValue(invite.request, 'Call-ID')! },
          { name: 'CSeq', value: '1 ACK' },
        ],
        body: new Uint8Array(0),
      });
      return { send: [ack], events: [{ kind: 'call-failed', status: m.status, reason: m.reason }] };
    }
    // The response copies the INVITE's From (RFC 3261 §8.2.6.2): this side's address and tag, parsed.
    const from = parsedValue<NameAddress>(p, 'From')!;
    this.dialog = {
      callId: headerValue(m, 'Call-ID')!,
      localTag: tagOf(from) ?? '',
      remoteTag: tagOf(to) ?? '',
      localAddress: untagged(from),
      remoteAddress: untagged(to),
      remoteTarget: contactTarget(parsedValue<NameAddress[] | '*'>(p, 'Contact')) ?? invite.request.uri,
      routeSet: [],
      localSeq: 1,
      state: 'confirmed',
    };
    const ack = inDialogRequest(this.dialog, 'ACK', this.via(), [], { cseq: 1 });
    const accepted = m.body.length
      ? acceptAnswer(invite.offer, parseSdp(m.body).sdp)
      : { ok: false as const, detail: 'the 200 OK has no SDP answer' };
    if (!accepted.ok) {
      const bye = this.bye()!;
      return { send: [ack, bye], events: [{ kind: 'call-failed', status: 488, reason: accepted.detail }] };
    }
    this.invite = undefined;
    return { send: [ack], events: [{ kind: 'answered', agreement: accepted.agreement }] };
  }
}
