/**
 * What an article's live figure must show for its caption to be true,
 * checked against the engine's own run of the step in Node:
 *
 * - the field the article names (`field=`) is the field the figure opens;
 * - a field the caption names (a name as the engine spells it, such as
 *   `key_share`, `WWW-Authenticate`, `a=crypto`) is open, or listed inside
 *   the open field;
 * - a party the caption tells the reader to switch to is in the figure's
 *   "View as" switch;
 * - the caption speaks of nothing the figure does not have (no key panels).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { CarrierProfile, Field, Party, Step } from '../../sim/index';
import { streamScenario } from '../../sim/index';
import { findInStep, namesOf, placesOf } from '../../site/lib/field-names';
import { fieldAt } from '../../site/lib/field-paths';

const CARRIER = JSON.parse(
  readFileSync(new URL('../../content/carrier.json', import.meta.url), 'utf8'),
) as CarrierProfile;
/** One run per scenario, computed only as far as a test has asked: its steps so far, and the next request's turn. */
const runs = new Map<string, { stream: AsyncGenerator<Step>; steps: Step[]; done: boolean; turn: Promise<unknown> }>();

/** Step `n` (from 1) of a scenario, as the engine computes it in Node, computing no further than that. */
export function engineStep(scenario: string, n: number): Promise<Step | undefined> {
  let run = runs.get(scenario);
  if (!run) {
    const stream = streamScenario(scenario, { seed: 1, carrier: CARRIER }) as AsyncGenerator<Step>;
    runs.set(scenario, (run = { stream, steps: [], done: false, turn: Promise.resolve() }));
  }
  const r = run;
  const answer = r.turn.then(async () => {
    while (r.steps.length < n && !r.done) {
      const next = await r.stream.next();
      if (next.done) r.done = true;
      else r.steps.push(next.value);
    }
    return r.steps[n - 1];
  });
  r.turn = answer;
  return answer;
}

/** What the browser shows of one figure. */
export interface FigureSeen {
  scenario: string;
  /** The step number, from 1. */
  step: number;
  lens: Party;
  /** The article's `field=`, if any. */
  field?: string;
  caption: string;
  /** The figure's `data-field`: the named path of the field it has open. */
  open: string;
  /** The parties of its "View as" switch, by their labels. */
  parties: string[];
}

const PARTY_LABEL: Record<Party, string> = { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' };

/** A name written as code: with `_`, `=`, `-`, or a capital inside a word (`ClientHello`). */
const codeLike = (name: string) => /[_=-]|[a-z][A-Z]|[A-Z]{2,}[a-z]/.test(name);

function allFields(fields: readonly Field[]): Field[] {
  return fields.flatMap((f) => [f, ...allFields(f.children ?? [])]);
}

/** Whether the caption names the field as the engine spells it: case and all, so that a CA is not basicConstraints' cA. */
function mentions(caption: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w=-])${escaped}(?![\\w=-])`).test(caption);
}

/** What is wrong with a figure, in words; empty when its caption holds. */
export async function figureProblems(seen: FigureSeen): Promise<string[]> {
  const problems: string[] = [];
  const step = await engineStep(seen.scenario, seen.step);
  if (!step) return [`${seen.scenario} has no step ${seen.step}`];
  const open = findInStep(step, seen.lens, seen.open);
  if (!open) return [`the figure's open field "${seen.open}" is not in what the ${seen.lens} reads of the step`];
  const openField = fieldAt(open.place.fields, open.path)!;

  if (seen.field !== undefined) {
    const named = findInStep(step, seen.lens, seen.field);
    if (!named) problems.push(`field="${seen.field}" is not in what the ${seen.lens} reads of the step`);
    else if (named.place.layer !== open.place.layer || named.path !== open.path) {
      problems.push(
        `field="${seen.field}" names ${fieldAt(named.place.fields, named.path)!.name}, but ${openField.name} is open`,
      );
    }
  }

  // Fields the caption names, by the engine's own spelling (or an SDP line's, `a=crypto`).
  const everyField = (['pbx', 'attacker', 'sbc'] as const).flatMap((p) =>
    placesOf(step, p).flatMap((place) => allFields(place.fields)),
  );
  const spellings = (f: Field) => [f.name, ...namesOf(f)].filter(codeLike);
  const named = new Set(
    everyField.flatMap((f) => spellings(f).filter((n) => mentions(seen.caption, n))).map((n) => n.toLowerCase()),
  );
  if (named.size > 0) {
    const shown = [openField, ...(openField.children ?? [])].flatMap((f) => [f.name, ...namesOf(f)]);
    if (!shown.some((n) => named.has(n.toLowerCase()))) {
      problems.push(`the caption names ${[...named].join(', ')}, but the figure opens ${openField.name}`);
    }
  }

  for (const m of seen.caption.matchAll(/switch (?:to|between) (?:the )?([^.:;]+)/gi)) {
    for (const party of ['pbx', 'attacker', 'sbc'] as const) {
      if (mentions(m[1], PARTY_LABEL[party]) && !seen.parties.includes(PARTY_LABEL[party])) {
        problems.push(
          `the caption says to switch to the ${PARTY_LABEL[party]}, but the figure offers ${seen.parties.join(', ') || 'no switch'}`,
        );
      }
    }
  }
  if (/\bpanels?\b/i.test(seen.caption)) problems.push('the caption speaks of a panel; figures have none');
  return problems;
}
