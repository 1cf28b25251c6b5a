/**
 * What a TLS endpoint refuses from a peer before it reads further:
 *
 * - a record in clear longer than 2^14 bytes is a record_overflow (RFC 8446
 *   §5.1, RFC 5246 §6.2.1), said from its header;
 * - a ClientHello with TLS_FALLBACK_SCSV asking for less than the highest
 *   version the server speaks is an inappropriate_fallback (RFC 7507 §3);
 * - during a TLS 1.3 handshake, ChangeCipherSpec records are dropped (RFC 8446
 *   §5), but only MAX_DROPPED_CHANGE_CIPHER_SPECS of them: a peer sends one.
 *
 * tests/cli/tls-hostile-peers.test.ts puts the same limits to real sockets
 * and OpenSSL's s_client.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { MAX_DROPPED_CHANGE_CIPHER_SPECS } from '../../sim/tls/endpoint';
import { tlsConfig, type TlsConfig } from '../../sim/tls/config';
import { CIPHER_SUITES, TLS_FALLBACK_SCSV } from '../../sim/tls/cipher-suites';
import { NAMED_GROUP, SIGNATURE_SCHEME, type TlsVersion } from '../../sim/tls/codepoints';
import { writeClientHello } from '../../sim/tls/messages/hello';
import { writePlaintextRecord } from '../../sim/tls/record';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

const AT = '2026-11-26T09:00:00Z';
let cast: Cast;
beforeAll(async () => {
  cast = await buildCast({
    carrier: carrier as CarrierProfile,
    random: HmacDrbg.fromSeed(3, 'limits'),
    at: Date.parse(AT),
  });
});

function serverConfig(versions: TlsVersion[] = ['1.3', '1.2']): TlsConfig {
  return tlsConfig({
    clock: VirtualClock.at(AT),
    random: HmacDrbg.fromSeed(3, 'server'),
    versions,
    credentials: { chain: cast.sbc.chain, privateKey: cast.sbc.privateKey },
  });
}

/** A record header in clear announcing `length` bytes, and that many bytes after it. */
function plaintextRecord(type: number, length: number): Uint8Array {
  const record = new Uint8Array(5 + length);
  record.set([type, 0x03, 0x03, length >> 8, length & 0xff]);
  return record;
}

describe('records in clear hold at most 2^14 bytes', () => {
  for (const [name, type] of [
    ['handshake', 22],
    ['alert', 21],
    ['application_data', 23],
  ] as const) {
    it(`a ${name} record of 2^14 + 1 bytes: the server says record_overflow`, async () => {
      const server = new TlsServer(serverConfig());
      // The header alone is enough: the 16,385 bytes are never waited for.
      await server.receive(plaintextRecord(type, 2 ** 14 + 1).subarray(0, 5));
      expect(server.sentAlert?.name).toBe('record_overflow');
    });
  }

  it('a client refuses a server record of 2^14 + 1 bytes in clear the same way', async () => {
    const client = new TlsClient(
      tlsConfig({ clock: VirtualClock.at(AT), random: HmacDrbg.fromSeed(3, 'client'), trustAnchors: cast.anchors }),
    );
    await client.start();
    await client.receive(plaintextRecord(22, 2 ** 14 + 1));
    expect(client.sentAlert?.name).toBe('record_overflow');
  });

  it('a handshake record of exactly 2^14 bytes is read (and its content judged)', async () => {
    const server = new TlsServer(serverConfig());
    await server.receive(plaintextRecord(22, 2 ** 14));
    expect(server.sentAlert?.name).not.toBe('record_overflow');
  });
});

/** A ClientHello offering TLS 1.2 only (no supported_versions), with the fallback signal when `scsv`. */
function tls12Hello(scsv: boolean, extra: number[] = []): Uint8Array {
  const suite = CIPHER_SUITES.find((s) => s.name === 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256')!;
  const hello = writeClientHello({
    legacyVersion: 0x0303,
    random: new Uint8Array(32).fill(7),
    legacySessionId: new Uint8Array(0),
    cipherSuites: [suite.code, ...extra, ...(scsv ? [TLS_FALLBACK_SCSV] : [])],
    compressionMethods: [0],
    extensions: {
      types: [],
      supportedGroups: [NAMED_GROUP.x25519, NAMED_GROUP.secp256r1],
      signatureAlgorithms: [SIGNATURE_SCHEME.ecdsa_secp256r1_sha256],
      ecPointFormats: [0],
    },
  });
  return writePlaintextRecord(22, 0x0301, hello).bytes;
}

describe('TLS_FALLBACK_SCSV (RFC 7507)', () => {
  it('a server that speaks TLS 1.3 refuses a TLS 1.2 fallback: inappropriate_fallback', async () => {
    const server = new TlsServer(serverConfig());
    await server.receive(tls12Hello(true));
    expect(server.sentAlert?.name).toBe('inappropriate_fallback');
    expect(server.sentAlert?.reason).toContain('TLS_FALLBACK_SCSV');
  });

  it('without the signal, the same ClientHello gets TLS 1.2', async () => {
    const server = new TlsServer(serverConfig());
    const out = await server.receive(tls12Hello(false));
    expect(server.sentAlert).toBeUndefined();
    expect(out.records.map((r) => r.summary)).toContain('ServerHello');
    expect(server.version).toBe('1.2');
  });

  it('a server whose highest version is TLS 1.2 takes the fallback', async () => {
    const server = new TlsServer(serverConfig(['1.2']));
    await server.receive(tls12Hello(true));
    expect(server.sentAlert).toBeUndefined();
    expect(server.version).toBe('1.2');
  });
});

describe('ChangeCipherSpec records during a TLS 1.3 handshake (RFC 8446 §5, §D.4)', () => {
  const ccs = Uint8Array.of(20, 0x03, 0x03, 0x00, 0x01, 0x01);

  async function serverAfterHello(): Promise<TlsServer> {
    const client = new TlsClient(
      tlsConfig({ clock: VirtualClock.at(AT), random: HmacDrbg.fromSeed(3, 'client'), trustAnchors: cast.anchors }),
    );
    const server = new TlsServer(serverConfig());
    const out = await server.receive((await client.start()).bytes);
    expect(out.records.map((r) => r.summary)).toContain('ServerHello');
    expect(server.version).toBe('1.3');
    return server;
  }

  it(`${MAX_DROPPED_CHANGE_CIPHER_SPECS} are dropped; one more is an unexpected_message`, async () => {
    const server = await serverAfterHello();
    for (let i = 0; i < MAX_DROPPED_CHANGE_CIPHER_SPECS; i++) await server.receive(ccs);
    expect(server.sentAlert).toBeUndefined();
    await server.receive(ccs);
    expect(server.sentAlert?.name).toBe('unexpected_message');
    expect(server.sentAlert?.reason).toContain(`more than ${MAX_DROPPED_CHANGE_CIPHER_SPECS} ChangeCipherSpec`);
  });

  it('a flood in one read ends at the same record, without reading the rest', async () => {
    const server = await serverAfterHello();
    const flood = new Uint8Array(ccs.length * 20_000);
    for (let at = 0; at < flood.length; at += ccs.length) flood.set(ccs, at);
    const out = await server.receive(flood);
    expect(server.sentAlert?.name).toBe('unexpected_message');
    expect(out.records.filter((r) => r.direction === 'received')).toHaveLength(MAX_DROPPED_CHANGE_CIPHER_SPECS + 1);
  });
});
