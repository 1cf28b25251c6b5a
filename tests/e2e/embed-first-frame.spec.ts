/**
 * An embed's step is in the HTML the server sends: the scenario's page is
 * built with its first step drawn, and each step the lab stops at (and each
 * failure) has a page of its own, `/embed/ID/N/`, drawn by the build from
 * the engine's run (site/components/embed/prerendered-steps.ts). The loader
 * sends a placeholder for such a step there, and the scenario's page sends a
 * plain `?step=N` there too; any other step is computed in the frame. Once
 * the reader reaches for the figure, Next and Previous are the engine's, in
 * the frame's worker.
 */
import { expect, test } from '@playwright/test';
import 'reflect-metadata';
import { prerenderedSteps } from '../../site/components/embed/prerendered-steps';
import { UI } from '../../site/lib/ui-text';
import { article, figureIn, startHostSite, stepHeading, type HostSite } from './embed-fixtures';
import { waitForIslands } from './hydration';
import { runInNode } from './lab-engine';
import { servedText } from './served-text';
import type { Timeline } from '../../sim/index';

const SCENARIO = 'tls-record-tamper';
let timeline: Timeline;
let host: HostSite;
test.beforeAll(async () => {
  [timeline, host] = await Promise.all([runInNode(SCENARIO), startHostSite()]);
});
test.afterAll(async () => {
  await host.close();
});

const label = (n: number) => {
  const s = timeline.steps[n - 1];
  return UI.stepLabel(s.protocol, s.summary);
};
/** A step the lab stops at past the first two, drawn on a page of its own. */
const drawnStep = () => prerenderedSteps(timeline.steps).find((n) => n > 2)!;

test('the scenario’s page and a stop’s own page have their step in the HTML the server sends', async ({ request }) => {
  const drawn = prerenderedSteps(timeline.steps);
  const n = drawnStep();
  expect(drawn).toContain(n);
  expect(drawn).toContain(1);
  // Every failure is drawn: a help centre embeds the step where it went wrong.
  for (const s of timeline.steps.filter((x) => x.failure)) expect(drawn).toContain(s.index + 1);

  const first = servedText(await (await request.get(`/embed/${SCENARIO}/`)).text());
  expect(first).toContain(label(1));
  expect(first).toContain(`Step 1 of ${timeline.steps.length}`);
  const response = await request.get(`/embed/${SCENARIO}/${n}/`);
  expect(response.status()).toBe(200);
  const own = servedText(await response.text());
  expect(own).toContain(label(n));
  expect(own).toContain(`Step ${n} of ${timeline.steps.length}`);
  expect(own).toContain(timeline.steps[n - 1].explanation.replace(/\s+/g, ' ').trim());
  // A step the build did not draw has no page of its own.
  const undrawn = timeline.steps.findIndex((_, i) => !drawn.includes(i + 1)) + 1;
  expect(undrawn).toBeGreaterThan(0);
  expect((await request.get(`/embed/${SCENARIO}/${undrawn}/`)).status()).toBe(404);
});

test('the loader frames a drawn step’s own page, and any other step on the scenario’s page', async ({
  page,
  baseURL,
}) => {
  const drawn = prerenderedSteps(timeline.steps);
  const n = drawnStep();
  const undrawn = timeline.steps.findIndex((_, i) => !drawn.includes(i + 1)) + 1;
  host.page(
    '/first-frame.html',
    article(`<div id="drawn" data-trunklab-scenario="${SCENARIO}" data-step="${n}" data-theme="dark"></div>
<div id="computed" data-trunklab-scenario="${SCENARIO}" data-step="${undrawn}"></div>
<div id="other-lens" data-trunklab-scenario="${SCENARIO}" data-step="${n}" data-lens="attacker"></div>
<script async src="${baseURL}/embed.js"></script>`),
  );
  await page.setViewportSize({ width: 900, height: 2400 });
  await page.goto(`${host.origin}/first-frame.html`);
  await expect(page.locator('#drawn iframe')).toHaveAttribute('src', `${baseURL}/embed/${SCENARIO}/${n}/?theme=dark`);
  // Another lens would change the drawing once live: that step is computed, not drawn.
  await expect(page.locator('#other-lens iframe')).toHaveAttribute(
    'src',
    `${baseURL}/embed/${SCENARIO}/?step=${n}&lens=attacker`,
  );
  await expect(page.locator('#computed iframe')).toHaveAttribute(
    'src',
    `${baseURL}/embed/${SCENARIO}/?step=${undrawn}`,
  );
  const drawnFrame = page.locator('#drawn iframe').contentFrame();
  await expect(stepHeading(drawnFrame)).toHaveText(label(n));
  await expect(
    figureIn(page.locator('#other-lens iframe').contentFrame()).getByRole('radio', { name: 'Attacker' }),
  ).toBeChecked();
  await expect(stepHeading(page.locator('#computed iframe').contentFrame())).toHaveText(label(undrawn));
});

test('a plain ?step=N for a drawn step lands on its own page; Next and Previous there are the engine’s', async ({
  page,
}) => {
  const n = drawnStep();
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto(`/embed/${SCENARIO}/?step=${n}&theme=dark`);
  await expect(page).toHaveURL(new RegExp(`/embed/${SCENARIO}/${n}/\\?theme=dark$`));
  await expect(stepHeading(page)).toHaveText(label(n));
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await waitForIslands(page);
  const figure = figureIn(page);
  await figure.getByRole('button', { name: 'Next step' }).click();
  await expect(stepHeading(page)).toHaveText(label(n + 1));
  await expect(figure.getByText(`Step ${n + 1} of ${timeline.steps.length}`, { exact: true })).toBeVisible();
  await figure.getByRole('button', { name: 'Previous step' }).click();
  await figure.getByRole('button', { name: 'Previous step' }).click();
  await expect(stepHeading(page)).toHaveText(label(n - 1));
});
