/**
 * EncryptedExtensions (RFC 8446 §4.3.1): the server's extensions that do not
 * shape the key exchange, sent under the handshake keys.
 */
import type { ByteReader } from '../../wire/reader';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';
import { readExtensions, writeExtensions, type Extensions } from './extensions';

export function writeEncryptedExtensions(e: Omit<Extensions, 'types'>): Encoded {
  return writeHandshake('encrypted_extensions', (w) => writeExtensions(w, e, 'encrypted_extensions'));
}

export function readEncryptedExtensions(message: HandshakeMessage): { value: Extensions; fields: Encoded['fields'] } {
  return readHandshake(message, (r: ByteReader) => readExtensions(r, 'encrypted_extensions'));
}
