/**
 * Our client against our server in memory, with the carrier's seeded PKI:
 * every version and suite, with and without client certificates, and the
 * failures a trunk meets (unknown CA, expired, wrong name, no shared suite,
 * no client certificate) ending in the right alert on both sides. Every
 * record's bytes, and every decrypted layer, fully explained.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCoverage, fromHex } from '../../sim/wire';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { tlsConfig, type TlsConfig } from '../../sim/tls/config';
import type { CipherSuiteName } from '../../sim/tls/cipher-suites';
import type { TlsVersion } from '../../sim/tls/codepoints';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { events, pump, records } from './pump';

const AT = '2026-11-26T09:00:00Z';
const profile = carrier as CarrierProfile;
let ec: Cast;
let rsa: Cast;

beforeAll(async () => {
  const random = HmacDrbg.fromSeed(7, 'tls tests');
  ec = await buildCast({ carrier: profile, random, at: Date.parse(AT) });
  rsa = await buildCast({ carrier: profile, random, at: Date.parse(AT), keyType: 'rsa-2048' });
});

function configs(
  cast: Cast,
  opts: { version?: TlsVersion; suite?: CipherSuiteName; clientCert?: boolean; require?: boolean; seed?: number } = {},
) {
  const clock = VirtualClock.at(AT);
  const seed = opts.seed ?? 1;
  const base: Partial<TlsConfig> = {
    ...(opts.version ? { versions: [opts.version] } : {}),
    ...(opts.suite ? { cipherSuites: [opts.suite] } : {}),
  };
  const client = tlsConfig({
    ...base,
    clock,
    random: HmacDrbg.fromSeed(seed, 'client'),
    serverName: profile.sbc.host,
    trustAnchors: cast.anchors,
    ...(opts.clientCert !== false ? { credentials: { chain: cast.pbx.chain, privateKey: cast.pbx.privateKey } } : {}),
    names: { self: 'PBX', peer: 'SBC' },
  });
  const server = tlsConfig({
    ...base,
    clock,
    random: HmacDrbg.fromSeed(seed, 'server'),
    credentials: { chain: cast.sbc.chain, privateKey: cast.sbc.privateKey },
    trustAnchors: cast.anchors,
    requestClientCertificate: opts.require !== false,
    requireClientCertificate: opts.require !== false,
    names: { self: 'SBC', peer: 'PBX' },
  });
  return { client, server };
}

function expectExplained(outputs: ReturnType<typeof records>) {
  for (const r of outputs) {
    expect(checkCoverage(r.bytes.length, r.fields), `${r.direction} ${r.summary}`).toEqual({
      unexplained: [],
      misplaced: [],
    });
    if (r.decoded) {
      expect(checkCoverage(fromHex(r.decoded.bytes).length, r.decoded.fields), `${r.summary} (decrypted)`).toEqual({
        unexplained: [],
        misplaced: [],
      });
    }
  }
}

const CASES: Array<{ version: TlsVersion; suite: CipherSuiteName; key: 'ec' | 'rsa' }> = [
  { version: '1.3', suite: 'TLS_AES_128_GCM_SHA256', key: 'ec' },
  { version: '1.3', suite: 'TLS_AES_256_GCM_SHA384', key: 'ec' },
  { version: '1.3', suite: 'TLS_CHACHA20_POLY1305_SHA256', key: 'rsa' },
  { version: '1.2', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', key: 'ec' },
  { version: '1.2', suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', key: 'ec' },
  { version: '1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', key: 'rsa' },
  { version: '1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', key: 'rsa' },
  { version: '1.2', suite: 'TLS_RSA_WITH_AES_128_CBC_SHA', key: 'rsa' },
  { version: '1.2', suite: 'TLS_RSA_WITH_AES_256_CBC_SHA256', key: 'rsa' },
];

describe('our client and server, mutual TLS', () => {
  for (const c of CASES) {
    it(`TLS ${c.version} ${c.suite}: handshake, client certificate, data both ways, close`, async () => {
      const cast = c.key === 'ec' ? ec : rsa;
      const { client: cc, server: sc } = configs(cast, { version: c.version, suite: c.suite });
      const client = new TlsClient(cc);
      const server = new TlsServer(sc);
      const log = await pump(client, server);
      expect(client.state, JSON.stringify(events(log.client).filter((e) => e.kind === 'alert'))).toBe('connected');
      expect(server.state).toBe('connected');
      expect(client.session).toMatchObject({ version: c.version, cipherSuite: c.suite, clientAuthenticated: true });
      expect(server.session).toMatchObject({ version: c.version, cipherSuite: c.suite, clientAuthenticated: true });
      expect(events(log.server).filter((e) => e.kind === 'certificate-check')).toMatchObject([
        { valid: true, reason: 'ok' },
      ]);

      const request = new TextEncoder().encode('OPTIONS sip:sbc SIP/2.0\r\n\r\n');
      const sent = await client.send(request);
      const got = await server.receive(sent.bytes);
      expect(got.received).toEqual([request]);
      const reply = await server.send(new TextEncoder().encode('SIP/2.0 200 OK\r\n\r\n'));
      expect((await client.receive(reply.bytes)).received.map((b) => new TextDecoder().decode(b))).toEqual([
        'SIP/2.0 200 OK\r\n\r\n',
      ]);

      const close = await client.close();
      const answer = await server.receive(close.bytes);
      expect(server.state).toBe('closed');
      await client.receive(answer.bytes);
      expectExplained([
        ...records(log.client),
        ...records(log.server),
        ...sent.records,
        ...got.records,
        ...close.records,
      ]);
      expect(client.keyLog.length).toBeGreaterThan(0);
      expect(client.keyLog).toEqual(server.keyLog);
    });
  }

  it('is deterministic: the same seeds give the same bytes', async () => {
    const run = async () => {
      const { client, server } = configs(ec, { version: '1.3' });
      const log = await pump(new TlsClient(client), new TlsServer(server));
      return [...log.client, ...log.server].map((o) => Buffer.from(o.bytes).toString('hex')).join('|');
    };
    expect(await run()).toBe(await run());
  });

  it('answers a ClientHello without a usable key share with a HelloRetryRequest', async () => {
    const { client, server } = configs(ec, { version: '1.3' });
    client.keyShareGroups = ['x25519'];
    server.groups = ['secp256r1'];
    const c = new TlsClient(client);
    const s = new TlsServer(server);
    const log = await pump(c, s);
    expect(c.state).toBe('connected');
    expect(records(log.server).map((r) => r.summary)).toContain('HelloRetryRequest');
    expect(c.session?.keyExchange).toBe('secp256r1');
  });
});

describe('failures end with the right alert on both sides', () => {
  async function run(client: TlsConfig, server: TlsConfig) {
    const c = new TlsClient(client);
    const s = new TlsServer(server);
    await pump(c, s);
    return { c, s };
  }

  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: the PBX does not trust a self-signed SBC certificate → unknown_ca`, async () => {
      const { client, server } = configs(ec, { version });
      server.credentials = { chain: ec.attacker.selfSigned.chain, privateKey: ec.attacker.selfSigned.privateKey };
      const { c, s } = await run(client, server);
      expect(c.sentAlert?.name).toBe('unknown_ca');
      expect(s.receivedAlert?.name).toBe('unknown_ca');
      expect(c.state).toBe('failed');
      expect(s.state).toBe('failed');
    });

    it(`TLS ${version}: an expired SBC certificate → certificate_expired`, async () => {
      const { client, server } = configs(ec, { version });
      server.credentials = { chain: ec.attacker.expired.chain, privateKey: ec.attacker.expired.privateKey };
      const { c, s } = await run(client, server);
      expect(c.sentAlert?.name).toBe('certificate_expired');
      expect(s.receivedAlert?.name).toBe('certificate_expired');
    });

    it(`TLS ${version}: a PBX whose clock is years ahead sees the SBC certificate as expired`, async () => {
      const { client, server } = configs(ec, { version });
      client.clock = VirtualClock.at('2060-01-01T00:00:00Z');
      const { c } = await run(client, server);
      expect(c.sentAlert?.name).toBe('certificate_expired');
    });

    it(`TLS ${version}: a certificate for another name → bad_certificate`, async () => {
      const { client, server } = configs(ec, { version });
      server.credentials = { chain: ec.attacker.otherName.chain, privateKey: ec.attacker.otherName.privateKey };
      const { c, s } = await run(client, server);
      expect(c.sentAlert?.name).toBe('bad_certificate');
      expect(s.receivedAlert?.name).toBe('bad_certificate');
    });

    it(`TLS ${version}: the SBC's copied certificate without its key fails the signature → decrypt_error`, async () => {
      const { client, server } = configs(ec, { version });
      server.credentials = { chain: ec.attacker.copiedSbc.chain, privateKey: ec.attacker.copiedSbc.privateKey };
      const { c, s } = await run(client, server);
      expect(c.sentAlert?.name).toBe('decrypt_error');
      expect(s.receivedAlert?.name).toBe('decrypt_error');
    });

    it(`TLS ${version}: a PBX without a certificate, when one is required`, async () => {
      const { client, server } = configs(ec, { version, clientCert: false });
      const { c, s } = await run(client, server);
      const expected = version === '1.3' ? 'certificate_required' : 'handshake_failure';
      expect(s.sentAlert?.name).toBe(expected);
      expect(c.receivedAlert?.name).toBe(expected);
    });

    it(`TLS ${version}: no cipher suite in common → handshake_failure`, async () => {
      const { client, server } = configs(ec, { version });
      client.cipherSuites =
        version === '1.3' ? ['TLS_CHACHA20_POLY1305_SHA256'] : ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'];
      server.cipherSuites =
        version === '1.3' ? ['TLS_AES_128_GCM_SHA256'] : ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'];
      const { c, s } = await run(client, server);
      expect(s.sentAlert?.name).toBe('handshake_failure');
      expect(c.receivedAlert?.name).toBe('handshake_failure');
    });
  }

  it('a client offering only TLS 1.2 to a TLS 1.3-only server → protocol_version', async () => {
    const { client, server } = configs(ec);
    client.versions = ['1.2'];
    server.versions = ['1.3'];
    const { c, s } = await run(client, server);
    expect(s.sentAlert?.name).toBe('protocol_version');
    expect(c.receivedAlert?.name).toBe('protocol_version');
  });

  it('a PBX client certificate from another CA → unknown_ca from the SBC', async () => {
    const { client, server } = configs(ec, { version: '1.3' });
    client.credentials = { chain: ec.attacker.otherCa.chain, privateKey: ec.attacker.otherCa.privateKey };
    const { c, s } = await run(client, server);
    expect(s.sentAlert?.name).toBe('unknown_ca');
    expect(c.receivedAlert?.name).toBe('unknown_ca');
  });
});

describe('RSA key exchange (RFC 5246 §7.4.7.1)', () => {
  /** Runs a static-RSA handshake whose EncryptedPreMasterSecret is replaced on the way. */
  async function withPremaster(replace: (original: Uint8Array) => Promise<Uint8Array>) {
    const { client: cc, server: sc } = configs(rsa, {
      version: '1.2',
      suite: 'TLS_RSA_WITH_AES_128_CBC_SHA',
      require: false,
      clientCert: false,
    });
    const client = new TlsClient(cc);
    const server = new TlsServer(sc);
    const flight1 = await server.receive((await client.start()).bytes);
    const flight2 = await client.receive(flight1.bytes);
    const bytes = flight2.bytes.slice();
    let at = 0;
    for (const r of flight2.records.filter((x) => x.direction === 'sent')) {
      if (r.summary === 'ClientKeyExchange') {
        // record header (5) + handshake header (4) + length (2), then the ciphertext
        const start = at + 11;
        const original = bytes.slice(start, at + r.bytes.length);
        bytes.set(await replace(original), start);
      }
      at += r.bytes.length;
    }
    await server.receive(bytes);
    return server;
  }

  it('the key derived from the decrypted premaster works end to end', async () => {
    const server = await withPremaster(async (c) => c);
    expect(server.state).toBe('connected');
  });

  it('a bad padding and a wrong version look the same: the handshake goes on and fails at the Finished record', async () => {
    const { rsaPkcs1Encrypt } = await import('../../sim/crypto/rsa');
    const { publicKeyOfCertificate } = await import('../../sim/pki/keys');
    const key = publicKeyOfCertificate(rsa.sbc.chain[0]);
    if (key.kind !== 'rsa') throw new Error('RSA cast expected');
    const garbage = await withPremaster(async (c) => c.map((b, i) => (i === 40 ? b ^ 0xff : b)));
    const wrongVersion = await withPremaster(async () => {
      const premaster = new Uint8Array(48).fill(9);
      premaster.set([3, 1]);
      return rsaPkcs1Encrypt(key.key, premaster, HmacDrbg.fromSeed(5));
    });
    for (const server of [garbage, wrongVersion]) {
      expect(server.state).toBe('failed');
      expect(server.sentAlert?.name).toBe('bad_record_mac');
    }
  });
});

