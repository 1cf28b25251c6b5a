/**
 * An article's live figures are drawn by the build: the HTML the server
 * sends already holds each figure's step (its packet's name, its position in
 * the run, the field the article names, open, and its explanation), as the
 * engine computes that step in Node. The figure's script loads only when a
 * reader reaches for it, and what the reader did meanwhile is not lost: a
 * Next pressed before the script arrived is carried out once it has, by the
 * engine in the page's worker.
 */
import { expect, test } from '@playwright/test';
import { UI } from '../../site/lib/ui-text';
import { engineStep } from './figure-claims';
import { liveFigures, servedAttribute, servedText } from './served-text';

const ARTICLE = '/docs/tls-handshake/';

test('every live figure of an article has its step in the HTML the server sends', async ({ request }) => {
  const response = await request.get(ARTICLE);
  expect(response.status()).toBe(200);
  const figures = liveFigures(await response.text());
  expect(figures.length).toBeGreaterThan(1);
  for (const html of figures) {
    const scenario = servedAttribute(html, 'data-live-scenario')!;
    const n = Number(servedAttribute(html, 'data-live-step'));
    const field = servedAttribute(html, 'data-live-field');
    const step = (await engineStep(scenario, n))!;
    const text = servedText(html);
    const where = `${scenario} step ${n}`;
    expect(text, where).toContain(UI.stepLabel(step.protocol, step.summary));
    expect(text, where).toMatch(new RegExp(`Step ${n} of \\d+`));
    expect(text, where).toContain(step.explanation.replace(/\s+/g, ' ').trim());
    // The field the article names is the one open in the drawing.
    if (field) expect(servedAttribute(html.slice(html.indexOf('<section')), 'data-field'), where).toBe(field);
  }
});

test('Next pressed before the figure’s script has arrived is carried out when it has', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.goto(ARTICLE, { waitUntil: 'networkidle' });
  const figure = page.locator('figure.kb-live-step[data-live-step]').first();
  const island = figure.locator('astro-island').first();
  const component = (await island.getAttribute('component-url'))!;
  // The figure's script is held back until the reader has pressed Next on the drawing.
  await page.route(
    (url) => url.pathname.endsWith(component),
    async (route) => {
      await held;
      await route.continue();
    },
  );
  const n = Number(await figure.getAttribute('data-live-step'));
  await figure.scrollIntoViewIfNeeded();
  await figure.getByRole('button', { name: 'Next step' }).click();
  await expect(island).toHaveAttribute('ssr', '');
  release();
  const next = (await engineStep((await figure.getAttribute('data-live-scenario'))!, n + 1))!;
  const region = figure.getByRole('region', { name: new RegExp(`, step ${n + 1}$`) });
  await expect(region.getByRole('heading', { level: 3 })).toHaveText(UI.stepLabel(next.protocol, next.summary));
  await expect(region.getByText(new RegExp(`^Step ${n + 1} of \\d+$`))).toBeVisible();
});
