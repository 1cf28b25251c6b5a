/**
 * ClientHello and ServerHello (RFC 8446 §4.1.2, §4.1.3; RFC 5246 §7.4.1.2–3).
 *
 * Both versions share the wire format: TLS 1.3 keeps legacy_version at
 * TLS 1.2 and negotiates in the supported_versions extension, so that
 * middleboxes that only know TLS 1.2 let it through. A ServerHello whose
 * random is SHA-256("HelloRetryRequest") is a HelloRetryRequest (§4.1.3), and
 * a TLS 1.3 server that settles for TLS 1.2 ends its random with the
 * downgrade sentinel "DOWNGRD" 01 (§4.1.3).
 */
import type { ByteReader } from '../../wire/reader';
import { concatBytes, equalBytes, toHex, utf8 } from '../../wire/bytes';
import { hash } from '../../crypto/hash';
import { describeVersion } from '../codepoints';
import { describeSuite } from '../cipher-suites';
import { readHandshake, writeHandshake, type HandshakeMessage } from '../handshake';
import type { Encoded } from '../record';
import { readExtensions, writeExtensions, type Extensions } from './extensions';

export interface ClientHello {
  legacyVersion: number;
  random: Uint8Array;
  legacySessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: Extensions;
}

export interface ServerHello {
  legacyVersion: number;
  random: Uint8Array;
  legacySessionIdEcho: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extensions;
}

/** The ServerHello.random that marks a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = hash('sha256', utf8('HelloRetryRequest'));

/** The last 8 bytes of a TLS 1.3-capable server's random when it negotiates TLS 1.2 (RFC 8446 §4.1.3). */
export const DOWNGRADE_TLS12 = concatBytes(utf8('DOWNGRD'), Uint8Array.of(1));

export function isHelloRetryRequest(sh: ServerHello): boolean {
  return equalBytes(sh.random, HELLO_RETRY_REQUEST_RANDOM);
}

function randomNote(who: 'client' | 'server'): string {
  return `32 bytes from the ${who}'s random generator: every key of the session depends on them.`;
}

export function writeClientHello(ch: ClientHello): Encoded {
  const offers13 = ch.extensions.supportedVersions?.includes(0x0304);
  return writeHandshake(
    'client_hello',
    (w) => {
      w.uint16(ch.legacyVersion, {
        name: 'legacy_version',
        value: describeVersion,
        note: offers13
          ? 'Frozen at TLS 1.2; the versions really offered are in supported_versions.'
          : 'The highest version the client supports.',
        spec: 'RFC 8446 §4.1.2',
      });
      w.bytes(ch.random, {
        name: 'random',
        value: toHex(ch.random),
        note: randomNote('client'),
        spec: 'RFC 8446 §4.1.2',
      });
      const sid = w.lengthPrefixed(
        1,
        { name: 'legacy_session_id length' },
        { name: 'legacy_session_id', spec: 'RFC 8446 §4.1.2' },
      );
      if (ch.legacySessionId.length > 0) {
        w.bytes(ch.legacySessionId, {
          name: 'session id',
          value: toHex(ch.legacySessionId),
          note: offers13 ? 'Random: TLS 1.3 "middlebox compatibility mode" (RFC 8446 §D.4).' : 'A session to resume.',
        });
      }
      sid();
      const suites = w.lengthPrefixed(
        2,
        { name: 'cipher_suites length' },
        { name: 'cipher_suites', note: 'Most preferred first.', spec: 'RFC 8446 §4.1.2' },
      );
      for (const s of ch.cipherSuites)
        w.uint16(s, { name: 'CipherSuite', value: describeSuite, spec: 'RFC 8446 §B.4' });
      suites();
      const comp = w.lengthPrefixed(
        1,
        { name: 'legacy_compression_methods length' },
        { name: 'legacy_compression_methods', spec: 'RFC 8446 §4.1.2' },
      );
      for (const c of ch.compressionMethods)
        w.uint8(c, {
          name: 'compression method',
          value: (v) => (v === 0 ? 'null (0)' : String(v)),
          note: 'Compression is gone (CRIME).',
        });
      comp();
      writeExtensions(w, ch.extensions, 'client_hello');
    },
    { value: ch.extensions.serverName },
  );
}

