/**
 * The lab page in a real browser: the Chromium that scripts/tools.js finds,
 * against `astro preview` of the built site (dist/) on an ephemeral port.
 *
 * - JavaScript `/` ships before the engine worker starts, gzipped (budget 150 KB);
 * - time from navigation to the first step painted in the ladder (budget 1 s): of the lab as it
 *   opens, whose first frame the build drew, and (for comparison) of a link to another run, which
 *   the engine runs in the browser first;
 * - time from pressing Next step to the next frame painted with the new step (budget 50 ms);
 * - time from pressing a chapter to the next frame painted with its first step (budget 100 ms);
 * - how many presses of Next step take a newcomer from the first packet of a secure call to its BYE
 *   (budget 12);
 * - scrolling the ladder with a run of at least 500 media packets opened:
 *   frame times while it scrolls (smooth = 60 frames a second, 16.7 ms).
 *
 * Peers measured in the same run, in the same browser, so that a busy machine shows as a ratio:
 * a cold load of a static knowledge-base page to its heading (for the first step), and a frame
 * on the lab page with nothing pressed (for Next step and a chapter jump).
 *
 * Builds the site first when dist/ has no lab page.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../../scripts/tools.js';
import { listScenarios, runScenario, type CarrierProfile } from '../../sim/index';
import carrier from '../../content/carrier.json';
import { printTable } from './measure';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUDGET = { jsKb: 150, firstStepMs: 1000, stepMs: 50, chapterMs: 100, pressesToBye: 12, frameMs: 1000 / 60 };
const LOADS = 7;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startPreview(): Promise<{ url: string; server: ChildProcess }> {
  const port = await freePort();
  const server = spawn('npx', ['astro', 'preview', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  // astro preview takes a while to start on a busy machine.
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/`)).ok) return { url, server };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(-server.pid!);
  throw new Error('astro preview did not start');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** Scripts the page fetches before it starts the engine worker, and the inline scripts in its HTML. */
async function javascriptBeforeWorker(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Map<string, number>();
  let workerStarted = false;
  page.on('worker', () => (workerStarted = true));
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script' || workerStarted) return;
    if (/engine\.worker/.test(response.url())) return;
    try {
      scripts.set(response.url(), gzipSync(await response.body()).length);
    } catch {
      // a redirect or an aborted response has no body
    }
  });
  const html = await (await page.goto(`${url}/`))!.text();
  await page.waitForSelector('ol[aria-label="Packet ladder"] li', { timeout: 30_000 });
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  await context.close();
  const fetched = [...scripts.values()].reduce((a, b) => a + b, 0);
  return { files: scripts.size, fetchedKb: fetched / 1024, inlineKb: gzipSync(inline).length / 1024 };
}

/**
 * Milliseconds from navigation start to the frame painted after the first element matching
 * `selector` is in the page, cold, in a fresh context: the first packet drawn in the lab's ladder,
 * or (the peer) a static page's heading.
 */
async function coldLoadMs(browser: Browser, address: string, selector: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((selector) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector(selector)) {
        observer.disconnect();
        requestAnimationFrame(() =>
          setTimeout(() => ((window as unknown as { shownAt: number }).shownAt = performance.now())),
        );
      }
    });
    observer.observe(document, { subtree: true, childList: true });
  }, selector);
  await page.goto(address);
  await page.waitForFunction(() => (window as unknown as { shownAt?: number }).shownAt !== undefined, null, {
    timeout: 30_000,
  });
  const at = await page.evaluate(() => (window as unknown as { shownAt: number }).shownAt);
  await context.close();
  return at;
}

/**
 * Waits until the engine's whole run is in: the chapters then name each step's phase. (The position
 * reads "Step 1 of N" earlier, while the first frame the build drew is on screen.)
 */
function wholeRun(page: Page): Promise<unknown> {
  return page.waitForSelector('nav[aria-label="Chapters"][data-phase-runs]', { state: 'attached', timeout: 60_000 });
}

