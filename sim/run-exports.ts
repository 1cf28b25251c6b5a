/**
 * The files a run can be exported as, made by the engine from its Timeline
 * (the lab asks for them through its worker):
 *
 * - `pcapng`: every packet on the wire at its virtual time, and the run's
 *   TLS key log in a Decryption Secrets Block when it has one, so Wireshark
 *   and tshark decrypt the TLS with no other file (sim/export/timeline-capture.ts);
 * - `keylog`: that key log on its own, in the NSS format
 *   (draft-ietf-tls-keylogfile §3), for tools that take one beside a capture;
 * - `mermaid`: the run as a mermaid sequence diagram (sim/export/mermaid-sequence.ts);
 * - `media-pcap`: the call's RTP and RTCP as the receivers decrypted them, in a
 *   classic pcap (sim/export/decrypted-media-capture.ts), for a run with media.
 *
 * A kind is offered only when the run has what it needs: a run without TLS
 * has no key log.
 */
import type { Timeline } from './timeline';
import { timelineCapture } from './export/timeline-capture';
import { mermaidSequence } from './export/mermaid-sequence';
import { decryptedMediaCapture, hasDecryptedMedia } from './export/decrypted-media-capture';
import { utf8 } from './wire/bytes';

export type RunExportKind = 'pcapng' | 'keylog' | 'mermaid' | 'media-pcap';

export interface RunExportFile {
  kind: RunExportKind;
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/** The exports this run offers. */
export function runExports(timeline: Timeline): RunExportKind[] {
  const kinds: RunExportKind[] = timeline.keyLog ? ['pcapng', 'keylog', 'mermaid'] : ['pcapng', 'mermaid'];
  if (hasDecryptedMedia(timeline)) kinds.push('media-pcap');
  return kinds;
}

export function exportRun(timeline: Timeline, kind: RunExportKind): RunExportFile {
  const base = `${timeline.scenario}-seed${timeline.seed}`;
  switch (kind) {
    case 'pcapng':
      return {
        kind,
        filename: `${base}.pcapng`,
        mime: 'application/vnd.tcpdump.pcap',
        bytes: timelineCapture(timeline, { tlsKeyLog: timeline.keyLog }),
      };
    case 'keylog':
      if (!timeline.keyLog) throw new Error(`this run of ${timeline.scenario} has no TLS, so no key log`);
      return { kind, filename: `${base}.keylog`, mime: 'text/plain', bytes: utf8(timeline.keyLog) };
    case 'mermaid':
      return { kind, filename: `${base}.mmd`, mime: 'text/plain', bytes: utf8(mermaidSequence(timeline)) };
    case 'media-pcap':
      if (!hasDecryptedMedia(timeline)) throw new Error(`this run of ${timeline.scenario} carries no media`);
      return {
        kind,
        filename: `${base}.media.pcap`,
        mime: 'application/vnd.tcpdump.pcap',
        bytes: decryptedMediaCapture(timeline),
      };
  }
}
