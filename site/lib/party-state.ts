/**
 * What each party holds after the packets sent so far: the keys and secrets
 * it derived, the certificate checks it ran, the notes it made. Collected
 * from the Timeline's events in order; nothing here derives a key.
 */
import type { CertificateCheckEvent, KeyEvent, NoteEvent, Party, Step } from '../../sim/index';

export interface Held<E> {
  event: E;
  /** The step (index) whose packet brought it. */
  step: number;
}

export interface PartyHoldings {
  keys: Held<KeyEvent>[];
  checks: Held<CertificateCheckEvent>[];
  notes: Held<NoteEvent>[];
}

const whole = new WeakMap<readonly Step[], Map<Party, PartyHoldings>>();

/**
 * What a party holds after the first `shown` steps of a run. The run's holdings are collected once;
 * each call returns the same entries (the same objects) up to that step, so a keyed list redraws
 * only what the new step added.
 */
export function holdingsAfter(steps: readonly Step[], party: Party, shown: number): PartyHoldings {
  let byParty = whole.get(steps);
  if (!byParty) whole.set(steps, (byParty = new Map()));
  let all = byParty.get(party);
  if (!all) byParty.set(party, (all = holdingsOf(steps, party)));
  const upTo = <E>(list: Held<E>[]) => list.filter((h) => h.step < shown);
  return { keys: upTo(all.keys), checks: upTo(all.checks), notes: upTo(all.notes) };
}

export function holdingsOf(steps: readonly Step[], party: Party): PartyHoldings {
  const out: PartyHoldings = { keys: [], checks: [], notes: [] };
  for (const step of steps) {
    for (const event of step.events) {
      if (event.party !== party) continue;
      if (event.kind === 'key') out.keys.push({ event, step: step.index });
      else if (event.kind === 'certificate-check') out.checks.push({ event, step: step.index });
      else out.notes.push({ event, step: step.index });
    }
  }
  return out;
}

/**
 * The keys a key was derived from, all the way back, by name: the chain a
 * reader follows from traffic key to shared secret. Names not held by the
 * party (a transcript hash, a label) are left out; loops cannot happen in a
 * key schedule but are guarded against all the same.
 */
export function derivationChain(keys: readonly Held<KeyEvent>[], name: string): Set<string> {
  const byName = new Map(keys.map((k) => [k.event.name, k.event]));
  const chain = new Set<string>();
  const visit = (n: string) => {
    const key = byName.get(n);
    if (!key) return;
    for (const parent of key.from) {
      if (byName.has(parent) && !chain.has(parent)) {
        chain.add(parent);
        visit(parent);
      }
    }
  };
  visit(name);
  return chain;
}