/** The same wait a press is timed with (the next frame painted), with nothing pressed: the presses' peer. */
function idleFrameMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
      }),
  );
}

/**
 * Press a button (Next step, Restart, or a chapter) and wait for the frame that shows the step it
 * goes to; returns the milliseconds, or undefined when the button had nowhere to go.
 */
function timePress(page: Page, which: 'next' | 'restart' | { chapter: number }): Promise<number | undefined> {
  return page.evaluate(
    (which) =>
      new Promise<number | undefined>((resolve) => {
        const position = [...document.querySelectorAll('.position')].find((e) =>
          /^Step \d+ of \d+$/.test(e.textContent!.trim()),
        )!;
        const before = position.textContent;
        const button =
          which === 'next'
            ? document.querySelector<HTMLButtonElement>('button[aria-label="Next step"]')
            : which === 'restart'
              ? [...document.querySelectorAll('button')].find((b) => b.textContent!.trim().endsWith('Restart'))
              : document.querySelectorAll<HTMLButtonElement>('nav[aria-label="Chapters"] button')[which.chapter];
        if (!button || button.getAttribute('aria-disabled') === 'true') return resolve(undefined);
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (position.textContent === before) return;
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
        });
        observer.observe(position, { subtree: true, characterData: true, childList: true });
        button.click();
        // A chapter already shown changes nothing: nothing to time.
        setTimeout(() => {
          observer.disconnect();
          resolve(undefined);
        }, 5000);
      }),
    which,
  );
}

/** The packet the inspector shows. */
const inspectorTitle = (page: Page) =>
  page.evaluate(() => document.querySelector('section[aria-label="Packet inspector"] .title')?.textContent?.trim());

/**
 * Scrolls the ladder's scroll box from top to bottom and back for `ms`, returning the frame
 * intervals. Written as page source text: the TypeScript loader would otherwise wrap the
 * named inner function in a helper the page does not have.
 */
const SCROLL_FRAMES = `(duration) => new Promise((resolve) => {
  const list = document.querySelector('ol[aria-label="Packet ladder"]');
  const box = list.parentElement;
  const frames = [];
  let last = performance.now();
  const end = last + duration;
  let direction = 1;
  let rendered = 0;
  const step = (now) => {
    frames.push(now - last);
    last = now;
    box.scrollTop += direction * 120;
    if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) direction = -1;
    if (box.scrollTop <= 0) direction = 1;
    rendered = Math.max(rendered, list.querySelectorAll('li').length);
    if (now < end) requestAnimationFrame(step);
    else resolve({ frames: frames.slice(1), rendered, rows: Number(list.querySelector('li')?.getAttribute('aria-setsize') ?? 0) });
  };
  requestAnimationFrame(step);
})`;

function scrollFrames(page: Page, ms: number): Promise<{ frames: number[]; rendered: number; rows: number }> {
  return page.evaluate(`(${SCROLL_FRAMES})(${ms})`);
}

