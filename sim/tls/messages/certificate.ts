/**
 * The Certificate message: the sender's certificate chain, leaf first.
 *
 * TLS 1.3 (RFC 8446 §4.4.2): a request context (empty in the handshake) and a
 * list of CertificateEntry, each a DER certificate with its own extensions.
 * TLS 1.2 (RFC 5246 §7.4.2): a plain list of DER certificates.
 * An empty list from a client means "I have no certificate": the server then
 * decides whether to go on (RFC 8446 §4.4.2.4, RFC 5246 §7.4.6).
 */
import type { ByteReader } from '../../wire/reader';
import type { ByteWriter } from '../../wire/writer';
import { shiftFields, type Field } from '../../wire/field';
import { toHex } from '../../wire/bytes';
import { isParseError } from '../../wire/parse-error';
import { certificateFields } from '../../pki/certificate-fields';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';
import { readExtensions, writeExtensions } from './extensions';

export interface CertificateMessage {
  /** TLS 1.3 only; empty during the handshake. */
  requestContext: Uint8Array;
  /** DER certificates, leaf first. */
  chain: Uint8Array[];
}

function certNote(i: number, count: number): string {
  if (i === 0) return 'The leaf: the certificate of the sender itself. Sent in clear in TLS 1.2, encrypted in TLS 1.3.';
  return i === count - 1 ? 'The issuing CA that the receiver should chain to its trust anchor.' : 'An intermediate CA.';
}

/**
 * Certificates explained before, by their bytes: a trunk sends the same few
 * certificates in every handshake, and reading one field by field costs more
 * than the rest of its message. Bounded, since a server meets many peers.
 */
const explained = new Map<string, readonly Field[] | null>();
const EXPLAINED_LIMIT = 256;

/** A certificate's DER explained field by field (RFC 5280 §4.1), or undefined when it is not DER the parser reads. */
function explainDer(der: Uint8Array): readonly Field[] | undefined {
  const key = toHex(der);
  let fields = explained.get(key);
  if (fields === undefined) {
    try {
      fields = certificateFields(der, 0);
    } catch (e) {
      if (!isParseError(e)) throw e;
      fields = null;
    }
    if (explained.size >= EXPLAINED_LIMIT) explained.clear();
    explained.set(key, fields);
  }
  return fields ?? undefined;
}

/** Bytes that do not parse as a certificate are carried whole: path validation says what is wrong with them. */
const OPAQUE_CERTIFICATE = (i: number, count: number) => ({
  name: 'X.509 certificate (DER)',
  value: (b: Uint8Array) => `${b.length} bytes that do not parse as a certificate`,
  note: certNote(i, count),
  spec: 'RFC 5280 §4.1',
});

/**
 * The certificate's tree at `base`, its top field saying where it sits in the
 * chain: a copy, so that the remembered tree is never a message's own.
 */
function placed(fields: readonly Field[], base: number, i: number, count: number): Field[] {
  const copy = shiftFields(fields, base);
  copy[0].note = certNote(i, count);
  return copy;
}

function writeDer(w: ByteWriter, der: Uint8Array, i: number, count: number): void {
  const fields = explainDer(der);
  if (fields) w.adopt({ bytes: der, fields: placed(fields, 0, i, count) });
  else w.bytes(der, OPAQUE_CERTIFICATE(i, count));
}

function readDer(r: ByteReader, i: number): Uint8Array {
  const der = r.data.subarray(r.offset, r.offset + r.remaining);
  const fields = explainDer(der);
  return fields ? r.adopt(der.length, placed(fields, r.base + r.offset, i, 2)) : r.rest(OPAQUE_CERTIFICATE(i, 2));
}

export function writeCertificate(m: CertificateMessage, tls12: boolean): Encoded {
  return writeHandshake(
    'certificate',
    (w) => {
      if (!tls12) {
        const ctx = w.lengthPrefixed(
          1,
          { name: 'certificate_request_context length' },
          { name: 'certificate_request_context', spec: 'RFC 8446 §4.4.2' },
        );
        if (m.requestContext.length > 0) w.bytes(m.requestContext, { name: 'context', value: toHex(m.requestContext) });
        ctx();
      }
      const list = w.lengthPrefixed(
        3,
        { name: 'certificate_list length' },
        { name: 'certificate_list', spec: tls12 ? 'RFC 5246 §7.4.2' : 'RFC 8446 §4.4.2' },
      );
      m.chain.forEach((der, i) => {
        const entry = w.group({
          name: tls12 ? 'ASN.1Cert' : 'CertificateEntry',
          value: i === 0 ? 'leaf certificate' : `CA certificate ${i}`,
        });
        const data = w.lengthPrefixed(3, { name: 'cert_data length' }, { name: 'cert_data', spec: 'RFC 5280 §4.1' });
        writeDer(w, der, i, m.chain.length);
        data();
        if (!tls12) writeExtensions(w, {}, 'certificate');
        entry();
      });
      list();
    },
    {
      value:
        m.chain.length === 0
          ? 'empty: no certificate'
          : `${m.chain.length} certificate${m.chain.length > 1 ? 's' : ''}`,
      tls12,
    },
  );
}

export function readCertificate(
  message: HandshakeMessage,
  tls12: boolean,
): { value: CertificateMessage; fields: Encoded['fields'] } {
  return readHandshake(
    message,
    (r: ByteReader) => {
      let requestContext: Uint8Array = new Uint8Array(0);
      if (!tls12) {
        const ctx = r.lengthPrefixed(
          1,
          { name: 'certificate_request_context length' },
          { name: 'certificate_request_context', spec: 'RFC 8446 §4.4.2' },
        );
        if (r.remaining > 0) requestContext = r.rest({ name: 'context', value: toHex });
        ctx();
      }
      const list = r.lengthPrefixed(3, { name: 'certificate_list length' }, { name: 'certificate_list' });
      const chain: Uint8Array[] = [];
      while (r.remaining > 0) {
        const i = chain.length;
        const entry = r.group({
          name: tls12 ? 'ASN.1Cert' : 'CertificateEntry',
          value: i === 0 ? 'leaf certificate' : `CA certificate ${i}`,
        });
        const data = r.lengthPrefixed(3, { name: 'cert_data length' }, { name: 'cert_data', spec: 'RFC 5280 §4.1' });
        if (r.remaining === 0) throw r.error('invalid_value', 'an empty certificate');
        chain.push(readDer(r, i));
        data();
        if (!tls12) readExtensions(r, 'certificate');
        entry();
      }
      list();
      return { requestContext, chain };
    },
    tls12,
  );
}
