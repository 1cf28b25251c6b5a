/**
 * Handshake message framing (RFC 8446 §4, RFC 5246 §7.4):
 *
 * struct { HandshakeType msg_type; uint24 length; <body> } Handshake;
 *
 * `writeHandshake` and `readHandshake` put the header around a body that a
 * message module writes or reads, so every message's field tree starts with
 * its type and length. `HandshakeReassembler` joins the handshake bytes of
 * successive records and cuts them into whole messages: a message may span
 * records, and a record may hold several messages (RFC 8446 §5.1).
 */
import { ByteReader } from '../wire/reader';
import { ByteWriter } from '../wire/writer';
import { concatBytes } from '../wire/bytes';
import { isParseError } from '../wire/parse-error';
import {
  HANDSHAKE_LABEL,
  HANDSHAKE_TYPE,
  describeHandshakeType,
  handshakeTypeName,
  type HandshakeTypeName,
} from './codepoints';
import { fail } from './alert';
import type { Encoded } from './record';

/**
 * No message this engine expects comes near this size; a certificate chain of
 * a few certificates is a few kilobytes. A peer that announces more is refused
 * before its bytes are buffered (OpenSSL's default limit is similar).
 */
export const MAX_HANDSHAKE_MESSAGE = 2 ** 17;

export interface HandshakeMessage {
  type: number;
  /** The whole message, header included: what the transcript hashes. */
  bytes: Uint8Array;
}

const SPEC: Partial<Record<HandshakeTypeName, string>> = {
  client_hello: 'RFC 8446 §4.1.2',
  server_hello: 'RFC 8446 §4.1.3',
  new_session_ticket: 'RFC 8446 §4.6.1',
  encrypted_extensions: 'RFC 8446 §4.3.1',
  certificate: 'RFC 8446 §4.4.2',
  server_key_exchange: 'RFC 5246 §7.4.3',
  certificate_request: 'RFC 8446 §4.3.2',
  server_hello_done: 'RFC 5246 §7.4.5',
  certificate_verify: 'RFC 8446 §4.4.3',
  client_key_exchange: 'RFC 5246 §7.4.7',
  finished: 'RFC 8446 §4.4.4',
  key_update: 'RFC 8446 §4.6.3',
};

export function handshakeSpec(type: HandshakeTypeName, tls12 = false): string {
  if (tls12) {
    const tls12Spec: Partial<Record<HandshakeTypeName, string>> = {
      client_hello: 'RFC 5246 §7.4.1.2',
      server_hello: 'RFC 5246 §7.4.1.3',
      certificate: 'RFC 5246 §7.4.2',
      certificate_request: 'RFC 5246 §7.4.4',
      certificate_verify: 'RFC 5246 §7.4.8',
      finished: 'RFC 5246 §7.4.9',
    };
    return tls12Spec[type] ?? SPEC[type] ?? 'RFC 5246 §7.4';
  }
  return SPEC[type] ?? 'RFC 8446 §4';
}

/** Writes a whole handshake message: header, then the body `write` produces. */
export function writeHandshake(
  type: HandshakeTypeName,
  write: (w: ByteWriter) => void,
  about: { value?: string; note?: string; tls12?: boolean } = {},
): Encoded {
  const w = new ByteWriter(256);
  const spec = handshakeSpec(type, about.tls12);
  const done = w.group({
    name: HANDSHAKE_LABEL[type],
    layer: 'tls-handshake',
    value: about.value,
    note: about.note,
    spec,
  });
  w.uint8(HANDSHAKE_TYPE[type], { name: 'msg_type', value: describeHandshakeType, spec: 'RFC 8446 §4' });
  const body = w.lengthPrefixed(
    3,
    { name: 'length', value: (n) => `${n} bytes`, spec: 'RFC 8446 §4' },
    { name: 'body', spec },
  );
  write(w);
  body();
  done();
  return w.finish();
}

/**
 * Reads a whole handshake message with `read` parsing its body. Any ParseError
 * becomes a decode_error alert naming the field (RFC 8446 §6.2).
 */
export function readHandshake<T>(
  message: HandshakeMessage,
  read: (r: ByteReader) => T,
  tls12 = false,
): { value: T; fields: Encoded['fields'] } {
  const name = handshakeTypeName(message.type);
  const label = name ? HANDSHAKE_LABEL[name] : `handshake type ${message.type}`;
  const spec = name ? handshakeSpec(name, tls12) : 'RFC 8446 §4';
  const r = new ByteReader(message.bytes);
  try {
    const done = r.group({ name: label, layer: 'tls-handshake', spec });
    r.uint8({ name: 'msg_type', value: describeHandshakeType, spec: 'RFC 8446 §4' });
    const body = r.lengthPrefixed(
      3,
      { name: 'length', value: (n) => `${n} bytes`, spec: 'RFC 8446 §4' },
      { name: 'body', spec },
    );
    const value = read(r);
    body();
    done();
    r.expectEnd(label);
    return { value, fields: r.fields };
  } catch (e) {
    if (isParseError(e)) throw fail('decode_error', `${label} could not be decoded: ${e.message}`);
    throw e;
  }
}

/** Joins handshake fragments from records into whole messages. */
export class HandshakeReassembler {
  private buffer: Uint8Array = new Uint8Array(0);

  get pending(): number {
    return this.buffer.length;
  }

  push(fragment: Uint8Array): void {
    this.buffer = this.buffer.length === 0 ? fragment.slice() : concatBytes(this.buffer, fragment);
  }

  /** The next whole message, or undefined if more bytes are needed. */
  next(): HandshakeMessage | undefined {
    if (this.buffer.length < 4) return undefined;
    const length = (this.buffer[1] << 16) | (this.buffer[2] << 8) | this.buffer[3];
    if (length > MAX_HANDSHAKE_MESSAGE) {
      throw fail(
        'decode_error',
        `a ${describeHandshakeType(this.buffer[0])} message announces ${length} bytes; at most ${MAX_HANDSHAKE_MESSAGE} are accepted`,
      );
    }
    if (this.buffer.length < 4 + length) return undefined;
    const bytes = this.buffer.slice(0, 4 + length);
    this.buffer = this.buffer.slice(4 + length);
    return { type: bytes[0], bytes };
  }
}
