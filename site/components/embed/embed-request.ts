/**
 * What an embed's address asks for:
 * `/embed/SCENARIO/?step=N&lens=attacker&field=sip.via&theme=dark`, or, for a scenario the
 * loader does not know, `/embed/?scenario=ID&…`.
 *
 * Every value comes from a page we do not control — a help centre's HTML, an
 * author's typo, a hostile link — so each is checked against what it may be
 * (a known scenario id, a whole number, one of three lenses, one of two
 * themes). A wrong value is replaced by the default and reported in words the
 * frame shows as text, quoted and cut short; nothing is ever used as HTML.
 */
import type { Party, ScenarioInfo } from '../../../sim/index';
import { isNamedField, type NamedField } from '../../lib/field-names';
import { LENSES } from '../../lib/lab-url';
import { UI } from '../../lib/ui-text';

export type EmbedTheme = 'light' | 'dark';
export const EMBED_THEMES: readonly EmbedTheme[] = ['light', 'dark'];

/** How much of a bad value the frame quotes back. */
const QUOTE_LIMIT = 48;

export type EmbedRequest =
  | {
      kind: 'step';
      scenario: ScenarioInfo;
      /** Packets sent, from 1, as the lab's `step`. */
      step: number;
      lens: Party;
      /** The field to open, by name; unset: the packet's innermost layer. */
      field?: NamedField;
      /** Unset: the reader's own light or dark setting. */
      theme?: EmbedTheme;
      /** What was wrong with the address, in words. */
      problems: string[];
    }
  | { kind: 'unknown-scenario'; asked?: string };

/** A value as the frame may quote it: one line, at most QUOTE_LIMIT characters. */
export function quoted(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > QUOTE_LIMIT ? `${line.slice(0, QUOTE_LIMIT)}…` : line;
}

/** A step number: a whole number from 1, at most nine digits (as the lab's own links). */
export function parseStep(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 ? n : undefined;
}

/**
 * Reads an embed's query string. `pathScenario` is the scenario the page was
 * built for; the scenario-less page (`/embed/`) passes undefined and the
 * `scenario` parameter is read instead.
 */
export function readEmbedRequest(
  search: string,
  scenarios: readonly ScenarioInfo[],
  pathScenario?: string,
  /** The step shown when the address names none: the one a step's own page was built for. */
  pathStep = 1,
): EmbedRequest {
  const params = new URLSearchParams(search);
  const asked = pathScenario ?? params.get('scenario') ?? undefined;
  const scenario = scenarios.find((s) => s.id === asked);
  if (!scenario) return { kind: 'unknown-scenario', asked };

  const problems: string[] = [];
  let step = pathStep;
  const stepText = params.get('step');
  if (stepText !== null) {
    const parsed = parseStep(stepText);
    if (parsed === undefined) problems.push(UI.embed.badStep(quoted(stepText)));
    else step = parsed;
  }

  let lens: Party = 'pbx';
  const lensText = params.get('lens');
  if (lensText !== null) {
    if ((LENSES as readonly string[]).includes(lensText)) lens = lensText as Party;
    else problems.push(UI.embed.badLens(quoted(lensText)));
  }

  let field: NamedField | undefined;
  const fieldText = params.get('field');
  if (fieldText !== null) {
    if (isNamedField(fieldText)) field = fieldText;
    else problems.push(UI.embed.badField(quoted(fieldText)));
  }

  let theme: EmbedTheme | undefined;
  const themeText = params.get('theme');
  if (themeText !== null) {
    if ((EMBED_THEMES as readonly string[]).includes(themeText)) theme = themeText as EmbedTheme;
    else problems.push(UI.embed.badTheme(quoted(themeText)));
  }

  return { kind: 'step', scenario, step, lens, ...(field ? { field } : {}), theme, problems };
}

/**
 * The address of step `step`'s own page (`/embed/ID/N/`), from the scenario's page at `href`
 * (`/embed/ID/?step=N&…`): the same parameters but the step, which the path now says.
 */
export function drawnStepAddress(href: string, step: number): string {
  const there = new URL(`${step}/`, href);
  const params = new URLSearchParams(new URL(href).search);
  params.delete('step');
  there.search = params.toString();
  return there.href;
}
