/**
 * The knowledge base in Chromium, from the built site: every article builds
 * and opens with its title and description, passes axe with no serious or
 * critical issue in light and dark themes, ships diagrams as inline SVG
 * (no mermaid script), resolves every internal link and anchor, prints
 * without the site's chrome, and moves nothing while a reader scrolls
 * through it (cumulative layout shift under 0.05); each live figure shows its
 * step and opens the field its caption names; one visit per article.
 */
import { expect, test } from '@playwright/test';
import { COLOUR_RULES, seriousAxeIssues } from './axe';
import { articles } from './docs-articles';
import { figureProblems } from './figure-claims';
import { cumulativeLayoutShift, watchLayoutShifts } from './layout-shift';

const ARTICLES = articles();
const LIVE_STEP = 'figure.kb-live-step[data-live-step]';
/** The figures' drawings (their captions stay in), and those of all but an article's first figure (marked by the test). */
const FIGURES = `${LIVE_STEP} astro-island`;
const OTHER_FIGURES = `${LIVE_STEP}[data-axe-in-embeds] astro-island`;

/** The pages internal links lead to, fetched once per test worker: path → HTML ('' when not found). */
const fetched = new Map<string, Promise<string>>();

for (const article of ARTICLES) {
  // One visit per article, as a reader makes it: the page opens, is read top to bottom through its live
  // figures, and is then checked by axe as it stands, in the light theme and the dark.
  test(`${article.name}: its title, description, diagrams and links hold; read top to bottom nothing moves; each live figure shows its step and opens the field its caption names; axe passes in light and dark`, async ({
    page,
    request,
  }) => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await watchLayoutShifts(page);
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    const response = await page.goto(article.path);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1')).toHaveText(article.title);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', article.description);
    await expect(page.locator('meta[property="og:description"]')).toHaveAttribute('content', article.description);

    // Diagrams are drawn at build time into inline SVG; no page loads mermaid.
    const diagrams = page.locator('figure.diagram');
    await expect(diagrams).toHaveCount(article.diagrams);
    for (let i = 0; i < article.diagrams; i++) {
      await expect(diagrams.nth(i).locator('svg')).toHaveCount(1);
      await expect(diagrams.nth(i)).not.toHaveClass(/diagram-source/);
    }
    expect(scripts.filter((s) => /mermaid/i.test(s))).toEqual([]);

    // Every internal link leads to a page, and to an anchor on it that exists.
    const hrefs = await page
      .locator('main a[href]')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href).filter((h) => h.startsWith(location.origin)));
    const broken: string[] = [];
    for (const href of new Set(hrefs)) {
      const url = new URL(href);
      const key = url.pathname + url.search;
      if (!fetched.has(key))
        fetched.set(
          key,
          request.get(key).then(async (r) => (r.ok() ? r.text() : '')),
        );
      const html = await fetched.get(key)!;
      const anchor = decodeURIComponent(url.hash.slice(1));
      if (!html) broken.push(`${key}: not found`);
      else if (anchor && !html.includes(`id="${anchor}"`)) broken.push(`${key}#${anchor}: no such anchor`);
    }
    expect(broken).toEqual([]);

    const figures = page.locator(LIVE_STEP);
    await expect(figures).toHaveCount(article.liveSteps);
    // As a reader scrolls: each figure, in order, comes into view showing the step the build drew, and is held
    // to its caption. A figure comes alive only when reached for; that, and that the drawing is the engine's
    // step, are docs-figure's and docs-first-frame's to check, so reading an article here runs no engine.
    for (let i = 0; i < article.liveSteps; i++) {
      const figure = figures.nth(i);
      await figure.scrollIntoViewIfNeeded();
      const step = Number(await figure.getAttribute('data-live-step'));
      const region = figure.getByRole('region', { name: new RegExp(`^Live step: .*, step ${step}$`) });
      await expect(region.getByText(new RegExp(`^Step ${step} of \\d+$`))).toBeVisible();
      await expect(region.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
      const seen = await figure.evaluate((el) => ({
        scenario: el.getAttribute('data-live-scenario')!,
        step: Number(el.getAttribute('data-live-step')),
        lens: el.getAttribute('data-live-lens') as 'pbx' | 'attacker' | 'sbc',
        field: el.getAttribute('data-live-field') ?? undefined,
        caption: el.querySelector('figcaption')?.firstChild?.textContent?.trim() ?? '',
        open: el.querySelector('section[data-field]')?.getAttribute('data-field') ?? '',
        parties: [...el.querySelectorAll('fieldset input[type="radio"]')].map((r) =>
          r.parentElement!.textContent!.trim(),
        ),
      }));
      expect(await figureProblems(seen), `figure ${i + 1}: ${seen.caption}`).toEqual([]);
    }
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const { cls, shifts } = await cumulativeLayoutShift(page);
    // The figure itself, in the report (`--reporter=json`), beside the pass or fail.
    test.info().annotations.push({ type: 'cumulative layout shift', description: cls.toFixed(4) });
    expect(cls, `layout shifts: ${JSON.stringify(shifts)}`).toBeLessThan(0.05);

    // The prose, diagrams, navigation, every caption and the first live figure, all of axe in the light theme;
    // in the dark theme, which changes only colours, axe's colour rules. A figure is the lab's figure view
    // (FigureView, outside the article's styles: `not-content`), which the embeds' tests check in both themes;
    // half of an article's elements are its figures', so the others are left to those tests here.
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await figures.evaluateAll((all) => all.slice(1).forEach((figure) => figure.setAttribute('data-axe-in-embeds', '')));
    expect(await seriousAxeIssues(page, { exclude: [OTHER_FIGURES] }), 'light').toEqual([]);
    // Starlight follows the system's scheme while the reader has not chosen one.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await seriousAxeIssues(page, { exclude: [FIGURES], rules: COLOUR_RULES }), 'dark').toEqual([]);
  });
}

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

test('a live figure shows its step before any script, and loads its script only when a reader reaches for it', async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(r.url());
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/docs/secure-trunk/', { waitUntil: 'networkidle' });
  const last = page.locator('figure.kb-live-step[data-live-step]').last();
  await expect(last).toHaveCount(1);
  const island = last.locator('astro-island').first();
  // The build's first frame: the step, its ladder rows and its open field, drawn without script.
  const step = await last.getAttribute('data-live-step');
  await expect(last.getByText(`Step ${step} of`, { exact: false }).first()).toBeAttached();
  await expect(last.locator('section[data-field]')).toHaveCount(1);
  // Scrolled into view, it is still the drawing, and no figure's script has loaded.
  await last.scrollIntoViewIfNeeded();
  await expect(last.getByRole('heading', { level: 3 }).first()).toBeInViewport();
  await expect(island).toHaveAttribute('ssr', '');
  const component = (await island.getAttribute('component-url'))!;
  expect(scripts.filter((s) => s.endsWith(component))).toEqual([]);
  await last.locator('section .position').first().hover();
  await expect(island).not.toHaveAttribute('ssr', /.*/);
  expect(scripts.filter((s) => s.endsWith(component))).toHaveLength(1);
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
