/**
 * Message-level checks after parsing (RFC 3261 §8.1.1, §8.2, §7.3.1): the
 * headers every request and response must carry, the headers that may appear
 * only once, and the CSeq method that must match the request's. A failure is
 * the response an element sends: 400 Bad Request naming what was wrong and
 * the line (RFC 4475 §3.1.2.17, §3.3.1, §3.3.8).
 */
import type { ParsedSipMessage } from './parse';

/** Why a message was refused, as the status code a server answers with. */
export interface SipRejection {
  status: number;
  /** What was wrong, in words. */
  detail: string;
  /** The line it was found on, when there is one. */
  line?: number;
  header?: string;
  /** Extra headers the response must carry (Unsupported for 420, Accept for 415). */
  responseHeaders?: Array<{ name: string; value: string }>;
}

/** RFC 3261 §8.1.1: every request carries these (Max-Forwards too, but RFC 2543 peers omit it, RFC 4475 §3.4.1). */
const REQUIRED_IN_REQUESTS = ['To', 'From', 'CSeq', 'Call-ID', 'Via'];
/** RFC 3261 §8.2.6.2: responses copy these from the request. */
const REQUIRED_IN_RESPONSES = ['To', 'From', 'CSeq', 'Call-ID', 'Via'];
/** Headers whose grammar allows a single value (RFC 3261 §7.3.1, §20). */
const SINGLE_VALUED = ['To', 'From', 'CSeq', 'Call-ID', 'Max-Forwards', 'Content-Type', 'Content-Length', 'Expires'];

export function checkMessage(p: ParsedSipMessage): SipRejection | undefined {
  const seen = new Map<string, number>();
  for (const h of p.headers) {
    if (!SINGLE_VALUED.includes(h.canonical)) continue;
    const first = seen.get(h.canonical);
    if (first !== undefined) {
      return {
        status: 400,
        detail: `${h.canonical} may appear only once, but appears on lines ${first} and ${h.line} (RFC 3261 §7.3.1)`,
        line: h.line,
        header: h.canonical,
      };
    }
    seen.set(h.canonical, h.line);
  }
  const required = p.message.kind === 'request' ? REQUIRED_IN_REQUESTS : REQUIRED_IN_RESPONSES;
  const missing = required.filter((name) => !seen.has(name) && !p.headers.some((h) => h.canonical === name));
  if (missing.length > 0) {
    return {
      status: 400,
      detail: `missing required header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (RFC 3261 §8.1.1)`,
      line: 1,
    };
  }
  if (p.message.kind === 'request') {
    const cseq = p.headers.find((h) => h.canonical === 'CSeq')!;
    const { method } = cseq.parsed as { method: string };
    if (method !== p.message.method) {
      return {
        status: 400,
        detail: `CSeq method ${method} does not match the request method ${p.message.method} (RFC 3261 §8.1.1.5)`,
        line: cseq.line,
        header: 'CSeq',
      };
    }
  }
  return undefined;
}
