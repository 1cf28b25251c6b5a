/**
 * The public key of the peer's leaf certificate, as the handshake needs it to
 * check CertificateVerify or ServerKeyExchange. A certificate whose key this
 * engine cannot use is unsupported_certificate (RFC 8446 §6.2).
 */
import { isParseError } from '../wire/parse-error';
import { publicKeyOfCertificate, type PublicKey } from '../pki/keys';
import { fail } from './alert';

export function peerPublicKey(leaf: Uint8Array, who: string): PublicKey {
  try {
    return publicKeyOfCertificate(leaf);
  } catch (e) {
    if (!isParseError(e)) throw e;
    throw fail(
      e.code === 'unsupported' ? 'unsupported_certificate' : 'bad_certificate',
      `the ${who}'s certificate key cannot be used: ${e.message}`,
    );
  }
}
