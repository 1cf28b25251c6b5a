/**
 * Record now, decrypt later: a recorded static-RSA session gives up its SIP to
 * whoever gets the server's key; ECDHE and TLS 1.3 sessions do not, and say why.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, utf8 } from '../../sim/wire';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { tlsConfig } from '../../sim/tls/config';
import type { CipherSuiteName } from '../../sim/tls/cipher-suites';
import { decryptRecordedSession, type RecordedConnection } from '../../sim/tls/recorded-session';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { pump } from './pump';

const AT = '2026-11-26T09:00:00Z';
let cast: Cast;
let otherCast: Cast;
beforeAll(async () => {
  cast = await buildCast({
    carrier: carrier as CarrierProfile,
    random: HmacDrbg.fromSeed(3, 'recorded'),
    at: Date.parse(AT),
    keyType: 'rsa-2048',
  });
  otherCast = await buildCast({
    carrier: carrier as CarrierProfile,
    random: HmacDrbg.fromSeed(4, 'recorded'),
    at: Date.parse(AT),
    keyType: 'ecdsa-p256',
  });
});

const SIP = 'OPTIONS sip:sbc1.trunks.quillfeather.example:5061 SIP/2.0\r\nContent-Length: 0\r\n\r\n';

/** Runs a session and records both directions as a tap on the path would. */
async function record(suite: CipherSuiteName, version: '1.2' | '1.3' = '1.2'): Promise<RecordedConnection> {
  const clock = VirtualClock.at(AT);
  const client = new TlsClient(
    tlsConfig({
      clock,
      random: HmacDrbg.fromSeed(1, 'c'),
      versions: [version],
      cipherSuites: [suite],
      serverName: (carrier as CarrierProfile).sbc.host,
      trustAnchors: cast.anchors,
    }),
  );
  const server = new TlsServer(
    tlsConfig({
      clock,
      random: HmacDrbg.fromSeed(1, 's'),
      versions: [version],
      cipherSuites: [suite],
      credentials: { chain: cast.sbc.chain, privateKey: cast.sbc.privateKey },
    }),
  );
  const log = await pump(client, server);
  const c1 = await client.send(utf8(SIP));
  const s1 = await server.receive(c1.bytes);
  const s2 = await server.send(utf8('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
  await client.receive(s2.bytes);
  expect(client.state).toBe('connected');
  return {
    clientToServer: concatBytes(...log.client.map((o) => o.bytes), c1.bytes),
    serverToClient: concatBytes(...log.server.map((o) => o.bytes), s1.bytes, s2.bytes),
  };
}

describe('decrypting a recorded session with the server key', () => {
  for (const suite of ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA256'] as const) {
    it(`${suite}: the stolen key reveals the SIP both ways`, async () => {
      const recording = await record(suite);
      const result = await decryptRecordedSession(recording, cast.sbc.privateKey);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.cipherSuite).toBe(suite);
      expect(result.applicationData.client.map(fromUtf8)).toEqual([SIP]);
      expect(fromUtf8(result.applicationData.server[0])).toMatch(/^SIP\/2.0 200 OK/);
      expect(result.keys.map((k) => k.name)).toEqual(
        expect.arrayContaining(['pre_master_secret', 'master_secret', 'client_write_key']),
      );
    });
  }

  it("fails with wrong_key for another server's key", async () => {
    const recording = await record('TLS_RSA_WITH_AES_128_CBC_SHA');
    const result = await decryptRecordedSession(recording, cast.pbx.privateKey);
    expect(result).toMatchObject({ ok: false, reason: 'wrong_key' });
  });

  it('fails with forward_secrecy for ECDHE', async () => {
    const recording = await record('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    const result = await decryptRecordedSession(recording, cast.sbc.privateKey);
    expect(result).toMatchObject({ ok: false, reason: 'forward_secrecy' });
    if (!result.ok) expect(result.detail).toMatch(/ephemeral/);
  });

  it('fails with forward_secrecy for TLS 1.3', async () => {
    const recording = await record('TLS_AES_128_GCM_SHA256', '1.3');
    const result = await decryptRecordedSession(recording, cast.sbc.privateKey);
    expect(result).toMatchObject({ ok: false, reason: 'forward_secrecy' });
  });

  it('says not_tls or incomplete for other bytes', async () => {
    expect(
      await decryptRecordedSession(
        { clientToServer: utf8('GET / HTTP/1.1\r\n'), serverToClient: new Uint8Array(0) },
        cast.sbc.privateKey,
      ),
    ).toMatchObject({ ok: false, reason: 'not_tls' });
    expect(
      await decryptRecordedSession(
        { clientToServer: new Uint8Array(0), serverToClient: new Uint8Array(0) },
        otherCast.sbc.privateKey,
      ),
    ).toMatchObject({ ok: false, reason: 'incomplete' });
  });
});
