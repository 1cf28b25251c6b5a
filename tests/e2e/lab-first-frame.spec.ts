/**
 * The lab's first frame: the page the server sends already draws the
 * default run's first step (the inspector's packet and the whole ladder),
 * computed by the engine when the site was built; once the script and the
 * engine worker run, the same step is shown in the same place. A link to
 * another run hides the frame until the script shows what was asked, and a
 * press of Next step made before the engine has answered is not lost.
 */
import { expect, test, type Page } from '@playwright/test';
import { ladderRows } from '../../site/lib/ladder-rows';
import { runStops } from '../../site/lib/run-stops';
import { UI } from '../../site/lib/ui-text';
import { waitForIslands } from './hydration';
import { runInNode } from './lab-engine';

const LADDER = 'ol[aria-label="Packet ladder"]';
/** Text as the server writes it into HTML: in an element, or in an attribute's quotes. */
const escaped = (text: string, attribute = false) => {
  const inText = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  return attribute ? inText.replaceAll('"', '&quot;') : inText;
};
const INSPECTOR = 'section[aria-label="Packet inspector"]';

/** What the first screen shows of the run: the ladder rows' names, the inspector's packet, the step, the panes' size. */
async function firstScreen(page: Page) {
  return {
    rows: await page.locator(`${LADDER} li button`).evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label'))),
    title: await page.locator(`${INSPECTOR} h2`).textContent(),
    explanation: await page.locator(`${INSPECTOR} .explain p`).first().textContent(),
    position: (await page.locator('.position').textContent())?.trim(),
    height: await page.locator('.panes').evaluate((e) => Math.round(e.getBoundingClientRect().height)),
  };
}

test('the page the server sends draws the first step, and the hydrated lab shows the same one in the same place', async ({
  browser,
  request,
}) => {
  const timeline = await runInNode('secure-call');
  const first = timeline.steps[0];
  const title = UI.stepLabel(first.protocol, first.summary);
  const rows = ladderRows(timeline.steps, new Set());

  // The bytes the server sends, as they are (less the comments Svelte marks its blocks with).
  const html = (await (await request.get('/')).text()).replace(/<!--[^>]*-->/g, '');
  expect(html).toContain(`>${escaped(title)}</h2>`);
  expect(html).toContain(escaped(first.explanation));
  expect(html).toContain(`aria-setsize="${rows.length}"`);
  expect(html).toContain(UI.stepOf(1, timeline.steps.length));
  for (const row of rows.slice(0, 20)) {
    if (row.kind === 'packet')
      expect(html).toContain(`title="${escaped(UI.stepLabel(row.step.protocol, row.step.summary), true)}`);
  }

  // The same page without scripts: what shows before any runs.
  const still = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1366, height: 800 } });
  const before = await still.newPage();
  await before.goto('/');
  const sent = await firstScreen(before);
  expect(sent.rows).toHaveLength(rows.length);
  expect(sent.rows[0]).toMatch(new RegExp(`^1\\. PBX to SBC: ${title}`));
  expect(sent.rows.slice(1).every((name) => /not sent yet/.test(name ?? ''))).toBe(true);
  expect(sent.title).toBe(title);
  expect(sent.position).toBe(UI.stepOf(1, timeline.steps.length));
  await still.close();

  // Hydrated, with the engine's whole run in (the chapters then name each step's phase).
  const live = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await live.newPage();
  await page.goto('/');
  await waitForIslands(page);
  await expect(page.getByRole('navigation', { name: 'Chapters' })).toHaveAttribute('data-phase-runs', /media/, {
    timeout: 60_000,
  });
  expect(await firstScreen(page)).toEqual(sent);
  await live.close();
});

test('a link to another run hides the first frame until the script shows it; a lens alone does not', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // No script of the site's own: the page as it stands before the lab's script has run.
  await page.route(/\/_astro\/.*\.js$/, (route) => route.abort());
  await page.goto('/?scenario=options-keepalive');
  await expect(page.locator('.panes')).toBeHidden();
  await page.goto('/?lens=attacker');
  await expect(page.locator(`${INSPECTOR} h2`)).toBeVisible();
  await context.close();
});

test('Next step pressed before the engine has answered is made once it has', async ({ browser }) => {
  const timeline = await runInNode('secure-call');
  const stops = runStops(timeline.steps);
  // One press from the first packet: the rest of the first stop, or the next stop.
  const stop = stops[0].last > 0 ? stops[0] : stops[1];

  const context = await browser.newContext();
  const page = await context.newPage();
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  // The engine's script waits until the press has been made.
  await context.route('**/*engine.worker*', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  await waitForIslands(page);
  const position = page.locator('.position');
  await expect(position).toHaveText(UI.stepOf(1, timeline.steps.length));
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(position).toHaveText(UI.stepOf(1, timeline.steps.length));
  release();
  await expect(position).toHaveText(UI.stepOf(stop.last + 1, timeline.steps.length), { timeout: 60_000 });
  const lead = timeline.steps[stop.lead];
  await expect(page.locator(`${INSPECTOR} h2`)).toHaveText(UI.stepLabel(lead.protocol, lead.summary));
  await context.close();
});
