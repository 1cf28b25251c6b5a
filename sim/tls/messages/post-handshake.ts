/**
 * Messages that may arrive after the handshake: NewSessionTicket (RFC 8446
 * §4.6.1; TLS 1.2: RFC 5077 §3.3) and KeyUpdate (RFC 8446 §4.6.3). This
 * engine does not resume sessions, so a ticket is read, shown and set aside.
 */
import type { ByteReader } from '../../wire/reader';
import { toHex } from '../../wire/bytes';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';
import { readExtensions } from './extensions';

export interface NewSessionTicket {
  lifetimeSeconds: number;
  ticketLength: number;
}

export function readNewSessionTicket(
  message: HandshakeMessage,
  tls12: boolean,
): { value: NewSessionTicket; fields: Encoded['fields'] } {
  return readHandshake(
    message,
    (r: ByteReader) => {
      const lifetimeSeconds = r.uint32({
        name: tls12 ? 'ticket_lifetime_hint' : 'ticket_lifetime',
        value: (v) => `${v} s`,
        spec: tls12 ? 'RFC 5077 §3.3' : 'RFC 8446 §4.6.1',
      });
      if (!tls12) {
        r.uint32({ name: 'ticket_age_add', spec: 'RFC 8446 §4.6.1' });
        const nonce = r.lengthPrefixed(1, { name: 'ticket_nonce length' }, { name: 'ticket_nonce' });
        if (r.remaining > 0) r.rest({ name: 'nonce', value: toHex });
        nonce();
      }
      const t = r.lengthPrefixed(2, { name: 'ticket length' }, { name: 'ticket' });
      const ticketLength = r.remaining;
      if (r.remaining > 0)
        r.rest({ name: 'opaque ticket', value: (b) => `${b.length} bytes`, note: 'Only the server can read it.' });
      t();
      if (!tls12) readExtensions(r, 'new_session_ticket');
      return { lifetimeSeconds, ticketLength };
    },
    tls12,
  );
}

export function writeKeyUpdate(requestUpdate: boolean): Encoded {
  return writeHandshake('key_update', (w) => {
    w.uint8(requestUpdate ? 1 : 0, {
      name: 'request_update',
      value: requestUpdate ? 'update_requested (1)' : 'update_not_requested (0)',
      spec: 'RFC 8446 §4.6.3',
    });
  });
}

export function readKeyUpdate(message: HandshakeMessage): { value: boolean; fields: Encoded['fields'] } {
  return readHandshake(message, (r: ByteReader) => {
    const v = r.uint8({
      name: 'request_update',
      value: (x) => (x === 1 ? 'update_requested (1)' : x === 0 ? 'update_not_requested (0)' : `invalid (${x})`),
      spec: 'RFC 8446 §4.6.3',
    });
    if (v > 1) throw r.error('invalid_value', `request_update must be 0 or 1, not ${v}`);
    return v === 1;
  });
}
