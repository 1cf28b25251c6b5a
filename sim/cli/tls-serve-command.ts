/**
 * `trunklab tls-serve PORT --cert F --key F [--ca F --require-client-cert]
 * [--tls 1.2|1.3] [--keylog F] [--once] [--host ADDR] [--timeout S] [--json]`:
 * the engine's TLS server on a real socket, answering each SIP OPTIONS with
 * 200 OK (RFC 3261 §11.2) — a stand-in SBC for testing a PBX's TLS settings.
 * It prints one line when it listens (with the port, useful with PORT 0) and
 * a summary per connection. With --once it ends after the first connection:
 * exit 0 if its handshake succeeded, 1 if not.
 *
 * Bounded against clients that misbehave: a certificate and key that do not
 * belong together are refused at start; a client gets --timeout (15 s) for
 * its handshake and for each silence after it, and is then closed whether or
 * not it closes its side; at most MAX_CONNECTIONS are served at once.
 */
import { appendFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { integerOption, parseCommandArgs, secondsOption } from './args';
import { EXIT, UsageError, type Command } from './io';

/**
 * At most this many connections at once; more are refused (closed) as they
 * arrive, so a crowd of idle clients cannot take every descriptor.
 */
export const MAX_CONNECTIONS = 64;

export const tlsServeCommand: Command = {
  name: 'tls-serve',
  synopsis:
    'trunklab tls-serve PORT --cert F --key F [--ca F --require-client-cert] [--tls 1.2|1.3] [--keylog F] [--once] [--host ADDR] [--timeout S] [--json]',
  description:
    'Serves TLS with the engine on PORT (on 127.0.0.1 unless --host says otherwise) and answers SIP OPTIONS with 200 OK: a test SBC for a PBX.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('tls-serve', args, {
      cert: { type: 'string' },
      key: { type: 'string' },
      ca: { type: 'string' },
      'require-client-cert': { type: 'boolean' },
      tls: { type: 'string' },
      keylog: { type: 'string' },
      once: { type: 'boolean' },
      host: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('tls-serve: give one PORT (0 picks a free one)');
    const port = integerOption('tls-serve', 'PORT', positionals[0], 0);
    if (port < 0 || port > 65535) throw new UsageError(`tls-serve: PORT must be 0..65535, got ${port}`);
    // How long a client may take over its handshake, and stay silent after it, before it is cut off.
    const timeoutMs = secondsOption('tls-serve', 'timeout', values.timeout, 15);
    // The engine (and Node's sockets) are loaded when a command runs, not when `trunklab` starts.
    const [
      { LiveRandom },
      { TlsServer },
      { tlsConfig },
      { responseTo },
      { SipStreamFramer },
      { writeSipMessage },
      { randomToken },
      { TlsSocket, systemClock },
      options,
      { createServer },
    ] = await Promise.all([
      import('../crypto/random'),
      import('../tls/server'),
      import('../tls/config'),
      import('../sip/response'),
      import('../sip/stream'),
      import('../sip/write'),
      import('../sip/identifiers'),
      import('./tcp-transport'),
      import('./tls-options'),
      import('node:net'),
    ]);
    const credentials = options.credentialsOption('tls-serve', values.cert, values.key);
    if (!credentials) throw new UsageError('tls-serve: --cert and --key are required');
    const trustAnchors = options.anchorsOption('tls-serve', values.ca);
    if (values['require-client-cert'] && trustAnchors.length === 0) {
      throw new UsageError('tls-serve: --require-client-cert needs --ca, the CA that signs client certificates');
    }
    const versions = options.versionsOption('tls-serve', values.tls);
    const random = new LiveRandom();
    const host = values.host ?? '127.0.0.1';

    const serveOne = async (socket: Socket): Promise<boolean> => {
      const server = new TlsServer(
        tlsConfig({
          clock: systemClock,
          random,
          versions,
          credentials,
          trustAnchors,
          requestClientCertificate: trustAnchors.length > 0,
          requireClientCertificate: !!values['require-client-cert'],
          names: { self: 'server', peer: 'client' },
        }),
      );
      const tls = new TlsSocket(socket, server);
      const from = `${socket.remoteAddress}:${socket.remotePort}`;
      await tls.handshake(timeoutMs);
      const answered: string[] = [];
      if (server.state === 'connected') {
        const framer = new SipStreamFramer();
        const toTag = randomToken(random, 8);
        for (let data = await tls.read(timeoutMs); data; data = await tls.read(timeoutMs)) {
          let frames;
          try {
            frames = framer.push(data);
          } catch {
            break;
          }
          for (const f of frames) {
            if (f.kind !== 'message' || f.parsed.message.kind !== 'request') continue;
            const request = f.parsed.message;
            // RFC 3261 §11.2: OPTIONS gets 200 OK with what the server supports; anything else here is not implemented.
            const status = request.method === 'OPTIONS' ? 200 : 501;
            const response = responseTo(request, status, {
              toTag,
              headers:
                status === 200
                  ? [
                      { name: 'Allow', value: 'OPTIONS' },
                      { name: 'Accept', value: 'application/sdp' },
                    ]
                  : [],
            });
            await tls.write(writeSipMessage(response).bytes);
            answered.push(`${request.method} → ${status}`);
          }
        }
      }
      // close_notify if still connected, then the socket is closed even if the client keeps its side open.
      await tls.close();
      if (values.keylog && server.keyLog.length > 0) appendFileSync(values.keylog, server.keyLog.join('\n') + '\n');
      const report = options.connectionReport(
        server,
        tls.outputs,
        server.state === 'handshaking' || server.state === 'start'
          ? 'the client did not finish the handshake'
          : undefined,
      );
      if (values.json) {
        ctx.stdout(JSON.stringify({ from, ...report, answered }) + '\n');
      } else {
        ctx.stdout(`connection from ${from}\n`);
        for (const line of options.formatReport(report, 'client')) ctx.stdout(`  ${line}\n`);
        for (const line of answered) ctx.stdout(`  ${line}\n`);
      }
      return report.ok;
    };

    return new Promise<number>((resolve, reject) => {
      const listener = createServer((socket) => {
        if (values.once) listener.close();
        void serveOne(socket).then(
          (ok) => {
            if (values.once) resolve(ok ? EXIT.ok : EXIT.failed);
          },
          (e) => reject(e),
        );
      });
      listener.maxConnections = MAX_CONNECTIONS;
      listener.once('error', (e) =>
        reject(new UsageError(`tls-serve: cannot listen on ${host}:${port} (${e.message})`)),
      );
      listener.listen(port, host, () => {
        const address = listener.address();
        const actual = typeof address === 'object' && address ? address.port : port;
        ctx.stdout(`listening on ${host}:${actual}\n`);
      });
    });
  },
};
