/**
 * Same seed, same bytes (issue 3): the run fingerprint the engine computes
 * in the browser's worker equals SHA-256 computed by node:crypto over the
 * bytes `trunklab run` prints in Node, for every scenario; and another seed
 * gives other bytes, in both.
 */
import { expect, test, type Page } from '@playwright/test';
import { waitForIslands } from './hydration';
import { listScenarios } from '../../sim/index';
import { fingerprintInNode, runInNode } from './lab-engine';

/** Opens the lab on a run and waits until it shows the fingerprint Node computed for the same run. */
async function expectSameRun(page: Page, scenario: string, seed: number): Promise<string> {
  const node = await runInNode(scenario, seed);
  const expected = fingerprintInNode(node);
  await page.goto(`/?scenario=${scenario}&seed=${seed}`);
  await waitForIslands(page);
  await expect(page.locator('[data-fingerprint]')).toHaveText(expected, { timeout: 30_000 });
  await expect(page.getByText(`Step 1 of ${node.steps.length}`, { exact: true })).toBeVisible();
  return expected;
}

for (const { id } of listScenarios()) {
  test(`${id}: the browser and Node produce byte-identical runs`, async ({ page }) => {
    await expectSameRun(page, id, 1);
  });
}

test('another seed gives other bytes, the same in the browser and in Node', async ({ page }) => {
  const first = await expectSameRun(page, 'secure-call', 1);
  const second = await expectSameRun(page, 'secure-call', 20261126);
  expect(second).not.toBe(first);
});
