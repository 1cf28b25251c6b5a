/**
 * Alerts (RFC 8446 §6, RFC 5246 §7.2): how a TLS endpoint says what went
 * wrong. An alert is a value here, with its real name and code and the reason
 * in words; the endpoints send it, show it and stop, never throw past it.
 *
 * struct { AlertLevel level; AlertDescription description; } Alert;
 */
import { ByteReader } from '../wire/reader';
import { ByteWriter } from '../wire/writer';
import type { Field } from '../wire/field';

export const ALERT_CODE = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  inappropriate_fallback: 86,
  user_canceled: 90,
  no_renegotiation: 100,
  missing_extension: 109,
  unsupported_extension: 110,
  unrecognized_name: 112,
  bad_certificate_status_response: 113,
  unknown_psk_identity: 115,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;

export type AlertName = keyof typeof ALERT_CODE;

const ALERT_NAMES = new Map<number, AlertName>(Object.entries(ALERT_CODE).map(([k, v]) => [v, k as AlertName]));

/** What each alert means, in a support engineer's words. */
const ALERT_MEANING: Record<AlertName, string> = {
  close_notify: 'the sender will send no more data on this connection',
  unexpected_message: 'a message arrived that does not belong at this point of the protocol',
  bad_record_mac: 'a record could not be authenticated: it was altered, or the keys differ',
  record_overflow: 'a record was longer than the protocol allows',
  handshake_failure: 'the two sides could not agree on security parameters',
  bad_certificate: 'a certificate was corrupt, had a bad signature, or did not fit its use',
  unsupported_certificate: 'a certificate was of a type the receiver does not support',
  certificate_revoked: 'a certificate was revoked by its signer',
  certificate_expired: 'a certificate has expired or is not yet valid',
  certificate_unknown: 'a certificate was unacceptable for some other reason',
  illegal_parameter: 'a field of a handshake message was out of range or inconsistent',
  unknown_ca: 'the certificate chain does not lead to a trusted certificate authority',
  access_denied: 'the peer is authenticated but not allowed to connect',
  decode_error: 'a message could not be decoded: a field is out of range or a length is wrong',
  decrypt_error: 'a signature or Finished value did not verify',
  protocol_version: 'the peer offered a protocol version the receiver does not accept',
  insufficient_security: 'the offered parameters are weaker than the receiver requires',
  internal_error: 'an error unrelated to the peer made it impossible to continue',
  inappropriate_fallback: 'a version fallback was refused',
  user_canceled: 'the user cancelled the handshake',
  no_renegotiation: 'renegotiation is not accepted',
  missing_extension: 'a required extension was absent',
  unsupported_extension: 'an extension appeared that was not offered',
  unrecognized_name: 'no server is known by the name asked for',
  bad_certificate_status_response: 'the certificate status response was invalid',
  unknown_psk_identity: 'no pre-shared key is known by that identity',
  certificate_required: 'a client certificate is required and none was sent',
  no_application_protocol: 'no application protocol offered is supported',
};

export interface TlsAlert {
  /** The description's name; `unknown` for a code no registry lists (treated as fatal, RFC 8446 §6). */
  name: AlertName | 'unknown';
  code: number;
  level: 'warning' | 'fatal';
  /** Why, in words: the protocol's meaning plus what this endpoint found. */
  reason: string;
}

export function alertName(code: number): AlertName | undefined {
  return ALERT_NAMES.get(code);
}

export function alertMeaning(name: AlertName): string {
  return ALERT_MEANING[name];
}

/** Builds an alert value; close_notify (and user_canceled) are warnings, the rest fatal (RFC 8446 §6). */
export function makeAlert(name: AlertName, reason?: string): TlsAlert {
  const level = name === 'close_notify' || name === 'user_canceled' ? 'warning' : 'fatal';
  return { name, code: ALERT_CODE[name], level, reason: reason ?? ALERT_MEANING[name] };
}

/**
 * Thrown inside an endpoint when the protocol must stop with an alert; the
 * endpoint turns it into the alert it sends and reports. It never leaves the
 * endpoint.
 */
export class TlsFailure extends Error {
  override readonly name = 'TlsFailure';
  constructor(readonly alert: TlsAlert) {
    super(`${alert.name}: ${alert.reason}`);
  }
}

export function fail(name: AlertName, reason: string): TlsFailure {
  return new TlsFailure(makeAlert(name, reason));
}

/** Writes an Alert message (the content of an alert record). */
export function writeAlert(alert: TlsAlert): { bytes: Uint8Array; fields: Field[] } {
  const w = new ByteWriter(2);
  const done = w.group({
    name: 'Alert',
    layer: 'tls-alert',
    value: `${alert.level} ${alert.name}`,
    note: alert.reason,
    spec: 'RFC 8446 §6',
  });
  w.uint8(alert.level === 'warning' ? 1 : 2, {
    name: 'level',
    value: (v) => `${v === 1 ? 'warning' : 'fatal'} (${v})`,
    note: 'TLS 1.3 treats every alert but close_notify and user_canceled as fatal.',
    spec: 'RFC 8446 §6',
  });
  w.uint8(alert.code, {
    name: 'description',
    value: (v) => `${alertName(v) ?? 'unknown'} (${v})`,
    note: alert.name === 'unknown' ? undefined : ALERT_MEANING[alert.name],
    spec: 'RFC 8446 §6',
  });
  done();
  return w.finish();
}

/** Parses an Alert message; an unknown description is still reported, by its number. */
export function readAlert(bytes: Uint8Array): { alert: TlsAlert; fields: Field[] } {
  const r = new ByteReader(bytes);
  const done = r.group({ name: 'Alert', layer: 'tls-alert', spec: 'RFC 8446 §6' });
  const level = r.uint8({
    name: 'level',
    value: (v) => `${v === 1 ? 'warning' : v === 2 ? 'fatal' : 'unknown'} (${v})`,
    spec: 'RFC 8446 §6',
  });
  const code = r.uint8({
    name: 'description',
    value: (v) => `${alertName(v) ?? 'unknown'} (${v})`,
    spec: 'RFC 8446 §6',
  });
  const name = alertName(code);
  if (level !== 1 && level !== 2) throw r.error('invalid_value', `alert level ${level} is neither warning nor fatal`);
  done({ value: `${level === 1 ? 'warning' : 'fatal'} ${name ?? code}` });
  r.expectEnd('Alert');
  const alert: TlsAlert = name
    ? { name, code, level: level === 1 ? 'warning' : 'fatal', reason: ALERT_MEANING[name] }
    : { name: 'unknown', code, level: 'fatal', reason: `an alert with a description no registry lists (${code})` };
  return { alert, fields: r.fields };
}
