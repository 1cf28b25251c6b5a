/**
 * The loader believes a resize message only from the lab's origin, only from
 * a frame it made, and only as a finite number: a frame on another origin,
 * the host page itself and a lab-origin frame the loader did not make all
 * post the same message, and the loader's frame never takes their height.
 */
import { expect, test, type Frame } from '@playwright/test';
import { article, firstScenario, startHostSite, type HostSite } from './embed-fixtures';

let host: HostSite;
test.beforeAll(async () => {
  host = await startHostSite();
});
test.afterAll(async () => {
  await host.close();
});

const FORGED = 4321;

test('a resize message from another origin or another frame is ignored', async ({ page, baseURL }) => {
  const engine = await firstScenario();
  const { id } = engine.scenario;
  host.page('/elsewhere.html', '<!doctype html><title>Elsewhere</title><p>Another origin.</p>');
  host.page(
    '/messages.html',
    article(`
<div id="by-loader" data-trunklab-scenario="${id}" data-step="1"></div>
<iframe id="elsewhere" src="${host.otherOrigin}/elsewhere.html" title="Another origin" height="60"></iframe>
<iframe id="not-the-loaders" src="${baseURL}/embed/${id}/" title="A lab frame the loader did not make" height="200"></iframe>
<script>
  // Every height the loader ever gives its frame.
  window.heightsSet = [];
  new MutationObserver(() => {
    const frame = document.querySelector('#by-loader iframe');
    if (frame && frame.style.height) window.heightsSet.push(frame.style.height);
  }).observe(document.getElementById('by-loader'), { attributes: true, subtree: true, attributeFilter: ['style'] });
</script>
<script async src="${baseURL}/embed.js"></script>`),
  );
  await page.goto(`${host.origin}/messages.html`);

  const iframe = page.locator('#by-loader iframe');
  const embed = iframe.contentFrame();
  await expect(embed.getByRole('heading', { level: 2 })).toHaveText(engine.heading(1));
  const frameOf = async (selector: string): Promise<Frame> =>
    (await (await page.locator(selector).elementHandle())!.contentFrame())!;
  const frame = await frameOf('#by-loader iframe');
  const settled = () => iframe.evaluate((el) => Math.round(el.getBoundingClientRect().height));
  const own = () => frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  await expect.poll(async () => (await settled()) - (await own())).toBe(0);
  const height = await settled();

  const forged = { type: 'trunklab:resize', height: FORGED };
  // From a frame on another origin.
  const elsewhere = await frameOf('#elsewhere');
  await expect.poll(() => elsewhere.url()).toBe(`${host.otherOrigin}/elsewhere.html`);
  expect(new URL(elsewhere.url()).origin).not.toBe(new URL(baseURL!).origin);
  await elsewhere.evaluate((m) => window.parent.postMessage(m, '*'), forged);
  // From the host page itself.
  await page.evaluate((m) => window.postMessage(m, '*'), forged);
  // From the lab's origin, but not from the frame the loader made.
  const notTheLoaders = await frameOf('#not-the-loaders');
  await expect(page.frameLocator('#not-the-loaders').getByRole('heading', { level: 2 })).toHaveText(engine.heading(1));
  await notTheLoaders.evaluate((m) => window.parent.postMessage(m, '*'), forged);
  // From the loader's own frame, but not a number it can use.
  for (const bad of ['4321px', Number.POSITIVE_INFINITY, Number.NaN, null, { px: FORGED }]) {
    await frame.evaluate((h) => window.parent.postMessage({ type: 'trunklab:resize', height: h }, '*'), bad);
  }
  await frame.evaluate((h) => window.parent.postMessage({ type: 'something-else', height: h }, '*'), FORGED);

  // Give every message time to arrive, then check none of them moved the frame.
  await page.waitForTimeout(500);
  expect(await settled()).toBe(height);
  const heights = await page.evaluate(() => (window as unknown as { heightsSet: string[] }).heightsSet);
  expect(heights).not.toContain(`${FORGED}px`);

  // The same message from the loader's own frame is believed: the listener was live all along.
  await frame.evaluate((h) => window.parent.postMessage({ type: 'trunklab:resize', height: h }, '*'), FORGED);
  await expect.poll(settled).toBe(FORGED);
});
