/**
 * The coverage check: no byte of a packet may go unexplained.
 *
 * Given a packet's length and its field tree, lists the byte ranges that no
 * leaf field covers, plus any field that strays outside its parent or the
 * packet. Every protocol layer's tests call it, as the Illustrated TLS pages'
 * generator refuses to finish while a captured byte has no explanation.
 */
import type { Field } from './field';

export interface CoverageReport {
  /** `[start, end)` ranges that no leaf field covers. */
  unexplained: Array<[number, number]>;
  /** Fields whose range lies outside the packet or outside their parent. */
  misplaced: string[];
}

export function checkCoverage(length: number, fields: readonly Field[]): CoverageReport {
  const covered = new Uint8Array(length);
  const misplaced: string[] = [];

  const visit = (f: Field, lo: number, hi: number, path: string) => {
    const here = path ? `${path} › ${f.name}` : f.name;
    if (f.start < lo || f.end > hi || f.start > f.end) {
      misplaced.push(`${here} [${f.start}, ${f.end}) is outside [${lo}, ${hi})`);
    }
    if (f.children && f.children.length > 0) {
      for (const c of f.children) visit(c, f.start, f.end, here);
    } else {
      for (let i = Math.max(0, f.start); i < Math.min(length, f.end); i++) covered[i] = 1;
    }
  };
  for (const f of fields) visit(f, 0, length, '');

  const unexplained: Array<[number, number]> = [];
  for (let i = 0; i < length;) {
    if (covered[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < length && !covered[i]) i++;
    unexplained.push([start, i]);
  }
  return { unexplained, misplaced };
}

/** True when every byte is explained and every field sits where it should. */
export function fullyExplained(length: number, fields: readonly Field[]): boolean {
  const r = checkCoverage(length, fields);
  return r.unexplained.length === 0 && r.misplaced.length === 0;
}
