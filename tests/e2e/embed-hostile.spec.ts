/**
 * Whatever a host page or a link puts into an embed — markup in `data-step`,
 * a script as the scenario, numbers too big for any run, unknown lenses and
 * themes — shows up inside the frame as a plain-text message, with the step
 * shown by default beside it; nothing runs, no dialog opens, nothing is
 * fetched from anywhere but the two origins, and the host page, its other
 * embed and its global names are left as they were.
 */
import { expect, test, type Request } from '@playwright/test';
import { article, attr, firstScenario, startHostSite, stepHeading, type HostSite } from './embed-fixtures';

let host: HostSite;
test.beforeAll(async () => {
  host = await startHostSite();
});
test.afterAll(async () => {
  await host.close();
});

const STEP_SCRIPT = '<script>__pwned=1;alert(1)</script>';
const SCENARIO_IMG = '<img src=x onerror="__pwned=1;alert(1)">';
const LENS_MARKUP = '<b>root</b>';
const THEME_URL = 'javascript:alert(1)';
const HUGE = '99999999999999999999999999';
const LONG = 'A'.repeat(5000);
const URL_STEP = '<script>alert(document.domain)</script>';
const URL_LENS = '"><svg onload=alert(1)>';
const URL_SCENARIO = '<iframe src=javascript:alert(1)>';

