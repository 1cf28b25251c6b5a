/**
 * The hex dump's rows as a few runs of text each rather than a node per
 * byte: a row of sixteen bytes is cut only where a highlight or the caret
 * begins or ends. A full-size packet is then a few hundred nodes, not
 * thousands, and stepping through a run stays fast.
 */

export interface HexSegment {
  /** Byte offsets in the packet: `[from, to)`. */
  from: number;
  to: number;
  lit: boolean;
  cursor: boolean;
}

export interface HexRow {
  start: number;
  /** Bytes in this row (the last row may be short). */
  count: number;
  segments: HexSegment[];
}

export function hexRows(
  length: number,
  perRow: number,
  lit?: { start: number; end: number },
  cursor?: number,
): HexRow[] {
  const rows: HexRow[] = [];
  for (let start = 0; start < length; start += perRow) {
    const end = Math.min(length, start + perRow);
    const cuts = new Set([start, end]);
    for (const at of [lit?.start, lit?.end, cursor, cursor === undefined ? undefined : cursor + 1]) {
      if (at !== undefined && at > start && at < end) cuts.add(at);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const segments: HexSegment[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i];
      segments.push({
        from,
        to: points[i + 1],
        lit: lit !== undefined && from >= lit.start && from < lit.end,
        cursor: cursor === from && points[i + 1] === from + 1,
      });
    }
    rows.push({ start, count: end - start, segments });
  }
  return rows;
}

/** The printable ASCII character a byte shows as beside the hex, or `.`. */
export function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}
