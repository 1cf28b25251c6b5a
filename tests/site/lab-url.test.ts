/**
 * The lab's URL codec (site/lib/lab-url.ts): what a shared link restores,
 * and that nothing a link carries can break the lab.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ScenarioInfo } from '../../sim/index';
import { listScenarios } from '../../sim/index';
import { LENSES, labHref, parseSeed, readLabUrl, writeLabUrl, type LabLocation } from '../../site/lib/lab-url';

const tls: ScenarioInfo = {
  id: 'with-what-if',
  title: 'A scenario with a what-if',
  summary: '',
  lesson: '',
  article: '/docs/',
  expected: { ok: true, stage: 'complete', reason: 'ok' },
  whatIf: [
    {
      id: 'tls',
      label: 'TLS version',
      default: '1.3',
      choices: [
        { value: '1.3', label: 'TLS 1.3' },
        { value: '1.2', label: 'TLS 1.2' },
      ],
    },
  ],
};
const SCENARIOS = [...listScenarios(), tls];
const FIRST = SCENARIOS[0].id;

describe('readLabUrl', () => {
  it('restores every part of a full link', () => {
    const { location, problems } = readLabUrl(
      '?scenario=with-what-if&seed=42&step=5&packet=3&lens=attacker&talk=5&tls=1.2',
      SCENARIOS,
      FIRST,
    );
    expect(problems).toEqual([]);
    expect(location).toEqual({
      scenario: 'with-what-if',
      seed: 42,
      step: 5,
      packet: 3,
      lens: 'attacker',
      whatIf: { tls: '1.2' },
      talk: 5,
    });
  });

  it('uses defaults for what a link leaves out, and drops what-if values equal to the default', () => {
    const { location, problems } = readLabUrl('?scenario=with-what-if&tls=1.3', SCENARIOS, FIRST);
    expect(problems).toEqual([]);
    expect(location).toEqual({
      scenario: 'with-what-if',
      seed: 1,
      step: undefined,
      packet: undefined,
      lens: 'pbx',
      whatIf: {},
    });
  });

  it('reports each bad value and falls back', () => {
    const { location, problems } = readLabUrl('?scenario=nope&seed=1.5&step=0&packet=x&lens=eve', SCENARIOS, FIRST);
    expect(location).toEqual({ scenario: FIRST, seed: 1, step: undefined, packet: undefined, lens: 'pbx', whatIf: {} });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toContain('"nope"');
  });

  it('never throws, and always yields a known scenario, a safe seed and a lens', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(fc.constantFrom('scenario', 'seed', 'step', 'packet', 'lens', 'tls', 'x'), fc.string()),
        (raw, params) => {
          for (const search of [raw, `?${new URLSearchParams(params)}`]) {
            const { location } = readLabUrl(search, SCENARIOS, FIRST);
            expect(SCENARIOS.some((s) => s.id === location.scenario)).toBe(true);
            expect(Number.isSafeInteger(location.seed)).toBe(true);
            expect(LENSES).toContain(location.lens);
            if (location.step !== undefined) expect(location.step).toBeGreaterThanOrEqual(1);
          }
        },
      ),
    );
  });
});

describe('writeLabUrl', () => {
  it('round-trips through readLabUrl', () => {
    const location = fc.record<LabLocation>({
      scenario: fc.constantFrom(...SCENARIOS.map((s) => s.id)),
      seed: fc.integer({ min: -1e9, max: 1e9 }),
      step: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
      packet: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
      lens: fc.constantFrom(...LENSES),
      whatIf: fc.constant({}),
      talk: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(location, (loc) => {
        expect(readLabUrl(writeLabUrl(loc), SCENARIOS, FIRST)).toEqual({ location: loc, problems: [] });
      }),
    );
  });

  it('writes parameters in a fixed order', () => {
    expect(
      writeLabUrl({ scenario: 'with-what-if', seed: 7, step: 2, packet: 1, lens: 'sbc', whatIf: { tls: '1.2' } }),
    ).toBe('?scenario=with-what-if&seed=7&step=2&packet=1&lens=sbc&tls=1.2');
    expect(labHref('options-keepalive', 3, 'attacker')).toBe('/?scenario=options-keepalive&step=3&lens=attacker');
  });
});

describe('parseSeed', () => {
  it('takes whole numbers as trunklab run --seed does', () => {
    expect(parseSeed('20261126')).toBe(20261126);
    expect(parseSeed(' -3 ')).toBe(-3);
    expect(parseSeed('1e3')).toBeUndefined();
    expect(parseSeed('9007199254740993')).toBeUndefined();
  });
});
