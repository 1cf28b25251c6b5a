/**
 * `trunklab tls-connect HOST:PORT [--tls 1.2|1.3] [--ca F] [--cert F --key F]
 * [--servername N | --no-name-check] [--send TEXT|@FILE] [--keylog F]
 * [--timeout S] [--json]`: the engine's TLS client over a real socket. Exit 0
 * when the handshake succeeds, 1 when it fails (the JSON names the `alert`),
 * 2 for bad usage or unreadable files.
 *
 * The server's certificate must name what the client meant to reach: HOST,
 * or --servername when given. A DNS name is matched against dNSName entries
 * (RFC 9525 §6.3), an IP address against iPAddress entries (RFC 5280
 * §4.2.1.6); only --no-name-check skips the comparison, and says so.
 *
 * The command always ends within --timeout (10 s by default) and a moment:
 * connecting, the handshake and reading a reply share that one deadline, and
 * the connection is closed after the verdict whether or not the peer closes
 * its side (tcp-transport.ts).
 */
import { writeFileSync } from 'node:fs';
import { fromUtf8 } from '../wire/bytes';
import { parseCommandArgs, secondsOption } from './args';
import { EXIT, UsageError, type Command } from './io';
import { INPUT_LIMIT, readInputFile } from './input-file';

/** `host:port`, `[v6]:port`. */
export function parseHostPort(command: string, text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new UsageError(`${command}: expected HOST:PORT, got "${text}"`);
  return { host: m[1], port };
}

/** How long a TLS 1.3 client waits, after its Finished, for the server to refuse its certificate. */
const REFUSAL_WAIT_MS = 500;
/** With --send: once a reply has begun, a pause this long means it is whole. */
const REPLY_PAUSE_MS = 300;

export const tlsConnectCommand: Command = {
  name: 'tls-connect',
  synopsis:
    'trunklab tls-connect HOST:PORT [--tls 1.2|1.3] [--ca F] [--cert F --key F] [--servername N | --no-name-check] [--send TEXT|@FILE] [--keylog F] [--timeout S] [--json]',
  description:
    'Connects with the engine’s TLS client, shows the handshake and the certificate check (including that it names HOST), and can send a SIP message.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('tls-connect', args, {
      tls: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      servername: { type: 'string' },
      'no-name-check': { type: 'boolean' },
      send: { type: 'string' },
      keylog: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('tls-connect: give one HOST:PORT');
    const { host, port } = parseHostPort('tls-connect', positionals[0]);
    if (values.servername !== undefined && values.servername.trim() === '')
      throw new UsageError('tls-connect: --servername is empty');
    const timeoutMs = secondsOption('tls-connect', 'timeout', values.timeout, 10);
    let payload: Uint8Array | undefined;
    if (values.send !== undefined) {
      if (values.send.startsWith('@')) {
        const path = values.send.slice(1);
        payload = readInputFile('tls-connect', path, INPUT_LIMIT.payload, `--send file "${path}"`);
      } else {
        // On the command line, \r\n and \n may be written as escapes; SIP needs CRLF line ends.
        payload = new TextEncoder().encode(values.send.replace(/\\r/g, '\r').replace(/\\n/g, '\n'));
      }
    }

    // The engine is loaded when a command runs, not when `trunklab` starts.
    const [{ LiveRandom }, { TlsClient }, { tlsConfig }, { TlsSocket, systemClock }, options] = await Promise.all([
      import('../crypto/random'),
      import('../tls/client'),
      import('../tls/config'),
      import('./tcp-transport'),
      import('./tls-options'),
    ]);
    const versions = options.versionsOption('tls-connect', values.tls);
    const credentials = options.credentialsOption('tls-connect', values.cert, values.key);
    const trustAnchors = options.anchorsOption('tls-connect', values.ca);
    const checkName = !values['no-name-check'];
    // The name to check: the one asked for, else HOST itself, an IP address included (its SNI is left out, RFC 6066 §3).
    const serverName = values.servername ?? host;

    const client = new TlsClient(
      tlsConfig({
        clock: systemClock,
        random: new LiveRandom(),
        versions,
        serverName,
        checkServerName: checkName,
        ...(credentials ? { credentials } : {}),
        trustAnchors,
        names: { self: 'client', peer: 'server' },
      }),
    );

    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(0, deadline - Date.now());
    let socket: InstanceType<typeof TlsSocket> | undefined;
    let error: string | undefined;
    let received: string | null = null;
    try {
      socket = await TlsSocket.connect(host, port, client, timeoutMs);
      await socket.start();
      await socket.handshake(left());
      if (client.state === 'connected' && payload) {
        await socket.write(payload);
        const chunks: string[] = [];
        for (let data = await socket.read(left()); data; data = await socket.read(Math.min(REPLY_PAUSE_MS, left())))
          chunks.push(fromUtf8(data));
        received = chunks.join('');
      }
      if (client.state === 'connected' && !payload) {
        // A TLS 1.3 client finishes before the server has judged its certificate: give a refusal time to arrive.
        await socket.waitFor(() => client.state !== 'connected', Math.min(REFUSAL_WAIT_MS, left()));
      }
      if (client.state === 'handshaking' || client.state === 'start')
        error = socket.error ?? `no handshake within ${timeoutMs / 1000} s`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      await socket?.close();
    }
    if (values.keylog && client.keyLog.length > 0) writeFileSync(values.keylog, client.keyLog.join('\n') + '\n');

    const report = options.connectionReport(client, socket?.outputs ?? [], error);
    const checkedName = checkName ? serverName : null;
    const out = { host, port, checkedName, ...report, sent: payload ? fromUtf8(payload) : null, received };
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
      for (const line of options.formatReport(report, 'server')) ctx.stdout(`  ${line}\n`);
      for (const line of nameCheckLines(report.certificateCheck?.reason ?? null, checkedName, values.servername))
        ctx.stdout(`  ${line}\n`);
      if (received !== null) ctx.stdout(`received:\n${received}\n`);
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};

/** What was compared with the certificate's names, and what to do when it does not match. */
function nameCheckLines(reason: string | null, checked: string | null, servername: string | undefined): string[] {
  if (reason === null) return [];
  if (checked === null) return ['names not checked (--no-name-check): any certificate from a trusted CA passes'];
  if (reason !== 'name_mismatch') return [];
  return [
    servername === undefined
      ? `the certificate does not name ${checked}; if it should be checked against another name, give --servername NAME (or --no-name-check to skip the check)`
      : `the certificate does not name ${checked} (from --servername)`,
  ];
}
