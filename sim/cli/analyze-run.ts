/**
 * The work of `trunklab analyze` (analyze-command.ts), loaded when the
 * command runs: a real trunk's capture (pcap or pcapng) read as the lab reads it
 * (sim/capture), and diagnosed: the stages it reached (TCP, TLS,
 * registration, call, media), the first thing a party refused with the
 * packet that proves it, and each media stream's packets, decryptions,
 * authentication failures and replays.
 *
 * TLS is decrypted with the key log's secrets, or those the pcapng carries
 * in a Decryption Secrets Block; SRTP with the SDES keys of the SDP inside
 * it, or keys given with --key. The file is read in fixed-size chunks, so
 * memory stays flat however long the capture.
 *
 * Exit status: 0 nothing failed (the call, if any, carried media both ways);
 * 1 the capture shows a failure; 2 unreadable input, including a capture
 * whose SIP or media could not be decrypted with what was given.
 */
import { closeSync, readSync } from 'node:fs';
import { isParseError } from '../wire/parse-error';
import { parseSdesKey, type SdesKey } from '../rtp/sdes-key';
import { CaptureAnalysis, type CaptureReport } from '../capture/capture-analysis';
import { partyLabel } from '../capture/diagnosis';
import { parseCommandArgs } from './args';
import { EXIT, UsageError, type CliContext } from './io';
import { INPUT_LIMIT, openInputFile, readInputText } from './input-file';

const CHUNK = 256 * 1024;
/** SIP messages the text output lists; --json lists more. */
const SIP_SHOWN = 40;

