/**
 * `trunklab tls-connect HOST:PORT [--tls 1.2|1.3] [--ca F] [--cert F --key F]
 * [--servername N] [--send TEXT|@FILE] [--keylog F] [--json]`: the engine's
 * TLS client over a real socket. Exit 0 when the handshake succeeds, 1 when
 * it fails (the JSON names the `alert`), 2 for bad usage or unreadable files.
 */
import { writeFileSync } from 'node:fs';
import { LiveRandom } from '../crypto/random';
import { TlsClient } from '../tls/client';
import { tlsConfig } from '../tls/config';
import { fromUtf8 } from '../wire/bytes';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type Command } from './io';
import { readInputFile } from './input-file';
import { TlsSocket, systemClock } from './tcp-transport';
import { anchorsOption, connectionReport, credentialsOption, formatReport, versionsOption } from './tls-options';

/** `host:port`, `[v6]:port`. */
export function parseHostPort(command: string, text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new UsageError(`${command}: expected HOST:PORT, got "${text}"`);
  return { host: m[1], port };
}

export const tlsConnectCommand: Command = {
  name: 'tls-connect',
  synopsis:
    'trunklab tls-connect HOST:PORT [--tls 1.2|1.3] [--ca F] [--cert F --key F] [--servername N] [--send TEXT|@FILE] [--keylog F] [--timeout S] [--json]',
  description:
    'Connects with the engine’s TLS client, shows the handshake and the certificate check, and can send a SIP message.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('tls-connect', args, {
      tls: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      servername: { type: 'string' },
      send: { type: 'string' },
      keylog: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('tls-connect: give one HOST:PORT');
    const { host, port } = parseHostPort('tls-connect', positionals[0]);
    const versions = versionsOption('tls-connect', values.tls);
    const credentials = credentialsOption('tls-connect', values.cert, values.key);
    const trustAnchors = anchorsOption('tls-connect', values.ca);
    let payload: Uint8Array | undefined;
    if (values.send !== undefined) {
      if (values.send.startsWith('@')) {
        payload = readInputFile('tls-connect', values.send.slice(1), `--send file "${values.send.slice(1)}"`);
      } else {
        // On the command line, \r\n and \n may be written as escapes; SIP needs CRLF line ends.
        payload = new TextEncoder().encode(values.send.replace(/\\r/g, '\r').replace(/\\n/g, '\n'));
      }
    }
    const timeoutMs = values.timeout ? Number(values.timeout) * 1000 : 10_000;
    if (!(timeoutMs > 0)) throw new UsageError('tls-connect: --timeout must be a positive number of seconds');
    const serverName = values.servername ?? (/^[\d.]+$|:/.test(host) ? undefined : host);

    const client = new TlsClient(
      tlsConfig({
        clock: systemClock,
        random: new LiveRandom(),
        versions,
        ...(serverName ? { serverName } : {}),
        ...(credentials ? { credentials } : {}),
        trustAnchors,
        names: { self: 'client', peer: 'server' },
      }),
    );

    let socket: TlsSocket | undefined;
    let error: string | undefined;
    let received: string | null = null;
    try {
      socket = await TlsSocket.connect(host, port, client, timeoutMs);
      await socket.start();
      await socket.handshake(timeoutMs);
      if (client.state === 'connected' && payload) {
        await socket.write(payload);
        const chunks: string[] = [];
        // Read what comes back until the peer pauses (a SIP response arrives whole or in a few records).
        for (let data = await socket.read(timeoutMs); data; data = await socket.read(300)) chunks.push(fromUtf8(data));
        received = chunks.join('');
      }
      if (client.state === 'connected' && !payload) {
        // A TLS 1.3 client finishes before the server has judged its certificate: give a refusal time to arrive.
        await socket.waitFor(() => client.state !== 'connected', 500);
      }
      if (client.state === 'handshaking' || client.state === 'start')
        error = socket.error ?? `no handshake within ${timeoutMs / 1000} s`;
      await socket.close();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (values.keylog && client.keyLog.length > 0) writeFileSync(values.keylog, client.keyLog.join('\n') + '\n');

    const report = connectionReport(client, socket?.outputs ?? [], error);
    const out = { host, port, ...report, sent: payload ? fromUtf8(payload) : null, received };
    if (values.json) {
      ctx.stdout(JSON.stringify(out, null, 2) + '\n');
    } else {
      ctx.stdout(`${host}:${port}\n`);
      // The ladder: → sent, ← received, in the order the client handled them.
      for (const r of report.records) {
        ctx.stdout(
          `  ${r.direction === 'sent' ? '→' : '←'} ${r.summary} (${r.bytes} bytes${r.encrypted ? ', encrypted' : ''})\n`,
        );
      }
      for (const line of formatReport(report, 'server')) ctx.stdout(`  ${line}\n`);
      if (received !== null) ctx.stdout(`received:\n${received}\n`);
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};