export default async function bench(): Promise<void> {
  if (!existsSync(`${ROOT}dist/index.html`)) {
    console.log('dist/ has no lab page: building the site first (npx astro build) ...');
    const build = spawnSync('npx', ['astro', 'build'], { cwd: ROOT, stdio: 'ignore' });
    if (build.status !== 0) throw new Error('astro build failed');
  }
  const executablePath = await findChromium();
  if (!executablePath) {
    console.log('No Chromium found (see scripts/tools.js): the lab benchmark needs one.');
    return;
  }
  const { url, server } = await startPreview();
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  try {
    // The longest run in the catalogue, and the one with the most media packets.
    const runs = await Promise.all(
      listScenarios().map(async (s) => ({
        id: s.id,
        timeline: await runScenario(s.id, { seed: 1, carrier: carrier as CarrierProfile }),
      })),
    );
    const longest = runs.reduce((a, b) => (b.timeline.steps.length > a.timeline.steps.length ? b : a));
    // The longest unbroken run of media packets (a failure breaks a run, as in the ladder).
    const mediaCount = (r: (typeof runs)[number]) => {
      let best = 0;
      let now = 0;
      for (const s of r.timeline.steps) {
        now = ['RTP', 'SRTP', 'RTCP', 'SRTCP'].includes(s.protocol) && !s.failure ? now + 1 : 0;
        best = Math.max(best, now);
      }
      return best;
    };
    const mediaRich = runs.reduce((a, b) => (mediaCount(b) > mediaCount(a) ? b : a));

    const js = await javascriptBeforeWorker(browser, url);
    const totalKb = js.fetchedKb + js.inlineKb;

    // The lab as it opens (its first frame drawn when the site was built), and a link to another run
    // (drawn once the engine has run it in the browser).
    const fronts: number[] = [];
    const firsts: number[] = [];
    const statics: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      fronts.push(await coldLoadMs(browser, `${url}/`, 'ol[aria-label="Packet ladder"] li'));
      firsts.push(await coldLoadMs(browser, `${url}/?scenario=${longest.id}`, 'ol[aria-label="Packet ladder"] li'));
      statics.push(await coldLoadMs(browser, `${url}/docs/secure-trunk/`, 'main h1'));
    }

    const page = await browser.newPage();
    await page.goto(`${url}/?scenario=${longest.id}`);
    // Step once the whole run is in (the position reads "Step 1 of N", not "… so far").
    await wholeRun(page);
    // Next step goes a stop at a time (a flight, a media run): through the run and again from the start.
    const steps: number[] = [];
    while (steps.length < 200) {
      const ms = await timePress(page, 'next');
      if (ms === undefined) await timePress(page, 'restart');
      else steps.push(ms);
    }
    const idle: number[] = [];
    while (idle.length < 100) idle.push(await idleFrameMs(page));
    // Chapter jumps: each chapter in turn, round and round.
    const chaptersCount = await page.locator('nav[aria-label="Chapters"] button').count();
    const jumps: number[] = [];
    for (let i = 0; chaptersCount > 1 && jumps.length < 60; i++) {
      const ms = await timePress(page, { chapter: i % chaptersCount });
      if (ms !== undefined) jumps.push(ms);
    }

    // A newcomer on the default secure call: Next step from the first packet until the BYE is open.
    await page.goto(`${url}/?scenario=secure-call`);
    await wholeRun(page);
    let presses = 0;
    while ((await inspectorTitle(page)) !== 'SIP BYE' && presses < 100) {
      if ((await timePress(page, 'next')) === undefined) break;
      presses++;
    }

    const rows: Array<Record<string, string | number>> = [
      {
        measure: `JS for / before the worker (${js.files} files + inline), gzipped`,
        value: `${totalKb.toFixed(1)} KB`,
        budget: `< ${BUDGET.jsKb} KB`,
        ok: totalKb < BUDGET.jsKb ? 'yes' : 'NO',
      },
      {
        measure: `first step painted, cold load of / (the default run, median of ${LOADS})`,
        value: `${median(fronts).toFixed(0)} ms (max ${Math.max(...fronts).toFixed(0)}); ${(median(fronts) / median(statics)).toFixed(2)}× the peer`,
        budget: `< ${BUDGET.firstStepMs} ms`,
        ok: median(fronts) < BUDGET.firstStepMs ? 'yes' : 'NO',
      },
      {
        measure: `first step painted, cold load of a link to another run (${longest.id}, median of ${LOADS})`,
        value: `${median(firsts).toFixed(0)} ms (max ${Math.max(...firsts).toFixed(0)}); ${(median(firsts) / median(statics)).toFixed(2)}× the peer`,
        budget: '',
        ok: '',
      },
      {
        measure: `peer: a static knowledge-base page to its heading painted, cold (median of ${LOADS})`,
        value: `${median(statics).toFixed(0)} ms`,
        budget: '',
        ok: '',
      },
      {
        measure: `peer: the next frame painted with nothing pressed (${idle.length} frames)`,
        value: `${median(idle).toFixed(1)} ms median, ${percentile(idle, 0.95).toFixed(1)} ms p95; Next step p95 ${(percentile(steps, 0.95) / percentile(idle, 0.95)).toFixed(2)}× it`,
        budget: '',
        ok: '',
      },
      {
        measure: `Next step to painted (${longest.id}, ${steps.length} presses)`,
        value: steps.length
          ? `${median(steps).toFixed(1)} ms median, ${percentile(steps, 0.95).toFixed(1)} ms p95`
          : 'n/a',
        budget: `< ${BUDGET.stepMs} ms`,
        ok: steps.length && percentile(steps, 0.95) < BUDGET.stepMs ? 'yes' : 'NO',
      },
      {
        measure: `chapter jump to painted (${longest.id}, ${jumps.length} jumps over ${chaptersCount} chapters)`,
        value: jumps.length
          ? `${median(jumps).toFixed(1)} ms median, ${percentile(jumps, 0.95).toFixed(1)} ms p95 (${(percentile(jumps, 0.95) / percentile(idle, 0.95)).toFixed(2)}× an idle frame)`
          : 'n/a',
        budget: `< ${BUDGET.chapterMs} ms`,
        ok: jumps.length && percentile(jumps, 0.95) < BUDGET.chapterMs ? 'yes' : 'NO',
      },
      {
        measure: 'Next step presses from the first packet of secure-call to its BYE',
        value: String(presses),
        budget: `≤ ${BUDGET.pressesToBye}`,
        ok: presses <= BUDGET.pressesToBye ? 'yes' : 'NO',
      },
    ];

    // The run with the most media, its parties talking long enough for 500 media packets when the
    // catalogue's default (the spoken phrase) gives fewer: the lab's "Talk for" setting.
    let talk: number | undefined;
    let media = mediaCount(mediaRich);
    let length = mediaRich.timeline.steps.length;
    for (const seconds of [5, 10]) {
      if (media >= 500) break;
      const longer = await runScenario(mediaRich.id, {
        seed: 1,
        carrier: carrier as CarrierProfile,
        audioMs: seconds * 1000,
      });
      talk = seconds;
      media = mediaCount({ id: mediaRich.id, timeline: longer });
      length = longer.steps.length;
    }
    if (media >= 500) {
      const search = `?scenario=${mediaRich.id}&step=${length}${talk ? `&talk=${talk}` : ''}`;
      await page.goto(`${url}/${search}`);
      await wholeRun(page);
      // Open the media runs in view (opening one pushes the next out of view), so the ladder holds
      // their packets as rows of their own.
      const closed = page.locator('ol[aria-label="Packet ladder"] button[aria-expanded="false"]');
      for (let i = 0; i < 10 && (await closed.count()) > 0; i++) await closed.first().click();
      const { frames, rendered, rows: total } = await scrollFrames(page, 3000);
      const p95 = percentile(frames, 0.95);
      rows.push({
        measure: `scroll the ladder: ${mediaRich.id}${talk ? ` talking ${talk} s` : ''}, a run of ${media} media packets opened (${total} rows, ≤ ${rendered} in the DOM)`,
        value: `${median(frames).toFixed(1)} ms median frame, ${p95.toFixed(1)} ms p95, ${frames.filter((f) => f > 2 * BUDGET.frameMs).length}/${frames.length} frames late`,
        budget: `~${BUDGET.frameMs.toFixed(1)} ms a frame`,
        ok: p95 < 2 * BUDGET.frameMs ? 'yes' : 'NO',
      });
    } else {
      rows.push({
        measure: 'scroll the ladder with 500 media packets',
        value: `n/a: the longest run of media is ${media} packets (${mediaRich.id})`,
        budget: '',
        ok: '',
      });
    }
    printTable(rows);
  } finally {
    await browser.close();
    process.kill(-server.pid!);
  }
}
