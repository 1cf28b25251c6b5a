/**
 * The TLS engine's client and server over the virtual TCP: a large server
 * flight spans several segments, tshark reassembles it, and with the key log
 * embedded in the pcapng (Decryption Secrets Block) tshark decrypts the
 * session with no other file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../sim/crypto/random';
import { buildCast, type Cast } from '../../sim/pki/cast';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { tlsConfig } from '../../sim/tls/config';
import type { TlsEndpoint } from '../../sim/tls/endpoint';
import type { TlsOutput } from '../../sim/tls/output';
import type { TlsVersion } from '../../sim/tls/codepoints';
import type { TcpConnection } from '../../sim/net/tcp-connection';
import { writePcapng } from '../../sim/net/pcapng-writer';
import { keyLogFile } from '../../sim/tls/key-log';
import { checkCoverage, fromUtf8, utf8 } from '../../sim/wire';
import carrier from '../../content/carrier.json';
import type { CarrierProfile } from '../../sim/carrier';
import { START, labNetwork } from './lab-network';
import { scratchDir, tsharkFields, writeScratch } from './tshark';

const profile = carrier as CarrierProfile;
let cast: Cast;

beforeAll(async () => {
  cast = await buildCast({
    carrier: profile,
    random: HmacDrbg.fromSeed(3, 'net tls'),
    at: Date.parse(START),
    keyType: 'rsa-2048',
  });
});

/** Writes what a TLS endpoint produced to its connection, record by record with their field trees. */
function send(conn: TcpConnection, out: TlsOutput): void {
  for (const r of out.records) if (r.direction === 'sent') conn.write({ bytes: r.bytes, fields: r.fields });
}

async function secureSession(version: TlsVersion, seed: number) {
  const net = labNetwork(seed);
  const clock = net.clock;
  const request = utf8(`OPTIONS sip:${profile.sbc.host};transport=tls SIP/2.0\r\nContent-Length: 0\r\n\r\n`);
  const received: string[] = [];
  let server: TlsEndpoint | undefined;
  net.sbc.listen(5061, (conn) => {
    server = new TlsServer(
      tlsConfig({
        clock,
        random: HmacDrbg.fromSeed(seed, 'sbc tls'),
        versions: [version],
        credentials: cast.sbc,
        trustAnchors: cast.anchors,
        requireClientCertificate: true,
      }),
    );
    conn.onData = async (d) => {
      const out = await server!.receive(d);
      send(conn, out);
      for (const app of out.received) {
        received.push(fromUtf8(app));
        send(conn, await server!.send(utf8('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n')));
      }
    };
  });
  const client = new TlsClient(
    tlsConfig({
      clock,
      random: HmacDrbg.fromSeed(seed, 'pbx tls'),
      versions: [version],
      serverName: profile.sbc.host,
      credentials: cast.pbx,
      trustAnchors: cast.anchors,
    }),
  );
  const conn = net.pbx.connect({ ip: net.sbc.ip, port: 5061 });
  conn.onOpen = async () => send(conn, await client.start());
  conn.onData = async (d) => {
    const out = await client.receive(d);
    send(conn, out);
    if (out.state === 'connected' && client.session && received.length === 0 && !out.received.length) {
      send(conn, await client.send(request));
    }
    for (const app of out.received) {
      received.push(fromUtf8(app));
      conn.close();
    }
  };
  conn.onEnd = () => undefined;
  await net.network.run();
  return { net, client, server: server!, received };
}

describe('TLS over the virtual TCP', () => {
  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: the handshake completes, the request and the answer arrive, every segment is explained`, async () => {
      const { net, client, received } = await secureSession(version, 11);
      expect(client.state).toBe('connected');
      expect(received[0]).toMatch(/^OPTIONS sip:/);
      expect(received[1]).toMatch(/^SIP\/2\.0 200 OK/);
      for (const r of net.network.records) {
        expect(checkCoverage(r.bytes.length, r.fields), `packet ${r.index}`).toEqual({
          unexplained: [],
          misplaced: [],
        });
      }
      // The SBC's flight (RSA certificates) is larger than one segment.
      const sbcData = net.network.records.filter((r) => r.from === 'sbc' && r.payloadLength > 0);
      expect(sbcData[0].payloadLength).toBe(1460);
      expect(JSON.stringify(sbcData[1].fields)).toMatch(/are in this segment/);
    });

    it(`TLS ${version}: tshark reassembles the handshake and, with the embedded secrets, decrypts it`, async () => {
      const { net, client } = await secureSession(version, 12);
      const packets = net.network.records.map((r) => ({
        timeMs: net.network.startMs + r.timeUs / 1000,
        bytes: r.bytes,
      }));
      const dir = scratchDir();
      const plain = writeScratch(dir, 'plain.pcapng', writePcapng(packets).bytes);
      const secret = writeScratch(
        dir,
        'secret.pcapng',
        writePcapng(packets, { tlsKeyLog: keyLogFile(client.keyLog, 'PBX TLS client') }).bytes,
      );
      const types = (file: string) =>
        tsharkFields(file, ['tls.handshake.type'], ['-Y', 'tls.handshake'])
          .flatMap((r) => r[0].split(','))
          .map(Number);
      const certificates = (file: string) =>
        tsharkFields(file, ['tls.handshake.certificate_length'], ['-Y', 'tls.handshake.type == 11']).flatMap((r) =>
          r[0].split(','),
        );
      const appData = (file: string) => tsharkFields(file, ['tls.app_data'], ['-Y', 'tls.app_data']).length;
      if (version === '1.3') {
        // Without the secrets only ClientHello and ServerHello are readable; the rest is encrypted.
        expect(types(plain)).toEqual([1, 2]);
        expect(types(secret)).toEqual(expect.arrayContaining([1, 2, 8, 13, 11, 15, 20]));
        expect(certificates(plain)).toEqual([]);
      } else {
        // TLS 1.2 sends its certificates in clear, spread over segments that tshark reassembles.
        expect(types(plain)).toEqual(expect.arrayContaining([1, 2, 11, 12, 13, 14, 16]));
        expect(types(secret)).toContain(20);
      }
      expect(certificates(secret).length).toBeGreaterThanOrEqual(2);
      expect(appData(plain)).toBeGreaterThan(0);
      // Decrypted, the SIP request is visible to tshark.
      const sip = tsharkFields(secret, ['sip.Method'], ['-Y', 'sip.Method', '-d', 'tls.port==5061,sip']);
      expect(sip.map((r) => r[0])).toContain('OPTIONS');
    });
  }
});
