/**
 * From the lab to a help centre and back: the inspector's "Copy embed
 * snippet" puts the loader snippet for the open packet and lens on the
 * clipboard; pasted into a page on another origin it shows that packet; the
 * frame's link opens the same view in the full lab. The authors' article
 * carries a working example made the same way.
 */
import { expect, test } from '@playwright/test';
import { listScenarios } from '../../sim/index';
import { article, firstScenario, startHostSite, stepHeading, type HostSite } from './embed-fixtures';
import { waitForIslands } from './hydration';

let host: HostSite;
test.beforeAll(async () => {
  host = await startHostSite();
});
test.afterAll(async () => {
  await host.close();
});

test('the copied snippet, pasted into a help centre, shows the packet the lab had open', async ({
  page,
  context,
  baseURL,
}) => {
  const engine = await firstScenario();
  const { id } = engine.scenario;
  const step = engine.timeline.steps.length;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });

  await page.goto(`/?scenario=${id}&step=${step}&lens=attacker`);
  await waitForIslands(page);
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  await expect(inspector.getByRole('heading', { level: 2 })).toHaveText(engine.heading(step));
  await inspector.getByRole('button', { name: `Copy embed snippet for packet ${step}` }).click();
  await expect(inspector.getByRole('status').filter({ hasText: 'Copied the embed snippet' })).toHaveText(
    `Copied the embed snippet for packet ${step}. Paste it into a help article.`,
  );
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toBe(
    `<div data-trunklab-scenario="${id}" data-step="${step}" data-lens="attacker"></div>\n` +
      `<script async src="${baseURL}/embed.js"></script>`,
  );

  host.page('/pasted.html', article(snippet));
  await page.goto(`${host.origin}/pasted.html`);
  const embed = page.locator('[data-trunklab-scenario] iframe').contentFrame();
  await expect(stepHeading(embed)).toHaveText(engine.heading(step));
  await expect(embed.getByRole('radio', { name: 'Attacker' })).toBeChecked();

  // "Open in the full lab" opens the same view in a new tab.
  const opened = context.waitForEvent('page');
  await embed.getByRole('link', { name: /Open in the full lab/ }).click();
  const lab = await opened;
  await lab.waitForLoadState();
  expect(new URL(lab.url()).origin).toBe(baseURL);
  await waitForIslands(lab);
  await expect(lab.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 2 })).toHaveText(
    engine.heading(step),
  );
  await expect(lab.getByRole('radio', { name: 'Attacker' })).toBeChecked();
});

test('the article for help-centre authors carries a live example made with the loader', async ({ page }) => {
  await page.goto('/docs/embedding/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Embedding a live step in a help centre');
  // Below the fold, the example is only a placeholder: the loader frames it when the reader nears it.
  const frame = page.locator('.embed-example iframe');
  await expect(page.locator('.embed-example [data-trunklab-scenario]')).toHaveCount(1);
  expect(await frame.count()).toBe(0);
  await page.locator('.embed-example').scrollIntoViewIfNeeded();
  await expect(frame).toHaveCount(1);
  await expect(stepHeading(frame.contentFrame())).toBeVisible();
  // Its snippets name a scenario the catalogue has.
  const code = await page.locator('.expressive-code').first().textContent();
  const named = /data-trunklab-scenario="([^"]+)"/.exec(code ?? '')?.[1];
  expect(listScenarios().map((s) => s.id)).toContain(named);
  expect(await page.locator('.embed-example [data-trunklab-scenario]').getAttribute('data-trunklab-scenario')).toBe(
    named,
  );
});
