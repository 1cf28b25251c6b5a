/**
 * A training set: a title and the exercises in order, each a failing
 * scenario with the seed its capture is run with, so that every trainee of
 * the set sees the same bytes and two random faults never share them. A set
 * travels in the link's `set` parameter as base64url JSON (RFC 4648 §5): no
 * server, no account. The scenario ids are encoded so that a link does not
 * read out its answers at a glance; the encoding hides nothing from someone
 * who decodes it, and is not meant to.
 */
import type { Exercise, TrainingStage } from '../../sim/index';

export interface TrainingItem {
  scenario: string;
  seed: number;
}

export interface TrainingSet {
  title: string;
  items: TrainingItem[];
}

/** Seeds are 32-bit unsigned integers, as the engine's DRBG takes them. */
const MAX_SEED = 0xffff_ffff;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(code: string): string {
  const binary = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeSet(set: TrainingSet): string {
  return toBase64Url(JSON.stringify({ t: set.title, x: set.items.map((i) => [i.scenario, i.seed]) }));
}

/** Why a set's link could not be read, in words a trainee can pass on to the trainer. */
export class SetLinkError extends Error {}

/** Reads a set from its code, checking every exercise against the ones this site has. */
export function decodeSet(code: string, known: readonly Exercise[]): TrainingSet {
  let data: unknown;
  try {
    data = JSON.parse(fromBase64Url(code));
  } catch {
    throw new SetLinkError('the link’s set is not readable: it may have been cut short when it was copied');
  }
  const d = data as { t?: unknown; x?: unknown };
  if (typeof d !== 'object' || d === null || !Array.isArray(d.x) || d.x.length === 0) {
    throw new SetLinkError('the link’s set holds no exercises');
  }
  const items = d.x.map((entry: unknown, n: number): TrainingItem => {
    const [scenario, seed] = Array.isArray(entry) ? entry : [];
    if (typeof scenario !== 'string' || !known.some((e) => e.scenario === scenario)) {
      throw new SetLinkError(`exercise ${n + 1} of the link’s set is not one this site has`);
    }
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw new SetLinkError(`exercise ${n + 1} of the link’s set has no valid seed`);
    }
    return { scenario, seed };
  });
  return { title: typeof d.t === 'string' && d.t.trim() ? d.t.trim().slice(0, 120) : 'Diagnose the trunk', items };
}

/** A fresh seed from the browser's random source: no two trainees see the same bytes. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** `count` different exercises picked at random, from one stage or from all. */
export function randomItems(known: readonly Exercise[], count: number, stage?: TrainingStage): TrainingItem[] {
  const pool = known.filter((e) => !stage || e.stage === stage).map((e) => e.scenario);
  const picked: TrainingItem[] = [];
  while (picked.length < count && pool.length > 0) {
    const [scenario] = pool.splice(randomSeed() % pool.length, 1);
    picked.push({ scenario, seed: randomSeed() });
  }
  return picked;
}

/** The link that opens a set on the training page. */
export function setHref(base: string, set: TrainingSet): string {
  return `${base}?set=${encodeSet(set)}`;
}

/**
 * The options in an order fixed by the seed, so the right answer is not
 * always first and a trainee who reloads sees the same order (a
 * Fisher–Yates shuffle driven by a 32-bit xorshift of the seed).
 */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
