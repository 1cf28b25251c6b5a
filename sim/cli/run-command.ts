/**
 * `trunklab run ID [--seed N] [--json] [--pcap F] [--keylog F] [--media-pcap F]
 * [--mermaid F] [--what-if ID=VALUE]... [--audio-ms N]`: runs a scenario
 * headless, prints each step (time, who sent what to whom, and what the
 * attacker could read of it) and the outcome, and writes the run's exports:
 * a pcapng with the TLS secrets inside, the NSS key log, a pcap of the media
 * as its receivers decrypted it, a mermaid sequence diagram.
 *
 * Exit status: 0 when the run succeeds, 1 when it ends in a failure (the
 * alert, status or SRTP verdict a scenario is about), 2 for an unknown
 * scenario or what-if, bad options, or a file that cannot be written.
 */
import { writeFileSync } from 'node:fs';
import type { RunExportKind } from '../index';
import type { Step, Timeline } from '../timeline';
import { integerOption, parseCommandArgs } from './args';
import { EXIT, UsageError, type Command } from './io';

const MEDIA = new Set(['RTP', 'SRTP', 'RTCP', 'SRTCP']);
const NAMES = { pbx: 'PBX', attacker: 'ATTACKER', sbc: 'SBC' } as const;

export const runCommand: Command = {
  name: 'run',
  synopsis:
    'trunklab run ID [--seed N] [--json] [--pcap F] [--keylog F] [--media-pcap F] [--mermaid F] [--what-if ID=VALUE]... [--audio-ms N]',
  description: 'Runs a scenario and prints each packet, what the attacker could read, and the outcome.',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs('run', args, {
      seed: { type: 'string' },
      json: { type: 'boolean' },
      pcap: { type: 'string' },
      keylog: { type: 'string' },
      'media-pcap': { type: 'string' },
      mermaid: { type: 'string' },
      'what-if': { type: 'string', multiple: true },
      'audio-ms': { type: 'string' },
    });
    const { exportRun, listScenarios, runExports, runScenario, UnknownScenarioError, UnknownWhatIfError } =
      await import('../index');
    const known = listScenarios();
    if (positionals.length !== 1) {
      throw new UsageError(`run: give one scenario id; one of: ${known.map((s) => s.id).join(', ')}`);
    }
    const seed = integerOption('run', 'seed', values.seed, 1);
    const audioText = values['audio-ms'];
    const audioMs = audioText === undefined ? undefined : integerOption('run', 'audio-ms', audioText, 0);
    if (audioMs !== undefined && (audioMs < 20 || audioMs > 60_000)) {
      throw new UsageError(`run: --audio-ms must be between 20 and 60000, got ${audioMs}`);
    }
    const whatIf: Record<string, string> = {};
    for (const pair of values['what-if'] ?? []) {
      const m = /^([\w-]+)=(.+)$/.exec(pair);
      if (!m) throw new UsageError(`run: --what-if takes ID=VALUE, got "${pair}"`);
      whatIf[m[1]] = m[2];
    }
    let timeline: Timeline;
    try {
      timeline = await runScenario(positionals[0], {
        seed,
        carrier: ctx.carrier,
        ...(Object.keys(whatIf).length ? { whatIf } : {}),
        ...(audioMs !== undefined ? { audioMs } : {}),
      });
    } catch (e) {
      if (e instanceof UnknownScenarioError || e instanceof UnknownWhatIfError)
        throw new UsageError(`run: ${e.message}`);
      throw e;
    }

    const files: Array<[RunExportKind, string | undefined]> = [
      ['pcapng', values.pcap],
      ['keylog', values.keylog],
      ['media-pcap', values['media-pcap']],
      ['mermaid', values.mermaid],
    ];
    const offered = runExports(timeline);
    for (const [kind, path] of files) {
      if (path === undefined) continue;
      if (!offered.includes(kind)) {
        throw new UsageError(
          `run: this run of ${timeline.scenario} has no ${kind === 'keylog' ? 'TLS, so no key log' : 'media'} to write to ${path}`,
        );
      }
      try {
        writeFileSync(path, exportRun(timeline, kind).bytes);
      } catch (e) {
        throw new UsageError(`run: cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }

    ctx.stdout(values.json ? JSON.stringify(timeline) + '\n' : formatTimeline(timeline));
    return timeline.outcome.ok ? EXIT.ok : EXIT.failed;
  },
};

/** Whether a TCP segment's payload is TLS records (what SIP over TLS travels in, RFC 3261 §26.2). */
function carriesTls(s: Step): boolean {
  const tcp = s.fields[0]?.children?.find((f) => f.name === 'TCP');
  return tcp?.children?.some((f) => f.name.startsWith('TLS')) ?? false;
}

/** What a step carries over what: `SIP/TLS`, `TLS/TCP`, `SRTP/UDP`. */
function carriedOver(s: Step): string {
  if (s.protocol === 'TCP') return 'TCP';
  if (s.protocol !== 'TLS' && carriesTls(s)) return `${s.protocol}/TLS`;
  return `${s.protocol}/${s.transport.toUpperCase()}`;
}

function stepLine(s: Step, attacker: boolean): string[] {
  const time = `${(s.time / 1000).toFixed(3)}s`.padStart(9);
  const carried = carriedOver(s);
  const line = `${String(s.index).padStart(3)} ${time}  ${NAMES[s.from]} → ${NAMES[s.to]}  ${carried}  ${s.summary}${s.failure ? `  ✗ ${s.failure}` : ''}`;
  return attacker ? [line, `               attacker: ${s.views.attacker.summary}`] : [line];
}

/**
 * The run for a terminal: every step but long media runs, which are folded
 * into one line each (`--json` lists every packet).
 */
export function formatTimeline(t: Timeline): string {
  // The attacker's line is printed when it is on the path; otherwise it never sees a packet.
  const attacker = t.steps.some((s) => s.views.attacker.access !== 'none');
  const lines = [
    `${t.scenario} (seed ${t.seed}${t.live ? ', live' : ''})${attacker ? '' : ': no attacker on the path'}`,
  ];
  let run: Step[] = [];
  const flush = () => {
    if (run.length <= 3) lines.push(...run.flatMap((s) => stepLine(s, attacker)));
    else {
      const first = run[0];
      const last = run[run.length - 1];
      const kinds = [...new Set(run.map((s) => s.protocol))].join(', ');
      const from = `${(first.time / 1000).toFixed(3)}s`.padStart(9);
      lines.push(
        `${String(first.index).padStart(3)} ${from}  … ${run.length} media packets (${kinds}) between the PBX and the SBC, through step ${last.index} at ${(last.time / 1000).toFixed(3)}s`,
        ...(attacker ? [`               attacker: ${first.views.attacker.summary}`] : []),
      );
    }
    run = [];
  };
  for (const s of t.steps) {
    if (MEDIA.has(s.protocol) && !s.failure) {
      run.push(s);
      continue;
    }
    flush();
    lines.push(...stepLine(s, attacker));
  }
  flush();
  const o = t.outcome;
  lines.push(o.ok ? `outcome: ok — ${o.summary}` : `outcome: failed at ${o.stage} (${o.reason}) — ${o.summary}`);
  return lines.join('\n') + '\n';
}
