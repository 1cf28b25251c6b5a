/**
 * The lab's URL carries scenario, seed, step, packet and lens: reloading
 * restores the view, Back and Forward walk through it, and a hostile or
 * stale link shows a clear notice and a working lab.
 */
import { expect, test, type Page } from '@playwright/test';
import { waitForIslands } from './hydration';

/** Opens the lab; without a search, on the two-packet keepalive these tests step through. */
async function openLab(page: Page, search = '?scenario=options-keepalive') {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

const position = (page: Page) => page.getByText(/^Step \d+ of \d+$/);
const heading = (page: Page) =>
  page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 2 });

test('a shared link restores scenario, seed, step, packet and lens', async ({ page }) => {
  await openLab(page, '?scenario=options-keepalive&seed=7&step=2&packet=1&lens=attacker');
  await expect(position(page)).toHaveText('Step 2 of 2');
  await expect(page.getByRole('textbox', { name: 'Seed' })).toHaveValue('7');
  await expect(heading(page)).toHaveText('SIP OPTIONS');
  await expect(
    page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'Attacker', exact: true }),
  ).toBeChecked();

  // The address keeps the full state, so copying it from the address bar shares this exact view.
  await expect(page).toHaveURL(/\?scenario=options-keepalive&seed=7&step=2&packet=1&lens=attacker$/);
  await page.reload();
  await waitForIslands(page);
  await expect(position(page)).toHaveText('Step 2 of 2');
  await expect(heading(page)).toHaveText('SIP OPTIONS');
  await expect(
    page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'Attacker', exact: true }),
  ).toBeChecked();
});

test('each change is a history entry; Back and Forward show them again', async ({ page }) => {
  await openLab(page);
  await expect(page).toHaveURL(/\?scenario=options-keepalive&seed=1&step=1&lens=pbx$/);

  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page).toHaveURL(/step=2&lens=pbx$/);
  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'SBC', exact: true }).check();
  await expect(page).toHaveURL(/step=2&lens=sbc$/);
  await page.getByRole('list', { name: 'Packet ladder' }).getByRole('button', { name: /^1\./ }).click();
  await expect(page).toHaveURL(/step=2&packet=1&lens=sbc$/);

  await page.goBack();
  await expect(page).toHaveURL(/step=2&lens=sbc$/);
  await expect(heading(page)).toHaveText('SIP 200 OK');
  await page.goBack();
  await expect(
    page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'PBX', exact: true }),
  ).toBeChecked();
  await page.goBack();
  await expect(position(page)).toHaveText('Step 1 of 2');
  await page.goForward();
  await expect(position(page)).toHaveText('Step 2 of 2');
  await expect(
    page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'PBX', exact: true }),
  ).toBeChecked();
});

test('a link with bad values says what was wrong and shows a working lab', async ({ page }) => {
  await openLab(
    page,
    '?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E&seed=abc&step=99999999999&packet=-3&lens=%3Cimg%20src%3Dx%3E',
  );
  const notice = page.getByRole('status').filter({ hasText: 'Some of the link could not be used' });
  await expect(notice).toContainText('there is no scenario "<script>alert(1)</script>"');
  await expect(notice).toContainText('the seed "abc" is not a whole number');
  await expect(notice).toContainText('is not PBX, Attacker or SBC');
  // Shown as text, never as markup.
  await expect(page.locator('main script, main img')).toHaveCount(0);
  // An unknown scenario falls back to the one the lab opens on: a whole secure call.
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('secure-call');
  await expect(position(page)).toHaveText(/^Step 1 of \d+$/);

  await openLab(page, '?scenario=options-keepalive&step=40');
  await expect(page.getByRole('status').filter({ hasText: 'this run has 2 steps, not 40' })).toBeVisible();
  await expect(position(page)).toHaveText('Step 2 of 2');
});
