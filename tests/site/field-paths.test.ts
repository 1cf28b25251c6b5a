/**
 * Finding fields by their bytes (site/lib/field-paths.ts), on the engine's
 * own field trees: the hex dump and the field tree must point at each other.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import carrier from '../../content/carrier.json';
import type { CarrierProfile, Field, Timeline } from '../../sim/index';
import { listScenarios, runScenario } from '../../sim/index';
import {
  ancestorsOf,
  branchPaths,
  deepestAt,
  deepestCovering,
  fieldAt,
  fieldsAsText,
  hexAsText,
  layerStack,
} from '../../site/lib/field-paths';
import { hexRows } from '../../site/lib/hex-rows';

/**
 * One step of each kind from the whole catalogue: the field trees of two
 * SRTP packets of a call, or of two scenarios' ClientHellos, differ only in
 * their values, and checking every byte of every one costs minutes for
 * nothing more. A kind is the sender, the label and the stack of layers, so
 * a TLS 1.2 Certificate (in clear) and a TLS 1.3 one (encrypted) both count.
 */
let catalogue: Promise<Timeline[]> | undefined;
async function engineSteps() {
  // Run once for the file: a run is a pure function of scenario and seed.
  catalogue ??= Promise.all(
    listScenarios().map((s) => runScenario(s.id, { seed: 1, carrier: carrier as CarrierProfile })),
  );
  const runs = await catalogue;
  const seen = new Set<string>();
  return runs.flatMap((t) =>
    t.steps.filter((step) => {
      const layers = layerStack(step.fields).map((m) => m.field.name);
      const kind = `${step.from} ${step.protocol} ${step.summary} ${layers.join(' ')}`;
      if (seen.has(kind)) return false;
      seen.add(kind);
      return true;
    }),
  );
}

function leaves(fields: readonly Field[], prefix = ''): Array<{ path: string; field: Field }> {
  return fields.flatMap((f, i) =>
    f.children && f.children.length > 0 ? leaves(f.children, `${prefix}${i}.`) : [{ path: `${prefix}${i}`, field: f }],
  );
}

describe('field paths on the engine’s trees', () => {
  it('every byte leads to the leaf that explains it, and that leaf’s range leads back to it', async () => {
    // Tens of thousands of comparisons: collected as words and asserted once, so a failure names each byte.
    const wrong: string[] = [];
    for (const step of await engineSteps()) {
      const where = `step ${step.index + 1} (${step.summary})`;
      const length = step.bytes.length / 2;
      for (let offset = 0; offset < length; offset++) {
        const path = deepestAt(step.fields, offset)!;
        const field = fieldAt(step.fields, path)!;
        if (!(field.start <= offset && offset < field.end)) wrong.push(`${where}: byte ${offset} leads to ${path}`);
        if ((field.children ?? []).length > 0) wrong.push(`${where}: byte ${offset} leads to a branch, ${path}`);
      }
      for (const { path, field } of leaves(step.fields)) {
        const back = field.end > field.start ? deepestCovering(step.fields, field.start, field.end) : path;
        if (back !== path) wrong.push(`${where}: leaf ${path}'s range leads to ${back}`);
        for (const a of ancestorsOf(path)) if (!path.startsWith(`${a}.`)) wrong.push(`${where}: ${a} above ${path}`);
      }
      if (!layerStack(step.fields).some((m) => m.field.layer === 'ipv4')) wrong.push(`${where}: no IPv4 layer`);
      for (const p of branchPaths(step.fields))
        if ((fieldAt(step.fields, p)!.children ?? []).length === 0) wrong.push(`${where}: branch ${p} has no children`);
    }
    expect(wrong).toEqual([]);
  });

  it('copy as text names every field with its byte range; copy as hex holds every byte', async () => {
    const [step] = await engineSteps();
    const text = fieldsAsText(step.fields);
    for (const { field } of leaves(step.fields)) expect(text).toContain(`${field.name}`);
    const top = step.fields[0];
    expect(text.split('\n')[0].startsWith(`${top.name}: ${top.value} [0..${top.end})`)).toBe(true);
    const hex = hexAsText(step.bytes);
    expect(
      hex
        .split('\n')
        .map((l) => l.slice(6).replaceAll(' ', ''))
        .join(''),
    ).toBe(step.bytes);
  });
});

describe('hexRows', () => {
  it('cuts each row into runs that cover it exactly, lit and caret where asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom(8, 16),
        fc.option(fc.tuple(fc.nat(600), fc.nat(40)), { nil: undefined }),
        fc.option(fc.nat(600), { nil: undefined }),
        (length, perRow, litSpec, cursor) => {
          const lit = litSpec ? { start: litSpec[0], end: litSpec[0] + litSpec[1] } : undefined;
          const rows = hexRows(length, perRow, lit, cursor);
          expect(rows).toHaveLength(Math.ceil(length / perRow));
          let next = 0;
          for (const row of rows) {
            for (const seg of row.segments) {
              expect(seg.from).toBe(next);
              for (let b = seg.from; b < seg.to; b++) {
                expect(lit !== undefined && b >= lit.start && b < lit.end).toBe(seg.lit);
              }
              if (seg.cursor) expect([seg.from, seg.to]).toEqual([cursor, cursor! + 1]);
              next = seg.to;
            }
          }
          expect(next).toBe(length);
        },
      ),
    );
  });
});
