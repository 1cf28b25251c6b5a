/**
 * The knowledge base in Chromium, from the built site: every article builds
 * and opens with its title and description, passes axe with no serious or
 * critical issue in light and dark themes, ships diagrams as inline SVG
 * (no mermaid script), resolves every internal link and anchor, prints
 * without the site's chrome, and hydrates each live step when it is
 * scrolled into view.
 */
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { articles } from './docs-articles';

const ARTICLES = articles();

async function seriousIssues(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test.describe('articles in the dark theme', () => {
  test.use({ colorScheme: 'dark' });
  for (const article of ARTICLES) {
    test(`${article.name} passes axe in the dark theme`, async ({ page }) => {
      expect((await page.goto(article.path))?.status()).toBe(200);
      expect(await seriousIssues(page)).toEqual([]);
    });
  }
});

test('diagrams are inline SVG and no page loads mermaid', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  let diagrams = 0;
  for (const article of ARTICLES) {
    await page.goto(article.path);
    const figures = page.locator('figure.diagram');
    const count = await figures.count();
    for (let i = 0; i < count; i++) {
      await expect(figures.nth(i).locator('svg')).toHaveCount(1);
      await expect(figures.nth(i)).not.toHaveClass(/diagram-source/);
    }
    diagrams += count;
  }
  expect(diagrams).toBeGreaterThanOrEqual(5);
  expect(scripts.filter((s) => /mermaid/i.test(s))).toEqual([]);
});

test('every internal link on every article leads to a page and an anchor that exist', async ({ page, request }) => {
  const links = new Map<string, string>();
  for (const article of ARTICLES) {
    await page.goto(article.path);
    const hrefs = await page
      .locator('main a[href]')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href).filter((h) => h.startsWith(location.origin)));
    for (const href of hrefs) if (!links.has(href)) links.set(href, article.path);
  }
  expect(links.size).toBeGreaterThan(50);
  const pages = new Map<string, string>();
  const broken: string[] = [];
  for (const [href, from] of links) {
    const url = new URL(href);
    const key = url.pathname + url.search;
    if (!pages.has(key)) {
      const response = await request.get(key);
      pages.set(key, response.ok() ? await response.text() : '');
      if (!response.ok()) broken.push(`${from} → ${key}: HTTP ${response.status()}`);
    }
    const anchor = decodeURIComponent(url.hash.slice(1));
    if (anchor && !pages.get(key)!.includes(`id="${anchor}"`))
      broken.push(`${from} → ${key}#${anchor}: no such anchor`);
  }
  expect(broken).toEqual([]);
});

test('articles print without navigation, and print where the lab links lead', async ({ page }) => {
  await page.goto('/docs/secure-trunk/');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('nav.sidebar')).toBeHidden();
  await expect(page.locator('header.header')).toBeHidden();
  await expect(page.locator('.pagination-links')).toBeHidden();
  await expect(page.locator('h1')).toBeVisible();
  const urls = page.locator('.kb-live-step-url');
  await expect(urls.first()).toBeVisible();
  await expect(urls.first()).toContainText('/?scenario=');
});

for (const article of ARTICLES) {
  test(`${article.name} opens with its title and description, hydrates each live step, and passes axe`, async ({
    page,
  }) => {
    const response = await page.goto(article.path);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1')).toHaveText(article.title);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', article.description);
    await expect(page.locator('meta[property="og:description"]')).toHaveAttribute('content', article.description);
    await page.waitForLoadState('load');
    const figures = page.locator('figure.kb-live-step[data-live-step]');
    const count = await figures.count();
    for (let i = 0; i < count; i++) {
      const figure = figures.nth(i);
      await figure.scrollIntoViewIfNeeded();
      const island = figure.locator('astro-island').first();
      // Hydrated: the island has lost its `ssr` attribute, and the lab shows the step.
      await expect(island).not.toHaveAttribute('ssr', /.*/, { timeout: 30_000 });
      const step = await figure.getAttribute('data-live-step');
      const region = figure.getByRole('region', { name: new RegExp(`^Live step: .*, step ${step}$`) });
      await expect(region.getByRole('region', { name: 'Packet inspector' })).toBeVisible({ timeout: 30_000 });
      await expect(region.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
    }
    // And the article in the (default) light theme, with its live steps running, passes axe.
    expect(await seriousIssues(page)).toEqual([]);
  });
}

test('a live step far down the page stays unhydrated until it is scrolled near', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/docs/secure-trunk/', { waitUntil: 'networkidle' });
  const last = page.locator('figure.kb-live-step[data-live-step]').last();
  await expect(last).toHaveCount(1);
  const island = last.locator('astro-island').first();
  await expect(island).toHaveAttribute('ssr', '');
  await last.scrollIntoViewIfNeeded();
  await expect(island).not.toHaveAttribute('ssr', /.*/, { timeout: 30_000 });
});

test('search loads its interface on first use and finds articles', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/docs/glossary/', { waitUntil: 'networkidle' });
  expect(scripts.filter((s) => /pagefind|ui-core/.test(s))).toEqual([]);
  await page.getByRole('button', { name: 'Search' }).click();
  const input = page.getByRole('dialog').getByRole('textbox', { name: 'Search' });
  await expect(input).toBeVisible();
  await input.fill('forward secrecy');
  await expect(
    page
      .getByRole('dialog')
      .getByRole('link', { name: /Attacks and what stops each/ })
      .first(),
  ).toBeVisible();
});

test('the sidebar lists every article, in reading order', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/docs/glossary/');
  const hrefs = await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link')
    .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect([...hrefs].sort()).toEqual(ARTICLES.map((a) => a.path).sort());
  expect(hrefs[0]).toBe('/docs/secure-trunk/');
  expect(hrefs.indexOf('/docs/establishing-trust/')).toBeLessThan(hrefs.indexOf('/docs/troubleshooting/'));
});
