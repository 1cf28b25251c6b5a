/**
 * Building a response to a request (RFC 3261 §8.2.6): the status line, then
 * the headers that tie it to the request — every Via in order, From, To (with
 * the answerer's tag once the response is more than 100 Trying), Call-ID and
 * CSeq — then whatever the response adds, and Content-Length.
 */
import type { SipHeader, SipRequest, SipResponse } from './message';
import { headerValue, withContentLength } from './message';
import { sameHeader } from './header-grammar';
import { reasonPhrase } from './status';

export interface ResponseOptions {
  /** The To tag of the answering side (RFC 3261 §8.2.6.2); not added to 100 Trying. */
  toTag?: string;
  headers?: SipHeader[];
  body?: Uint8Array;
  /** Content-Type of the body (RFC 3261 §20.15). */
  contentType?: string;
  reason?: string;
}

export function responseTo(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const vias = request.headers.filter((h) => sameHeader(h.name, 'Via')).map((h) => ({ name: 'Via', value: h.value }));
  let to = headerValue(request, 'To');
  if (to !== undefined && options.toTag && status > 100 && !/;\s*tag\s*=/i.test(to)) to += `;tag=${options.toTag}`;
  // A request refused for lacking From, To or Call-ID (RFC 4475 §3.3.1) still
  // gets its 400: the response copies what there is rather than write a header
  // with no value, which no parser would accept.
  const copied = (
    [
      ['From', headerValue(request, 'From')],
      ['To', to],
      ['Call-ID', headerValue(request, 'Call-ID')],
      ['CSeq', headerValue(request, 'CSeq')],
    ] as const
  ).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }]));
  const headers: SipHeader[] = [...vias, ...copied, ...(options.headers ?? [])];
  const body = options.body ?? new Uint8Array(0);
  if (body.length > 0 && options.contentType) headers.push({ name: 'Content-Type', value: options.contentType });
  return withContentLength<SipResponse>({
    kind: 'response',
    status,
    reason: options.reason ?? reasonPhrase(status),
    headers,
    body,
  });
}
