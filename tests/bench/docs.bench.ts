/**
 * The knowledge base in a reader's browser. Its weight: for each article,
 * the JavaScript (gzipped) Chromium downloads before the reader scrolls to a
 * live figure, against the 30 KB budget, the data of the figures' first
 * frames the page carries, and what the first figure adds once it is
 * scrolled into view and the reader's pointer is over it (its script loads
 * then: until a reader reaches for a figure, the build's drawing of it is
 * all there is). The peer is the mermaid library a page would ship to
 * draw its diagrams in the browser: articles draw them at build time
 * instead, so it is 0 KB here.
 *
 * Its speed (figure-timing.ts): how long after a live figure, or a help
 * centre's embed, enters the viewport it shows its step, for one and for
 * four on a page, against the full lab opening at the same step in the same
 * run (the peer), with the ratio.
 *
 * The site is built into a temporary folder first (so the figures are for the
 * sources as they are now, and a concurrent build of dist/ cannot disturb
 * them), then served with `astro preview` on a free port of 127.0.0.1.
 * `TRUNKLAB_BENCH_BUILT=dist npm run bench -- docs` measures a build made
 * already instead, to run the bench twice without building twice.
 */
import { chromium, type Page } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import 'reflect-metadata';
import { runScenario, type CarrierProfile } from '../../sim/index';
import carrier from '../../content/carrier.json';
import { findChromium } from '../../scripts/tools.js';
import { UI } from '../../site/lib/ui-text';
import { timeEmbeds, timeFigureFromNavigation, timeFigures, timeLab, type Timing } from './figure-timing';
import { printTable } from './measure';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUDGET_KB = 30;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const gzipKb = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length / 1024;

/** Gzipped JavaScript fetched by the page (and its frames) from now until `stop()`. */
function recordScripts(page: Page) {
  const seen = new Set<string>();
  const pending: Promise<number>[] = [];
  const listener = (response: import('@playwright/test').Response) => {
    const type = response.request().resourceType();
    const url = response.url();
    if ((type !== 'script' && !/\.m?js(\?|$)/.test(url)) || seen.has(url)) return;
    seen.add(url);
    pending.push(response.body().then(gzipKb, () => 0));
  };
  page.on('response', listener);
  return {
    async stop() {
      page.off('response', listener);
      const sizes = await Promise.all(pending);
      return { files: sizes.length, kb: sizes.reduce((a, b) => a + b, 0) };
    },
  };
}

/** Inline `<script>` text in the page, gzipped together: the scripts, or the JSON data blocks. */
async function inlineKb(page: Page, kind: 'script' | 'data'): Promise<number> {
  const selector =
    kind === 'script' ? 'script:not([src]):not([type="application/json"])' : 'script[type="application/json"]';
  const text = await page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent ?? '').join('\n'));
  return text.trim() ? gzipKb(text) : 0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Four steps of different scenarios a help centre might embed, with the heading each shows. */
async function embedTargets(): Promise<Array<{ scenario: string; step: number; heading: string }>> {
  const picks: Array<[string, string]> = [
    ['secure-call', 'ClientHello'],
    ['eavesdrop-secure', 'INVITE'],
    ['tls-record-tamper', 'Alert bad_record_mac'],
    ['srtp-replay', 'SRTP (replayed)'],
  ];
  return Promise.all(
    picks.map(async ([scenario, at]) => {
      const run = await runScenario(scenario, { seed: 1, carrier: carrier as CarrierProfile });
      const s = run.steps.find((x) => x.summary === at)!;
      return { scenario, step: s.index + 1, heading: UI.stepLabel(s.protocol, s.summary) };
    }),
  );
}

