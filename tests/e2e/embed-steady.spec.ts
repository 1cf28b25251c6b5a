/**
 * An embed stands still while the reader uses it: stepping through packets
 * (into the call's media), switching lens and opening fields change what is
 * inside the figure but not its height, so the frame keeps its size, the
 * help centre's page around it does not move, and the layout shift measured
 * inside the frame by a PerformanceObserver stays under 0.1.
 */
import { expect, test } from '@playwright/test';
import 'reflect-metadata';
import { article, currentRow, startHostSite, stepHeading, type HostSite } from './embed-fixtures';
import { runInNode } from './lab-engine';
import { cumulativeLayoutShift, watchLayoutShifts } from './layout-shift';

let host: HostSite;
test.beforeAll(async () => {
  host = await startHostSite();
});
test.afterAll(async () => {
  await host.close();
});

test('stepping, switching lens and opening fields inside an embed shift nothing', async ({ page, baseURL }) => {
  const scenario = 'eavesdrop-secure';
  const timeline = await runInNode(scenario);
  const invite = timeline.steps.find((s) => s.summary === 'INVITE')!.index + 1;
  const label = (n: number) => {
    const s = timeline.steps[n - 1];
    return s.summary === s.protocol || s.summary.startsWith(`${s.protocol} `)
      ? s.summary
      : `${s.protocol} ${s.summary}`;
  };
  host.page(
    '/steady.html',
    article(`<p>Above the embed.</p>
<div id="embed" data-trunklab-scenario="${scenario}" data-step="${invite}" data-field="sdp.a=crypto"></div>
<p id="below">Below the embed.</p>
<script async src="${baseURL}/embed.js"></script>`),
  );
  await watchLayoutShifts(page);
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto(`${host.origin}/steady.html`);
  const iframe = page.locator('#embed iframe');
  const embed = iframe.contentFrame();
  await expect(stepHeading(embed)).toHaveText(label(invite));
  const frame = (await (await iframe.elementHandle())!.contentFrame())!;
  const own = () => frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  const box = () => iframe.evaluate((el) => Math.round(el.getBoundingClientRect().height));
  await expect.poll(async () => (await box()) - (await own())).toBe(0);
  const height = await box();
  const below = await page.locator('#below').evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

  // Into the call: the 200 OK, the ACK and the first voice packets, then back.
  for (let n = invite + 1; n <= invite + 5; n++) {
    await embed.getByRole('button', { name: 'Next step' }).click();
    await expect(currentRow(embed)).toHaveAccessibleName(new RegExp(`^${n}\\. `));
    await expect(stepHeading(embed)).toHaveText(label(n));
    expect(await box(), `step ${n}`).toBe(height);
  }
  await embed.getByRole('button', { name: 'Previous step' }).click();
  await expect(currentRow(embed)).toHaveAccessibleName(new RegExp(`^${invite + 4}\\. `));
  for (const party of ['Attacker', 'SBC', 'PBX']) {
    await embed.getByRole('radio', { name: party }).check();
    await expect(embed.getByRole('radio', { name: party })).toBeChecked();
    expect(await box(), party).toBe(height);
  }
  // A field inside the open one, then back up its path.
  await embed
    .getByRole('list', { name: /^Inside / })
    .getByRole('button')
    .first()
    .click();
  await embed
    .getByRole('navigation', { name: /^Field path to / })
    .getByRole('button')
    .last()
    .click();
  expect(await own()).toBe(height);

  const inside = await cumulativeLayoutShift(frame);
  test
    .info()
    .annotations.push({ type: 'cumulative layout shift inside the embed', description: inside.cls.toFixed(4) });
  expect(inside.cls, `shifts inside the embed: ${JSON.stringify(inside.shifts)}`).toBeLessThan(0.1);
  expect(await box()).toBe(height);
  expect(await page.locator('#below').evaluate((el) => el.getBoundingClientRect().top + window.scrollY)).toBe(below);
});

test('the loader gives a new frame the embed’s own height at once, wide, middling or phone-narrow', async ({
  page,
  baseURL,
}) => {
  host.page(
    '/widths.html',
    article(`<div style="width: 720px"><div id="wide" data-trunklab-scenario="secure-call" data-step="4"></div></div>
<div style="width: 690px"><div id="middle" data-trunklab-scenario="secure-call" data-step="4"></div></div>
<div style="width: 360px"><div id="narrow" data-trunklab-scenario="secure-call" data-step="4"></div></div>
<script>
  // Every height the loader gives each frame, in order.
  window.heightsSet = { wide: [], middle: [], narrow: [] };
  for (const id of ['wide', 'middle', 'narrow']) {
    new MutationObserver(() => {
      const frame = document.querySelector('#' + id + ' iframe');
      const list = window.heightsSet[id];
      if (frame && frame.style.height && list[list.length - 1] !== frame.style.height) list.push(frame.style.height);
    }).observe(document.getElementById(id), { attributes: true, subtree: true, childList: true, attributeFilter: ['style'] });
  }
</script>
<script async src="${baseURL}/embed.js"></script>`),
  );
  await page.setViewportSize({ width: 1000, height: 3200 });
  await page.goto(`${host.origin}/widths.html`);
  for (const id of ['wide', 'middle', 'narrow'] as const) {
    const iframe = page.locator(`#${id} iframe`);
    await expect(stepHeading(iframe.contentFrame())).toHaveText('TLS ClientHello');
    const frame = (await (await iframe.elementHandle())!.contentFrame())!;
    const own = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    const heights = await page.evaluate(
      (which) => (window as unknown as { heightsSet: Record<string, string[]> }).heightsSet[which],
      id,
    );
    expect(heights, id).toEqual([`${own}px`]);
  }
});