describe('TLS 1.3 KeyUpdate (RFC 8446 §4.6.3)', () => {
  it('moves both directions to the next traffic secrets when asked, and data still flows', async () => {
    const { client: cc, server: sc } = configs(ec, { version: '1.3' });
    const client = new TlsClient(cc);
    const server = new TlsServer(sc);
    await pump(client, server);
    const update = await client.updateKeys(true);
    const answer = await server.receive(update.bytes);
    expect(
      events([answer])
        .filter((e) => e.kind === 'key')
        .map((e) => (e.kind === 'key' ? e.name : '')),
    ).toEqual(expect.arrayContaining(['client_application_traffic_secret_1', 'server_application_traffic_secret_1']));
    await client.receive(answer.bytes);
    const ping = await client.send(new TextEncoder().encode('after update'));
    expect((await server.receive(ping.bytes)).received.map((b) => new TextDecoder().decode(b))).toEqual([
      'after update',
    ]);
    const pong = await server.send(new TextEncoder().encode('still here'));
    expect((await client.receive(pong.bytes)).received.map((b) => new TextDecoder().decode(b))).toEqual(['still here']);
  });
});

describe('using an endpoint out of turn', () => {
  it('rejects send() before the handshake without touching the connection', async () => {
    const { client: cc, server: sc } = configs(ec, { version: '1.3' });
    const client = new TlsClient(cc);
    await expect(client.send(new Uint8Array(1))).rejects.toThrow(/cannot send application data while start/);
    expect(client.state).toBe('start');
    const server = new TlsServer(sc);
    await pump(client, server);
    expect(client.state).toBe('connected');
    await expect(client.start()).rejects.toThrow(/already started/);
    expect(client.state).toBe('connected');
  });
});