export default async function bench(): Promise<void> {
  const executablePath = await findChromium();
  if (!executablePath) {
    console.log('No Chromium found: set TRUNKLAB_CHROMIUM or install one to measure the articles.');
    return;
  }
  const given = process.env.TRUNKLAB_BENCH_BUILT;
  const outDir = given ? resolvePath(ROOT, given) : mkdtempSync(join(tmpdir(), 'trunklab-docs-bench-'));
  const server = { stop: () => {} };
  try {
    if (given) {
      console.log(`Measuring the build in ${outDir} (TRUNKLAB_BENCH_BUILT), as it is.`);
    } else {
      const built = spawnSync('npx', ['astro', 'build', '--outDir', outDir], { cwd: ROOT, encoding: 'utf8' });
      if (built.status !== 0) throw new Error(`astro build failed:\n${built.stdout}\n${built.stderr}`);
    }
    const port = await freePort();
    const preview = spawn(
      'npx',
      ['astro', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port)],
      {
        cwd: ROOT,
        stdio: 'ignore',
        detached: true,
      },
    );
    server.stop = () => process.kill(-preview.pid!, 'SIGTERM');
    const origin = `http://127.0.0.1:${port}`;
    await waitFor(`${origin}/`, 60_000);

    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const names = readdirSync(join(ROOT, 'content/docs/docs'))
      .filter((f) => /\.mdx?$/.test(f))
      .map((f) => f.replace(/\.mdx?$/, ''))
      .sort();
    const rows: Array<Record<string, string | number>> = [];
    for (const name of names) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const before = recordScripts(page);
      await page.goto(`${origin}/docs/${name}/`, { waitUntil: 'networkidle' });
      const inline = await inlineKb(page, 'script');
      const data = await inlineKb(page, 'data');
      const first = await before.stop();
      const total = first.kb + inline;

      let liveKb: number | string = 'no live figure';
      const figure = page.locator('figure.kb-live-step[data-live-step]').first();
      if ((await figure.count()) > 0) {
        const after = recordScripts(page);
        // Its script loads when the reader first reaches for it.
        await figure.scrollIntoViewIfNeeded();
        await figure.locator('section .position').first().hover();
        await figure.locator('astro-island:not([ssr])').first().waitFor({ state: 'attached', timeout: 60_000 });
        await page.waitForLoadState('networkidle');
        liveKb = (await after.stop()).kb;
      }
      rows.push({
        article: name,
        'JS files before scroll': first.files,
        'JS KB gzip before scroll (incl. inline)': total,
        [`within ${BUDGET_KB} KB`]: total <= BUDGET_KB ? 'yes' : 'NO',
        "figures' first frames, KB gzip (JSON in the page)": data,
        'KB gzip the first live figure adds when reached for': liveKb,
      });
      await page.close();
    }
    printTable(rows);
    const mermaid = gzipKb(readFileSync(join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js')));
    console.log(
      `Peer: mermaid drawing diagrams in the browser would add ${mermaid.toFixed(1)} KB gzip (mermaid.min.js) to every page with a diagram; built-time SVG adds 0 KB.`,
    );

    // Speed: live figures and embeds against the full lab at the same step, in this run.
    const targets = await embedTargets();
    const timings: Timing[] = [
      await timeLab(browser, origin, targets[0].scenario, targets[0].step),
      await timeFigureFromNavigation(browser, `${origin}/docs/tls-handshake/`),
      ...(await timeFigures(browser, `${origin}/docs/tls-handshake/`, 1)),
      ...(await timeFigures(browser, `${origin}/docs/tls-handshake/`, 4)),
      await timeEmbeds(browser, origin, targets.slice(0, 1)),
      await timeEmbeds(browser, origin, targets),
    ];
    await browser.close();
    const peer = timings[0].ms[0];
    printTable(
      timings.map((t) => ({
        'from scrolling into view (the lab: from navigation)': t.label,
        'ms, each': t.ms.join(', '),
        'ms, slowest': Math.max(...t.ms),
        'slowest ÷ lab': Math.max(...t.ms) / peer,
        'ms, median': median(t.ms),
      })),
    );
  } finally {
    server.stop();
    if (!given) rmSync(outDir, { recursive: true, force: true });
  }
}
