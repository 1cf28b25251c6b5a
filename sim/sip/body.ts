/**
 * How a SIP message body is explained (RFC 3261 §7.4): a session description
 * (`application/sdp`, RFC 8866) is parsed and annotated line by line; any
 * other body, or an SDP that does not parse, is shown as opaque bytes with
 * the reason.
 */
import type { Field } from '../wire/field';
import { parseSdp } from './sdp';
import { isSipParseError } from './syntax-error';

export function describeBody(contentType: string | undefined, bytes: Uint8Array, start: number, end: number): Field {
  const opaque = (note?: string): Field => ({
    name: 'message body',
    value: `${end - start} bytes${contentType ? ` of ${contentType}` : ''}`,
    ...(note ? { note } : contentType ? {} : { note: 'No Content-Type: the body’s format is not stated.' }),
    spec: 'RFC 3261 §7.4',
    start,
    end,
  });
  if (contentType !== 'application/sdp') return opaque();
  try {
    return parseSdp(bytes.subarray(start, end), start).fields[0];
  } catch (e) {
    if (isSipParseError(e)) return opaque(`The SDP does not parse: ${e.message}`);
    throw e;
  }
}
