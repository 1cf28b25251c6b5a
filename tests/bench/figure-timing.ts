/**
 * How long a reader waits for a live step, in Chromium: an article's live
 * figure (its step shown once scrolled into view, and from navigation; then
 * Next, from the reader's first pointer over the figure, which loads the
 * figure's script and starts the engine cold) and a help centre's embed (its
 * step shown inside the frame, from entering the viewport), one at a time
 * and four on a page at once, beside the full lab opening at the same step.
 * "Shown" means the step's heading is visible, whatever drew it (the
 * build's first frame or the live view). Times are taken in Node around
 * Playwright's waits, so they include a few milliseconds of polling.
 */
import type { Browser, Page } from '@playwright/test';
import { article, startHostSite } from '../e2e/embed-fixtures';

export interface Timing {
  label: string;
  ms: number[];
}

const since = (t0: number) => Date.now() - t0;
const FIGURE = 'figure.kb-live-step[data-live-step]';

/** A page whose viewport holds `count` live figures once the first is scrolled to. */
async function articlePage(browser: Browser, url: string, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height } });
  await page.goto(url, { waitUntil: 'networkidle' });
  return page;
}

/**
 * The first `count` figures of an article brought into view together: when each shows its step
 * (its packet's heading visible); for the first, when Next has the engine's next step on screen,
 * from the pointer's first move over the figure (its script loaded, the engine started cold).
 */
export async function timeFigures(browser: Browser, url: string, count: number): Promise<Timing[]> {
  const page = await articlePage(browser, url, 800);
  const figures = page.locator(FIGURE);
  if (count > 1) {
    // Tall enough for `count` figures and the prose between them, measured on the page.
    const top = await figures.first().evaluate((el) => el.getBoundingClientRect().top);
    const bottom = await figures.nth(count - 1).evaluate((el) => el.getBoundingClientRect().bottom);
    await page.setViewportSize({ width: 1366, height: Math.ceil(bottom - top) + 20 });
  }
  const t0 = Date.now();
  await figures.first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const shown = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const figure = figures.nth(i);
      const step = await figure.getAttribute('data-live-step');
      await figure
        .getByRole('region', { name: new RegExp(`, step ${step}$`) })
        .getByRole('heading', { level: 3 })
        .waitFor({ timeout: 60_000 });
      return since(t0);
    }),
  );
  const first = figures.first();
  const step = Number(await first.getAttribute('data-live-step'));
  const t1 = Date.now();
  await first.locator('section .position').first().hover();
  await first.getByRole('button', { name: 'Next step' }).click();
  await first
    .getByRole('region', { name: new RegExp(`, step ${step + 1}$`) })
    .getByRole('heading', { level: 3 })
    .waitFor({ timeout: 60_000 });
  const next = since(t1);
  await page.close();
  return [
    { label: `${count} figure(s): step shown after scrolling into view`, ms: shown },
    { label: `${count} figure(s): Next, from the first pointer over it (script and engine cold)`, ms: [next] },
  ];
}

/** An article opened: from navigation until its first live figure's step is laid out and visible (painted, if scrolled to). */
export async function timeFigureFromNavigation(browser: Browser, url: string): Promise<Timing> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  const figure = page.locator(FIGURE).first();
  const step = await figure.getAttribute('data-live-step');
  await figure
    .getByRole('region', { name: new RegExp(`, step ${step}$`) })
    .getByRole('heading', { level: 3 })
    .waitFor({ state: 'visible', timeout: 60_000 });
  const ms = since(t0);
  await page.close();
  return { label: '1 figure: step shown, from navigation to the article', ms: [ms] };
}

/** The full lab opened at a step: from navigation to the step's packet in its inspector. */
export async function timeLab(browser: Browser, origin: string, scenario: string, step: number): Promise<Timing> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  const t0 = Date.now();
  await page.goto(`${origin}/?scenario=${scenario}&step=${step}`);
  await page.getByText(`Step ${step} of`, { exact: false }).first().waitFor({ timeout: 60_000 });
  await page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 2 }).waitFor();
  const ms = since(t0);
  await page.close();
  return { label: 'peer: the full lab opened at the same step', ms: [ms] };
}

/**
 * A help centre's page on another origin with embeds (scenario, step) below the fold, scrolled so
 * that all of them enter the viewport at once: from then until each frame shows its step.
 */
export async function timeEmbeds(
  browser: Browser,
  labOrigin: string,
  embeds: Array<{ scenario: string; step: number; heading: string }>,
): Promise<Timing> {
  const host = await startHostSite();
  try {
    const placeholders = embeds
      .map((e, i) => `<div id="e${i}" data-trunklab-scenario="${e.scenario}" data-step="${e.step}"></div>`)
      .join('\n');
    host.page(
      '/embeds.html',
      article(`<div style="height: 4000px">Scroll down.</div>
<div id="embeds">${placeholders}</div>
<div style="height: 4000px"></div>
<script async src="${labOrigin}/embed.js"></script>`),
    );
    const page = await browser.newPage({ viewport: { width: 1366, height: 700 * embeds.length } });
    await page.goto(`${host.origin}/embeds.html`, { waitUntil: 'networkidle' });
    const t0 = Date.now();
    await page.locator('#embeds').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const ms = await Promise.all(
      embeds.map(async (e, i) => {
        const frame = page.locator(`#e${i} iframe`).contentFrame();
        await frame
          .getByRole('region', { name: /^Live step: / })
          .getByRole('heading', { level: 2, name: e.heading })
          .waitFor({ timeout: 60_000 });
        return since(t0);
      }),
    );
    await page.close();
    return { label: `${embeds.length} embed(s) on a page: step shown after entering the viewport`, ms };
  } finally {
    await host.close();
  }
}
