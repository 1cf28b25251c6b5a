/**
 * Bad input never crashes or hangs an endpoint: random bytes, mutated and
 * truncated records, oversized lengths and messages out of order all end in
 * an alert with a protocol reason (never internal_error) and a closed
 * connection, or — for a prefix of something valid — a wait for more bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatBytes } from '../../sim/wire';
import { HmacDrbg } from '../../sim/crypto/random';
import { VirtualClock } from '../../sim/crypto/clock';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { tlsConfig, type TlsConfig } from '../../sim/tls/config';
import type { TlsVersion } from '../../sim/tls/codepoints';
import type { TlsEndpoint } from '../../sim/tls/endpoint';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';

const AT = '2026-11-26T09:00:00Z';
let cast: Cast;
const flights: Record<TlsVersion, { clientHello: Uint8Array; serverFlight: Uint8Array; clientFlight: Uint8Array }> =
  {} as never;

function serverConfig(version?: TlsVersion): TlsConfig {
  return tlsConfig({
    clock: VirtualClock.at(AT),
    random: HmacDrbg.fromSeed(9, 'server'),
    ...(version ? { versions: [version] } : {}),
    credentials: { chain: cast.sbc.chain, privateKey: cast.sbc.privateKey },
    trustAnchors: cast.anchors,
    requestClientCertificate: true,
    requireClientCertificate: true,
  });
}

function clientConfig(version?: TlsVersion): TlsConfig {
  return tlsConfig({
    clock: VirtualClock.at(AT),
    random: HmacDrbg.fromSeed(9, 'client'),
    ...(version ? { versions: [version] } : {}),
    serverName: (carrier as CarrierProfile).sbc.host,
    trustAnchors: cast.anchors,
    credentials: { chain: cast.pbx.chain, privateKey: cast.pbx.privateKey },
  });
}

beforeAll(async () => {
  cast = await buildCast({
    carrier: carrier as CarrierProfile,
    random: HmacDrbg.fromSeed(9, 'fuzz'),
    at: Date.parse(AT),
  });
  for (const version of ['1.3', '1.2'] as const) {
    const client = new TlsClient(clientConfig(version));
    const server = new TlsServer(serverConfig(version));
    const hello = await client.start();
    const serverFlight = await server.receive(hello.bytes);
    const clientFlight = await client.receive(serverFlight.bytes);
    flights[version] = { clientHello: hello.bytes, serverFlight: serverFlight.bytes, clientFlight: clientFlight.bytes };
  }
});

/** After any input the endpoint has either failed with a protocol alert, or is still waiting for bytes. */
function expectSane(endpoint: TlsEndpoint) {
  expect(['start', 'handshaking', 'connected', 'failed', 'closed']).toContain(endpoint.state);
  if (endpoint.state === 'failed' && endpoint.sentAlert) {
    expect(endpoint.sentAlert.name, endpoint.sentAlert.reason).not.toBe('internal_error');
    expect(endpoint.sentAlert.level).toBe('fatal');
  }
}

function mutate(bytes: Uint8Array, edits: Array<{ at: number; value: number }>, cut: number): Uint8Array {
  const out = bytes.slice(0, Math.max(1, bytes.length - cut));
  for (const e of edits) out[e.at % out.length] = e.value;
  return out;
}

/**
 * Whether `mutated` differs from `original` in a byte the receiver reads. A
 * record sent in the clear (up to and including the ChangeCipherSpec) has a
 * version whose minor byte receivers ignore (RFC 8446 §5.1; RFC 5246
 * Appendix E.1 accepts any {03,XX}); after it, the header is authenticated
 * data of the AEAD.
 */
function changedWhereItCounts(original: Uint8Array, mutated: Uint8Array): boolean {
  if (mutated.length !== original.length) return true;
  const ignored = new Set<number>();
  for (let at = 0; at + 5 <= original.length;) {
    ignored.add(at + 2);
    const changeCipherSpec = original[at] === 20;
    at += 5 + ((original[at + 3] << 8) | original[at + 4]);
    if (changeCipherSpec) break;
  }
  return mutated.some((b, i) => b !== original[i] && !ignored.has(i));
}

const editsArb = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
  minLength: 1,
  maxLength: 4,
});

