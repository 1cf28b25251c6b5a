/**
 * The network's records as a capture, taken where a real capture would be:
 * on the whole path (every copy of every packet, the attacker's changes
 * included), or on one party's machine (only what it sent or received).
 * Each packet's comment says what the attacker did to it, if anything.
 */
import type { Party } from '../timeline';
import type { CapturedPacket } from './pcapng-writer';
import type { WirePacket } from './wire-record';

const NAMES: Record<Party, string> = { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' };

export function wireCapture(
  records: readonly WirePacket[],
  startMs: number,
  options: { at?: Party } = {},
): CapturedPacket[] {
  const at = options.at;
  return records
    .filter((r) => !at || r.seenBy.includes(at))
    .map((r) => ({
      // On a receiver's machine the packet shows when it arrived; elsewhere, when it was sent.
      timeMs:
        startMs + (at && r.to === at && r.from !== at && r.arrivalUs !== undefined ? r.arrivalUs : r.timeUs) / 1000,
      bytes: r.bytes,
      fields: r.fields,
      comment: describeRecord(r),
    }))
    .sort((a, b) => a.timeMs - b.timeMs);
}

/** One line about a record: who sent it to whom, and how it came to be or what became of it. */
export function describeRecord(r: WirePacket): string {
  const how: Record<WirePacket['origin'], string> = {
    sent: '',
    replayed: ` (replayed copy of packet ${(r.derivedFrom ?? 0) + 1})`,
    tampered: ` (tampered copy of packet ${(r.derivedFrom ?? 0) + 1})`,
    rewritten: ` (rewritten copy of packet ${(r.derivedFrom ?? 0) + 1})`,
    injected: ' (forged)',
  };
  const fate =
    r.fate === 'delivered' || r.fate === 'in-flight'
      ? ''
      : `; ${r.fate.replace('-', ' ')}${r.note ? `: ${r.note}` : ''}`;
  return `${NAMES[r.from]} → ${NAMES[r.to]}${how[r.origin]}${fate}`;
}
