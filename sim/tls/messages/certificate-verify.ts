/**
 * CertificateVerify (RFC 8446 §4.4.3; RFC 5246 §7.4.8): the sender proves it
 * holds the private key of the certificate it sent, by signing the handshake
 * so far. Both versions carry a signature scheme and the signature.
 */
import type { ByteReader } from '../../wire/reader';
import { toHex } from '../../wire/bytes';
import { describeSignatureScheme } from '../codepoints';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';

export interface CertificateVerify {
  scheme: number;
  signature: Uint8Array;
}

export function writeCertificateVerify(m: CertificateVerify, tls12: boolean): Encoded {
  return writeHandshake(
    'certificate_verify',
    (w) => {
      w.uint16(m.scheme, { name: 'algorithm', value: describeSignatureScheme, spec: 'RFC 8446 §4.4.3' });
      const sig = w.lengthPrefixed(2, { name: 'signature length' }, { name: 'signature', spec: 'RFC 8446 §4.4.3' });
      w.bytes(m.signature, {
        name: 'signature value',
        value: toHex(m.signature),
        note: tls12
          ? 'Signature over every handshake message so far.'
          : 'Signature over 64 spaces, a context string, a zero byte and the transcript hash.',
      });
      sig();
    },
    { value: describeSignatureScheme(m.scheme), tls12 },
  );
}

export function readCertificateVerify(
  message: HandshakeMessage,
  tls12: boolean,
): { value: CertificateVerify; fields: Encoded['fields'] } {
  return readHandshake(
    message,
    (r: ByteReader) => {
      const scheme = r.uint16({ name: 'algorithm', value: describeSignatureScheme, spec: 'RFC 8446 §4.4.3' });
      const sig = r.lengthPrefixed(2, { name: 'signature length' }, { name: 'signature', spec: 'RFC 8446 §4.4.3' });
      const signature = r.rest({ name: 'signature value', value: toHex });
      sig();
      return { scheme, signature };
    },
    tls12,
  );
}
