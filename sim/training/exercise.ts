/**
 * A failing scenario as an exercise, in plain data the site can carry: the
 * symptom written for the given carrier, the causes and fixes to choose
 * from with what tells each apart, and the scenario's own remedy (the words
 * the troubleshooting article prints) as the explanation of the right
 * answers.
 */
import type { CarrierProfile } from '../carrier';
import type { Remedy, Stage } from '../timeline';
import type { ScenarioDefinition } from '../scenarios/scenario';
import type { ProofPattern, TrainingStage } from '../scenarios/training';
import { CAUSES, FIXES, type ChoiceText, type ChoiceWords } from './choices';

/** A cause or fix as the page shows it: its words written for the carrier. */
export interface ExerciseChoice {
  id: string;
  text: string;
  /** How the capture would show it: why it is, or is not, the answer here. */
  tell: string;
}

export interface Exercise {
  /** The scenario run as the capture: never shown to the trainee before the answers. */
  scenario: string;
  stage: TrainingStage;
  level: 'beginner' | 'advanced';
  ticket: string;
  pbx: { system: 'Asterisk' | 'FreeSWITCH'; status: string; log: string };
  proof: ProofPattern;
  /** In the definition's order: the right one first. The page shuffles them. */
  causes: ExerciseChoice[];
  fixes: ExerciseChoice[];
  hint: string;
  /** Why the trunk fails this way and what to change: the scenario's remedy. */
  remedy: Remedy;
}

/** The stage a support engineer names for where a run stopped. */
export function trainingStage(stage: Stage): TrainingStage | undefined {
  switch (stage) {
    case 'tcp':
    case 'tls':
      return 'tls';
    case 'sip':
      return 'registration';
    case 'sdp':
      return 'call-setup';
    case 'srtp':
      return 'media';
    default:
      return undefined;
  }
}

/** What is missing for a definition to be an exercise, in words; empty when nothing is. */
export function exerciseProblems(d: ScenarioDefinition): string[] {
  if (d.expected.ok) return [];
  const t = d.training;
  if (!t) return [`${d.id}: a failing scenario has no training data`];
  const problems: string[] = [];
  const stage = t.stage ?? trainingStage(d.expected.stage);
  if (!stage) return [`${d.id}: stage ${d.expected.stage} is no training stage`];
  if (!d.remedies?.[0]) problems.push(`${d.id}: no remedy to explain the right answers`);
  const pool = CAUSES[stage];
  if (t.causes.length < 4 || t.causes.length > 6) problems.push(`${d.id}: ${t.causes.length} causes, not 4 to 6`);
  if (t.fixes.length < 3 || t.fixes.length > 5) problems.push(`${d.id}: ${t.fixes.length} fixes, not 3 to 5`);
  for (const c of t.causes) if (!pool[c]) problems.push(`${d.id}: cause ${c} is not a ${stage} cause`);
  if (new Set(t.causes).size !== t.causes.length) problems.push(`${d.id}: a cause is offered twice`);
  if (new Set(t.fixes).size !== t.fixes.length) problems.push(`${d.id}: a fix is offered twice`);
  return problems;
}

const written = (words: ChoiceWords, carrier: CarrierProfile) => (typeof words === 'string' ? words : words(carrier));

function choice(id: string, words: ChoiceText | undefined, carrier: CarrierProfile): ExerciseChoice {
  if (!words) throw new Error(`no words for the choice "${id}"`);
  return { id, text: written(words.text, carrier), tell: written(words.tell, carrier) };
}

/** The exercise a failing scenario makes for a carrier; undefined for one that does not fail or has no training data. */
export function exerciseOf(d: ScenarioDefinition, carrier: CarrierProfile): Exercise | undefined {
  const t = d.training;
  const stage = t?.stage ?? trainingStage(d.expected.stage);
  const remedy = d.remedies?.[0];
  if (d.expected.ok || !t || !stage || !remedy) return undefined;
  return {
    scenario: d.id,
    stage,
    level: t.level,
    ticket: t.ticket(carrier),
    pbx: { system: t.pbx.system, status: t.pbx.status(carrier), log: t.pbx.log(carrier) },
    proof: t.proof,
    causes: t.causes.map((id) => choice(id, CAUSES[stage][id], carrier)),
    fixes: t.fixes.map((id) => choice(id, FIXES[id], carrier)),
    hint: t.hint,
    remedy: { cause: remedy.cause(carrier), fix: remedy.fix(carrier), article: remedy.article },
  };
}
