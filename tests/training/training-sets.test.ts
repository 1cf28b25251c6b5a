/**
 * Training sets in links: a set survives its encoding; a link cut short, or
 * naming an exercise or seed this site does not have, gets an error that
 * says which; the article's ready-made sets open, each exercise at its
 * level.
 */
import { describe, expect, it } from 'vitest';
import { listExercises } from '../../sim/index';
import { SetLinkError, decodeSet, encodeSet, shuffled } from '../../site/lib/training-set';
import { ADVANCED_SET, BEGINNER_SET, advancedHref, beginnerHref } from '../../site/components/docs/training-sets';
import { profile } from '../scenarios/runs';

const exercises = listExercises(profile);
const encodeRaw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('a training set in a link', () => {
  it('comes back as it was encoded, title and all', () => {
    const set = { title: 'Thursday’s “TLS” session', items: [{ scenario: 'wrong-port', seed: 4294967295 }] };
    expect(decodeSet(encodeSet(set), exercises)).toEqual(set);
  });

  it('says what is wrong with a link it cannot open', () => {
    expect(() => decodeSet('not base64 at all!', exercises)).toThrow(SetLinkError);
    expect(() => decodeSet(encodeSet({ title: 'x', items: [] }), exercises)).toThrow('holds no exercises');
    expect(() =>
      decodeSet(
        encodeRaw({
          t: 'x',
          x: [
            ['wrong-port', 1],
            ['secure-call', 2],
          ],
        }),
        exercises,
      ),
    ).toThrow('exercise 2 of the link’s set is not one this site has');
    expect(() => decodeSet(encodeRaw({ t: 'x', x: [['wrong-port', -1]] }), exercises)).toThrow('no valid seed');
    expect(() => decodeSet(encodeRaw({ t: 'x', x: [['wrong-port', 1.5]] }), exercises)).toThrow('no valid seed');
  });

  it('orders the options by the seed, the same way each time', () => {
    const ids = exercises[0].causes.map((c) => c.id);
    expect(shuffled(ids, 7)).toEqual(shuffled(ids, 7));
    expect([...shuffled(ids, 7)].sort()).toEqual([...ids].sort());
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => shuffled(ids, seed)[0])).size).toBeGreaterThan(1);
  });
});

describe('the ready-made sets', () => {
  it.each([
    ['beginner', BEGINNER_SET, beginnerHref],
    ['advanced', ADVANCED_SET, advancedHref],
  ] as const)('the %s set opens, each exercise at its level', (level, set, href) => {
    const code = new URL(href, 'https://lab.example').searchParams.get('set')!;
    expect(decodeSet(code, exercises)).toEqual(set);
    for (const item of set.items) expect(exercises.find((e) => e.scenario === item.scenario)!.level).toBe(level);
  });
});
