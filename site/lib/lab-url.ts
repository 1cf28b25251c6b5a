/**
 * The lab's state in its URL, so every view can be shared and reloaded:
 * `?scenario=secure-call&seed=1&step=5&packet=3&lens=attacker` and the
 * field open in the inspector, named as articles name it
 * (`&field=tls.handshake.extensions.key_share`, site/lib/field-names.ts), plus any
 * what-if the scenario offers (`&tls=1.2`) when it differs from its default,
 * and how long the call's parties talk (`&talk=5`, seconds) when not the
 * engine's spoken phrase.
 *
 * `step` is how many packets have been sent — the "Step 5 of 12" the lab
 * shows — and `packet` the number of the packet open in the inspector, both
 * counted from 1 as the ladder numbers them. Nothing read from the URL is
 * trusted: unknown scenarios, seeds that are not whole numbers, steps out of
 * range and unknown lenses are reported and replaced by defaults.
 */
import type { Party, ScenarioInfo } from '../../sim/index';
import { withBase } from './base-path';
import { isNamedField, type NamedField } from './field-names';
import { UI } from './ui-text';

export const DEFAULT_SEED = 1;
export const LENSES: readonly Party[] = ['pbx', 'attacker', 'sbc'];

/** Parameter names the lab itself uses; a what-if may not take one of these. */
const RESERVED = new Set(['scenario', 'seed', 'step', 'packet', 'lens', 'field', 'talk', 'theme']);

/** Seconds a call's parties may be asked to talk for (each second is 50 media packets each way). */
export const MAX_TALK_SECONDS = 30;

export interface LabLocation {
  scenario: string;
  seed: number;
  /** Packets sent, from 1; undefined means "the first step". */
  step?: number;
  /** The packet open in the inspector, from 1; undefined means "the last one sent". */
  packet?: number;
  lens: Party;
  /** The field open in the inspector, by name; undefined: the inspector's own choice. */
  field?: NamedField;
  /** What-if values that differ from the scenario's defaults. */
  whatIf: Record<string, string>;
  /** Seconds each side of the call talks; undefined: the engine's spoken phrase. */
  talk?: number;
}

export interface ReadResult {
  location: LabLocation;
  /** What was wrong with the URL, in words, for a notice. */
  problems: string[];
}

/** Seeds are whole numbers, as `trunklab run --seed` takes them. */
export function parseSeed(text: string): number | undefined {
  if (!/^-?\d{1,15}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The scenario the lab opens on when the address names none: a whole secure call, when the catalogue has it. */
export const FRONT_SCENARIO = 'secure-call';

export function defaultScenario(scenarios: readonly ScenarioInfo[]): string {
  return scenarios.find((s) => s.id === FRONT_SCENARIO)?.id ?? scenarios[0]?.id ?? '';
}

/** A positive whole number no larger than `max`, or undefined. */
function parseCount(text: string | null, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === null || !/^\d{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= max ? n : undefined;
}

export function readLabUrl(search: string, scenarios: readonly ScenarioInfo[], fallback: string): ReadResult {
  const params = new URLSearchParams(search);
  const problems: string[] = [];

  let scenario = fallback;
  const askedScenario = params.get('scenario');
  if (askedScenario !== null) {
    if (scenarios.some((s) => s.id === askedScenario)) scenario = askedScenario;
    else
      problems.push(UI.url.unknownScenario(askedScenario, scenarios.find((s) => s.id === fallback)?.title ?? fallback));
  }

  let seed = DEFAULT_SEED;
  const askedSeed = params.get('seed');
  if (askedSeed !== null) {
    const parsed = parseSeed(askedSeed);
    if (parsed === undefined) problems.push(UI.url.badSeed(askedSeed));
    else seed = parsed;
  }

  const step = parseCount(params.get('step'));
  if (params.has('step') && step === undefined) problems.push(UI.url.badStep(params.get('step')!));
  const packet = parseCount(params.get('packet'));
  if (params.has('packet') && packet === undefined) problems.push(UI.url.badPacket(params.get('packet')!));

  let lens: Party = 'pbx';
  const askedLens = params.get('lens');
  if (askedLens !== null) {
    if ((LENSES as readonly string[]).includes(askedLens)) lens = askedLens as Party;
    else problems.push(UI.url.badLens(askedLens));
  }

  const askedField = params.get('field');
  let field: NamedField | undefined;
  if (askedField !== null) {
    if (isNamedField(askedField)) field = askedField;
    else problems.push(UI.url.badField(askedField));
  }

  const whatIf: Record<string, string> = {};
  const info = scenarios.find((s) => s.id === scenario);
  for (const option of info?.whatIf ?? []) {
    const value = params.get(option.id);
    if (value === null || RESERVED.has(option.id)) continue;
    if (option.choices.some((c) => c.value === value)) {
      if (value !== option.default) whatIf[option.id] = value;
    } else {
      problems.push(UI.url.badWhatIf(option.label, value));
    }
  }

  const talk = parseCount(params.get('talk'), MAX_TALK_SECONDS);
  if (params.has('talk') && talk === undefined) problems.push(UI.url.badTalk(params.get('talk')!, MAX_TALK_SECONDS));

  return {
    location: { scenario, seed, step, packet, lens, ...(field ? { field } : {}), whatIf, ...(talk ? { talk } : {}) },
    problems,
  };
}

/** The query string for a location, parameters in a fixed order so equal states give equal URLs. */
export function writeLabUrl(location: LabLocation): string {
  const params = new URLSearchParams();
  params.set('scenario', location.scenario);
  params.set('seed', String(location.seed));
  if (location.step !== undefined) params.set('step', String(location.step));
  if (location.packet !== undefined) params.set('packet', String(location.packet));
  params.set('lens', location.lens);
  if (location.field !== undefined) params.set('field', location.field);
  if (location.talk !== undefined) params.set('talk', String(location.talk));
  for (const id of Object.keys(location.whatIf).sort()) {
    if (!RESERVED.has(id)) params.set(id, location.whatIf[id]);
  }
  return `?${params.toString()}`;
}

/** The full lab's address for a scenario at a step, lens and field: what "Open in the lab" links to. */
export function labHref(scenario: string, step?: number, lens?: Party, field?: NamedField): string {
  const params = new URLSearchParams({ scenario });
  if (step !== undefined) params.set('step', String(step));
  if (lens !== undefined && lens !== 'pbx') params.set('lens', lens);
  if (field !== undefined) params.set('field', field);
  return withBase(`/?${params.toString()}`);
}
