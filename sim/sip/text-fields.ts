/**
 * Field trees for text protocols (SIP, SDP). A text parser records the parts
 * it recognises as flat byte ranges; this nests each range inside the ones
 * that contain it and names the bytes between them (white space, separators)
 * so that the tree covers its span exactly, as `checkCoverage` demands.
 */
import type { Field } from '../wire/field';

/**
 * Builds the children of `[start, end)` from recorded ranges. Ranges must not
 * cross (one is inside another, or they are apart); empty ranges are dropped.
 * The recorded fields become the tree's nodes (their `children` are set), so
 * pass fields made for this call.
 */
export function nestFields(
  marks: readonly Field[],
  start: number,
  end: number,
  /** Describes the bytes between recorded ranges; must return a new object each call. */
  gap: (from: number, to: number) => Field,
): Field[] {
  if (end <= start) return [];
  const sorted = marks
    .filter((f) => f.end > f.start && f.start >= start && f.end <= end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // Children are collected aside and assigned once: adding and deleting properties would slow every node.
  const kids = new Map<Field, Field[]>();
  const root: Field = { name: '', start, end };
  const stack: Field[] = [root];
  for (const f of sorted) {
    while (stack.length > 1 && f.start >= stack[stack.length - 1].end) stack.pop();
    const parent = stack[stack.length - 1];
    if (f.end > parent.end) continue; // crossing range: keep the outer one only
    const list = kids.get(parent);
    if (list) list.push(f);
    else kids.set(parent, [f]);
    stack.push(f);
  }
  const fill = (node: Field): Field[] => {
    const children = kids.get(node) ?? [];
    const out: Field[] = [];
    let at = node.start;
    for (const c of children) {
      if (c.start > at) out.push(gap(at, c.start));
      if (kids.has(c)) c.children = fill(c);
      out.push(c);
      at = c.end;
    }
    if (at < node.end && children.length) out.push(gap(at, node.end));
    return out;
  };
  const top = fill(root);
  return top.length ? top : [gap(start, end)];
}