describe('endpoints given bad input', () => {
  it('a server given random bytes answers with an alert or waits; never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const server = new TlsServer(serverConfig());
        const out = await server.receive(bytes);
        expectSane(server);
        if (server.state === 'failed') expect(out.bytes.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a client given random bytes after its ClientHello answers with an alert or waits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const client = new TlsClient(clientConfig());
        await client.start();
        await client.receive(bytes);
        expectSane(client);
      }),
      { numRuns: 200 },
    );
  });

  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: a server given a mutated or truncated ClientHello`, async () => {
      await fc.assert(
        fc.asyncProperty(editsArb, fc.nat({ max: 20 }), async (edits, cut) => {
          const server = new TlsServer(serverConfig(version));
          await server.receive(mutate(flights[version].clientHello, edits, cut));
          expectSane(server);
        }),
        { numRuns: 150 },
      );
    });

    it(`TLS ${version}: a client given a mutated server flight`, async () => {
      await fc.assert(
        fc.asyncProperty(editsArb, fc.nat({ max: 30 }), async (edits, cut) => {
          const client = new TlsClient(clientConfig(version));
          await client.start();
          const mutated = mutate(flights[version].serverFlight, edits, cut);
          await client.receive(mutated);
          expectSane(client);
          // An edit may write the byte that was there, or one the client rightly ignores.
          if (changedWhereItCounts(flights[version].serverFlight, mutated)) expect(client.state).not.toBe('connected');
        }),
        { numRuns: 100 },
      );
    });

    it(`TLS ${version}: a server given a mutated client flight never accepts it`, async () => {
      await fc.assert(
        fc.asyncProperty(editsArb, async (edits) => {
          const server = new TlsServer(serverConfig(version));
          await server.receive(flights[version].clientHello);
          const mutated = mutate(flights[version].clientFlight, edits, 0);
          await server.receive(mutated);
          expectSane(server);
          if (changedWhereItCounts(flights[version].clientFlight, mutated)) expect(server.state).not.toBe('connected');
        }),
        { numRuns: 100 },
      );
    });
  }

  it('a record that announces more than 2^14 + 2048 bytes: record_overflow', async () => {
    const server = new TlsServer(serverConfig());
    await server.receive(Uint8Array.of(22, 3, 1, 0xff, 0xff));
    expect(server.sentAlert?.name).toBe('record_overflow');
  });

  it('a handshake message that announces 16 MB: decode_error before buffering it', async () => {
    const server = new TlsServer(serverConfig());
    await server.receive(Uint8Array.of(22, 3, 1, 0, 4, 1, 0xff, 0xff, 0xff));
    expect(server.sentAlert?.name).toBe('decode_error');
  });

  it('an unknown content type: unexpected_message', async () => {
    const server = new TlsServer(serverConfig());
    await server.receive(Uint8Array.of(99, 3, 3, 0, 1, 0));
    expect(server.sentAlert?.name).toBe('unexpected_message');
  });

  it('application data before the handshake: unexpected_message', async () => {
    const server = new TlsServer(serverConfig());
    await server.receive(Uint8Array.of(23, 3, 3, 0, 3, 1, 2, 3));
    expect(server.sentAlert?.name).toBe('unexpected_message');
  });

  it('a handshake out of order (the server flight sent to a server): unexpected_message', async () => {
    const server = new TlsServer(serverConfig('1.2'));
    await server.receive(flights['1.2'].serverFlight);
    expect(server.sentAlert?.name).toBe('unexpected_message');
  });

  it('a ClientHello cut in two records and sent byte by byte still works', async () => {
    const server = new TlsServer(serverConfig('1.3'));
    const hello = flights['1.3'].clientHello;
    let last;
    for (const b of hello) last = await server.receive(Uint8Array.of(b));
    expect(server.state).toBe('handshaking');
    expect(concatBytes(last!.bytes).length).toBeGreaterThan(0);
  });

  it('once failed, an endpoint ignores further input', async () => {
    const server = new TlsServer(serverConfig());
    await server.receive(Uint8Array.of(99, 3, 3, 0, 1, 0));
    const again = await server.receive(flights['1.3'].clientHello);
    expect(again.bytes).toHaveLength(0);
    expect(server.state).toBe('failed');
  });
});
