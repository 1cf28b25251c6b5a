/**
 * An embed's address comes from pages we do not control: whatever it holds,
 * `readEmbedRequest` answers with a known scenario, a step from 1, one of the
 * three lenses and at most one of the two themes, or says the scenario is
 * unknown — and quotes back bad values short and on one line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../sim/index';
import { parseStep, quoted, readEmbedRequest } from '../../site/components/embed/embed-request';

const scenarios = listScenarios();
const known = scenarios[0].id;

describe('readEmbedRequest', () => {
  it('reads a well-formed address', () => {
    const r = readEmbedRequest('?step=2&lens=attacker&theme=dark', scenarios, known);
    expect(r).toEqual({ kind: 'step', scenario: scenarios[0], step: 2, lens: 'attacker', theme: 'dark', problems: [] });
  });

  it('defaults to step 1 through the PBX in the reader’s own theme', () => {
    expect(readEmbedRequest('', scenarios, known)).toMatchObject({
      step: 1,
      lens: 'pbx',
      theme: undefined,
      problems: [],
    });
  });

  it('names each bad value and falls back to the default', () => {
    const r = readEmbedRequest('?step=<script>x</script>&lens=root&theme=blue', scenarios, known);
    expect(r).toMatchObject({ kind: 'step', step: 1, lens: 'pbx', theme: undefined });
    expect(r.kind === 'step' && r.problems).toEqual([
      'the step "<script>x</script>" is not a step number (a whole number from 1), so step 1 is shown',
      'the lens "root" is not pbx, attacker or sbc, so the PBX\'s view is shown',
      'the theme "blue" is not dark or light, so the reader\'s own setting is used',
    ]);
  });

  it('takes the scenario from the path, or from ?scenario= on the scenario-less page', () => {
    expect(readEmbedRequest(`?scenario=${known}`, scenarios)).toMatchObject({ kind: 'step', scenario: { id: known } });
    // The path wins: a page built for one scenario never shows another.
    expect(readEmbedRequest('?scenario=other', scenarios, known)).toMatchObject({ scenario: { id: known } });
    expect(readEmbedRequest('?scenario=nope', scenarios)).toEqual({ kind: 'unknown-scenario', asked: 'nope' });
    expect(readEmbedRequest('', scenarios)).toEqual({ kind: 'unknown-scenario', asked: undefined });
  });

  it('on a step’s own page, shows that step unless the address names another', () => {
    const scenarios = listScenarios();
    const id = scenarios[0].id;
    expect(readEmbedRequest('?lens=sbc', scenarios, id, 9)).toMatchObject({ kind: 'step', step: 9, lens: 'sbc' });
    expect(readEmbedRequest('?step=3', scenarios, id, 9)).toMatchObject({ kind: 'step', step: 3 });
    expect(readEmbedRequest('?step=x', scenarios, id, 9)).toMatchObject({ kind: 'step', step: 9 });
  });

  it('takes step numbers of one to nine digits from 1, nothing else', () => {
    expect(['1', '42', '999999999'].map(parseStep)).toEqual([1, 42, 999999999]);
    for (const bad of ['0', '-1', '1e3', '1.5', ' 1', '0x10', '1000000000', '', '٣'])
      expect(parseStep(bad), bad).toBeUndefined();
  });

  it('answers any query string with values it may use, and quotes bad ones in at most 49 characters', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('1', 'attacker', 'dark', known),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('step', 'lens', 'theme', 'scenario', 'x'), text),
        fc.boolean(),
        (params, fromPath) => {
          const search = `?${new URLSearchParams(params)}`;
          const r = readEmbedRequest(search, scenarios, fromPath ? known : undefined);
          if (r.kind === 'unknown-scenario') {
            expect(fromPath).toBe(false);
            expect(scenarios.some((s) => s.id === r.asked)).toBe(false);
            return;
          }
          expect(scenarios).toContain(r.scenario);
          expect(Number.isInteger(r.step) && r.step >= 1 && r.step <= 999_999_999).toBe(true);
          expect(['pbx', 'attacker', 'sbc']).toContain(r.lens);
          expect([undefined, 'light', 'dark']).toContain(r.theme);
          for (const problem of r.problems) {
            const value = /"(.*)"/s.exec(problem)![1];
            expect(value.length).toBeLessThanOrEqual(49);
            expect(value).not.toMatch(/[\n\r\t]/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('quotes a value as one short line', () => {
    expect(quoted('a\n\tb')).toBe('a b');
    expect(quoted('x'.repeat(100))).toBe(`${'x'.repeat(48)}…`);
  });
});
