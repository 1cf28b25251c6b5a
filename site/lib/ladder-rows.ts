/**
 * The ladder's rows: one per packet, except that a run of media packets
 * (RTP, SRTP and their control protocols, 50 a second in each direction)
 * becomes one row, "SRTP ×500", that opens to show its packets. A packet that
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
  steps: Step[];
  /** `SRTP ×498, SRTCP ×2`, protocols in order of first appearance. */
  counts: Array<{ protocol: Protocol; count: number }>;
  /** The parties the run's packets travel between. */
  parties: Party[];
  open: boolean;
}

export type LadderRow = PacketRow | RunRow;

export function isMedia(step: Step): boolean {
  return MEDIA.has(step.protocol) && step.failure === undefined;
}

/** Splits steps into rows; runs whose first index is in `open` are followed by their packets. */
export function ladderRows(steps: readonly Step[], open: ReadonlySet<number>): LadderRow[] {
  const rows: LadderRow[] = [];
  let i = 0;
  while (i < steps.length) {
    let j = i;
    while (j < steps.length && isMedia(steps[j])) j++;
    if (j - i >= MIN_RUN) {
      const run = steps.slice(i, j);
      const first = steps[i].index;
      rows.push({
        kind: 'run',
        first,
        steps: run,
        counts: countProtocols(run),
        parties: partiesOf(run),
        open: open.has(first),
      });
      if (open.has(first)) for (const step of run) rows.push({ kind: 'packet', step, run: first });
      i = j;
    } else {
      for (const step of steps.slice(i, Math.max(j, i + 1))) rows.push({ kind: 'packet', step });
      i = Math.max(j, i + 1);
    }
  }
  return rows;
}

function countProtocols(run: readonly Step[]): RunRow['counts'] {
  const counts = new Map<Protocol, number>();
  for (const s of run) counts.set(s.protocol, (counts.get(s.protocol) ?? 0) + 1);
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
