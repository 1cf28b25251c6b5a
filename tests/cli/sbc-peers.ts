/**
 * The real programs `trunklab sbc` is tested against, on 127.0.0.1 with ports
 * the system chooses:
 * - `startSbc` runs bin/trunklab.js sbc --json as a child process and reads
 *   its event lines as they come; `stop` sends SIGINT (Ctrl+C) and waits for
 *   it to exit.
 * - `runBaresip` runs baresip (Debian's baresip-core) as the customer's PBX:
 *   TLS with its certificate and key, digest registration, SRTP with SDES
 *   (`mediaenc=srtp-mand`, or none for a plain RTP offer). It is driven over
 *   its ctrl_tcp module (netstring JSON, one command per string): once it has
 *   registered, it dials, lets the call run until `holdCall` says enough, and
 *   hangs up; its sndfile module writes what it decoded to WAV files.
 * Every process is killed if it outlives its time, so a test never hangs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/trunklab.js', import.meta.url));

export type SbcLine = Record<string, unknown> & { event: string };

export interface SbcProcess {
  port: number;
  events: SbcLine[];
  stderr(): string;
  /** Resolves with the first event (from `from` on) that `match` accepts; rejects after `limitMs`. */
  waitFor(match: (e: SbcLine) => boolean, limitMs?: number, from?: number): Promise<SbcLine>;
  /** Ctrl+C, then the exit status. */
  stop(): Promise<number | null>;
}

export async function startSbc(args: string[], cwd?: string): Promise<SbcProcess> {
  const proc = spawn(process.execPath, [BIN, 'sbc', '--listen', '127.0.0.1:0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  });
  const events: SbcLine[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line) as SbcLine);
    }
    for (const w of [...waiters]) w();
  });
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  void exited.then(() => [...waiters].forEach((w) => w()));

  const waitFor = (match: (e: SbcLine) => boolean, limitMs = 30_000, from = 0) =>
    new Promise<SbcLine>((resolve, reject) => {
      const check = () => {
        const found = events.slice(from).find(match);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        } else if (proc.exitCode !== null || proc.signalCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`trunklab sbc ended; its events: ${JSON.stringify(events)} ${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no such event within ${limitMs} ms; events: ${JSON.stringify(events)} ${stderr}`));
      }, limitMs);
      waiters.add(check);
      check();
    });

  const listening = await waitFor((e) => e.event === 'listening', 60_000);
  return {
    port: listening.port as number,
    events,
    stderr: () => stderr,
    waitFor,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGINT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
  };
}

/** A TCP port the system hands out now (for baresip's control socket, which cannot take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface BaresipOptions {
  dir: string;
  sbcPort: number;
  /** Its private key, then its certificate chain, in one PEM file (as baresip's sip_certificate takes it). */
  certificate: string;
  /** The CA it trusts for the SBC. */
  caFile: string;
  user: string;
  password: string;
  /** `srtp-mand`: SRTP with SDES required; `none`: a plain RTP/AVP offer. */
  mediaenc: 'srtp-mand' | 'none';
  /** The account's domain, its To and From (default the carrier's, quillfeather.example). */
  domain?: string;
  /** Dial once registered; the call is held until `holdCall` resolves, then hung up. */
  dial?: string;
  /** While the call is up; `command` sends baresip a control command (`reinvite`, ...). */
  holdCall?: (command: (name: string, params?: string) => void) => Promise<unknown>;
  /** Stop waiting for the registration's outcome once this resolves (a PBX that keeps retrying a refused handshake). */
  giveUp?: Promise<unknown>;
  limitMs?: number;
}

export interface BaresipRun {
  /** ctrl_tcp events, by type in order (REGISTER_OK, CALL_ESTABLISHED, CALL_CLOSED, ...). */
  events: Array<{ type: string; param?: string }>;
  output: string;
  /** The WAV files of what it decoded (`-dec.wav`) and encoded (`-enc.wav`). */
  recordings: string[];
  exitCode: number | null;
}

