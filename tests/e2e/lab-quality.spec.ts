/**
 * Quality of the lab page: axe finds no serious or critical issue in any
 * main view, light or dark, on a 1366 × 800 desktop or a 390 × 844 phone; no request
 * leaves the site's origin; the print style keeps the ladder and the open
 * packet. A screenshot of each main view is saved under test-results/ for a
 * person to look at.
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { COLOUR_RULES, rulesForScheme, seriousAxeIssues } from './axe';
import { waitForIslands } from './hydration';
import { findStepWhere } from './lab-engine';

async function openLab(page: Page, search = '') {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

/**
 * axe over the whole page, or only over the part a step of the test changed (the rest was checked already). In
 * the dark theme, which changes colours only, axe's colour rules; the light views check every rule.
 */
async function expectNoSeriousAxeIssue(page: Page, view: View, what: string, within?: Locator) {
  const scope = { ...rulesForScheme(view.colorScheme), ...(within ? { within } : {}) };
  expect(await seriousAxeIssues(page, scope), `axe in ${view.name}, ${what}`).toEqual([]);
}

const VIEWS = [
  { name: 'desktop-light', viewport: { width: 1366, height: 800 }, colorScheme: 'light' as const },
  { name: 'desktop-dark', viewport: { width: 1366, height: 800 }, colorScheme: 'dark' as const },
  { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
];

/**
 * The views to check: the richest packet the catalogue has — SIP the PBX reads inside TLS
 * while an eavesdropper sees only ciphertext, with keys held and media to come — through the
 * PBX's and the attacker's eyes, with a media run
 * opened, and a failed run at its end (failure marks and the outcome). Falls back to the
 * OPTIONS keepalive when the catalogue has nothing richer.
 */
async function mainViews(): Promise<{ rich: string; failed?: string }> {
  const encrypted = await findStepWhere(
    (s, t) =>
      s.protocol === 'SIP' &&
      s.views.pbx.layers.length > 0 &&
      s.views.attacker.access === 'metadata' &&
      t.steps.some((m) => m.protocol === 'SRTP'),
  );
  const failure = await findStepWhere((s, t) => !t.outcome.ok && s.failure !== undefined);
  return {
    rich: encrypted
      ? `?scenario=${encrypted.info.id}&step=${encrypted.step.index + 1}`
      : '?scenario=options-keepalive&step=2',
    failed: failure ? `?scenario=${failure.info.id}&step=${failure.timeline.steps.length}` : undefined,
  };
}

type View = (typeof VIEWS)[number];

async function pageIn(browser: Browser, view: View): Promise<Page> {
  const context = await browser.newContext({ viewport: view.viewport, colorScheme: view.colorScheme });
  return context.newPage();
}

/** Responsive: the page never scrolls sideways (wide hex dumps scroll inside their own box). */
async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

for (const view of VIEWS) {
  test(`${view.name}: axe finds no serious issue in a rich step through each lens, with a key, a decoded certificate and the media opened, and nothing overflows`, async ({
    browser,
  }) => {
    const { rich } = await mainViews();
    const page = await pageIn(browser, view);
    await openLab(page, rich);
    await expectNoSeriousAxeIssue(page, view, 'PBX lens');
    await page.screenshot({ path: test.info().outputPath(`lab-${view.name}.png`), fullPage: true });
    await expectNoSidewaysScroll(page);
    // From here on, each check looks at what the step before it changed.
    const panes = page.locator('.panes');
    const inspector = page.getByRole('region', { name: 'Packet inspector' });

    await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'Attacker', exact: true }).check();
    await page
      .getByRole('region', { name: /^On the wire/ })
      .getByRole('treeitem', { name: /^IPv4/ })
      .first()
      .hover();
    await expectNoSeriousAxeIssue(page, view, 'attacker lens with a field lit', panes);
    await page.screenshot({ path: test.info().outputPath(`lab-${view.name}-attacker.png`), fullPage: true });

    // Keys opened in a party's panel, through the PBX's eyes.
    await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'PBX', exact: true }).check();
    await page
      .getByRole('button', { name: /^Show how .* was derived$/ })
      .first()
      .click();
    await expectNoSeriousAxeIssue(page, view, 'a key opened', page.locator('section.panels'));

    // A certificate decoded, in the same run: its row on the ladder, then its fields.
    const ladder = page.getByRole('list', { name: 'Packet ladder' });
    await ladder.getByRole('button', { name: /SBC to PBX: TLS Certificate;/ }).click();
    const certificates = page.getByRole('region', { name: 'Certificates in this message' });
    await certificates.getByRole('button', { name: 'Show its fields' }).first().click();
    await expectNoSeriousAxeIssue(page, view, 'a certificate decoded', inspector);
    await page.screenshot({ path: test.info().outputPath(`lab-${view.name}-certificate.png`), fullPage: true });

    // The call's media, folded into one row, opened on its first packet.
    await ladder
      .getByRole('button', { name: /packets both ways/ })
      .first()
      .click();
    await expect(page.getByRole('region', { name: 'The call’s voice' })).toBeVisible();
    await expectNoSeriousAxeIssue(page, view, 'a media run opened', inspector);
    await page.context().close();
  });

  test(`${view.name}: axe finds no serious issue in a failed run at its end, and nothing overflows`, async ({
    browser,
  }) => {
    const { failed } = await mainViews();
    if (!failed) throw new Error('the catalogue has no run that fails at a step');
    const page = await pageIn(browser, view);
    await openLab(page, failed);
    await expect(page.getByText(/^Outcome: failed at/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Jump to the failure' })).toBeVisible();
    await expectNoSeriousAxeIssue(page, view, 'a failed run at its end');
    await page.screenshot({ path: test.info().outputPath(`lab-${view.name}-failed.png`), fullPage: true });
    await expectNoSidewaysScroll(page);
    await page.context().close();
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
  expect(await seriousAxeIssues(page, { rules: COLOUR_RULES }), 'axe, dark chosen on a light system').toEqual([]);
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
  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'Attacker', exact: true }).check();
  await page.waitForLoadState('networkidle');
  expect(elsewhere).toEqual([]);
});

test('once loaded it works offline: another seed, stepping, the lens and an export', async ({ page, context }) => {
  await openLab(page, '?scenario=options-keepalive');
  await context.setOffline(true);
  const fingerprint = await page.locator('[data-fingerprint]').textContent();
  await page.getByText('Settings', { exact: true }).click();
  const seed = page.getByRole('textbox', { name: 'Seed' });
  await seed.fill('99');
  await seed.press('Enter');
  await expect(page.locator('[data-fingerprint]')).not.toHaveText(fingerprint!);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByText('Step 2 of 2', { exact: true })).toBeVisible();
  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'SBC', exact: true }).check();
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
