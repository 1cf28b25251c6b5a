/**
 * The call's voice in each direction, counted: the RTP or SRTP packets the
 * sender put on the wire, and what the receiver made of them — accepted
 * (authenticated and decrypted, RFC 3711 §3.3, or read in clear), dropped
 * for a tag that does not verify, dropped as a replay (RFC 3711 §3.3.2), or
 * never arrived. Read from the wire records, the ledger's topics and the
 * receivers' own counts (verdicts.ts); the RTCP reports are not voice and
 * are left out.
 */
import type { MediaTally, Party, Step } from '../timeline';
import type { WirePacket } from '../net/wire-record';
import type { TrunkRun } from './trunk-run';

const DIRECTIONS: ReadonlyArray<[Party, Party]> = [
  ['pbx', 'sbc'],
  ['sbc', 'pbx'],
];

export function mediaTally(run: TrunkRun, steps: readonly Step[], records: readonly WirePacket[]): MediaTally[] {
  const out: MediaTally[] = [];
  for (const [from, to] of DIRECTIONS) {
    let sent = 0;
    let attackerRead = 0;
    let protocol: MediaTally['protocol'] | undefined;
    for (const record of records) {
      const voice = run.ledger
        .find(record.index)
        ?.topics.find(
          (t) => t.kind === 'media' && t.sender === from && (t.protocol === 'RTP' || t.protocol === 'SRTP'),
        );
      if (!voice || voice.kind !== 'media') continue;
      protocol ??= voice.protocol as MediaTally['protocol'];
      if (record.origin === 'sent' && record.from === from) sent++;
      const step = steps[record.index];
      if (step && step.from !== 'attacker' && step.views.attacker.access === 'all') attackerRead++;
    }
    if (!protocol) continue;
    const dropped = run.verdicts.mediaDropped[to] ?? { auth_failure: 0, replay: 0, other: 0 };
    const accepted = run.verdicts.mediaReceived[to] ?? 0;
    out.push({
      from,
      to,
      protocol,
      sent,
      accepted,
      authFailures: dropped.auth_failure,
      replays: dropped.replay,
      // Altered copies stand in for the packets they replaced; replays come on top of what was sent.
      missing: Math.max(0, sent - accepted - dropped.auth_failure - dropped.replay - dropped.other),
      ...(run.setup.attacker.kind !== 'none' ? { attackerRead } : {}),
    });
  }
  return out;
}
