/**
 * Finding fields in an annotated tree by where their bytes are, so the hex
 * dump and the field tree can point at each other. A field is named by its
 * path: the indices from the top of the tree, joined with dots (`0.11.4`).
 * These read the engine's annotations; they compute no protocol data.
 */
import type { Field } from '../../sim/index';

export type FieldPath = string;

export function fieldAt(fields: readonly Field[], path: FieldPath | undefined): Field | undefined {
  if (path === undefined || path === '') return undefined;
  let list: readonly Field[] | undefined = fields;
  let found: Field | undefined;
  for (const part of path.split('.')) {
    found = list?.[Number(part)];
    if (!found) return undefined;
    list = found.children;
  }
  return found;
}

/** The deepest field whose bytes include `offset`. */
export function deepestAt(fields: readonly Field[], offset: number): FieldPath | undefined {
  return deepestCovering(fields, offset, offset + 1);
}

/** The deepest field whose bytes include all of `[start, end)`: what a selection of bytes belongs to. */
export function deepestCovering(fields: readonly Field[], start: number, end: number): FieldPath | undefined {
  let best: FieldPath | undefined;
  let list: readonly Field[] | undefined = fields;
  let prefix = '';
  while (list && list.length > 0) {
    const i = list.findIndex((f) => f.start <= start && f.end >= end && f.end > f.start);
    if (i < 0) break;
    best = prefix + String(i);
    prefix = `${best}.`;
    list = list[i].children;
  }
  return best;
}

/** `0.11.4` → `['0', '0.11']`: the branches to open so the field shows. */
export function ancestorsOf(path: FieldPath): FieldPath[] {
  const parts = path.split('.');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

export interface LayerMark {
  path: FieldPath;
  field: Field;
}

/** The fields that open a protocol layer, outermost first (IPv4, UDP, SIP message ...). */
export function layerStack(fields: readonly Field[]): LayerMark[] {
  const out: LayerMark[] = [];
  const visit = (list: readonly Field[], prefix: string) => {
    list.forEach((f, i) => {
      const path = prefix + String(i);
      if (f.layer) out.push({ path, field: f });
      if (f.children) visit(f.children, `${path}.`);
    });
  };
  visit(fields, '');
  return out;
}

/** Paths of every branch (a field with children), for "expand all". */
export function branchPaths(fields: readonly Field[]): FieldPath[] {
  const out: FieldPath[] = [];
  const visit = (list: readonly Field[], prefix: string) => {
    list.forEach((f, i) => {
      if (f.children && f.children.length > 0) {
        const path = prefix + String(i);
        out.push(path);
        visit(f.children, `${path}.`);
      }
    });
  };
  visit(fields, '');
  return out;
}

/**
 * The tree as indented text, one field a line with its byte range, value,
 * note and spec: what "Copy as text" puts on the clipboard for a ticket.
 */
export function fieldsAsText(fields: readonly Field[], depth = 0): string {
  const lines: string[] = [];
  for (const f of fields) {
    const range = `[${f.start}..${f.end})`;
    const value = f.value ? `: ${f.value}` : '';
    const note = f.note ? ` — ${f.note}` : '';
    const spec = f.spec ? ` (${f.spec})` : '';
    lines.push(`${'  '.repeat(depth)}${f.name}${value} ${range}${note}${spec}`);
    if (f.children && f.children.length > 0) lines.push(fieldsAsText(f.children, depth + 1));
  }
  return lines.join('\n');
}

/** Hex as 16 bytes a line, space-separated, with offsets: what "Copy as hex" gives. */
export function hexAsText(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(`${i.toString(16).padStart(4, '0')}  ${bytes.slice(i, i + 16).join(' ')}`);
  }
  return lines.join('\n');
}