export async function runAnalyze(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('analyze', args, {
    keylog: { type: 'string' },
    key: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('analyze: give one capture file (pcap or pcapng)');
  const path = positionals[0];
  const keys: SdesKey[] = (values.key ?? []).map((text, i) => {
    const parsed = parseSdesKey(text);
    if (!parsed.ok) throw new UsageError(`analyze: --key ${i + 1}: ${parsed.error}`);
    return parsed.key;
  });
  const keyLog =
    values.keylog === undefined
      ? undefined
      : readInputText('analyze', values.keylog, INPUT_LIMIT.keyLog, `--keylog file "${values.keylog}"`);
  const analysis = new CaptureAnalysis({ keyLog, keys });
  if (keyLog !== undefined && analysis.secrets.count === 0 && analysis.secrets.skipped > 0) {
    const first = analysis.secrets.problems[0];
    throw new UsageError(
      `analyze: ${values.keylog} holds no NSS key log line (LABEL <64 hex client_random> <hex secret>)${first ? `; ${first.message}` : ''}`,
    );
  }
  const report = read(path, analysis);
  if (analysis.secrets.skipped > 0) {
    ctx.stderr(
      `trunklab analyze: skipped ${analysis.secrets.skipped} key log line(s) that are not NSS key log lines (${analysis.secrets.problems[0]?.message})\n`,
    );
  }
  ctx.stdout(values.json ? `${JSON.stringify(json(report), null, 2)}\n` : text(path, report));
  if (report.failure) return EXIT.failed;
  if (report.outcome.ok) return EXIT.ok;
  // Nothing failed, but what would show it was not decrypted: the input is not enough to tell.
  ctx.stderr(`trunklab analyze: ${report.outcome.summary}\n`);
  return EXIT.usage;
}

function read(path: string, analysis: CaptureAnalysis): CaptureReport {
  const fd = openInputFile('analyze', path);
  const chunk = new Uint8Array(CHUNK);
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      analysis.push(chunk.subarray(0, n));
    }
    return analysis.end();
  } catch (e) {
    if (isParseError(e)) throw new UsageError(`analyze: ${path} is not a readable capture: ${e.message}`);
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** The JSON document: the diagnosis first, in the order DESIGN.md gives it, then what was read. */
function json(r: CaptureReport) {
  return {
    stages: r.stages,
    failure: r.failure,
    tls: r.tls,
    sip: r.sip,
    media: r.media,
    outcome: r.outcome,
    capture: r.capture,
    keyLog: r.keyLog,
    sipNotListed: r.sipNotListed,
  };
}

function text(path: string, r: CaptureReport): string {
  const lines: string[] = [];
  const c = r.capture;
  const secrets =
    r.keyLog.secrets === 0
      ? 'no TLS secrets (give --keylog FILE, or a pcapng with a Decryption Secrets Block)'
      : `${r.keyLog.secrets} TLS secret(s)${r.keyLog.fromCapture ? `, ${r.keyLog.fromCapture} from the capture itself` : ''}`;
  lines.push(
    `capture: ${path} — ${c.format ?? 'empty'}, ${c.packets} packets over ${(c.durationMs / 1000).toFixed(1)} s; ${secrets}`,
  );
  lines.push('stages:');
  for (const s of r.stages) {
    lines.push(
      `  ${s.reached ? '✓' : '✗'} ${s.stage.padEnd(12)} ${s.packet !== undefined ? `packet ${s.packet}: ` : ''}${s.detail}`,
    );
  }
  if (r.failure) {
    const f = r.failure;
    lines.push(`failure: packet ${f.packet}: ${f.detail}`);
    lines.push(`  stage ${f.stage}, reason ${f.reason}, decided by the ${partyLabel(f.party)}`);
  }
  if (r.tls.length) lines.push('TLS:');
  for (const t of r.tls) {
    const what = t.version ? `TLS ${t.version}${t.cipherSuite ? ` ${t.cipherSuite}` : ''}` : 'no ServerHello';
    const sni = t.serverName ? `, SNI ${t.serverName}` : '';
    const opened = t.problem ? `not decrypted: ${t.problem}` : `decrypted ${t.opened} protected record(s)`;
    lines.push(`  ${t.connection}  ${what}${sni}; handshake ${t.handshake}; ${opened}`);
    for (const a of t.alerts) {
      lines.push(
        `    packet ${a.packet}: alert ${a.name} from the ${partyLabel(a.from)}${a.encrypted ? ' (encrypted)' : ''}`,
      );
    }
  }
  if (r.sip.length) lines.push('SIP:');
  for (const m of r.sip.slice(0, SIP_SHOWN)) {
    lines.push(
      `  packet ${m.packet}  ${partyLabel(m.from)} → ${partyLabel(m.to)}  ${m.message}  (${m.transport.toUpperCase()})`,
    );
  }
  const more = r.sip.length - SIP_SHOWN + r.sipNotListed;
  if (more > 0) lines.push(`  … and ${more} more (--json lists ${r.sip.length})`);
  if (r.media.length) lines.push('media:');
  for (const m of r.media) {
    const protection = m.protection === 'SRTP' ? `SRTP${m.suite ? ` ${m.suite}` : ''}` : m.protection;
    lines.push(
      `  SSRC ${m.ssrc}  ${m.direction}  ${m.src} → ${m.dst}  ${protection}: ${m.packets} packets, ${m.decrypted} ${m.protection === 'RTP' ? 'readable' : 'decrypted'}, ${m.authFailures} authentication failures, ${m.replays} replays${m.rtcp.packets ? `; RTCP ${m.rtcp.decrypted}/${m.rtcp.packets}` : ''}`,
    );
    if (m.key) lines.push(`    key: ${m.key}`);
    if (m.problem) lines.push(`    not decrypted: ${m.problem}`);
    if (m.unreachable) lines.push(`    never reaches its receiver: ${m.unreachable}`);
    if (m.firstFailure)
      lines.push(
        `    first dropped: packet ${m.firstFailure.packet} (${m.firstFailure.reason}): ${m.firstFailure.detail}`,
      );
  }
  lines.push(
    `verdict: ${r.failure ? `the trunk fails at ${r.failure.stage} (${r.failure.reason}), packet ${r.failure.packet}` : r.outcome.ok ? r.outcome.summary : `cannot tell: ${r.outcome.summary}`}`,
  );
  return `${lines.join('\n')}\n`;
}
