/**
 * Any handshake message read from a capture, with its field tree, by the TLS
 * engine's own readers (sim/tls/messages): ClientHello and ServerHello
 * (RFC 8446 §4.1.2–4.1.3, RFC 5246 §7.4.1), EncryptedExtensions (§4.3.1),
 * CertificateRequest, Certificate, CertificateVerify and Finished (§4.3.2,
 * §4.4; RFC 5246 §7.4.2–7.4.9), ServerKeyExchange, ServerHelloDone and
 * ClientKeyExchange (RFC 5246 §7.4.3–7.4.7), NewSessionTicket and KeyUpdate
 * (§4.6). A message none of them reads, or one that does not decode, is
 * still explained: its header and body, and why it could not be read.
 */
import type { Field } from '../wire/field';
import { ByteReader } from '../wire/reader';
import { isParseError } from '../wire/parse-error';
import { TlsFailure } from '../tls/alert';
import { HANDSHAKE_TYPE, describeHandshakeType, handshakeTypeName, HANDSHAKE_LABEL } from '../tls/codepoints';
import type { CipherSuite } from '../tls/cipher-suites';
import type { HandshakeMessage } from '../tls/handshake';
import { readClientHello, readServerHello, isHelloRetryRequest } from '../tls/messages/hello';
import { readEncryptedExtensions } from '../tls/messages/encrypted-extensions';
import { readCertificateRequest } from '../tls/messages/certificate-request';
import { readCertificate } from '../tls/messages/certificate';
import { readCertificateVerify } from '../tls/messages/certificate-verify';
import { readFinished } from '../tls/messages/finished';
import { readServerKeyExchange, readServerHelloDone, readClientKeyExchange } from '../tls/messages/key-exchange-12';
import { readNewSessionTicket, readKeyUpdate } from '../tls/messages/post-handshake';

export interface DescribedMessage {
  /** Ladder label: `ClientHello`, `HelloRetryRequest`, `Certificate`. */
  label: string;
  fields: Field[];
  /** Set when the message did not decode: why, in words. */
  problem?: string;
}

/** The ladder label of a message by its type byte. */
export function handshakeLabel(type: number): string {
  const name = handshakeTypeName(type);
  return name ? HANDSHAKE_LABEL[name] : `handshake type ${type}`;
}

export function describeHandshakeMessage(
  m: HandshakeMessage,
  context: { tls12: boolean; suite?: CipherSuite },
): DescribedMessage {
  const { tls12 } = context;
  const label = handshakeLabel(m.type);
  try {
    switch (m.type) {
      case HANDSHAKE_TYPE.client_hello:
        return { label, fields: readClientHello(m).fields };
      case HANDSHAKE_TYPE.server_hello: {
        const read = readServerHello(m);
        return { label: isHelloRetryRequest(read.value) ? 'HelloRetryRequest' : label, fields: read.fields };
      }
      case HANDSHAKE_TYPE.encrypted_extensions:
        return { label, fields: readEncryptedExtensions(m).fields };
      case HANDSHAKE_TYPE.certificate_request:
        return { label, fields: readCertificateRequest(m, tls12).fields };
      case HANDSHAKE_TYPE.certificate: {
        // An empty certificate_list: a client with no certificate to answer CertificateRequest with (RFC 8446 §4.4.2.4).
        const read = readCertificate(m, tls12);
        return { label: read.value.chain.length === 0 ? 'Certificate (empty)' : label, fields: read.fields };
      }
      case HANDSHAKE_TYPE.certificate_verify:
        return { label, fields: readCertificateVerify(m, tls12).fields };
      case HANDSHAKE_TYPE.finished:
        return { label, fields: readFinished(m, tls12).fields };
      case HANDSHAKE_TYPE.server_key_exchange:
        return { label, fields: readServerKeyExchange(m).fields };
      case HANDSHAKE_TYPE.server_hello_done:
        return { label, fields: readServerHelloDone(m).fields };
      case HANDSHAKE_TYPE.client_key_exchange:
        return {
          label,
          fields: readClientKeyExchange(m, context.suite?.keyExchange === 'rsa' ? 'rsa' : 'ecdhe').fields,
        };
      case HANDSHAKE_TYPE.new_session_ticket:
        return { label, fields: readNewSessionTicket(m, tls12).fields };
      case HANDSHAKE_TYPE.key_update:
        return { label, fields: readKeyUpdate(m).fields };
      default:
        return { label, fields: opaqueMessage(m, label, 'A message this lab does not read further.') };
    }
  } catch (e) {
    if (!(e instanceof TlsFailure) && !isParseError(e)) throw e;
    const problem = e instanceof TlsFailure ? e.alert.reason : e.message;
    return { label, fields: opaqueMessage(m, label, `It does not decode: ${problem}`), problem };
  }
}

/** The header of a handshake message and its body as one field (RFC 8446 §4). */
function opaqueMessage(m: HandshakeMessage, label: string, note: string): Field[] {
  const r = new ByteReader(m.bytes);
  const done = r.group({ name: label, layer: 'tls-handshake', spec: 'RFC 8446 §4' });
  r.uint8({ name: 'msg_type', value: describeHandshakeType, spec: 'RFC 8446 §4' });
  r.uint24({ name: 'length', value: (n) => `${n} bytes`, spec: 'RFC 8446 §4' });
  if (r.remaining > 0) r.rest({ name: 'body', value: (b) => `${b.length} bytes`, note, spec: 'RFC 8446 §4' });
  done();
  return r.fields;
}
