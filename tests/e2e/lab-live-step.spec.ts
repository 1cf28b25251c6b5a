/**
 * The live step articles embed (site/components/lab/LiveStep.astro): found
 * in whichever built pages use it. It ships no JavaScript until scrolled
 * into view, then hydrates, shows its scenario at its step with the packet's
 * inspector, and links to the full lab at that step.
 */
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNode } from './lab-engine';
import { UI } from '../../site/lib/ui-text';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Built pages with a live step island, with the first island's scenario and step. */
function pagesWithLiveSteps(): Array<{ path: string; scenario: string; step: number; lens: string }> {
  const out: Array<{ path: string; scenario: string; step: number; lens: string }> = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name === 'index.html') {
        const html = readFileSync(full, 'utf8');
        const island = /<astro-island[^>]*component-url="[^"]*LiveStep[^"]*"[^>]*props="([^"]*)"/.exec(html);
        if (!island) continue;
        const props = island[1].replaceAll('&quot;', '"').replaceAll('&amp;', '&');
        const scenario = /"id":\[0,"([^"]+)"\]/.exec(props)?.[1];
        const step = /"step":\[0,(\d+)\]/.exec(props)?.[1];
        const lens = /"lens":\[0,"(\w+)"\]/.exec(props)?.[1] ?? 'pbx';
        if (scenario && step)
          out.push({
            path: `/${full.slice(DIST.length).replace(/index\.html$/, '')}`,
            scenario,
            step: Number(step),
            lens,
          });
      }
    }
  };
  visit(DIST);
  return out;
}

test('a live step hydrates only when scrolled into view, shows its step and opens it in the lab', async ({ page }) => {
  const pages = pagesWithLiveSteps();
  expect(pages.length, 'built pages that embed a live step').toBeGreaterThan(0);
  const { path, scenario, step, lens } = pages[0];
  const expected = (await runInNode(scenario)).steps[step - 1];

  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
  await page.goto(path);
  const island = page.locator('astro-island[component-url*="LiveStep"]').first();
  const liveStep = page.getByRole('region', { name: new RegExp(`^Live step: .*, step ${step}$`) }).first();
  // Before it is seen, the island is server-rendered text: the build's own summary of the step.
  await expect(island).toHaveAttribute('ssr', '');
  await expect(island).toContainText(expected.summary);

  await liveStep.scrollIntoViewIfNeeded();
  await expect(island).not.toHaveAttribute('ssr', { timeout: 20_000 });
  expect(scripts.some((u) => /LiveStep/.test(u))).toBe(true);
  const inspector = liveStep.getByRole('region', { name: 'Packet inspector' });
  await expect(inspector.getByRole('heading', { level: 3 })).toHaveText(
    UI.stepLabel(expected.protocol, expected.summary),
    {
      timeout: 20_000,
    },
  );
  await expect(liveStep.getByRole('list', { name: 'Packet ladder' }).getByRole('listitem')).toHaveCount(
    Math.min(step, 120),
  );

  await liveStep.getByRole('link', { name: 'Open this step in the lab' }).click();
  await expect(page).toHaveURL(new RegExp(`/\\?scenario=${scenario}&seed=1&step=${step}&lens=${lens}$`));
  await expect(page.getByText(`Step ${step} of`, { exact: false }).first()).toBeVisible({ timeout: 20_000 });
});
