/**
 * Finished (RFC 8446 §4.4.4; RFC 5246 §7.4.9): a MAC over the whole handshake
 * under a key only the two endpoints can have. If an attacker changed any
 * handshake byte, the two sides compute different values and the handshake
 * fails with decrypt_error.
 */
import type { ByteReader } from '../../wire/reader';
import { toHex } from '../../wire/bytes';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';

export function writeFinished(verifyData: Uint8Array, tls12: boolean): Encoded {
  return writeHandshake(
    'finished',
    (w) => {
      w.bytes(verifyData, {
        name: 'verify_data',
        value: toHex(verifyData),
        note: tls12
          ? 'PRF(master_secret, finished_label, Hash(handshake_messages))[0..11].'
          : 'HMAC(finished_key, Transcript-Hash(handshake so far)).',
        spec: tls12 ? 'RFC 5246 §7.4.9' : 'RFC 8446 §4.4.4',
      });
    },
    { tls12 },
  );
}

export function readFinished(
  message: HandshakeMessage,
  tls12: boolean,
): { value: Uint8Array; fields: Encoded['fields'] } {
  return readHandshake(
    message,
    (r: ByteReader) =>
      r.rest({ name: 'verify_data', value: toHex, spec: tls12 ? 'RFC 5246 §7.4.9' : 'RFC 8446 §4.4.4' }),
    tls12,
  );
}
