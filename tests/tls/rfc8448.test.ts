/**
 * RFC 8448 §3 (simple 1-RTT) and §6 (client authentication): with the trace's
 * x25519 keys and messages, our key schedule gives the trace's secrets, keys,
 * IVs and Finished values, our record protection gives the trace's record
 * bytes, and our parsers read every message of both flights.
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { checkCoverage, fromHex, toHex, concatBytes } from '../../sim/wire';
import { hash } from '../../sim/crypto/hash';
import { Tls13KeySchedule } from '../../sim/tls/key-schedule-13';
import type { KeyDerivation } from '../../sim/tls/key-derivation';
import { Tls13RecordCipher } from '../../sim/tls/record-protection-13';
import { RecordSplitter, type RawRecord } from '../../sim/tls/record';
import { HandshakeReassembler, type HandshakeMessage } from '../../sim/tls/handshake';
import { CONTENT_TYPE, HANDSHAKE_TYPE } from '../../sim/tls/codepoints';
import { readClientHello, readServerHello } from '../../sim/tls/messages/hello';
import { readEncryptedExtensions } from '../../sim/tls/messages/encrypted-extensions';
import { readCertificate } from '../../sim/tls/messages/certificate';
import { readCertificateRequest } from '../../sim/tls/messages/certificate-request';
import { readCertificateVerify } from '../../sim/tls/messages/certificate-verify';
import { readFinished, writeFinished } from '../../sim/tls/messages/finished';
import { readNewSessionTicket } from '../../sim/tls/messages/post-handshake';
import { writeAlert, makeAlert } from '../../sim/tls/alert';
import { certificateVerifyContent, verify } from '../../sim/tls/signature';
import { publicKeyOfCertificate } from '../../sim/pki/keys';
import { CLIENT_AUTH, SIMPLE } from './vectors/rfc8448';

function oneRecord(hex: string): RawRecord {
  const s = new RecordSplitter();
  s.push(fromHex(hex));
  const r = s.next()!;
  expect(s.pending).toBe(0);
  return r;
}

function messages(content: Uint8Array): HandshakeMessage[] {
  const h = new HandshakeReassembler();
  h.push(content);
  const out: HandshakeMessage[] = [];
  for (let m = h.next(); m; m = h.next()) out.push(m);
  expect(h.pending).toBe(0);
  return out;
}

function schedule() {
  const keys = new Map<string, string>();
  const ks = new Tls13KeySchedule('sha256', (k: KeyDerivation) => keys.set(k.name, toHex(k.value)));
  return { ks, keys };
}

function transcript(...parts: Uint8Array[]): Uint8Array {
  return hash('sha256', concatBytes(...parts));
}

describe('RFC 8448 §3: simple 1-RTT handshake', () => {
  const ch = messages(oneRecord(SIMPLE.clientHelloRecord).fragment)[0];
  const sh = messages(oneRecord(SIMPLE.serverHelloRecord).fragment)[0];

  it('reads the ClientHello and ServerHello, every byte explained', () => {
    const client = readClientHello(ch);
    expect(client.value.extensions.serverName).toBe('server');
    expect(client.value.extensions.supportedVersions).toEqual([0x0304]);
    expect(client.value.cipherSuites).toEqual([0x1301, 0x1303, 0x1302]);
    expect(checkCoverage(ch.bytes.length, client.fields)).toEqual({ unexplained: [], misplaced: [] });
    const server = readServerHello(sh);
    expect(server.value.cipherSuite).toBe(0x1301);
    expect(server.value.extensions.selectedVersion).toBe(0x0304);
    expect(checkCoverage(sh.bytes.length, server.fields)).toEqual({ unexplained: [], misplaced: [] });
  });

  it('derives the trace secrets, keys and IVs, and both Finished values', () => {
    const server = readServerHello(sh).value;
    const shared = x25519.getSharedSecret(fromHex(SIMPLE.clientPrivateKey), server.extensions.keyShare!.keyExchange);
    expect(toHex(shared)).toBe(SIMPLE.sharedSecret);

    const { ks, keys } = schedule();
    const helloHash = transcript(ch.bytes, sh.bytes);
    expect(toHex(helloHash)).toBe(SIMPLE.helloHash);
    const hs = ks.handshake(shared, helloHash);
    expect(keys.get('early_secret')).toBe(SIMPLE.earlySecret);
    expect(keys.get('derived secret (for handshake_secret)')).toBe(SIMPLE.derivedForHandshake);
    expect(keys.get('handshake_secret')).toBe(SIMPLE.handshakeSecret);
    expect(toHex(hs.client)).toBe(SIMPLE.clientHandshakeTrafficSecret);
    expect(toHex(hs.server)).toBe(SIMPLE.serverHandshakeTrafficSecret);

    const sKeys = ks.trafficKeys('server_handshake_traffic_secret', hs.server, 16, 'handshake');
    expect(toHex(sKeys.key)).toBe(SIMPLE.serverHandshakeKey);
    expect(toHex(sKeys.iv)).toBe(SIMPLE.serverHandshakeIv);
    const cKeys = ks.trafficKeys('client_handshake_traffic_secret', hs.client, 16, 'handshake');
    expect(toHex(cKeys.key)).toBe(SIMPLE.clientHandshakeKey);
    expect(toHex(cKeys.iv)).toBe(SIMPLE.clientHandshakeIv);

    // Decrypt the server's flight with our keys and read each message.
    const flightRecord = oneRecord(SIMPLE.serverFlightRecord);
    const opened = new Tls13RecordCipher('aes-128-gcm', sKeys, 'handshake').open(flightRecord);
    expect(opened.type).toBe(CONTENT_TYPE.handshake);
    expect(toHex(opened.content)).toBe(SIMPLE.serverFlight);
    const [ee, cert, cv, fin] = messages(opened.content);
    expect([ee, cert, cv, fin].map((m) => m.type)).toEqual([
      HANDSHAKE_TYPE.encrypted_extensions,
      HANDSHAKE_TYPE.certificate,
      HANDSHAKE_TYPE.certificate_verify,
      HANDSHAKE_TYPE.finished,
    ]);
    expect(readEncryptedExtensions(ee).value.supportedGroups).toEqual([
      0x1d, 0x17, 0x18, 0x19, 0x100, 0x101, 0x102, 0x103, 0x104,
    ]);
    expect(readCertificate(cert, false).value.chain).toHaveLength(1);
    expect(readCertificateVerify(cv, false).value.scheme).toBe(0x0804);

    const serverFinished = ks.finished(
      'server_handshake_traffic_secret',
      hs.server,
      transcript(ch.bytes, sh.bytes, ee.bytes, cert.bytes, cv.bytes),
      'ClientHello..CertificateVerify',
    );
    expect(toHex(serverFinished)).toBe(SIMPLE.serverFinished);
    expect(toHex(readFinished(fin, false).value)).toBe(SIMPLE.serverFinished);

    const fullHash = transcript(ch.bytes, sh.bytes, ee.bytes, cert.bytes, cv.bytes, fin.bytes);
    const ap = ks.application(fullHash);
    expect(keys.get('master_secret')).toBe(SIMPLE.masterSecret);
    expect(toHex(ap.client)).toBe(SIMPLE.clientApplicationTrafficSecret);
    expect(toHex(ap.server)).toBe(SIMPLE.serverApplicationTrafficSecret);
    expect(toHex(ap.exporter)).toBe(SIMPLE.exporterMasterSecret);
    const sAp = ks.trafficKeys('server_application_traffic_secret_0', ap.server, 16, 'application');
    const cAp = ks.trafficKeys('client_application_traffic_secret_0', ap.client, 16, 'application');
    expect([toHex(sAp.key), toHex(sAp.iv)]).toEqual([SIMPLE.serverApplicationKey, SIMPLE.serverApplicationIv]);
    expect([toHex(cAp.key), toHex(cAp.iv)]).toEqual([SIMPLE.clientApplicationKey, SIMPLE.clientApplicationIv]);

    const clientFinished = ks.finished(
      'client_handshake_traffic_secret',
      hs.client,
      fullHash,
      'ClientHello..server Finished',
    );
    expect(toHex(clientFinished)).toBe(SIMPLE.clientFinished);
  });

  it('verifies the server CertificateVerify (RSA-PSS) over the RFC 8446 §4.4.3 content', async () => {
    const [ee, cert, cv] = messages(fromHex(SIMPLE.serverFlight));
    const chain = readCertificate(cert, false).value.chain;
    const { scheme, signature } = readCertificateVerify(cv, false).value;
    const content = certificateVerifyContent('server', transcript(ch.bytes, sh.bytes, ee.bytes, cert.bytes));
    expect(await verify(publicKeyOfCertificate(chain[0]), scheme, content, signature)).toBe(true);
    const flipped = signature.slice();
    flipped[10] ^= 1;
    expect(await verify(publicKeyOfCertificate(chain[0]), scheme, content, flipped)).toBe(false);
  });

  it('protects records exactly as the trace does', () => {
    const sHs = new Tls13RecordCipher(
      'aes-128-gcm',
      { key: fromHex(SIMPLE.serverHandshakeKey), iv: fromHex(SIMPLE.serverHandshakeIv) },
      'handshake',
    );
    const flight = sHs.seal(CONTENT_TYPE.handshake, { bytes: fromHex(SIMPLE.serverFlight), fields: [] });
    expect(toHex(flight.bytes)).toBe(SIMPLE.serverFlightRecord);
    expect(checkCoverage(flight.bytes.length, flight.fields)).toEqual({ unexplained: [], misplaced: [] });
    expect(checkCoverage(flight.decoded!.bytes.length / 2, flight.decoded!.fields)).toEqual({
      unexplained: [],
      misplaced: [],
    });

    const cHs = new Tls13RecordCipher(
      'aes-128-gcm',
      { key: fromHex(SIMPLE.clientHandshakeKey), iv: fromHex(SIMPLE.clientHandshakeIv) },
      'handshake',
    );
    const finished = writeFinished(fromHex(SIMPLE.clientFinished), false);
    expect(toHex(cHs.seal(CONTENT_TYPE.handshake, finished).bytes)).toBe(SIMPLE.clientFinishedRecord);

    const sAp = new Tls13RecordCipher(
      'aes-128-gcm',
      { key: fromHex(SIMPLE.serverApplicationKey), iv: fromHex(SIMPLE.serverApplicationIv) },
      'application',
    );
    const ticket = sAp.open(oneRecord(SIMPLE.ticketRecord));
    expect(toHex(ticket.content)).toBe(SIMPLE.ticket);
    expect(readNewSessionTicket(messages(ticket.content)[0], false).value.lifetimeSeconds).toBe(30);
    const data = { bytes: fromHex(SIMPLE.applicationData), fields: [] };
    expect(toHex(sAp.seal(CONTENT_TYPE.application_data, data).bytes)).toBe(SIMPLE.serverApplicationRecord);
    expect(toHex(sAp.seal(CONTENT_TYPE.alert, writeAlert(makeAlert('close_notify'))).bytes)).toBe(
      SIMPLE.serverAlertRecord,
    );

    const cAp = new Tls13RecordCipher(
      'aes-128-gcm',
      { key: fromHex(SIMPLE.clientApplicationKey), iv: fromHex(SIMPLE.clientApplicationIv) },
      'application',
    );
    expect(toHex(cAp.seal(CONTENT_TYPE.application_data, data).bytes)).toBe(SIMPLE.clientApplicationRecord);
    expect(toHex(cAp.seal(CONTENT_TYPE.alert, writeAlert(makeAlert('close_notify'))).bytes)).toBe(
      SIMPLE.clientAlertRecord,
    );
  });

  it('refuses a record with any bit changed, with bad_record_mac', () => {
    const record = fromHex(SIMPLE.clientApplicationRecord);
    for (const at of [5, 20, record.length - 1]) {
      const bad = record.slice();
      bad[at] ^= 0x01;
      const cAp = new Tls13RecordCipher(
        'aes-128-gcm',
        { key: fromHex(SIMPLE.clientApplicationKey), iv: fromHex(SIMPLE.clientApplicationIv) },
        'application',
      );
      const s = new RecordSplitter();
      s.push(bad);
      expect(() => cAp.open(s.next()!)).toThrow(/bad_record_mac/);
    }
  });
});

describe('RFC 8448 §6: client authentication', () => {
  const ch = messages(oneRecord(CLIENT_AUTH.clientHelloRecord).fragment)[0];
  const sh = messages(oneRecord(CLIENT_AUTH.serverHelloRecord).fragment)[0];

  it('reproduces the handshake: secrets, both flights, both CertificateVerify signatures, the records', async () => {
    const server = readServerHello(sh).value;
    expect(toHex(server.extensions.keyShare!.keyExchange)).toBe(CLIENT_AUTH.serverPublicKey);
    const shared = x25519.getSharedSecret(
      fromHex(CLIENT_AUTH.clientPrivateKey),
      server.extensions.keyShare!.keyExchange,
    );
    const { ks, keys } = schedule();
    const hs = ks.handshake(shared, transcript(ch.bytes, sh.bytes));
    expect(keys.get('handshake_secret')).toBe(CLIENT_AUTH.handshakeSecret);
    expect(toHex(hs.client)).toBe(CLIENT_AUTH.clientHandshakeTrafficSecret);
    expect(toHex(hs.server)).toBe(CLIENT_AUTH.serverHandshakeTrafficSecret);
    const sKeys = ks.trafficKeys('server_handshake_traffic_secret', hs.server, 16, 'handshake');
    const cKeys = ks.trafficKeys('client_handshake_traffic_secret', hs.client, 16, 'handshake');
    expect([toHex(sKeys.key), toHex(sKeys.iv)]).toEqual([
      CLIENT_AUTH.serverHandshakeKey,
      CLIENT_AUTH.serverHandshakeIv,
    ]);
    expect([toHex(cKeys.key), toHex(cKeys.iv)]).toEqual([
      CLIENT_AUTH.clientHandshakeKey,
      CLIENT_AUTH.clientHandshakeIv,
    ]);

    // The server's flight: EncryptedExtensions, CertificateRequest, Certificate (ECDSA P-256), CertificateVerify, Finished.
    const serverFlight = new Tls13RecordCipher('aes-128-gcm', sKeys, 'handshake').open(
      oneRecord(CLIENT_AUTH.serverFlightRecord),
    );
    const [ee, cr, sCert, sCv, sFin] = messages(serverFlight.content);
    expect(cr.type).toBe(HANDSHAKE_TYPE.certificate_request);
    const request = readCertificateRequest(cr, false).value;
    expect(request.signatureAlgorithms).toContain(0x0804);
    const serverChain = readCertificate(sCert, false).value.chain;
    const serverCv = readCertificateVerify(sCv, false).value;
    expect(serverCv.scheme).toBe(0x0403);
    const serverKey = publicKeyOfCertificate(serverChain[0]);
    expect(serverKey.kind).toBe('ecdsa-p256');
    const sContent = certificateVerifyContent(
      'server',
      transcript(ch.bytes, sh.bytes, ee.bytes, cr.bytes, sCert.bytes),
    );
    expect(await verify(serverKey, serverCv.scheme, sContent, serverCv.signature)).toBe(true);
    const sFinExpected = ks.finished(
      'server_handshake_traffic_secret',
      hs.server,
      transcript(ch.bytes, sh.bytes, ee.bytes, cr.bytes, sCert.bytes, sCv.bytes),
      'ClientHello..CertificateVerify',
    );
    expect(toHex(readFinished(sFin, false).value)).toBe(toHex(sFinExpected));

    const throughServerFinished = [ch, sh, ee, cr, sCert, sCv, sFin].map((m) => m.bytes);
    const ap = ks.application(transcript(...throughServerFinished));
    expect(keys.get('master_secret')).toBe(CLIENT_AUTH.masterSecret);
    expect(toHex(ap.client)).toBe(CLIENT_AUTH.clientApplicationTrafficSecret);
    expect(toHex(ap.server)).toBe(CLIENT_AUTH.serverApplicationTrafficSecret);
    expect(toHex(ap.exporter)).toBe(CLIENT_AUTH.exporterMasterSecret);

    // The client's flight: Certificate (RSA), CertificateVerify (RSA-PSS), Finished.
    const clientFlightRecord = oneRecord(CLIENT_AUTH.clientFlightRecord);
    const clientFlight = new Tls13RecordCipher('aes-128-gcm', cKeys, 'handshake').open(clientFlightRecord);
    const [cCert, cCv, cFin] = messages(clientFlight.content);
    const clientChain = readCertificate(cCert, false).value.chain;
    const clientCv = readCertificateVerify(cCv, false).value;
    expect(clientCv.scheme).toBe(0x0804);
    const cContent = certificateVerifyContent('client', transcript(...throughServerFinished, cCert.bytes));
    expect(await verify(publicKeyOfCertificate(clientChain[0]), clientCv.scheme, cContent, clientCv.signature)).toBe(
      true,
    );
    // The same signature must not verify as a server's (the context string differs).
    const asServer = certificateVerifyContent('server', transcript(...throughServerFinished, cCert.bytes));
    expect(await verify(publicKeyOfCertificate(clientChain[0]), clientCv.scheme, asServer, clientCv.signature)).toBe(
      false,
    );
    const cFinExpected = ks.finished(
      'client_handshake_traffic_secret',
      hs.client,
      transcript(...throughServerFinished, cCert.bytes, cCv.bytes),
      'ClientHello..client CertificateVerify',
    );
    expect(toHex(readFinished(cFin, false).value)).toBe(toHex(cFinExpected));

    // Re-protecting the client's flight gives the trace's record byte for byte.
    const reseal = new Tls13RecordCipher('aes-128-gcm', cKeys, 'handshake').seal(CONTENT_TYPE.handshake, {
      bytes: clientFlight.content,
      fields: [],
    });
    expect(toHex(reseal.bytes)).toBe(toHex(fromHex(CLIENT_AUTH.clientFlightRecord)));

    const sAp = ks.trafficKeys('server_application_traffic_secret_0', ap.server, 16, 'application');
    const cAp = ks.trafficKeys('client_application_traffic_secret_0', ap.client, 16, 'application');
    expect([toHex(cAp.key), toHex(cAp.iv)]).toEqual([
      CLIENT_AUTH.clientApplicationKey,
      CLIENT_AUTH.clientApplicationIv,
    ]);
    expect([toHex(sAp.key), toHex(sAp.iv)]).toEqual([
      CLIENT_AUTH.serverApplicationKey,
      CLIENT_AUTH.serverApplicationIv,
    ]);
    const close = writeAlert(makeAlert('close_notify'));
    expect(toHex(new Tls13RecordCipher('aes-128-gcm', cAp, 'application').seal(CONTENT_TYPE.alert, close).bytes)).toBe(
      CLIENT_AUTH.clientAlertRecord,
    );
    expect(toHex(new Tls13RecordCipher('aes-128-gcm', sAp, 'application').seal(CONTENT_TYPE.alert, close).bytes)).toBe(
      CLIENT_AUTH.serverAlertRecord,
    );

    // What an observer sees of the client flight, and what the server reads: every byte explained.
    const view = clientFlight.describe([]);
    expect(toHex(view.bytes)).toBe(toHex(fromHex(CLIENT_AUTH.clientFlightRecord)));
    expect(checkCoverage(view.bytes.length, view.fields)).toEqual({ unexplained: [], misplaced: [] });
  });
});
