/**
 * Every TLS message parser, given any bytes, returns a value or throws a
 * TlsFailure (an alert: decode_error, illegal_parameter, ...) or a ParseError —
 * nothing else; and what the writers write, the readers read back, with every
 * byte explained.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCoverage, concatBytes, isParseError } from '../../sim/wire';
import { TlsFailure, readAlert, writeAlert, makeAlert, ALERT_CODE, type AlertName } from '../../sim/tls/alert';
import type { HandshakeMessage } from '../../sim/tls/handshake';
import { readClientHello, readServerHello, writeClientHello, writeServerHello } from '../../sim/tls/messages/hello';
import { readCertificate, writeCertificate } from '../../sim/tls/messages/certificate';
import { readCertificateRequest, writeCertificateRequest } from '../../sim/tls/messages/certificate-request';
import { readCertificateVerify } from '../../sim/tls/messages/certificate-verify';
import { readEncryptedExtensions } from '../../sim/tls/messages/encrypted-extensions';
import { readFinished } from '../../sim/tls/messages/finished';
import {
  readClientKeyExchange,
  readServerKeyExchange,
  writeServerKeyExchange,
} from '../../sim/tls/messages/key-exchange-12';
import { readKeyUpdate, readNewSessionTicket } from '../../sim/tls/messages/post-handshake';

function message(type: number, body: Uint8Array): HandshakeMessage {
  const n = body.length;
  return { type, bytes: concatBytes(Uint8Array.of(type, n >> 16, (n >> 8) & 0xff, n & 0xff), body) };
}

const PARSERS: Array<[string, number, (m: HandshakeMessage) => unknown]> = [
  ['ClientHello', 1, readClientHello],
  ['ServerHello', 2, readServerHello],
  ['NewSessionTicket (1.3)', 4, (m) => readNewSessionTicket(m, false)],
  ['NewSessionTicket (1.2)', 4, (m) => readNewSessionTicket(m, true)],
  ['EncryptedExtensions', 8, readEncryptedExtensions],
  ['Certificate (1.3)', 11, (m) => readCertificate(m, false)],
  ['Certificate (1.2)', 11, (m) => readCertificate(m, true)],
  ['ServerKeyExchange', 12, readServerKeyExchange],
  ['CertificateRequest (1.3)', 13, (m) => readCertificateRequest(m, false)],
  ['CertificateRequest (1.2)', 13, (m) => readCertificateRequest(m, true)],
  ['CertificateVerify', 15, (m) => readCertificateVerify(m, false)],
  ['ClientKeyExchange (ECDHE)', 16, (m) => readClientKeyExchange(m, 'ecdhe')],
  ['ClientKeyExchange (RSA)', 16, (m) => readClientKeyExchange(m, 'rsa')],
  ['Finished', 20, (m) => readFinished(m, false)],
  ['KeyUpdate', 24, readKeyUpdate],
];

function typedOnly(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e instanceof TlsFailure || isParseError(e), String(e)).toBe(true);
  }
}

describe('TLS message parsers', () => {
  for (const [name, type, read] of PARSERS) {
    it(`${name}: any body gives a value or a typed failure`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (body) => typedOnly(() => read(message(type, body)))),
        { numRuns: 400 },
      );
    });
  }

  it('Alert: any bytes give a value or a ParseError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4 }), (bytes) => typedOnly(() => readAlert(bytes))));
  });

  it('Alert round trip for every description', () => {
    for (const name of Object.keys(ALERT_CODE) as AlertName[]) {
      const written = writeAlert(makeAlert(name));
      expect(readAlert(written.bytes).alert.name).toBe(name);
      expect(checkCoverage(written.bytes.length, written.fields)).toEqual({ unexplained: [], misplaced: [] });
    }
  });

  const bytesArb = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
  it('ClientHello and ServerHello round trip, every byte explained', () => {
    fc.assert(
      fc.property(
        bytesArb(32),
        fc.uint8Array({ maxLength: 32 }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 }),
        fc.option(fc.stringMatching(/^[a-z0-9.-]{1,40}$/), { nil: undefined }),
        fc.array(fc.constantFrom(0x001d, 0x0017), { minLength: 1, maxLength: 2 }),
        (random, sessionId, suites, serverName, groups) => {
          const ch = writeClientHello({
            legacyVersion: 0x0303,
            random,
            legacySessionId: sessionId,
            cipherSuites: suites,
            compressionMethods: [0],
            extensions: {
              types: [],
              ...(serverName ? { serverName } : {}),
              supportedGroups: groups,
              supportedVersions: [0x0304, 0x0303],
              signatureAlgorithms: [0x0403],
              extendedMasterSecret: true,
              keyShares: groups.slice(0, 1).map((g) => ({ group: g, keyExchange: random })),
            },
          });
          const back = readClientHello({ type: 1, bytes: ch.bytes }).value;
          expect(back.random).toEqual(random);
          expect(back.cipherSuites).toEqual(suites);
          expect(back.extensions.serverName).toBe(serverName);
          expect(back.extensions.supportedGroups).toEqual(groups);
          expect(checkCoverage(ch.bytes.length, ch.fields)).toEqual({ unexplained: [], misplaced: [] });
          const sh = writeServerHello({
            legacyVersion: 0x0303,
            random,
            legacySessionIdEcho: sessionId,
            cipherSuite: suites[0],
            compressionMethod: 0,
            extensions: { types: [], selectedVersion: 0x0304, keyShare: { group: groups[0], keyExchange: random } },
          });
          const shBack = readServerHello({ type: 2, bytes: sh.bytes }).value;
          expect(shBack.cipherSuite).toBe(suites[0]);
          expect(shBack.extensions.keyShare?.keyExchange).toEqual(random);
          expect(checkCoverage(sh.bytes.length, sh.fields)).toEqual({ unexplained: [], misplaced: [] });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('Certificate, CertificateRequest and ServerKeyExchange round trip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 100 }), { maxLength: 4 }),
        fc.boolean(),
        bytesArb(65),
        (chain, tls12, point) => {
          const cert = writeCertificate({ requestContext: new Uint8Array(0), chain }, tls12);
          expect(readCertificate({ type: 11, bytes: cert.bytes }, tls12).value.chain).toEqual(chain);
          expect(checkCoverage(cert.bytes.length, cert.fields)).toEqual({ unexplained: [], misplaced: [] });
          const cr = writeCertificateRequest(
            {
              requestContext: new Uint8Array(0),
              signatureAlgorithms: [0x0403, 0x0804],
              certificateAuthorities: chain,
              certificateTypes: [1, 64],
            },
            tls12,
          );
          expect(readCertificateRequest({ type: 13, bytes: cr.bytes }, tls12).value.signatureAlgorithms).toEqual([
            0x0403, 0x0804,
          ]);
          const skx = writeServerKeyExchange({
            params: { group: 0x17, publicKey: point },
            scheme: 0x0403,
            signature: point,
          });
          const back = readServerKeyExchange({ type: 12, bytes: skx.bytes }).value;
          expect(back.params.publicKey).toEqual(point);
          expect(checkCoverage(skx.bytes.length, skx.fields)).toEqual({ unexplained: [], misplaced: [] });
        },
      ),
      { numRuns: 100 },
    );
  });
});
