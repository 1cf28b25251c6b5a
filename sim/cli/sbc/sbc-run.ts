/**
 * `trunklab sbc`: reads the options and the test CA (`trunklab ca init`),
 * runs the test SBC (test-sbc.ts), prints one line per event (or one JSON
 * object per line with --json) and stops cleanly on Ctrl+C (SIGINT) or
 * SIGTERM: every call ends with BYE, every connection with close_notify,
 * every capture is written, then the command exits 0. A second Ctrl+C
 * while stopping exits at once.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { SubjectAlternativeNameExtension } from '@peculiar/x509';
import { parseAddressRange } from '../../net/address-range';
import { parseCertificate } from '../../pki/certificate';
import { parseCommandArgs, secondsOption } from '../args';
import { caFiles } from '../ca-files';
import { EXIT, UsageError, type CliContext } from '../io';
import { anchorsOption, credentialsOption, versionsOption } from '../tls-options';
import { eventJson, eventText, type SbcEvent } from './sbc-events';
import { TestSbc, type TrunkAuth } from './test-sbc';
import type { DigestAlgorithm } from '../../sip/digest';

const COMMAND = 'sbc';

/** `HOST:PORT` or `[V6]:PORT`, port 0 to 65535 (0: the system picks one). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 0 && port <= 65535))
    throw new UsageError(`${COMMAND}: --listen takes HOST:PORT (port 0 to 65535), got "${text}"`);
  return { host: m[1], port };
}

export async function runSbc(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMMAND, args, {
    listen: { type: 'string' },
    'ca-dir': { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    'ip-auth': { type: 'string', multiple: true },
    digest: { type: 'string' },
    record: { type: 'string' },
    tls: { type: 'string' },
    timeout: { type: 'string' },
    idle: { type: 'string' },
    'hangup-after': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`${COMMAND}: unexpected argument "${positionals[0]}"`);
  const { host, port } = parseListen(values.listen ?? `127.0.0.1:${ctx.carrier.sbc.tlsPort}`);
  const auth = authOption(values, ctx);
  const timeouts = {
    handshakeMs: secondsOption(COMMAND, 'timeout', values.timeout, 10),
    idleMs: secondsOption(COMMAND, 'idle', values.idle, 120),
  };
  const hangUpAfterMs =
    values['hangup-after'] === undefined
      ? undefined
      : secondsOption(COMMAND, 'hangup-after', values['hangup-after'], 0);
  const versions = versionsOption(COMMAND, values.tls);

  const dir = values['ca-dir'] ?? '.';
  const files = caFiles(ctx.carrier, dir);
  const missing = [files.sbcChain, files.sbcKey, files.root].find((f) => !existsSync(f.path));
  if (missing) {
    throw new UsageError(
      `${COMMAND}: ${missing.path} not found: make the test CA first with \`trunklab ca init ${dir}\`, or give --ca-dir`,
    );
  }
  const credentials = credentialsOption(COMMAND, files.sbcChain.path, files.sbcKey.path)!;
  const anchors = anchorsOption(COMMAND, files.root.path);
  const san = parseCertificate(credentials.chain[0]).getExtension(SubjectAlternativeNameExtension);
  const certificateNames = san?.names.items.map((n) => n.value) ?? [];

  if (values.record !== undefined) {
    try {
      mkdirSync(values.record, { recursive: true });
    } catch (e) {
      throw new UsageError(
        `${COMMAND}: cannot make ${values.record}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      );
    }
    if (host.includes(':'))
      throw new UsageError(`${COMMAND}: --record writes IPv4 captures; listen on an IPv4 address`);
  }

  const emit = (e: SbcEvent) => ctx.stdout(values.json ? eventJson(e, Date.now()) : eventText(e, Date.now()));
  const sbc = new TestSbc({
    carrier: { ...ctx.carrier, tls: { ...ctx.carrier.tls, versions } },
    host,
    port,
    credentials,
    anchors,
    certificateNames,
    auth,
    timeouts,
    ...(values.record !== undefined ? { record: values.record } : {}),
    ...(hangUpAfterMs !== undefined ? { hangUpAfterMs } : {}),
    emit,
  });
  let actual: number;
  try {
    actual = await sbc.start();
  } catch (e) {
    throw new UsageError(
      `${COMMAND}: cannot listen on ${host}:${port} (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  // Ctrl+C is handled before the SBC says it is listening: a supervisor that stops it as soon as it reads that
  // line must find the handler in place, or the signal's default action ends the process mid-way.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second Ctrl+C while stopping: leave at once.
      process.once('SIGINT', () => process.exit(EXIT.failed));
      void sbc.stop().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  emit({
    event: 'listening',
    address: host,
    port: actual,
    certificateNames,
    auth:
      auth.kind === 'digest'
        ? `digest registration for ${auth.user} (${auth.algorithms.join(', then ')})`
        : `IP authentication from ${auth.ranges.join(', ')}`,
    record: values.record ?? null,
  });

  await stopped;
  emit({ event: 'stopped', detail: 'every call ended, every connection closed' });
  return EXIT.ok;
}

function authOption(
  values: { user?: string; password?: string; 'ip-auth'?: string[]; digest?: string },
  ctx: CliContext,
): TrunkAuth {
  const ranges = values['ip-auth'];
  if (ranges !== undefined) {
    if (values.user !== undefined || values.password !== undefined || values.digest !== undefined)
      throw new UsageError(`${COMMAND}: --ip-auth and --user/--password are two ways to authenticate; give one`);
    for (const r of ranges) {
      const range = parseAddressRange(r);
      if (typeof range === 'string') throw new UsageError(`${COMMAND}: --ip-auth ${range}`);
    }
    return { kind: 'ip', ranges };
  }
  if ((values.user === undefined) !== (values.password === undefined))
    throw new UsageError(`${COMMAND}: --user and --password go together`);
  if (values.user !== undefined && !/^[\w.!~*'()&=+$,;?/%-]+$/.test(values.user))
    throw new UsageError(`${COMMAND}: --user "${values.user}" is not a SIP user name (RFC 3261 §25.1)`);
  // By default the carrier profile's demo trunk account, which the knowledge base's examples use.
  return {
    kind: 'digest',
    user: values.user ?? ctx.carrier.customer.username,
    password: values.password ?? ctx.carrier.customer.password,
    algorithms: digestOption(values.digest),
  };
}

/** `SHA-256,MD5` (the default, RFC 8760's order), `MD5,SHA-256`, or one of them. */
function digestOption(text: string | undefined): DigestAlgorithm[] {
  if (text === undefined) return ['SHA-256', 'MD5'];
  const names = text.split(',').map((t) => t.trim().toUpperCase());
  const algorithms = names.map((n) => {
    if (n !== 'SHA-256' && n !== 'MD5')
      throw new UsageError(`${COMMAND}: --digest takes SHA-256 and MD5 in order of preference, got "${text}"`);
    return n as DigestAlgorithm;
  });
  if (new Set(algorithms).size !== algorithms.length)
    throw new UsageError(`${COMMAND}: --digest names an algorithm twice: "${text}"`);
  return algorithms;
}