test('hostile attributes and URL parameters become messages in the frame and break nothing', async ({
  page,
  baseURL,
}) => {
  const engine = await firstScenario();
  const { id } = engine.scenario;
  const total = engine.timeline.steps.length;
  const embedOrigin = new URL(baseURL!).origin;

  const placeholders: Array<[string, Record<string, string>]> = [
    ['good', { 'data-trunklab-scenario': id, 'data-step': '1' }],
    ['step-script', { 'data-trunklab-scenario': id, 'data-step': STEP_SCRIPT }],
    ['step-huge', { 'data-trunklab-scenario': id, 'data-step': HUGE }],
    ['step-far', { 'data-trunklab-scenario': id, 'data-step': '123456' }],
    ['step-long', { 'data-trunklab-scenario': id, 'data-step': LONG }],
    ['scenario-img', { 'data-trunklab-scenario': SCENARIO_IMG, 'data-step': '2' }],
    ['scenario-unknown', { 'data-trunklab-scenario': 'no-such-scenario' }],
    ['lens-theme', { 'data-trunklab-scenario': id, 'data-lens': LENS_MARKUP, 'data-theme': THEME_URL }],
  ];
  const divs = placeholders
    .map(([name, attrs]) => {
      const list = Object.entries(attrs)
        .map(([k, v]) => `${k}="${attr(v)}"`)
        .join(' ');
      return `<div id="${name}" ${list}></div>`;
    })
    .join('\n');
  const plainStep = new URLSearchParams({ step: URL_STEP, lens: URL_LENS });
  const plainScenario = new URLSearchParams({ scenario: URL_SCENARIO });
  host.page(
    '/hostile.html',
    article(`
<script>window.namesBefore = Object.getOwnPropertyNames(window);</script>
${divs}
<iframe id="plain-step" src="${baseURL}/embed/${id}/?${plainStep}" title="plain" height="500"></iframe>
<iframe id="plain-scenario" src="${baseURL}/embed/?${plainScenario}" title="plain" height="300"></iframe>
<script async src="${baseURL}/embed.js"></script>`),
  );

  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  await page.goto(`${host.origin}/hostile.html`);

  // The loader makes each frame as its placeholder nears the view: bring each one there.
  for (const [name] of placeholders) {
    await page.locator(`#${name}`).scrollIntoViewIfNeeded();
    await expect(page.locator(`#${name} iframe`)).toHaveCount(1);
  }
  const frameOf = (name: string) => page.locator(`#${name} iframe`).contentFrame();
  const heading = (name: string) => stepHeading(frameOf(name));

  // The good embed on the same page is unaffected.
  await expect(heading('good')).toHaveText(engine.heading(1));

  // Markup in data-step: quoted as text, step 1 shown.
  await expect(frameOf('step-script').getByRole('status')).toContainText(
    `the step "${STEP_SCRIPT}" is not a step number (a whole number from 1), so step 1 is shown`,
  );
  await expect(heading('step-script')).toHaveText(engine.heading(1));

  // A number with more digits than any step: not a step number.
  await expect(frameOf('step-huge').getByRole('status')).toContainText(`the step "${HUGE}" is not a step number`);
  await expect(heading('step-huge')).toHaveText(engine.heading(1));

  // A step number past the end of the run: the last step, and how many there are.
  await expect(frameOf('step-far').getByRole('status')).toContainText(`this run has ${total} steps, not 123456`);
  await expect(heading('step-far')).toHaveText(engine.heading(total));

  // Five thousand characters are quoted as forty-eight and an ellipsis.
  await expect(frameOf('step-long').getByRole('status')).toContainText(`the step "${'A'.repeat(48)}…" is not`);

  // Markup as the scenario: the frame says there is no such scenario and lists the real ones.
  await expect(frameOf('scenario-img').getByRole('alert')).toHaveText(
    `There is no scenario "${SCENARIO_IMG}" to embed.`,
  );
  await expect(frameOf('scenario-img').getByRole('link', { name: engine.scenario.title })).toHaveAttribute(
    'href',
    `/embed/${id}/`,
  );
  await expect(frameOf('scenario-unknown').getByRole('alert')).toHaveText(
    'There is no scenario "no-such-scenario" to embed.',
  );

  // Unknown lens and theme: both named, the PBX's view shown, no theme forced.
  const lensTheme = frameOf('lens-theme');
  await expect(lensTheme.getByRole('status')).toContainText(`the lens "${LENS_MARKUP}" is not pbx, attacker or sbc`);
  await expect(lensTheme.getByRole('status')).toContainText(`the theme "${THEME_URL}" is not dark or light`);
  await expect(lensTheme.getByRole('radio', { name: 'PBX' })).toBeChecked();
  expect(await page.locator('#lens-theme iframe').evaluate((el) => (el as HTMLIFrameElement).src)).toContain(
    `${embedOrigin}/embed/${id}/?`,
  );

  // The same through a plain iframe's URL parameters.
  const plain = page.frameLocator('#plain-step');
  await expect(plain.getByRole('status')).toContainText(`the step "${URL_STEP}" is not a step number`);
  await expect(plain.getByRole('status')).toContainText(`the lens "${URL_LENS}" is not pbx, attacker or sbc`);
  await expect(page.frameLocator('#plain-scenario').getByRole('alert')).toHaveText(
    `There is no scenario "${URL_SCENARIO}" to embed.`,
  );

  // Nothing ran: no dialog, no global set, no element made from the payloads, in the host or any frame.
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  for (const frame of page.frames()) {
    const found = await frame.evaluate(() => ({
      pwned: Reflect.get(window, '__pwned'),
      markup: document.querySelectorAll('b, svg[onload], img[src="x"], iframe[src^="javascript"]').length,
    }));
    expect(found, frame.url()).toEqual({ pwned: undefined, markup: 0 });
  }

  // The host page is as it was, plus one frame per placeholder and no global name.
  expect(await page.locator('#host-heading').textContent()).toBe('How your trunk is secured');
  expect(await page.locator('#host-footer').textContent()).toBe('Was this article helpful?');
  for (const [name] of placeholders) {
    expect(await page.locator(`#${name} > *`).evaluateAll((els) => els.map((e) => e.tagName))).toEqual(['IFRAME']);
  }
  expect(await page.locator('body > *').evaluateAll((els) => els.map((e) => e.id || e.tagName))).toEqual([
    'host-heading',
    'SCRIPT',
    ...placeholders.map(([name]) => name),
    'plain-step',
    'plain-scenario',
    'SCRIPT',
    'host-footer',
  ]);
  const added = await page.evaluate(() => {
    const before = new Set((window as unknown as { namesBefore: string[] }).namesBefore);
    // window[0], window[1]… are the page's frames (HTML §7.2.3.3), not names anyone added.
    return Object.getOwnPropertyNames(window).filter((n) => !before.has(n) && n !== 'namesBefore' && !/^\d+$/.test(n));
  });
  expect(added).toEqual([]);

  // Only the two origins were asked for anything, and the frames only their own.
  for (const request of requests) {
    const url = new URL(request.url());
    if (url.protocol === 'data:') continue;
    expect([host.origin, embedOrigin], request.url()).toContain(url.origin);
    if (request.frame() !== page.mainFrame()) expect(url.origin, request.url()).toBe(embedOrigin);
    expect(url.pathname, 'a payload was fetched').not.toMatch(/\/x$/);
  }
});