export async function runBaresip(o: BaresipOptions): Promise<BaresipRun> {
  mkdirSync(join(o.dir, 'sound'), { recursive: true });
  const control = await freePort();
  writeFileSync(
    join(o.dir, 'config'),
    [
      'poll_method epoll',
      'sip_listen 127.0.0.1:0',
      'sip_transports tls',
      `sip_certificate ${o.certificate}`,
      `sip_cafile ${o.caFile}`,
      'net_interface 127.0.0.1',
      // ausine makes 48 kHz stereo only: baresip resamples it to G.711's 8 kHz mono.
      'audio_source ausine,440',
      'audio_player aufile,/dev/null',
      'audio_alert aufile,/dev/null',
      'ausrc_srate 48000',
      'auplay_srate 48000',
      'ausrc_channels 2',
      'auplay_channels 2',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module ausine.so',
      'module aufile.so',
      'module srtp.so',
      'module sndfile.so',
      `snd_path ${join(o.dir, 'sound')}`,
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${control}`,
      '',
    ].join('\n'),
  );
  // The account is added over the control socket once it is open (uanew), not read from the accounts file:
  // an account from the file registers at start, often before the socket is open to report how it went.
  writeFileSync(join(o.dir, 'accounts'), '');
  const account =
    `<sip:${o.user}@${o.domain ?? 'quillfeather.example'};transport=tls>;auth_pass=${o.password};` +
    `outbound="sip:127.0.0.1:${o.sbcPort};transport=tls";mediaenc=${o.mediaenc === 'none' ? '' : o.mediaenc};` +
    'regint=60;audio_codecs=PCMU';
  const limitMs = o.limitMs ?? 40_000;
  const proc: ChildProcess = spawn('baresip', ['-f', o.dir, '-t', String(Math.ceil(limitMs / 1000))], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  const killer = setTimeout(() => proc.kill('SIGKILL'), limitMs + 5_000);

  const events: BaresipRun['events'] = [];
  const waiters = new Set<() => void>();
  const waitEvent = (types: string[], from = 0) =>
    new Promise<string | undefined>((resolve) => {
      const check = () => {
        const e = events.slice(from).find((x) => types.includes(x.type));
        if (e || proc.exitCode !== null || proc.signalCode !== null) {
          waiters.delete(check);
          resolve(e?.type);
        }
      };
      waiters.add(check);
      check();
    });
  void exited.then(() => [...waiters].forEach((w) => w()));

  // The control socket opens once baresip has read its configuration: try until it answers.
  let socket: Socket | undefined;
  for (let attempt = 0; attempt < 100 && proc.exitCode === null; attempt++) {
    socket = await new Promise<Socket | undefined>((resolve) => {
      const s = createConnection(control, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(undefined));
    });
    if (socket) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const command = (name: string, params = '') => {
    const json = JSON.stringify({ command: name, params, token: name });
    socket?.write(`${Buffer.byteLength(json)}:${json},`);
  };
  if (socket) {
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      pending += chunk;
      // Netstrings: LENGTH ":" JSON ",".
      for (;;) {
        const colon = pending.indexOf(':');
        if (colon < 0) break;
        const length = Number(pending.slice(0, colon));
        if (pending.length < colon + 1 + length + 1) break;
        const message = JSON.parse(pending.slice(colon + 1, colon + 1 + length)) as {
          event?: boolean;
          type?: string;
          param?: string;
        };
        pending = pending.slice(colon + 1 + length + 1);
        if (message.event && message.type) events.push({ type: message.type, param: message.param });
      }
      for (const w of [...waiters]) w();
    });
    const outcome = waitEvent(['REGISTER_OK', 'REGISTER_FAIL']);
    command('uanew', account);
    const registered = await (o.giveUp ? Promise.race([outcome, o.giveUp.then(() => undefined)]) : outcome);
    if (registered === 'REGISTER_OK' && o.dial) {
      const from = events.length;
      command('dial', o.dial);
      const call = await waitEvent(['CALL_ESTABLISHED', 'CALL_CLOSED'], from);
      if (call === 'CALL_ESTABLISHED') {
        await o.holdCall?.(command);
        command('hangup');
        await waitEvent(['CALL_CLOSED'], from);
      }
    }
    // A PBX that never registered has nothing to tidy up, and would retry the refused handshake until told otherwise.
    if (registered === 'REGISTER_OK') command('quit');
    else proc.kill('SIGKILL');
  }
  const exitCode = await exited;
  clearTimeout(killer);
  socket?.destroy();
  const recordings = readdirSync(join(o.dir, 'sound')).map((f) => join(o.dir, 'sound', f));
  return { events, output, recordings, exitCode };
}
