/**
 * CertificateRequest: the server asks the client for its certificate — on a
 * secure trunk, the carrier asking the PBX for the certificate its CA signed.
 *
 * TLS 1.3 (RFC 8446 §4.3.2): a request context and extensions, of which
 * signature_algorithms is required (and certificate_authorities optional).
 * TLS 1.2 (RFC 5246 §7.4.4): certificate types, signature algorithms and the
 * distinguished names of acceptable CAs.
 */
import type { ByteReader } from '../../wire/reader';
import { toHex } from '../../wire/bytes';
import { describeSignatureScheme } from '../codepoints';
import { fail } from '../alert';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';
import { readExtensions, writeExtensions } from './extensions';

export interface CertificateRequest {
  requestContext: Uint8Array;
  signatureAlgorithms: number[];
  /** DER distinguished names of CAs the server accepts. */
  certificateAuthorities: Uint8Array[];
  /** TLS 1.2 only: rsa_sign (1), ecdsa_sign (64). */
  certificateTypes: number[];
}

const CERT_TYPES: Record<number, string> = { 1: 'rsa_sign', 2: 'dss_sign', 64: 'ecdsa_sign' };

export function writeCertificateRequest(m: CertificateRequest, tls12: boolean): Encoded {
  return writeHandshake(
    'certificate_request',
    (w) => {
      if (!tls12) {
        const ctx = w.lengthPrefixed(
          1,
          { name: 'certificate_request_context length' },
          { name: 'certificate_request_context', spec: 'RFC 8446 §4.3.2' },
        );
        if (m.requestContext.length > 0) w.bytes(m.requestContext, { name: 'context', value: toHex(m.requestContext) });
        ctx();
        writeExtensions(
          w,
          {
            signatureAlgorithms: m.signatureAlgorithms,
            ...(m.certificateAuthorities.length > 0 ? { certificateAuthorities: m.certificateAuthorities } : {}),
          },
          'certificate_request',
        );
        return;
      }
      const types = w.lengthPrefixed(
        1,
        { name: 'certificate_types length' },
        { name: 'certificate_types', spec: 'RFC 5246 §7.4.4' },
      );
      for (const t of m.certificateTypes)
        w.uint8(t, { name: 'ClientCertificateType', value: (v) => `${CERT_TYPES[v] ?? 'unknown'} (${v})` });
      types();
      const algs = w.lengthPrefixed(
        2,
        { name: 'supported_signature_algorithms length' },
        { name: 'supported_signature_algorithms', spec: 'RFC 5246 §7.4.4' },
      );
      for (const s of m.signatureAlgorithms)
        w.uint16(s, { name: 'SignatureAndHashAlgorithm', value: describeSignatureScheme });
      algs();
      const cas = w.lengthPrefixed(
        2,
        { name: 'certificate_authorities length' },
        { name: 'certificate_authorities', spec: 'RFC 5246 §7.4.4' },
      );
      for (const dn of m.certificateAuthorities) {
        const one = w.lengthPrefixed(2, { name: 'DistinguishedName length' }, { name: 'DistinguishedName' });
        w.bytes(dn, {
          name: 'DER',
          value: `${dn.length} bytes`,
          note: 'An X.501 Name of a CA the server trusts for client certificates.',
        });
        one();
      }
      cas();
    },
    { value: 'the server asks for a client certificate', tls12 },
  );
}

export function readCertificateRequest(
  message: HandshakeMessage,
  tls12: boolean,
): { value: CertificateRequest; fields: Encoded['fields'] } {
  return readHandshake(
    message,
    (r: ByteReader) => {
      if (!tls12) {
        const ctx = r.lengthPrefixed(
          1,
          { name: 'certificate_request_context length' },
          { name: 'certificate_request_context', spec: 'RFC 8446 §4.3.2' },
        );
        const requestContext = r.remaining > 0 ? r.rest({ name: 'context', value: toHex }) : new Uint8Array(0);
        ctx();
        const ext = readExtensions(r, 'certificate_request');
        if (!ext.signatureAlgorithms) {
          throw fail(
            'missing_extension',
            'a TLS 1.3 CertificateRequest without signature_algorithms (RFC 8446 §4.3.2)',
          );
        }
        return {
          requestContext,
          signatureAlgorithms: ext.signatureAlgorithms,
          certificateAuthorities: ext.certificateAuthorities ?? [],
          certificateTypes: [],
        };
      }
      const types = r.lengthPrefixed(
        1,
        { name: 'certificate_types length' },
        { name: 'certificate_types', spec: 'RFC 5246 §7.4.4' },
      );
      const certificateTypes: number[] = [];
      while (r.remaining > 0)
        certificateTypes.push(
          r.uint8({ name: 'ClientCertificateType', value: (v) => `${CERT_TYPES[v] ?? 'unknown'} (${v})` }),
        );
      types();
      const algs = r.lengthPrefixed(
        2,
        { name: 'supported_signature_algorithms length' },
        { name: 'supported_signature_algorithms', spec: 'RFC 5246 §7.4.4' },
      );
      const signatureAlgorithms: number[] = [];
      while (r.remaining > 0)
        signatureAlgorithms.push(r.uint16({ name: 'SignatureAndHashAlgorithm', value: describeSignatureScheme }));
      algs();
      const cas = r.lengthPrefixed(
        2,
        { name: 'certificate_authorities length' },
        { name: 'certificate_authorities', spec: 'RFC 5246 §7.4.4' },
      );
      const certificateAuthorities: Uint8Array[] = [];
      while (r.remaining > 0) {
        const one = r.lengthPrefixed(2, { name: 'DistinguishedName length' }, { name: 'DistinguishedName' });
        certificateAuthorities.push(r.rest({ name: 'DER', value: (b) => `${b.length} bytes` }));
        one();
      }
      cas();
      return { requestContext: new Uint8Array(0), signatureAlgorithms, certificateAuthorities, certificateTypes };
    },
    tls12,
  );
}
