/**
 * A help centre on another origin embeds a live step both ways — with the
 * loader (`embed.js`) and with a plain iframe — and the step shows what the
 * engine computes, the loader's frame follows the embed's height, and the
 * plain frame's parent receives the resize messages.
 */
import { expect, test, type Frame, type Locator } from '@playwright/test';
import { article, currentRow, firstScenario, startHostSite, stepHeading, type HostSite } from './embed-fixtures';

let host: HostSite;
test.beforeAll(async () => {
  host = await startHostSite();
});
test.afterAll(async () => {
  await host.close();
});

async function frameOf(iframe: Locator): Promise<Frame> {
  const frame = await (await iframe.elementHandle())!.contentFrame();
  if (!frame) throw new Error('the iframe has no frame');
  return frame;
}

/** The embed's own height, as it measures it for its resize message. */
const contentHeight = (frame: Frame) =>
  frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
const boxHeight = (iframe: Locator) => iframe.evaluate((el) => Math.round(el.getBoundingClientRect().height));

test('the loader and a plain iframe show the step the engine computes, sized to fit', async ({ page, baseURL }) => {
  const engine = await firstScenario();
  const { id, title } = engine.scenario;
  const total = engine.timeline.steps.length;
  host.page(
    '/both-ways.html',
    article(`
<script>
  // Listening before the frame exists, so that not even its first message is missed.
  window.resizeMessages = [];
  window.addEventListener('message', (event) => {
    const plain = document.getElementById('by-iframe');
    if (event.source === plain.contentWindow) window.resizeMessages.push({ origin: event.origin, data: event.data });
  });
</script>
<div id="by-loader" data-trunklab-scenario="${id}" data-step="1"><a href="${baseURL}/?scenario=${id}">Open the lab</a></div>
<iframe id="by-iframe" src="${baseURL}/embed/${id}/?step=${total}&lens=attacker" title="Plain embed" width="640" height="400"></iframe>
<script async src="${baseURL}/embed.js"></script>`),
  );
  await page.goto(`${host.origin}/both-ways.html`);

  // The loader: one frame in the placeholder, named for the step, sandboxed, in place of the fallback link.
  const placeholder = page.locator('#by-loader');
  const iframe = placeholder.locator('iframe');
  await expect(iframe).toHaveCount(1);
  await expect(placeholder.locator('a')).toHaveCount(0);
  await expect(iframe).toHaveAttribute('title', `Secure Trunk Lab: ${title}, step 1`);
  await expect(iframe).toHaveAttribute('sandbox', /allow-scripts/);
  await expect(iframe).toHaveAttribute('src', `${baseURL}/embed/${id}/?step=1`);

  const byLoader = iframe.contentFrame();
  await expect(stepHeading(byLoader)).toHaveText(engine.heading(1));
  await expect(currentRow(byLoader)).toHaveAccessibleName(/^1\. /);
  await expect(byLoader.getByText(`Step 1 of ${total}`, { exact: true })).toBeVisible();
  await expect(byLoader.getByRole('radio', { name: 'PBX' })).toBeChecked();
  await expect(byLoader.getByRole('link', { name: /Open in the full lab/ })).toHaveAttribute(
    'href',
    new RegExp(`^/\\?scenario=${id}&step=1&field=`),
  );

  // The frame takes the embed's height (not the loader's first guess) and the embed has nothing to scroll.
  const frame = await frameOf(iframe);
  await expect.poll(async () => (await boxHeight(iframe)) - (await contentHeight(frame))).toBe(0);
  expect(await frame.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);

  // A narrower column stacks the ladder over the inspector: the embed grows taller, and the frame with it.
  const wide = await boxHeight(iframe);
  await placeholder.evaluate((el) => (el.style.width = '360px'));
  await expect.poll(() => boxHeight(iframe)).toBeGreaterThan(wide);
  await expect.poll(async () => (await boxHeight(iframe)) - (await contentHeight(frame))).toBe(0);

  // Stepping changes the content; the frame follows it.
  if (total > 1) {
    await byLoader.getByRole('button', { name: 'Next step' }).click();
    await expect(currentRow(byLoader)).toHaveAccessibleName(/^2\. /);
    await expect(stepHeading(byLoader)).toHaveText(engine.heading(2));
    await expect.poll(async () => (await boxHeight(iframe)) - (await contentHeight(frame))).toBe(0);
    await expect(byLoader.getByRole('link', { name: /Open in the full lab/ })).toHaveAttribute(
      'href',
      new RegExp(`^/\\?scenario=${id}&step=2&field=`),
    );
  }

  // The plain iframe: the last step, through the attacker's eyes, as the URL asks.
  const plain = page.frameLocator('#by-iframe');
  await expect(stepHeading(plain)).toHaveText(engine.heading(total));
  await expect(currentRow(plain)).toHaveAccessibleName(new RegExp(`^${total}\\. `));
  await expect(plain.getByRole('radio', { name: 'Attacker' })).toBeChecked();
  await expect(plain.getByText('This embed was given settings it cannot use')).toHaveCount(0);
  // It tells its parent its height, from the lab's origin, in the documented shape.
  const plainFrame = await frameOf(page.locator('#by-iframe'));
  // 'match', or both sides, so that a failure shows what arrived and what was expected.
  const lastMessage = async () => {
    const last = await page.evaluate(() => (window as unknown as { resizeMessages: unknown[] }).resizeMessages.at(-1));
    const height = await contentHeight(plainFrame);
    const [got, want] = [last, { origin: baseURL, data: { type: 'trunklab:resize', height } }].map((v) =>
      JSON.stringify(v),
    );
    return got === want ? 'match' : `${got} ≠ ${want}`;
  };
  await expect
    .poll(lastMessage, { message: 'the last resize message names the embed height', timeout: 15_000 })
    .toBe('match');
  // The host did not listen for them, so the plain frame keeps the height the author gave it.
  expect(await page.locator('#by-iframe').evaluate((el) => el.clientHeight)).toBe(400);
});

test('placeholders added after the page loaded get a frame, and a second copy of the loader adds none', async ({
  page,
  baseURL,
}) => {
  const engine = await firstScenario();
  const { id } = engine.scenario;
  host.page(
    '/late.html',
    article(`
<div id="first" data-trunklab-scenario="${id}"></div>
<script async src="${baseURL}/embed.js"></script>
<script async src="${baseURL}/embed.js"></script>`),
  );
  await page.goto(`${host.origin}/late.html`);
  await expect(page.locator('#first iframe')).toHaveCount(1);
  await page.evaluate(() => {
    const div = document.createElement('div');
    div.id = 'added';
    div.dataset.trunklabScenario = document.querySelector('#first')!.getAttribute('data-trunklab-scenario')!;
    div.dataset.step = '1';
    document.body.append(div);
  });
  await expect(page.locator('#added iframe')).toHaveCount(1);
  await expect(stepHeading(page.locator('#added iframe').contentFrame())).toHaveText(engine.heading(1));
  await expect(page.locator('iframe')).toHaveCount(2);
  await expect(page.locator('#first iframe')).toHaveCount(1);
});
