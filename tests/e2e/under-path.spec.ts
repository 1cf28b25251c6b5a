/**
 * The site built for a carrier's address under a path of its help centre
 * (`npm run build:under-path`: TRUNKLAB_SITE_URL=https://help.quillfeather.example/help/trunk-lab/),
 * served by a plain static server under that path: the lab runs and steps,
 * an article's live figure steps with the engine and links into the lab,
 * search finds articles, and a help centre on another origin embeds a step
 * with the loader; every address the build writes out (snippets, oEmbed)
 * names the configured address, every link stays under the path, nothing
 * asked for is missing, and the Content-Security-Policy refuses nothing.
 */
import { existsSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { UNDER_PATH } from '../../scripts/build-under-path.js';
import { article, startHostSite, stepHeading, type HostSite } from './embed-fixtures';
import { reachForFigure, waitForIslands } from './hydration';
import { serveUnderPath, type StaticHost } from './static-host';

const { url: ADDRESS, base: BASE, outDir: FOLDER } = UNDER_PATH;

let site: StaticHost;
let helpCentre: HostSite;
test.beforeAll(async () => {
  if (!existsSync(`${FOLDER}/index.html`)) {
    throw new Error(`No build under a path in ${FOLDER}: run \`npm run build:under-path\` first.`);
  }
  site = await serveUnderPath(FOLDER, BASE);
  helpCentre = await startHostSite();
});
test.afterAll(async () => {
  await site.close();
  await helpCentre.close();
});

/** Requests the site answered with an error, and CSP violations, from now on. */
async function watchProblems(page: Page): Promise<() => Promise<string[]>> {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(site.origin) && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  return async () => [
    ...failed,
    ...(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])),
  ];
}

/** Site links on the page that leave the path. */
const linksOutsideThePath = (page: Page) =>
  page
    .locator('a[href^="/"]')
    .evaluateAll((as, base) => as.map((a) => a.getAttribute('href')!).filter((h) => !h.startsWith(base)), BASE);

test('the lab and search work under the path', async ({ page }) => {
  const problems = await watchProblems(page);
  await page.setViewportSize({ width: 1366, height: 800 });

  await page.goto(`${site.origin}${BASE}?scenario=secure-call&step=3`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step 3 of \d+$/)).toBeVisible();
  await page.getByRole('button', { name: 'Next step' }).first().click();
  await expect(page.getByText(/^Step 4 of \d+$/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Knowledge base' })).toHaveAttribute('href', `${BASE}docs/secure-trunk/`);
  expect(await linksOutsideThePath(page)).toEqual([]);

  await page.goto(`${site.origin}${BASE}docs/glossary/`);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'Search' }).fill('forward secrecy');
  const result = page
    .getByRole('dialog')
    .getByRole('link', { name: /Attacks and what stops each/ })
    .first();
  await expect(result).toHaveAttribute('href', new RegExp(`^${BASE}docs/attacks/`));
  await result.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Attacks/);

  expect(await problems()).toEqual([]);
});

test('an article’s live figure steps under the path and opens the lab there at its step', async ({ page }) => {
  const problems = await watchProblems(page);
  await page.setViewportSize({ width: 1366, height: 800 });

  await page.goto(`${site.origin}${BASE}docs/tls-handshake/`);
  expect(await linksOutsideThePath(page)).toEqual([]);
  const figure = page.locator('figure.kb-live-step[data-live-step]').first();
  await reachForFigure(figure);
  const step = Number(await figure.getAttribute('data-live-step'));
  await figure.getByRole('button', { name: 'Next step' }).click();
  await expect(figure.getByText(new RegExp(`^Step ${step + 1} of \\d+$`))).toBeVisible();
  await figure.getByRole('link', { name: 'Open in the lab' }).click();
  await expect(page).toHaveURL(new RegExp(`^${site.origin}${BASE}\\?scenario=secure-call&step=${step + 1}`));
  await waitForIslands(page);
  await expect(page.getByText(new RegExp(`^Step ${step + 1} of \\d+( so far…)?$`))).toBeVisible();

  expect(await problems()).toEqual([]);
});

test('a help centre on another origin embeds a step, and snippets and oEmbed name the configured address', async ({
  page,
  request,
}) => {
  const problems = await watchProblems(page);
  helpCentre.page(
    '/article.html',
    article(`<div id="step" data-trunklab-scenario="secure-call" data-step="4"></div>
<script async src="${site.origin}${BASE}embed.js"></script>`),
  );
  await page.goto(`${helpCentre.origin}/article.html`);
  const iframe = page.locator('#step iframe');
  // Step 4, the ClientHello, is one the build draws: the loader frames its page of its own, under the path.
  await expect(iframe).toHaveAttribute('src', `${site.origin}${BASE}embed/secure-call/4/`);
  const embed = iframe.contentFrame();
  await expect(stepHeading(embed)).toHaveText('TLS ClientHello');
  await expect(embed.getByRole('link', { name: /Open in the full lab/ })).toHaveAttribute(
    'href',
    new RegExp(`^${BASE}\\?scenario=secure-call&step=4`),
  );
  await embed.getByRole('button', { name: 'Next step' }).click();
  await expect(stepHeading(embed)).toHaveText('TLS ServerHello');

  // The embed page names its oEmbed answer at the configured address; the answer frames the embed there.
  await page.goto(`${site.origin}${BASE}embed/secure-call/`);
  await expect(page.locator('link[type="application/json+oembed"]')).toHaveAttribute(
    'href',
    `${ADDRESS}embed/secure-call/oembed.json`,
  );
  const oembed = await (await request.get(`${site.origin}${BASE}embed/secure-call/oembed.json`)).json();
  expect(oembed.provider_url).toBe(ADDRESS);
  expect(oembed.html).toContain(`src="${ADDRESS}embed/secure-call/"`);

  // The authors' article hands out snippets for the configured address.
  await page.goto(`${site.origin}${BASE}docs/embedding/`);
  const code = (await page.locator('.expressive-code').allTextContents()).join('\n');
  expect(code).toContain(`<script async src="${ADDRESS}embed.js"></script>`);
  expect(code).toContain(`src="${ADDRESS}embed/`);
  expect(code).toContain(`location ${BASE}embed/`);

  expect(await problems()).toEqual([]);
});