describe('what the endpoints report for the Timeline', () => {
  it('TLS 1.3: each record labelled, every key named with its inputs, events ready for the Timeline', async () => {
    const { client: cc, server: sc } = configs(ec, { version: '1.3', suite: 'TLS_AES_128_GCM_SHA256' });
    const client = new TlsClient(cc);
    const server = new TlsServer(sc);
    const log = await pump(client, server);
    const sent = (outs: typeof log.client) =>
      records(outs)
        .filter((r) => r.direction === 'sent')
        .map((r) => r.summary);
    expect(sent(log.client)).toEqual([
      'ClientHello',
      'ChangeCipherSpec',
      'Certificate',
      'CertificateVerify',
      'Finished',
    ]);
    expect(sent(log.server)).toEqual([
      'ServerHello',
      'ChangeCipherSpec',
      'EncryptedExtensions',
      'CertificateRequest',
      'Certificate',
      'CertificateVerify',
      'Finished',
    ]);
    // What an observer sees of an encrypted record: only its header, ciphertext and tag; the endpoints see the message.
    const cert = records(log.server).find((r) => r.direction === 'sent' && r.summary === 'Certificate')!;
    expect(cert.encrypted).toBe(true);
    expect(cert.contentType).toBe('handshake');
    expect(JSON.stringify(cert.fields)).not.toContain('"layer":"x509"');
    // Inside, each certificate is read field by field (RFC 5280 §4.1), not carried as opaque bytes.
    expect(JSON.stringify(cert.decoded!.fields)).toContain('"layer":"x509"');
    expect(JSON.stringify(cert.decoded!.fields)).not.toContain('X.509 certificate (DER)');
    const keys = events(log.client).flatMap((e) => (e.kind === 'key' ? [e] : []));
    expect(keys.map((k) => k.name)).toEqual(
      expect.arrayContaining([
        '(EC)DHE shared secret',
        'early_secret',
        'handshake_secret',
        'client_handshake_traffic_secret',
        'server_handshake_traffic_secret',
        'master_secret',
        'client_application_traffic_secret_0',
        'server_application_traffic_secret_0',
        'client_write_key (handshake)',
        'server_write_iv (application)',
        'verify_data (server Finished)',
      ]),
    );
    const chts = keys.find((k) => k.name === 'client_handshake_traffic_secret')!;
    expect(chts.how).toBe(
      'HKDF-Expand-Label(handshake_secret, "c hs traffic", Transcript-Hash(ClientHello..ServerHello), 32)',
    );
    expect(client.keyLog.map((l) => l.split(' ')[0])).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
    ]);
    const { toStateEvent } = await import('../../sim/tls/output');
    const timelineEvents = events(log.server).map((e) => toStateEvent(e, 'sbc'));
    expect(JSON.parse(JSON.stringify(timelineEvents))).toEqual(timelineEvents);
    expect(timelineEvents.find((e) => e.kind === 'certificate-check')).toMatchObject({
      party: 'sbc',
      subject: 'PBX',
      valid: true,
      reason: 'ok',
    });
    expect(timelineEvents.find((e) => e.kind === 'key' && e.name === 'master_secret')).toMatchObject({
      party: 'sbc',
      value: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('TLS 1.2: the key log is CLIENT_RANDOM and the record labels follow RFC 5246 §7.3', async () => {
    const { client: cc, server: sc } = configs(rsa, { version: '1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
    const client = new TlsClient(cc);
    const server = new TlsServer(sc);
    const log = await pump(client, server);
    const sent = (outs: typeof log.client) =>
      records(outs)
        .filter((r) => r.direction === 'sent')
        .map((r) => r.summary);
    expect(sent(log.server)).toEqual([
      'ServerHello',
      'Certificate',
      'ServerKeyExchange',
      'CertificateRequest',
      'ServerHelloDone',
      'ChangeCipherSpec',
      'Finished',
    ]);
    expect(sent(log.client)).toEqual([
      'ClientHello',
      'Certificate',
      'ClientKeyExchange',
      'CertificateVerify',
      'ChangeCipherSpec',
      'Finished',
    ]);
    expect(client.keyLog).toHaveLength(1);
    expect(client.keyLog[0]).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/);
    expect(client.session).toMatchObject({ extendedMasterSecret: true, forwardSecrecy: true, keyExchange: 'x25519' });
  });
});
