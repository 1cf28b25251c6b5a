/**
 * The site's Content-Security-Policy, checked by the browser that enforces
 * it: every page carries one; each inline script on the page is allowed by
 * its SHA-256 and no other way; the pages work under it (no violation while
 * they load, hydrate and run the engine, and the knowledge base's search
 * still finds articles); and script slipped into a page is blocked. The
 * embed pages can be framed, and their oEmbed discovery leads to a `rich`
 * answer whose iframe is the embed.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import 'reflect-metadata';
import { listScenarios } from '../../sim/index';
import { defaultScenario } from '../../site/lib/lab-url';
import { firstScenario, stepHeading } from './embed-fixtures';
import { waitForIslands } from './hydration';

/** Every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

async function policyOf(page: Page): Promise<string> {
  const metas = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(metas).toHaveCount(1);
  return (await metas.getAttribute('content'))!;
}

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name)
    ?.slice(1);

test('every kind of page carries a policy that hashes each of its inline scripts and allows no other', async ({
  page,
}) => {
  const { scenario } = await firstScenario();
  const violations = await watchViolations(page);
  for (const path of [
    '/',
    `/embed/${scenario.id}/?step=1`,
    '/embed/?scenario=nope',
    '/docs/embedding/',
    '/docs/secure-trunk/',
  ]) {
    await page.goto(path);
    // Articles' live steps hydrate only when scrolled to; the lab and embeds hydrate at once.
    if (path.startsWith('/docs/')) await page.waitForLoadState('load');
    else await waitForIslands(page);
    const policy = await policyOf(page);
    expect(directive(policy, 'default-src'), path).toEqual(["'self'"]);
    expect(directive(policy, 'object-src'), path).toEqual(["'none'"]);
    const scriptSrc = directive(policy, 'script-src')!;
    expect(scriptSrc, path).not.toContain("'unsafe-inline'");
    expect(scriptSrc, path).not.toContain("'unsafe-eval'");
    expect(scriptSrc.filter((s) => !s.startsWith("'sha256-")).sort(), path).toEqual(
      path.startsWith('/docs/') ? ["'self'", "'wasm-unsafe-eval'"] : ["'self'"],
    );
    // The hash of each inline script, computed here from the text the browser parsed.
    // Data blocks (a live figure's first frame, JSON) are never run, so the policy has nothing to allow.
    const inline = await page
      .locator('script:not([src]):not([type="application/json"])')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(inline.length, path).toBeGreaterThan(0);
    for (const text of inline) {
      const hash = `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
      expect(scriptSrc, `${path}: ${text.slice(0, 60)}`).toContain(hash);
    }
    // Nothing the page itself does is refused.
    if (path.startsWith('/embed/?')) await expect(page.getByRole('alert')).toBeVisible();
    else if (path.startsWith('/embed/')) await expect(stepHeading(page)).toBeVisible();
    else if (path === '/') {
      await expect(
        page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 2 }),
      ).toBeVisible();
    }
    expect(await violations(), path).toEqual([]);
  }
});

test('script slipped into a page is refused by the policy', async ({ page }) => {
  const { scenario } = await firstScenario();
  const violations = await watchViolations(page);
  await page.goto(`/embed/${scenario.id}/`);
  await waitForIslands(page);
  await page.evaluate(() => {
    // An inline handler, an inline script and a script from another origin, as an injection would add them.
    document.body.insertAdjacentHTML('beforeend', '<img src="/nothing-here.png" onerror="window.ranHandler = true">');
    const inline = document.createElement('script');
    inline.textContent = 'window.ranInline = true';
    document.body.append(inline);
    const remote = document.createElement('script');
    remote.src = 'http://localhost:9/evil.js';
    document.body.append(remote);
  });
  await expect.poll(async () => (await violations()).length).toBeGreaterThanOrEqual(3);
  const seen = await violations();
  expect(seen.some((v) => v.startsWith('script-src-attr'))).toBe(true);
  expect(seen.some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
  expect(seen.some((v) => v.startsWith('script-src-elem http://localhost:9/evil.js'))).toBe(true);
  expect(await page.evaluate(() => [Reflect.get(window, 'ranHandler'), Reflect.get(window, 'ranInline')])).toEqual([
    undefined,
    undefined,
  ]);
});

test('the knowledge base search still works under the policy (Pagefind runs WebAssembly)', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/docs/embedding/');
  await page.getByRole('button', { name: 'Search' }).first().click();
  await page.getByRole('dialog', { name: 'Search' }).getByRole('textbox', { name: 'Search' }).fill('frame-ancestors');
  await expect(page.locator('.pagefind-ui__result-link').first()).toBeVisible();
  await expect(page.locator('.pagefind-ui__result-link', { hasText: 'Embedding a live step' }).first()).toBeVisible();
  expect(await violations()).toEqual([]);
});

test('embed pages can be framed, and oEmbed discovery leads to a rich answer that frames the embed', async ({
  page,
  request,
}) => {
  const { scenario } = await firstScenario();
  const scenarios = listScenarios();
  const response = await request.get(`/embed/${scenario.id}/`);
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers['x-frame-options']).toBeUndefined();
  expect(headers['content-security-policy'] ?? '').not.toContain('frame-ancestors');

  // The lab names the scenario it opens on; an embed page names its own.
  const front = scenarios.find((s) => s.id === defaultScenario(scenarios))!;
  for (const [path, named] of [
    ['/', front],
    [`/embed/${scenario.id}/`, scenario],
  ] as const) {
    await page.goto(path);
    const link = page.locator('link[rel="alternate"][type="application/json+oembed"]');
    await expect(link, path).toHaveCount(1);
    const href = new URL((await link.getAttribute('href'))!);
    expect(href.pathname).toBe(`/embed/${named.id}/oembed.json`);
    const answer = await request.get(href.pathname);
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toContain('application/json');
    const oembed = await answer.json();
    expect(oembed).toMatchObject({
      version: '1.0',
      type: 'rich',
      title: named.title,
      provider_name: 'Secure Trunk Lab',
      width: expect.any(Number),
      height: expect.any(Number),
    });
    // The html is one iframe of the embed page, as a browser parses it.
    const frame = await page.evaluate((html) => {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const iframes = doc.body.querySelectorAll('iframe');
      return {
        count: doc.body.children.length,
        iframes: iframes.length,
        src: iframes[0]?.getAttribute('src'),
        title: iframes[0]?.getAttribute('title'),
      };
    }, oembed.html as string);
    expect(frame.count).toBe(1);
    expect(frame.iframes).toBe(1);
    expect(new URL(frame.src!).pathname).toBe(`/embed/${named.id}/`);
    expect(new URL(frame.src!).origin).toBe(href.origin);
    expect(frame.title).toContain(named.title);
  }
});
