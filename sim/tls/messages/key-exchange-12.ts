/**
 * The TLS 1.2 key exchange messages.
 *
 * - ServerKeyExchange for ECDHE (RFC 8422 §5.4, RFC 5246 §7.4.3): the named
 *   curve, the server's ephemeral public point, and a signature over
 *   client_random + server_random + those parameters with the certificate key.
 * - ServerHelloDone (RFC 5246 §7.4.5): empty; the server's flight is over.
 * - ClientKeyExchange (RFC 5246 §7.4.7): for ECDHE, the client's ephemeral
 *   public point (RFC 8422 §5.7); for RSA, the premaster secret encrypted with
 *   the server's certificate key (RFC 5246 §7.4.7.1) — the one value that
 *   whoever obtains that key later can decrypt.
 */
import type { ByteReader } from '../../wire/reader';
import { ByteWriter } from '../../wire/writer';
import { toHex } from '../../wire/bytes';
import { describeGroup, describeSignatureScheme } from '../codepoints';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';

export interface ServerEcdhParams {
  group: number;
  publicKey: Uint8Array;
}

export interface ServerKeyExchange {
  params: ServerEcdhParams;
  /** The encoded ServerECDHParams, which the signature covers. */
  paramsBytes: Uint8Array;
  scheme: number;
  signature: Uint8Array;
}

function pointNote(group: number): string {
  return group === 0x001d ? 'A 32-byte x25519 public key (RFC 8422 §5.4.1).' : 'An uncompressed point: 0x04 || X || Y.';
}

function writeParams(w: ByteWriter, p: ServerEcdhParams): void {
  const done = w.group({ name: 'ServerECDHParams', spec: 'RFC 8422 §5.4' });
  w.uint8(3, { name: 'curve_type', value: 'named_curve (3)', spec: 'RFC 8422 §5.4' });
  w.uint16(p.group, { name: 'namedcurve', value: describeGroup, spec: 'RFC 8422 §5.4' });
  const point = w.lengthPrefixed(1, { name: 'public length' }, { name: 'public', spec: 'RFC 8422 §5.4' });
  w.bytes(p.publicKey, { name: 'point', value: toHex(p.publicKey), note: pointNote(p.group) });
  point();
  done();
}

/** The bytes of ServerECDHParams alone, as the signature covers them. */
export function encodeServerEcdhParams(p: ServerEcdhParams): Uint8Array {
  const w = new ByteWriter(70);
  writeParams(w, p);
  return w.finish().bytes;
}

export function writeServerKeyExchange(m: Omit<ServerKeyExchange, 'paramsBytes'>): Encoded {
  return writeHandshake(
    'server_key_exchange',
    (w) => {
      writeParams(w, m.params);
      const signed = w.group({
        name: 'signed_params',
        note: 'Signature over client_random + server_random + ServerECDHParams.',
        spec: 'RFC 8422 §5.4',
      });
      w.uint16(m.scheme, { name: 'algorithm', value: describeSignatureScheme, spec: 'RFC 5246 §7.4.1.4.1' });
      const sig = w.lengthPrefixed(2, { name: 'signature length' }, { name: 'signature' });
      w.bytes(m.signature, {
        name: 'signature value',
        value: toHex(m.signature),
        note: 'Made with the private key of the server certificate.',
      });
      sig();
      signed();
    },
    { value: describeGroup(m.params.group), tls12: true },
  );
}

