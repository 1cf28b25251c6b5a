/**
 * Quality of the lab page: axe finds no serious or critical issue in any
 * main view, light or dark, on a desktop or a 375 px phone; no request
 * leaves the site's origin; the print style keeps the ladder and the open
 * packet. A screenshot of each main view is saved under test-results/ for a
 * person to look at.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { waitForIslands } from './hydration';

async function openLab(page: Page, search = '') {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

async function expectNoSeriousAxeIssue(page: Page, view: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(report, `axe in ${view}`).toEqual([]);
}

const VIEWS = [
  { name: 'desktop-light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' as const },
  { name: 'desktop-dark', viewport: { width: 1440, height: 900 }, colorScheme: 'dark' as const },
  { name: 'phone-light', viewport: { width: 375, height: 812 }, colorScheme: 'light' as const },
  { name: 'phone-dark', viewport: { width: 375, height: 812 }, colorScheme: 'dark' as const },
];

for (const view of VIEWS) {
  test(`${view.name}: axe finds no serious issue in the main views, and nothing overflows`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: view.viewport, colorScheme: view.colorScheme });
    const page = await context.newPage();
    await openLab(page, '?scenario=options-keepalive&step=2');
    await expectNoSeriousAxeIssue(page, `${view.name}, PBX lens`);
    await page.screenshot({ path: test.info().outputPath(`lab-${view.name}.png`), fullPage: true });

    await page.getByRole('radio', { name: 'Attacker' }).check();
    await page
      .getByRole('region', { name: /^On the wire/ })
      .getByRole('button', { name: /^Destination port/ })
      .first()
      .hover();
    await expectNoSeriousAxeIssue(page, `${view.name}, attacker lens with a field lit`);
    await page.screenshot({ path: test.info().outputPath(`lab-${view.name}-attacker.png`), fullPage: true });

    // Responsive: the page never scrolls sideways (wide hex dumps scroll inside their own box).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
}

test('the theme switch sets light or dark over the system setting and keeps it', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openLab(page);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  const dark = await background();
  expect(dark).not.toBe(light);
  await page.reload();
  await waitForIslands(page);
  expect(await background()).toBe(dark);
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
  await expectNoSeriousAxeIssue(page, 'dark chosen on a light system');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('auto');
  expect(await background()).toBe(light);
});

test('no request leaves the site’s origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
  });
  await openLab(page, '?scenario=options-keepalive&step=2');
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.getByRole('button', { name: 'Next step' }).click();
  await page.getByRole('radio', { name: 'Attacker' }).check();
  await page.waitForLoadState('networkidle');
  expect(elsewhere).toEqual([]);
});

test('once loaded it works offline: another seed, stepping, the lens and an export', async ({ page, context }) => {
  await openLab(page, '?scenario=options-keepalive');
  await context.setOffline(true);
  const fingerprint = await page.locator('[data-fingerprint]').textContent();
  const seed = page.getByRole('textbox', { name: 'Seed' });
  await seed.fill('99');
  await seed.press('Enter');
  await expect(page.locator('[data-fingerprint]')).not.toHaveText(fingerprint!);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByText('Step 2 of 2', { exact: true })).toBeVisible();
  await page.getByRole('radio', { name: 'SBC' }).check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Timeline (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('options-keepalive-seed99.timeline.json');
});

test('the print style prints the ladder and the open packet, not the controls', async ({ page }) => {
  await openLab(page, '?scenario=options-keepalive&step=2');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next step' })).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toBeHidden();
  await page.screenshot({ path: test.info().outputPath('lab-print.png'), fullPage: true });
});
