/**
 * tshark, given our key log, decrypts a session: our client talks to
 * `openssl s_server` over a real loopback socket, the records exchanged are
 * written into a pcap (IPv4 + TCP, with the server placed on 5061, SIP over
 * TLS, so tshark hands the decrypted bytes to its SIP dissector), and tshark
 * reads the SIP request only when it has our NSS key log.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveRandom } from '../../sim/crypto/random';
import { TlsClient } from '../../sim/tls/client';
import { tlsConfig } from '../../sim/tls/config';
import type { TlsVersion } from '../../sim/tls/codepoints';
import type { TlsRecordView } from '../../sim/tls/output';
import { TlsSocket, systemClock } from '../../sim/cli/tcp-transport';
import { writeTcpSegment, TCP_FLAG } from '../../sim/net/tcp-segment';
import { writeIpv4Packet } from '../../sim/net/ipv4';
import { writePcap } from '../../sim/net/pcap-writer';
import { buildInteropPki, SERVER_NAME, type InteropPki } from './openssl-pki';
import { sServer } from './openssl-peer';

let pki: InteropPki;
let dir: string;
beforeAll(() => {
  pki = buildInteropPki();
  dir = mkdtempSync(join(tmpdir(), 'trunklab-tshark-'));
});
afterAll(() => {
  pki?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const CLIENT = { ip: '127.0.0.1', port: 50611 };
const SERVER = { ip: '127.0.0.1', port: 5061 };

/** A TCP conversation carrying the records in the order they crossed the socket. */
function capture(records: TlsRecordView[]): Uint8Array {
  const packets: Uint8Array[] = [];
  let id = 1;
  const seq = { client: 1000, server: 9000 };
  const segment = (fromClient: boolean, flags: number, payload: Uint8Array) => {
    const [src, dst] = fromClient ? [CLIENT, SERVER] : [SERVER, CLIENT];
    const tcp = writeTcpSegment(
      { src: src.ip, dst: dst.ip },
      {
        srcPort: src.port,
        dstPort: dst.port,
        seq: fromClient ? seq.client : seq.server,
        ack: flags & TCP_FLAG.ACK ? (fromClient ? seq.server : seq.client) : 0,
        flags,
        window: 65535,
        urgentPointer: 0,
        options: [],
      },
      { bytes: payload, fields: [] },
    );
    packets.push(writeIpv4Packet({ src: src.ip, dst: dst.ip, protocol: 'tcp', id: id++ }, tcp).bytes);
    const advance = payload.length + (flags & (TCP_FLAG.SYN | TCP_FLAG.FIN) ? 1 : 0);
    if (fromClient) seq.client += advance;
    else seq.server += advance;
  };
  segment(true, TCP_FLAG.SYN, new Uint8Array(0));
  segment(false, TCP_FLAG.SYN | TCP_FLAG.ACK, new Uint8Array(0));
  segment(true, TCP_FLAG.ACK, new Uint8Array(0));
  for (const r of records) segment(r.direction === 'sent', TCP_FLAG.PSH | TCP_FLAG.ACK, r.bytes);
  return writePcap(
    228,
    packets.map((bytes, i) => ({ seconds: 1_795_000_000 + i, nanoseconds: 0, bytes })),
  );
}

function tshark(pcap: string, keylog?: string): string {
  return execFileSync(
    'tshark',
    [
      '-r',
      pcap,
      ...(keylog ? ['-o', `tls.keylog_file:${keylog}`] : []),
      '-Y',
      'sip',
      '-T',
      'fields',
      '-e',
      'sip.Method',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ).toString();
}

describe('tshark decrypts our sessions with our key log', () => {
  for (const version of ['1.3', '1.2'] as TlsVersion[]) {
    it(`TLS ${version}, a real loopback session with openssl s_server`, async () => {
      const server = await sServer([
        '-cert',
        pki.server.ec.cert,
        '-key',
        pki.server.ec.key,
        version === '1.3' ? '-tls1_3' : '-tls1_2',
        '-rev',
      ]);
      const client = new TlsClient(
        tlsConfig({
          clock: systemClock,
          random: new LiveRandom(),
          versions: [version],
          serverName: SERVER_NAME,
          trustAnchors: pki.anchors,
        }),
      );
      try {
        const socket = await TlsSocket.connect('127.0.0.1', server.port, client);
        await socket.start();
        await socket.handshake();
        expect(client.state).toBe('connected');
        await socket.write(
          new TextEncoder().encode(
            'OPTIONS sip:sbc.interop.example SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:50611;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:pbx@interop.example>;tag=1\r\nTo: <sip:sbc.interop.example>\r\nCall-ID: 1@interop\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
          ),
        );
        await socket.read(3000);
        await socket.close();
        const pcap = join(dir, `session-${version}.pcap`);
        const keylog = join(dir, `keys-${version}.txt`);
        writeFileSync(pcap, capture(socket.outputs.flatMap((o) => o.records)));
        writeFileSync(keylog, client.keyLog.join('\n') + '\n');
        expect(
          client.keyLog.some((l) => l.startsWith(version === '1.3' ? 'CLIENT_TRAFFIC_SECRET_0 ' : 'CLIENT_RANDOM ')),
        ).toBe(true);
        expect(tshark(pcap).trim()).toBe('');
        expect(tshark(pcap, keylog).trim().split('\n')).toContain('OPTIONS');
      } finally {
        server.kill();
      }
    });
  }
});
