/**
 * The embed pages as a reader uses them inside a help centre's frame: axe
 * finds no serious or critical issue in light and dark, with and without
 * messages; the keyboard steps through the run; a phone-wide frame needs no
 * sideways scrolling; and `theme=` sets the colours the host asked for.
 */
import { expect, test, type Page } from '@playwright/test';
import { rulesForScheme, seriousAxeIssues } from './axe';
import { firstScenario, stepHeading } from './embed-fixtures';
import { waitForIslands } from './hydration';

const PAGES = [
  ['the first step', (id: string) => `/embed/${id}/?step=1`],
  ["the attacker's view", (id: string) => `/embed/${id}/?step=2&lens=attacker`],
  ['a page with messages', (id: string) => `/embed/${id}/?step=five&lens=root&theme=blue`],
  ['an unknown scenario', () => '/embed/?scenario=no-such-scenario'],
] as const;

async function openEmbed(page: Page, path: string) {
  await page.goto(path);
  await waitForIslands(page);
  await expect(page.locator('.embed:not(.loading)')).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`embeds in the ${scheme} theme`, () => {
    test.use({ colorScheme: scheme });
    test(`every kind of page passes axe (${scheme === 'dark' ? 'colour rules' : 'all rules'})`, async ({ page }) => {
      const { scenario } = await firstScenario();
      for (const [name, path] of PAGES) {
        await openEmbed(page, path(scenario.id));
        expect(await seriousAxeIssues(page, rulesForScheme(scheme)), name).toEqual([]);
      }
    });
  });
}

test('the keyboard steps through the run and reaches every control', async ({ page }) => {
  const engine = await firstScenario();
  const total = engine.timeline.steps.length;
  test.skip(total < 2, 'the first scenario has one step');
  await page.goto(`/embed/${engine.scenario.id}/?step=1`);
  await waitForIslands(page);
  const heading = stepHeading(page);
  await expect(heading).toHaveText(engine.heading(1));

  await page.keyboard.press('Tab'); // Previous step: aria-disabled at the first step, but focusable
  await expect(page.getByRole('button', { name: 'Previous step' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Next step' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(heading).toHaveText(engine.heading(2));
  await page.keyboard.press('ArrowLeft');
  await expect(heading).toHaveText(engine.heading(1));
  await page.keyboard.press('ArrowRight');
  await expect(heading).toHaveText(engine.heading(2));
  // The link to the full lab and the full inspector are reachable further on.
  await page.getByRole('link', { name: /Open in the full lab/ }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Full inspector' })).toBeFocused();
  // Steps are announced politely.
  await expect(page.locator('[aria-live="polite"]').first()).toContainText(`Step 2 of ${total}`);
});

test('a phone-wide frame needs no sideways scrolling', async ({ page }) => {
  const { scenario } = await firstScenario();
  await page.setViewportSize({ width: 375, height: 700 });
  await page.goto(`/embed/${scenario.id}/?step=1`);
  await waitForIslands(page);
  await expect(stepHeading(page)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
});

test('theme=dark and theme=light set the colours before the first paint, whatever the reader’s setting', async ({
  page,
}) => {
  const { scenario } = await firstScenario();
  for (const [asked, reader] of [
    ['dark', 'light'],
    ['light', 'dark'],
  ] as const) {
    await page.emulateMedia({ colorScheme: reader });
    // Before any module or island runs: the inline script in the head has already decided.
    await page.route('**/_astro/**', (route) => route.abort());
    await page.goto(`/embed/${scenario.id}/?theme=${asked}`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(asked);
    await page.unroute('**/_astro/**');
  }
});
