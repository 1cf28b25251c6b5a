/**
 * Interop with OpenSSL 3 on 127.0.0.1: our client against `openssl s_server`
 * and `openssl s_client` against our server, for every version and suite the
 * trunk uses, with and without a client certificate, and the failures (unknown
 * CA, expired, name mismatch, no shared suite, no client certificate when one
 * is required) ending in the same alert on both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveRandom } from '../../sim/crypto/random';
import { checkCoverage } from '../../sim/wire';
import { TlsClient } from '../../sim/tls/client';
import { TlsServer } from '../../sim/tls/server';
import { tlsConfig, type TlsConfig } from '../../sim/tls/config';
import type { CipherSuiteName } from '../../sim/tls/cipher-suites';
import type { TlsVersion } from '../../sim/tls/codepoints';
import { TlsSocket, systemClock } from '../../sim/cli/tcp-transport';
import { buildInteropPki, SERVER_NAME, type InteropPki, type PemPair } from './openssl-pki';
import { openssl, ourServer, sServer } from './openssl-peer';

let pki: InteropPki;
beforeAll(() => {
  pki = buildInteropPki();
});
afterAll(() => pki?.dispose());

interface Case {
  version: TlsVersion;
  suite: CipherSuiteName;
  openssl: string;
  key: 'ec' | 'rsa';
}

const CASES: Case[] = [
  { version: '1.3', suite: 'TLS_AES_128_GCM_SHA256', openssl: 'TLS_AES_128_GCM_SHA256', key: 'ec' },
  { version: '1.3', suite: 'TLS_AES_256_GCM_SHA384', openssl: 'TLS_AES_256_GCM_SHA384', key: 'rsa' },
  { version: '1.3', suite: 'TLS_CHACHA20_POLY1305_SHA256', openssl: 'TLS_CHACHA20_POLY1305_SHA256', key: 'ec' },
  {
    version: '1.2',
    suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    key: 'ec',
  },
  {
    version: '1.2',
    suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384',
    key: 'ec',
  },
  {
    version: '1.2',
    suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
    key: 'rsa',
  },
  {
    version: '1.2',
    suite: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    openssl: 'ECDHE-RSA-AES256-GCM-SHA384',
    key: 'rsa',
  },
  { version: '1.2', suite: 'TLS_RSA_WITH_AES_128_CBC_SHA', openssl: 'AES128-SHA', key: 'rsa' },
  { version: '1.2', suite: 'TLS_RSA_WITH_AES_256_CBC_SHA256', openssl: 'AES256-SHA256', key: 'rsa' },
];

const versionFlag = (v: TlsVersion) => (v === '1.3' ? '-tls1_3' : '-tls1_2');
const suiteFlags = (c: Case) => (c.version === '1.3' ? ['-ciphersuites', c.openssl] : ['-cipher', c.openssl]);

function clientConfig(over: Partial<TlsConfig> = {}): TlsConfig {
  return tlsConfig({
    clock: systemClock,
    random: new LiveRandom(),
    serverName: SERVER_NAME,
    trustAnchors: pki.anchors,
    ...over,
  });
}

function serverConfig(pair: PemPair, over: Partial<TlsConfig> = {}): TlsConfig {
  return tlsConfig({
    clock: systemClock,
    random: new LiveRandom(),
    credentials: pki.credentials(pair),
    trustAnchors: pki.anchors,
    ...over,
  });
}

async function connectOurs(port: number, config: TlsConfig) {
  const client = new TlsClient(config);
  const socket = await TlsSocket.connect('127.0.0.1', port, client);
  await socket.start();
  await socket.handshake();
  return { client, socket };
}

describe('our client → openssl s_server', () => {
  for (const c of CASES) {
    for (const withCert of [true, false]) {
      it(`TLS ${c.version} ${c.suite}, ${withCert ? 'with' : 'without'} a client certificate`, async () => {
        const server = await sServer([
          '-cert',
          pki.server[c.key].cert,
          '-key',
          pki.server[c.key].key,
          '-CAfile',
          pki.ca,
          ...(withCert ? ['-Verify', '1'] : []),
          versionFlag(c.version),
          ...suiteFlags(c),
          '-rev',
        ]);
        try {
          const { client, socket } = await connectOurs(
            server.port,
            clientConfig({
              versions: [c.version],
              cipherSuites: [c.suite],
              ...(withCert ? { credentials: pki.credentials(pki.client[c.key]) } : {}),
            }),
          );
          expect(client.state, server.output()).toBe('connected');
          expect(client.session).toMatchObject({
            version: c.version,
            cipherSuite: c.suite,
            clientAuthenticated: withCert,
          });
          await socket.write(new TextEncoder().encode('OPTIONS sip:sbc\n'));
          // s_server -rev answers each line reversed.
          const reply = await socket.read(5000);
          expect(new TextDecoder().decode(reply)).toContain('cbs:pis SNOITPO');
          await socket.close();
          // s_server prints its verdict on a pipe, which may arrive after the reply on the socket.
          if (withCert) expect(await server.waitFor(/verify return:1/), server.output()).toBe(true);
          // Every byte OpenSSL sent, and every byte it encrypted, explained by our parsers.
          for (const r of socket.outputs.flatMap((o) => o.records)) {
            expect(checkCoverage(r.bytes.length, r.fields), r.summary).toEqual({ unexplained: [], misplaced: [] });
            if (r.decoded)
              expect(checkCoverage(r.decoded.bytes.length / 2, r.decoded.fields), r.summary).toEqual({
                unexplained: [],
                misplaced: [],
              });
          }
        } finally {
          server.kill();
        }
      });
    }
  }
});

describe('openssl s_client → our server', () => {
  for (const c of CASES) {
    for (const withCert of [true, false]) {
      it(`TLS ${c.version} ${c.suite}, ${withCert ? 'with' : 'without'} a client certificate`, async () => {
        const ours = await ourServer(
          () =>
            new TlsServer(
              serverConfig(pki.server[c.key], {
                versions: [c.version],
                cipherSuites: [c.suite],
                requestClientCertificate: withCert,
                requireClientCertificate: withCert,
              }),
            ),
        );
        const client = openssl([
          's_client',
          '-connect',
          `127.0.0.1:${ours.port}`,
          '-servername',
          SERVER_NAME,
          '-CAfile',
          pki.ca,
          '-verify_return_error',
          '-verify_hostname',
          SERVER_NAME,
          versionFlag(c.version),
          ...suiteFlags(c),
          '-brief',
          ...(withCert ? ['-cert', pki.client[c.key].cert, '-key', pki.client[c.key].key] : []),
        ]);
        try {
          const socket = await ours.next;
          await socket.handshake();
          expect(socket.endpoint.state, client.output()).toBe('connected');
          expect(socket.endpoint.session).toMatchObject({
            version: c.version,
            cipherSuite: c.suite,
            clientAuthenticated: withCert,
          });
          expect(await client.waitFor('Verification: OK')).toBe(true);
          client.proc.stdin.write('OPTIONS sip:sbc SIP/2.0\n');
          const got = await socket.read(5000);
          expect(new TextDecoder().decode(got)).toBe('OPTIONS sip:sbc SIP/2.0\n');
          await socket.write(new TextEncoder().encode('SIP/2.0 200 OK\n'));
          expect(await client.waitFor('SIP/2.0 200 OK')).toBe(true);
          client.proc.stdin.end();
          await client.exited;
        } finally {
          client.kill();
          ours.close();
        }
      });
    }
  }
});

describe('secp256r1 key exchange', () => {
  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: our client and s_server agree on P-256`, async () => {
      const server = await sServer([
        '-cert',
        pki.server.ec.cert,
        '-key',
        pki.server.ec.key,
        versionFlag(version),
        '-groups',
        'P-256',
      ]);
      try {
        const { client, socket } = await connectOurs(
          server.port,
          clientConfig({ versions: [version], groups: ['secp256r1'] }),
        );
        expect(client.state, server.output()).toBe('connected');
        expect(client.session?.keyExchange).toBe('secp256r1');
        await socket.close();
      } finally {
        server.kill();
      }
    });

    it(`TLS ${version}: s_client and our server agree on P-256`, async () => {
      const ours = await ourServer(
        () => new TlsServer(serverConfig(pki.server.ec, { versions: [version], groups: ['secp256r1'] })),
      );
      const client = openssl([
        's_client',
        '-connect',
        `127.0.0.1:${ours.port}`,
        '-servername',
        SERVER_NAME,
        '-CAfile',
        pki.ca,
        '-verify_return_error',
        '-brief',
        '-groups',
        'P-256',
        versionFlag(version),
      ]);
      try {
        const socket = await ours.next;
        await socket.handshake();
        expect(socket.endpoint.state, client.output()).toBe('connected');
        expect(await client.waitFor(/Server Temp Key: ECDH, prime256v1/)).toBe(true);
        client.proc.stdin.end();
        await client.exited;
      } finally {
        client.kill();
        ours.close();
      }
    });
  }
});

describe('HelloRetryRequest (RFC 8446 §4.1.4)', () => {
  it('our client retries with the group s_server asks for', async () => {
    const server = await sServer([
      '-cert',
      pki.server.ec.cert,
      '-key',
      pki.server.ec.key,
      '-tls1_3',
      '-groups',
      'P-256',
    ]);
    try {
      const { client, socket } = await connectOurs(
        server.port,
        clientConfig({ versions: ['1.3'], keyShareGroups: ['x25519'] }),
      );
      expect(client.state, server.output()).toBe('connected');
      expect(client.session?.keyExchange).toBe('secp256r1');
      expect(socket.outputs.flatMap((o) => o.records).map((r) => r.summary)).toContain('ClientHello (second)');
      await socket.close();
    } finally {
      server.kill();
    }
  });

  it('our server asks s_client for another group, and s_client retries', async () => {
    const ours = await ourServer(
      () => new TlsServer(serverConfig(pki.server.ec, { versions: ['1.3'], groups: ['secp256r1'] })),
    );
    const client = openssl([
      's_client',
      '-connect',
      `127.0.0.1:${ours.port}`,
      '-servername',
      SERVER_NAME,
      '-CAfile',
      pki.ca,
      '-verify_return_error',
      '-brief',
      '-groups',
      'X25519:P-256',
    ]);
    try {
      const socket = await ours.next;
      await socket.handshake();
      expect(socket.endpoint.state, client.output()).toBe('connected');
      expect(socket.outputs.flatMap((o) => o.records).map((r) => r.summary)).toContain('HelloRetryRequest');
      expect(await client.waitFor('Server Temp Key: ECDH, prime256v1')).toBe(true);
      client.proc.stdin.end();
      await client.exited;
    } finally {
      client.kill();
      ours.close();
    }
  });
});

describe('after the handshake', () => {
  it('follows an OpenSSL KeyUpdate that requests one back, and keeps exchanging data', async () => {
    const server = await sServer(['-cert', pki.server.ec.cert, '-key', pki.server.ec.key, '-tls1_3']);
    try {
      const { client, socket } = await connectOurs(server.port, clientConfig({ versions: ['1.3'] }));
      expect(client.state).toBe('connected');
      await socket.write(new TextEncoder().encode('hello before\n'));
      expect(await server.waitFor('hello before')).toBe(true);
      // s_server: a line "K" sends a KeyUpdate with update_requested.
      server.proc.stdin.write('K\n');
      await socket.waitFor(
        () => socket.outputs.some((o) => o.records.some((r) => r.summary === 'KeyUpdate' && r.direction === 'sent')),
        5000,
      );
      server.proc.stdin.write('from the server\n');
      expect(new TextDecoder().decode(await socket.read(5000))).toContain('from the server');
      await socket.write(new TextEncoder().encode('hello after\n'));
      expect(await server.waitFor('hello after')).toBe(true);
      await socket.close();
    } finally {
      server.kill();
    }
  });
});

describe('failures: the same alert on both sides', () => {
  it('our client refuses a server certificate from an unknown CA: unknown_ca', async () => {
    const server = await sServer(['-cert', pki.server.otherCa.cert, '-key', pki.server.otherCa.key]);
    try {
      const { client } = await connectOurs(server.port, clientConfig());
      expect(client.sentAlert?.name).toBe('unknown_ca');
      expect(await server.waitFor(/alert unknown ca/i)).toBe(true);
    } finally {
      server.kill();
    }
  });

  it('our client refuses an expired server certificate: certificate_expired', async () => {
    const server = await sServer(['-cert', pki.server.expired.cert, '-key', pki.server.expired.key, '-tls1_2']);
    try {
      const { client } = await connectOurs(server.port, clientConfig());
      expect(client.sentAlert?.name).toBe('certificate_expired');
      expect(await server.waitFor(/alert certificate expired/i)).toBe(true);
    } finally {
      server.kill();
    }
  });

  it('our client refuses a certificate for another name: bad_certificate', async () => {
    const server = await sServer(['-cert', pki.server.ec.cert, '-key', pki.server.ec.key]);
    try {
      const { client } = await connectOurs(server.port, clientConfig({ serverName: 'wrong.interop.example' }));
      expect(client.sentAlert?.name).toBe('bad_certificate');
      expect(await server.waitFor(/alert bad certificate/i)).toBe(true);
    } finally {
      server.kill();
    }
  });

  it('no suite in common with s_server: handshake_failure', async () => {
    const server = await sServer([
      '-cert',
      pki.server.ec.cert,
      '-key',
      pki.server.ec.key,
      '-ciphersuites',
      'TLS_AES_128_GCM_SHA256',
      '-tls1_3',
    ]);
    try {
      const { client } = await connectOurs(
        server.port,
        clientConfig({ versions: ['1.3'], cipherSuites: ['TLS_AES_256_GCM_SHA384'] }),
      );
      expect(client.receivedAlert?.name).toBe('handshake_failure');
      expect(await server.waitFor(/no shared cipher/i)).toBe(true);
    } finally {
      server.kill();
    }
  });

  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: our client without a certificate, s_server requires one`, async () => {
      const server = await sServer([
        '-cert',
        pki.server.ec.cert,
        '-key',
        pki.server.ec.key,
        '-CAfile',
        pki.ca,
        '-Verify',
        '1',
        versionFlag(version),
      ]);
      try {
        const { client, socket } = await connectOurs(server.port, clientConfig({ versions: [version] }));
        // In TLS 1.3 the client finishes first; the server's refusal arrives just after.
        await socket.waitFor(() => client.state === 'failed', 5000);
        expect(client.receivedAlert?.name).toBe(version === '1.3' ? 'certificate_required' : 'handshake_failure');
        expect(await server.waitFor(/peer did not return a certificate/i)).toBe(true);
      } finally {
        server.kill();
      }
    });
  }

  async function sClientAgainst(config: TlsConfig, args: string[]) {
    const ours = await ourServer(() => new TlsServer(config));
    const client = openssl([
      's_client',
      '-connect',
      `127.0.0.1:${ours.port}`,
      '-CAfile',
      pki.ca,
      '-verify_return_error',
      '-brief',
      ...args,
    ]);
    try {
      const socket = await ours.next;
      await socket.handshake();
      await socket.waitFor(() => socket.endpoint.state === 'failed' || socket.endpoint.state === 'closed', 5000);
      // Keep s_client's input open until it has read (and printed) what ended the connection.
      await client.waitFor(/alert|error/i, 3000);
      client.proc.stdin.end();
      await client.exited;
      return { server: socket.endpoint, output: client.output() };
    } finally {
      client.kill();
      ours.close();
    }
  }

  it('s_client refuses our server certificate from an unknown CA: unknown_ca', async () => {
    const r = await sClientAgainst(serverConfig(pki.server.otherCa), ['-servername', SERVER_NAME]);
    expect(r.server.receivedAlert?.name).toBe('unknown_ca');
    expect(r.output).toMatch(/unable to get local issuer certificate/);
  });

  it('s_client refuses our expired server certificate: certificate_expired', async () => {
    const r = await sClientAgainst(serverConfig(pki.server.expired), ['-servername', SERVER_NAME]);
    expect(r.server.receivedAlert?.name).toBe('certificate_expired');
    expect(r.output).toMatch(/certificate has expired/);
  });

  it('s_client refuses our certificate for another name: bad_certificate', async () => {
    const r = await sClientAgainst(serverConfig(pki.server.ec), ['-verify_hostname', 'wrong.interop.example']);
    expect(r.server.receivedAlert?.name).toBe('bad_certificate');
    expect(r.output).toMatch(/hostname mismatch/);
  });

  it('no suite in common with s_client: our server sends handshake_failure', async () => {
    const r = await sClientAgainst(serverConfig(pki.server.ec, { cipherSuites: ['TLS_AES_128_GCM_SHA256'] }), [
      '-tls1_3',
      '-ciphersuites',
      'TLS_AES_256_GCM_SHA384',
    ]);
    expect(r.server.sentAlert?.name).toBe('handshake_failure');
    expect(r.output).toMatch(/alert handshake failure/i);
  });

  for (const version of ['1.3', '1.2'] as const) {
    it(`TLS ${version}: s_client without a certificate, our server requires one`, async () => {
      const r = await sClientAgainst(
        serverConfig(pki.server.ec, {
          versions: [version],
          requestClientCertificate: true,
          requireClientCertificate: true,
        }),
        ['-servername', SERVER_NAME],
      );
      const expected = version === '1.3' ? 'certificate_required' : 'handshake_failure';
      expect(r.server.sentAlert?.name).toBe(expected);
      expect(r.output).toMatch(version === '1.3' ? /alert certificate required/i : /alert handshake failure/i);
    });
  }
});
