/**
 * A run's packets as a pcapng file Wireshark opens: each step's exact bytes
 * at its virtual time, with a packet comment saying who sent it to whom and
 * what it is, and, when the run's TLS secrets are given, a Decryption
 * Secrets Block so Wireshark decrypts the TLS with no other file
 * (sim/net/pcapng-writer.ts).
 */
import type { Party, Timeline } from '../timeline';
import { fromHex } from '../wire/bytes';
import { writePcapng } from '../net/pcapng-writer';

const NAMES: Record<Party, string> = { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' };

export function timelineCapture(t: Timeline, options: { tlsKeyLog?: string } = {}): Uint8Array {
  const start = Date.parse(t.startedAt);
  if (Number.isNaN(start)) throw new RangeError(`the timeline's start is not an ISO 8601 time: ${t.startedAt}`);
  const packets = t.steps.map((s) => ({
    timeMs: start + s.time,
    bytes: fromHex(s.bytes),
    comment: `${s.index}. ${NAMES[s.from]} → ${NAMES[s.to]}: ${s.summary}${s.failure ? ` ✗ ${s.failure}` : ''}`,
  }));
  return writePcapng(packets, {
    interfaceName: 'trunk',
    interfaceDescription: `Secure Trunk Lab run of ${t.scenario}, seed ${t.seed}${t.live ? ' (live)' : ''}`,
    ...(options.tlsKeyLog ? { tlsKeyLog: options.tlsKeyLog } : {}),
  }).bytes;
}