export function readClientHello(message: HandshakeMessage): { value: ClientHello; fields: Encoded['fields'] } {
  return readHandshake(message, (r: ByteReader) => {
    const legacyVersion = r.uint16({ name: 'legacy_version', value: describeVersion, spec: 'RFC 8446 §4.1.2' });
    const random = r.bytes(32, { name: 'random', value: toHex, note: randomNote('client'), spec: 'RFC 8446 §4.1.2' });
    const sid = r.lengthPrefixed(
      1,
      { name: 'legacy_session_id length' },
      { name: 'legacy_session_id', spec: 'RFC 8446 §4.1.2' },
    );
    if (r.remaining > 32) throw r.error('invalid_value', 'a session id is at most 32 bytes');
    const legacySessionId = r.remaining > 0 ? r.rest({ name: 'session id', value: toHex }) : new Uint8Array(0);
    sid();
    const suites = r.lengthPrefixed(
      2,
      { name: 'cipher_suites length' },
      { name: 'cipher_suites', spec: 'RFC 8446 §4.1.2' },
    );
    if (r.remaining % 2 !== 0 || r.remaining === 0)
      throw r.error('invalid_value', 'cipher_suites must hold at least one 2-byte suite');
    const cipherSuites: number[] = [];
    while (r.remaining > 0) cipherSuites.push(r.uint16({ name: 'CipherSuite', value: describeSuite }));
    suites();
    const comp = r.lengthPrefixed(
      1,
      { name: 'legacy_compression_methods length' },
      { name: 'legacy_compression_methods', spec: 'RFC 8446 §4.1.2' },
    );
    const compressionMethods: number[] = [];
    while (r.remaining > 0)
      compressionMethods.push(
        r.uint8({ name: 'compression method', value: (v) => (v === 0 ? 'null (0)' : String(v)) }),
      );
    comp();
    // RFC 5246 §7.4.1.2: a TLS 1.2 ClientHello may end without an extensions block.
    const extensions = r.remaining > 0 ? readExtensions(r, 'client_hello') : { types: [] };
    return { legacyVersion, random, legacySessionId, cipherSuites, compressionMethods, extensions };
  });
}

export function writeServerHello(sh: ServerHello, retry = false): Encoded {
  const tls13 = sh.extensions.selectedVersion === 0x0304;
  return writeHandshake(
    'server_hello',
    (w) => {
      w.uint16(sh.legacyVersion, {
        name: 'legacy_version',
        value: describeVersion,
        note: tls13 ? 'Frozen at TLS 1.2; supported_versions below says TLS 1.3.' : 'The version chosen.',
        spec: 'RFC 8446 §4.1.3',
      });
      w.bytes(sh.random, {
        name: 'random',
        value: toHex(sh.random),
        note: retry ? 'SHA-256("HelloRetryRequest"): this ServerHello is a HelloRetryRequest.' : randomNote('server'),
        spec: 'RFC 8446 §4.1.3',
      });
      const sid = w.lengthPrefixed(
        1,
        { name: 'legacy_session_id_echo length' },
        { name: 'legacy_session_id_echo', spec: 'RFC 8446 §4.1.3' },
      );
      if (sh.legacySessionIdEcho.length > 0)
        w.bytes(sh.legacySessionIdEcho, { name: 'session id', value: toHex(sh.legacySessionIdEcho) });
      sid();
      w.uint16(sh.cipherSuite, {
        name: 'cipher_suite',
        value: describeSuite,
        note: "The suite the server chose from the client's list.",
        spec: 'RFC 8446 §4.1.3',
      });
      w.uint8(sh.compressionMethod, { name: 'legacy_compression_method', value: 'null (0)', spec: 'RFC 8446 §4.1.3' });
      writeExtensions(w, sh.extensions, retry ? 'hello_retry_request' : 'server_hello');
    },
    { value: retry ? 'HelloRetryRequest' : describeSuite(sh.cipherSuite), tls12: !tls13 },
  );
}

export function readServerHello(message: HandshakeMessage): { value: ServerHello; fields: Encoded['fields'] } {
  return readHandshake(message, (r: ByteReader) => {
    const legacyVersion = r.uint16({ name: 'legacy_version', value: describeVersion, spec: 'RFC 8446 §4.1.3' });
    const random = r.bytes(32, { name: 'random', value: toHex, spec: 'RFC 8446 §4.1.3' });
    const retry = equalBytes(random, HELLO_RETRY_REQUEST_RANDOM);
    const sid = r.lengthPrefixed(
      1,
      { name: 'legacy_session_id_echo length' },
      { name: 'legacy_session_id_echo', spec: 'RFC 8446 §4.1.3' },
    );
    if (r.remaining > 32) throw r.error('invalid_value', 'a session id is at most 32 bytes');
    const legacySessionIdEcho = r.remaining > 0 ? r.rest({ name: 'session id', value: toHex }) : new Uint8Array(0);
    sid();
    const cipherSuite = r.uint16({ name: 'cipher_suite', value: describeSuite, spec: 'RFC 8446 §4.1.3' });
    const compressionMethod = r.uint8({
      name: 'legacy_compression_method',
      value: (v) => (v === 0 ? 'null (0)' : String(v)),
    });
    const extensions =
      r.remaining > 0 ? readExtensions(r, retry ? 'hello_retry_request' : 'server_hello') : { types: [] };
    return { legacyVersion, random, legacySessionIdEcho, cipherSuite, compressionMethod, extensions };
  });
}
