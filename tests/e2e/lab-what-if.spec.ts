/**
 * What-if toggles: changing one re-runs the scenario with the same seed,
 * keeps the step, and puts the choice in the URL — for the first scenario in
 * the catalogue that offers one.
 */
import { expect, test } from '@playwright/test';
import { waitForIslands } from './hydration';
import { catalogueRuns } from './lab-engine';

test('a what-if re-runs the scenario with the same seed and records the choice in the URL', async ({ page }) => {
  const runs = await catalogueRuns();
  const found = runs.find((r) => (r.info.whatIf?.length ?? 0) > 0);
  expect(found, 'a scenario in the catalogue offers a what-if').toBeTruthy();
  const { info } = found!;
  const option = info.whatIf![0];
  const other = option.choices.find((c) => c.value !== option.default)!;

  await page.goto(`/?scenario=${info.id}&seed=3&step=2`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step 2 of \d+$/)).toBeVisible({ timeout: 20_000 });
  const fingerprint = page.locator('[data-fingerprint]');
  const before = await fingerprint.textContent();
  // The seed (3) differs from the default, so the settings are open: the change is in view.
  const group = page.getByRole('group', { name: option.label });
  await expect(
    group.getByRole('radio', { name: option.choices.find((c) => c.value === option.default)!.label }),
  ).toBeChecked();

  await group.getByRole('radio', { name: other.label }).check();
  await expect(page).toHaveURL(
    new RegExp(`[?&]${option.id}=${encodeURIComponent(other.value).replace(/\./g, '\\.')}(&|$)`),
  );
  await expect(page).toHaveURL(/seed=3/);
  await expect(fingerprint).not.toHaveText(before!);
  await expect(page.getByText(/^Step 2 of \d+$/)).toBeVisible();

  await page.goBack();
  await expect(
    group.getByRole('radio', { name: option.choices.find((c) => c.value === option.default)!.label }),
  ).toBeChecked();
  await expect(fingerprint).toHaveText(before!);

  // Keyboard: on a what-if, → steps the run; it does not pick the next choice.
  const chosen = group.getByRole('radio', { name: option.choices.find((c) => c.value === option.default)!.label });
  await chosen.focus();
  const at = Number((await page.getByText(/^Step \d+ of \d+$/).textContent())!.split(' ')[1]);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText(/^Step \d+ of \d+$/)).not.toHaveText(new RegExp(`^Step ${at} of`));
  await expect(chosen).toBeChecked();
});
