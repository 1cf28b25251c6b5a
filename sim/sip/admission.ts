/**
 * What an element does with a well-formed message it may still refuse
 * (RFC 3261 §8.2 for a UAS, §16.3 for forwarding, §8.1.3.3 for responses).
 *
 * Requests are checked in the order RFC 3261 §8.2 gives: the method (501),
 * the message's own consistency (400, validate.ts), Max-Forwards (483,
 * §16.3), the Request-URI's scheme (416, §8.2.2.1), required extensions
 * (420 with Unsupported, §8.2.2.3), the body's type (415, §8.2.3) and what the
 * client will accept back (406). RFC 4475 §3.3 gives a message for each.
 */
import type { NameAddress } from './address';
import type { ParsedSipMessage } from './parse';
import { checkMessage, type SipRejection } from './validate';
import type { Via } from './via';

export interface ElementPolicy {
  /** Methods the element implements; others get 501 (RFC 3261 §8.2.1). */
  methods: readonly string[];
  /** URI schemes it serves (RFC 3261 §8.2.2.1). */
  schemes: readonly string[];
  /** Option tags it supports (RFC 3261 §8.2.2.3). */
  extensions: readonly string[];
  /** Body types it understands (RFC 3261 §8.2.3). */
  bodyTypes: readonly string[];
  /** Whether it acts as a registrar, whose To must be a SIP or SIPS AOR (RFC 3261 §10.3 step 3). */
  registrar: boolean;
}

/** What the carrier SBC in the lab accepts. */
export const SBC_POLICY: ElementPolicy = {
  methods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER'],
  schemes: ['sip', 'sips', 'tel'],
  extensions: [],
  bodyTypes: ['application/sdp'],
  registrar: true,
};

export function admitRequest(p: ParsedSipMessage, policy: ElementPolicy = SBC_POLICY): SipRejection | undefined {
  if (p.message.kind !== 'request') throw new TypeError('admitRequest takes a request');
  const m = p.message;
  // RFC 3261 §8.2.1; RFC 4475 §3.1.2.18 prefers 501 to 400 for an unknown method.
  if (!policy.methods.includes(m.method)) {
    return {
      status: 501,
      detail: `method ${m.method} is not implemented here`,
      line: 1,
      responseHeaders: [{ name: 'Allow', value: policy.methods.join(', ') }],
    };
  }
  const invalid = checkMessage(p);
  if (invalid) return invalid;

  const maxForwards = p.headers.find((h) => h.canonical === 'Max-Forwards');
  if (maxForwards && maxForwards.parsed === 0 && m.method !== 'OPTIONS') {
    // RFC 3261 §16.3 step 2 (an OPTIONS may be answered here instead, RFC 4475 §3.3.11).
    return {
      status: 483,
      detail: 'Max-Forwards is 0: the request may not be forwarded',
      line: maxForwards.line,
      header: 'Max-Forwards',
    };
  }
  const uri = p.requestUri!;
  if (!policy.schemes.includes(uri.kind === 'sip' ? uri.scheme : uri.scheme)) {
    return { status: 416, detail: `URI scheme "${uri.scheme}:" is not supported here (RFC 3261 §8.2.2.1)`, line: 1 };
  }
  if (policy.registrar && m.method === 'REGISTER') {
    const to = p.headers.find((h) => h.canonical === 'To')!;
    if ((to.parsed as NameAddress).uri.kind !== 'sip') {
      // RFC 3261 §10.3 step 3; RFC 4475 §3.3.4.
      return {
        status: 400,
        detail: 'a registration’s To must be a sip: or sips: address of record',
        line: to.line,
        header: 'To',
      };
    }
  }
  const required = p.headers.filter((h) => h.canonical === 'Require').flatMap((h) => h.parsed as string[]);
  const unsupported = required.filter((t) => !policy.extensions.includes(t));
  if (unsupported.length > 0) {
    const line = p.headers.find((h) => h.canonical === 'Require')!.line;
    return {
      status: 420,
      detail: `required extensions not supported: ${unsupported.join(', ')} (RFC 3261 §8.2.2.3)`,
      line,
      header: 'Require',
      responseHeaders: [{ name: 'Unsupported', value: unsupported.join(', ') }],
    };
  }
  const contentType = p.headers.find((h) => h.canonical === 'Content-Type');
  if (m.body.length > 0 && (!contentType || !policy.bodyTypes.includes(contentType.parsed as string))) {
    return {
      status: 415,
      detail: contentType
        ? `body type ${contentType.parsed as string} is not understood (RFC 3261 §8.2.3)`
        : 'a body without Content-Type',
      line: contentType?.line,
      header: 'Content-Type',
      responseHeaders: [{ name: 'Accept', value: policy.bodyTypes.join(', ') }],
    };
  }
  const accept = p.headers.filter((h) => h.canonical === 'Accept');
  if (m.method === 'INVITE' && accept.length > 0) {
    const types = accept.flatMap((h) => h.parsed as string[]);
    const ok = types.some((t) => t === '*/*' || t === 'application/*' || policy.bodyTypes.includes(t));
    // The answer to an INVITE carries SDP; a client that cannot take it gets 406 (RFC 3261 §21.4.7, RFC 4475 §3.3.15).
    if (!ok)
      return {
        status: 406,
        detail: `Accept (${types.join(', ')}) leaves no body type the answer could use`,
        line: accept[0].line,
        header: 'Accept',
      };
  }
  return undefined;
}

/**
 * Whether a user agent keeps a response (RFC 3261 §8.1.3.3): one Via only,
 * and that Via not a broadcast or multicast address (RFC 4475 §3.3.10).
 */
export function acceptResponse(p: ParsedSipMessage): { accept: true } | { accept: false; reason: string } {
  if (p.message.kind !== 'response') throw new TypeError('acceptResponse takes a response');
  const invalid = checkMessage(p);
  if (invalid) return { accept: false, reason: invalid.detail };
  const vias = p.headers.filter((h) => h.canonical === 'Via').flatMap((h) => h.parsed as Via[]);
  const broadcast = vias.find((v) => isBroadcastOrMulticast(v.host));
  if (broadcast) {
    return {
      accept: false,
      reason: `a Via sent-by is the broadcast or multicast address ${broadcast.host}: never answer there (RFC 4475 §3.3.10)`,
    };
  }
  if (vias.length !== 1) {
    return {
      accept: false,
      reason: `a response for a user agent carries one Via, this one has ${vias.length} (RFC 3261 §8.1.3.3)`,
    };
  }
  return { accept: true };
}

/** Whether an address is broadcast or multicast: a response must never be sent there (RFC 4475 §3.3.10). */
export function isBroadcastOrMulticast(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  return !!m && (host === '255.255.255.255' || (Number(m[1]) >= 224 && Number(m[1]) <= 239));
}
