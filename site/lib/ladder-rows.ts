/**
 * The ladder's rows: one per packet, except that a run of media packets
 * (RTP, SRTP and their control protocols, 50 a second in each direction)
 * becomes one row, "SRTP, 257 packets both ways, 5.1 s", that opens to show
 * its packets. The bare TCP ACKs the signalling connection sends while the
 * call talks stay inside the run rather than break it. A packet that
 * carries a failure (an SRTP authentication failure, a replay) is never
 * hidden inside a run: it breaks the run and gets its own row.
 */
import type { Party, Protocol, Step } from '../../sim/index';

const MEDIA: ReadonlySet<Protocol> = new Set<Protocol>(['RTP', 'SRTP', 'RTCP', 'SRTCP']);

/** Shorter runs stay as separate rows: grouping two packets hides more than it saves. */
export const MIN_RUN = 3;

export interface PacketRow {
  kind: 'packet';
  step: Step;
  /** Set when the packet is shown inside an opened run: the run's first step index. */
  run?: number;
}

export interface RunRow {
  kind: 'run';
  /** Index of the run's first step: a stable key while the run grows. */
  first: number;
  /** Its steps, in order: the media packets and the bare ACKs between them. */
  steps: Step[];
  /** `SRTP ×498, SRTCP ×2`: its media packets by protocol, in order of first appearance. */
  counts: Array<{ protocol: Protocol; count: number }>;
  /** The parties the run's packets travel between. */
  parties: Party[];
  /** Whether media goes both ways in it. */
  bothWays: boolean;
  /** Virtual milliseconds from its first packet to its last. */
  durationMs: number;
  open: boolean;
}

export type LadderRow = PacketRow | RunRow;

export function isMedia(step: Step): boolean {
  return MEDIA.has(step.protocol) && step.failure === undefined;
}

/** A TCP segment that only acknowledges: no data, no SYN, FIN or RST (its label is just `ACK`). */
export function isBareAck(step: Step): boolean {
  return step.protocol === 'TCP' && step.summary === 'ACK' && step.failure === undefined;
}

/**
 * Where the media run starting at `i` ends (exclusive), and how many media packets it holds: media
 * packets, and bare ACKs only when more media follows them.
 */
function runFrom(steps: readonly Step[], i: number): { end: number; media: number } {
  let end = i;
  let media = 0;
  for (let j = i; j < steps.length; j++) {
    if (isMedia(steps[j])) {
      media++;
      end = j + 1;
    } else if (!isBareAck(steps[j])) break;
  }
  return { end, media };
}

/** The media runs of a run's steps, as `[first, end)` index ranges: what the ladder folds into one row. */
export function mediaRuns(steps: readonly Step[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < steps.length) {
    if (!isMedia(steps[i])) {
      i++;
      continue;
    }
    const { end, media } = runFrom(steps, i);
    if (media >= MIN_RUN) out.push([i, end]);
    i = media >= MIN_RUN ? end : i + 1;
  }
  return out;
}

/** Splits steps into rows; runs whose first index is in `open` are followed by their packets. */
export function ladderRows(steps: readonly Step[], open: ReadonlySet<number>): LadderRow[] {
  const rows: LadderRow[] = [];
  let i = 0;
  for (const [start, end] of mediaRuns(steps)) {
    for (; i < start; i++) rows.push({ kind: 'packet', step: steps[i] });
    const run = steps.slice(start, end);
    const first = steps[start].index;
    const media = run.filter(isMedia);
    const senders = new Set(media.map((s) => s.from));
    rows.push({
      kind: 'run',
      first,
      steps: run,
      counts: countProtocols(media),
      parties: partiesOf(run),
      bothWays: senders.size > 1,
      durationMs: run[run.length - 1].time - run[0].time,
      open: open.has(first),
    });
    if (open.has(first)) for (const step of run) rows.push({ kind: 'packet', step, run: first });
    i = end;
  }
  for (; i < steps.length; i++) rows.push({ kind: 'packet', step: steps[i] });
  return rows;
}

function countProtocols(media: readonly Step[]): RunRow['counts'] {
  const counts = new Map<Protocol, number>();
  for (const s of media) counts.set(s.protocol, (counts.get(s.protocol) ?? 0) + 1);
  return [...counts].map(([protocol, count]) => ({ protocol, count }));
}

function partiesOf(run: readonly Step[]): Party[] {
  const order: Party[] = ['pbx', 'attacker', 'sbc'];
  const seen = new Set<Party>();
  for (const s of run) {
    seen.add(s.from);
    seen.add(s.to);
  }
  return order.filter((p) => seen.has(p));
}

/** The run row that holds a step, if the step is inside a run. */
export function runContaining(rows: readonly LadderRow[], index: number): RunRow | undefined {
  for (const row of rows) {
    if (row.kind === 'run' && index >= row.first && index < row.first + row.steps.length) return row;
  }
  return undefined;
}

/** The row that shows a step: its own row, or its run's row when the run is closed. */
export function rowOf(rows: readonly LadderRow[], index: number): number {
  const own = rows.findIndex((r) => r.kind === 'packet' && r.step.index === index);
  if (own >= 0) return own;
  const run = runContaining(rows, index);
  return run ? rows.indexOf(run) : -1;
}