export function readServerKeyExchange(message: HandshakeMessage): {
  value: ServerKeyExchange;
  fields: Encoded['fields'];
} {
  return readHandshake(
    message,
    (r: ByteReader) => {
      const start = r.offset;
      const done = r.group({ name: 'ServerECDHParams', spec: 'RFC 8422 §5.4' });
      const curveType = r.uint8({
        name: 'curve_type',
        value: (v) => (v === 3 ? 'named_curve (3)' : `unsupported (${v})`),
        spec: 'RFC 8422 §5.4',
      });
      if (curveType !== 3)
        throw r.error('invalid_value', `curve_type ${curveType}: only named curves are allowed (RFC 8422 §5.4)`);
      const group = r.uint16({ name: 'namedcurve', value: describeGroup });
      const point = r.lengthPrefixed(1, { name: 'public length' }, { name: 'public', spec: 'RFC 8422 §5.4' });
      const publicKey = r.rest({ name: 'point', value: toHex, note: pointNote(group) });
      point();
      done();
      const paramsBytes = message.bytes.slice(start, r.offset);
      const signed = r.group({ name: 'signed_params', spec: 'RFC 8422 §5.4' });
      const scheme = r.uint16({ name: 'algorithm', value: describeSignatureScheme, spec: 'RFC 5246 §7.4.1.4.1' });
      const sig = r.lengthPrefixed(2, { name: 'signature length' }, { name: 'signature' });
      const signature = r.rest({ name: 'signature value', value: toHex });
      sig();
      signed();
      return { params: { group, publicKey }, paramsBytes, scheme, signature };
    },
    true,
  );
}

export function writeServerHelloDone(): Encoded {
  return writeHandshake('server_hello_done', () => {}, {
    tls12: true,
    note: 'The server has sent everything for this flight.',
  });
}

export function readServerHelloDone(message: HandshakeMessage): { value: null; fields: Encoded['fields'] } {
  return readHandshake(message, () => null, true);
}

export type ClientKeyExchange =
  { kind: 'ecdhe'; publicKey: Uint8Array } | { kind: 'rsa'; encryptedPremaster: Uint8Array };

export function writeClientKeyExchange(m: ClientKeyExchange): Encoded {
  return writeHandshake(
    'client_key_exchange',
    (w) => {
      if (m.kind === 'ecdhe') {
        const point = w.lengthPrefixed(1, { name: 'ecdh_Yc length' }, { name: 'ecdh_Yc', spec: 'RFC 8422 §5.7' });
        w.bytes(m.publicKey, { name: 'point', value: toHex(m.publicKey), note: "The client's ephemeral public key." });
        point();
        return;
      }
      const enc = w.lengthPrefixed(
        2,
        { name: 'EncryptedPreMasterSecret length' },
        { name: 'EncryptedPreMasterSecret', spec: 'RFC 5246 §7.4.7.1' },
      );
      w.bytes(m.encryptedPremaster, {
        name: 'encrypted pre_master_secret',
        value: `${m.encryptedPremaster.length} bytes`,
        note: "RSAES-PKCS1-v1_5 encryption with the server certificate's key: whoever gets that key, even years later, decrypts it.",
        spec: 'RFC 5246 §7.4.7.1',
      });
      enc();
    },
    { value: m.kind === 'ecdhe' ? 'ECDHE public key' : 'RSA-encrypted premaster secret', tls12: true },
  );
}

export function readClientKeyExchange(
  message: HandshakeMessage,
  kind: 'ecdhe' | 'rsa',
): { value: ClientKeyExchange; fields: Encoded['fields'] } {
  return readHandshake(
    message,
    (r: ByteReader): ClientKeyExchange => {
      if (kind === 'ecdhe') {
        const point = r.lengthPrefixed(1, { name: 'ecdh_Yc length' }, { name: 'ecdh_Yc', spec: 'RFC 8422 §5.7' });
        const publicKey = r.rest({ name: 'point', value: toHex });
        point();
        return { kind, publicKey };
      }
      const enc = r.lengthPrefixed(
        2,
        { name: 'EncryptedPreMasterSecret length' },
        { name: 'EncryptedPreMasterSecret', spec: 'RFC 5246 §7.4.7.1' },
      );
      const encryptedPremaster = r.rest({ name: 'encrypted pre_master_secret', value: (b) => `${b.length} bytes` });
      enc();
      return { kind, encryptedPremaster };
    },
    true,
  );
}
