/**
 * The files a run can be exported as, made by the engine from its Timeline
 * (the lab asks for them through its worker; `trunklab run` writes them):
 *
 * - `pcapng`: every packet on the wire, stamped with the virtual clock, and
 *   the run's TLS key log in a Decryption Secrets Block when it has one, so
 *   Wireshark and tshark decrypt the TLS with no other file
 *   (draft-ietf-opsawg-pcapng §4.7; sim/net/pcapng-writer.ts).
 * - `keylog`: that key log on its own, in the NSS format
 *   (draft-ietf-tls-keylogfile §3), for tools that take one beside a capture.
 *
 * A kind is offered only when the run has what it needs: a run without TLS
 * has no key log.
 */
import type { Timeline } from './timeline';
import { writePcapng } from './net/pcapng-writer';
import { fromHex, utf8 } from './wire/bytes';

export type RunExportKind = 'pcapng' | 'keylog';

export interface RunExportFile {
  kind: RunExportKind;
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/** The exports this run offers. */
export function runExports(timeline: Timeline): RunExportKind[] {
  const kinds: RunExportKind[] = ['pcapng'];
  if (timeline.keyLog) kinds.push('keylog');
  return kinds;
}

export function exportRun(timeline: Timeline, kind: RunExportKind): RunExportFile {
  const base = `${timeline.scenario}-seed${timeline.seed}`;
  switch (kind) {
    case 'pcapng': {
      const start = Date.parse(timeline.startedAt);
      const { bytes } = writePcapng(
        timeline.steps.map((s) => ({
          timeMs: start + s.time,
          bytes: fromHex(s.bytes),
          comment: `${s.index + 1}. ${s.from} → ${s.to}: ${s.protocol} ${s.summary}${s.failure ? ` (${s.failure})` : ''}`,
        })),
        { interfaceDescription: `${timeline.scenario}, seed ${timeline.seed}`, tlsKeyLog: timeline.keyLog },
      );
      return { kind, filename: `${base}.pcapng`, mime: 'application/vnd.tcpdump.pcap', bytes };
    }
    case 'keylog':
      if (!timeline.keyLog) throw new Error(`${timeline.scenario} has no TLS, so no key log`);
      return { kind, filename: `${base}.keylog`, mime: 'text/plain', bytes: utf8(timeline.keyLog) };
  }
}
