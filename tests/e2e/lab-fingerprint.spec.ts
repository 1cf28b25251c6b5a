/**
 * Same seed, same bytes: the run fingerprint the engine computes in the
 * browser's worker equals SHA-256 computed by node:crypto over the bytes
 * `trunklab run` prints in Node, for every scenario, and each step's phase
 * (the chapters) is the same in both; another seed gives other bytes, in
 * both.
 *
 * One page per group of scenarios, each chosen in the lab's Scenario picker
 * as a reader would: the worker, its engine and the carrier's certificates
 * are loaded once per group rather than once per scenario.
 */
import { expect, test, type Page } from '@playwright/test';
import { fingerprintInNode, runInNode } from './lab-engine';
import { waitForIslands } from './hydration';
import { listScenarios } from '../../sim/index';
import { phaseRuns } from '../../site/lib/chapters';

const GROUPS = 3;
const SCENARIOS = listScenarios().map((s) => s.id);

/** Waits until the lab shows the run Node made of the same scenario and seed; returns its fingerprint. */
async function expectSameRun(page: Page, scenario: string, seed: number): Promise<string> {
  const node = await runInNode(scenario, seed);
  const expected = fingerprintInNode(node);
  await expect(page.locator('[data-fingerprint]'), scenario).toHaveText(expected);
  // Every step's phase, run-length encoded, as the chapters in the page read it.
  await expect(page.getByRole('navigation', { name: 'Chapters' }), scenario).toHaveAttribute(
    'data-phase-runs',
    phaseRuns(node.steps),
  );
  // A run that went through opens at its start (from an address step 1; chosen in the picker step 0, before the
  // first packet); a run that failed opens on the step that proves it.
  const opensAt = node.outcome.ok ? '[01]' : String(node.outcome.step! + 1);
  await expect(page.getByText(new RegExp(`^Step ${opensAt} of ${node.steps.length}$`)), scenario).toBeVisible();
  return expected;
}

for (let group = 0; group < GROUPS; group++) {
  const ids = SCENARIOS.filter((_, i) => i % GROUPS === group);
  test(`${ids.join(', ')}: the browser and Node produce byte-identical runs`, async ({ page }) => {
    await page.goto(`/?scenario=${ids[0]}`);
    await waitForIslands(page);
    for (const id of ids) {
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption(id);
      await expectSameRun(page, id, 1);
    }
  });
}

test('another seed gives other bytes, the same in the browser and in Node', async ({ page }) => {
  await page.goto('/?scenario=secure-call&seed=1');
  await waitForIslands(page);
  const first = await expectSameRun(page, 'secure-call', 1);
  await page.goto('/?scenario=secure-call&seed=20261126');
  await waitForIslands(page);
  const second = await expectSameRun(page, 'secure-call', 20261126);
  expect(second).not.toBe(first);
});
