/**
 * Same seed, same bytes (issue 3): the run fingerprint the engine computes
 * in the browser's worker equals SHA-256 computed by node:crypto over the
 * bytes `trunklab run` prints in Node, for every scenario and two seeds.
 */
import { expect, test } from '@playwright/test';
import { waitForIslands } from './hydration';
import { fingerprintInNode, runInNode, scenariosInNode } from './lab-engine';

for (const { id } of scenariosInNode()) {
  test(`${id}: the browser and Node produce byte-identical runs`, async ({ page }) => {
    const fingerprints = new Set<string>();
    for (const seed of [1, 20261126]) {
      const node = runInNode(id, seed);
      const expected = fingerprintInNode(node);
      fingerprints.add(expected);
      await page.goto(`/?scenario=${id}&seed=${seed}`);
      await waitForIslands(page);
      await expect(page.locator('[data-fingerprint]')).toHaveText(expected, { timeout: 30_000 });
      await expect(page.getByText(`Step 1 of ${node.steps.length}`, { exact: true })).toBeVisible();
    }
    // Different seeds give different bytes: the fingerprint really depends on the run.
    expect(fingerprints.size).toBe(2);
  });
}
