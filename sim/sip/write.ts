/**
 * Writes a SIP message with every byte explained. The bytes come from the
 * serializer; the explanation comes from parsing those same bytes, so the
 * annotation and the wire cannot disagree, and a message the lab could not
 * parse back is never sent.
 */
import type { Field } from '../wire/field';
import { serializeSipMessage, type SipMessage } from './message';
import { parseSipMessage } from './parse';

export function writeSipMessage(m: SipMessage): { bytes: Uint8Array; fields: Field[] } {
  const bytes = serializeSipMessage(m);
  return { bytes, fields: parseSipMessage(bytes).fields };
}
