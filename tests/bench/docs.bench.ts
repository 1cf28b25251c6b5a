/**
 * The knowledge base's weight in a reader's browser: for each article, the
 * JavaScript (gzipped) Chromium downloads before the reader scrolls to a
 * live step, against the 30 KB budget, and what the first live step adds
 * once it is scrolled into view (the lab's island and its engine worker).
 *
 * The peer is the mermaid library a page would ship to draw its diagrams in
 * the browser: articles draw them at build time instead, so it is 0 KB here.
 *
 * The site is built into a temporary folder first (so the figures are for the
 * sources as they are now, and a concurrent build of dist/ cannot disturb
 * them), then served with `astro preview` on a free port of 127.0.0.1.
 */
import { chromium, type Page } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { findChromium } from '../../scripts/tools.js';
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

/** Inline `<script>` text in the page, gzipped together. */
async function inlineScriptKb(page: Page): Promise<number> {
  const text = await page
    .locator('script:not([src])')
    .evaluateAll((els) => els.map((e) => e.textContent ?? '').join('\n'));
  return text.trim() ? gzipKb(text) : 0;
}

export default async function bench(): Promise<void> {
  const executablePath = await findChromium();
  if (!executablePath) {
    console.log('No Chromium found: set TRUNKLAB_CHROMIUM or install one to measure the articles.');
    return;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'trunklab-docs-bench-'));
  const server = { stop: () => {} };
  try {
    const built = spawnSync('npx', ['astro', 'build', '--outDir', outDir], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`astro build failed:\n${built.stdout}\n${built.stderr}`);
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
      const inline = await inlineScriptKb(page);
      const first = await before.stop();
      const total = first.kb + inline;

      let liveKb: number | string = 'no live step yet';
      const figure = page.locator('figure.kb-live-step[data-live-step]').first();
      if ((await figure.count()) > 0) {
        const after = recordScripts(page);
        await figure.scrollIntoViewIfNeeded();
        await figure.locator('astro-island:not([ssr])').first().waitFor({ timeout: 60_000 });
        // Hydrated is not done: wait for the engine worker's run to fill the inspector.
        await figure.getByRole('region', { name: 'Packet inspector' }).first().waitFor({ timeout: 60_000 });
        await page.waitForLoadState('networkidle');
        liveKb = (await after.stop()).kb;
      }
      rows.push({
        article: name,
        'JS files before scroll': first.files,
        'JS KB gzip before scroll (incl. inline)': total,
        [`within ${BUDGET_KB} KB`]: total <= BUDGET_KB ? 'yes' : 'NO',
        'KB gzip the first live step adds': liveKb,
      });
      await page.close();
    }
    await browser.close();
    printTable(rows);
    const mermaid = gzipKb(readFileSync(join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js')));
    console.log(
      `Peer: mermaid drawing diagrams in the browser would add ${mermaid.toFixed(1)} KB gzip (mermaid.min.js) to every page with a diagram; built-time SVG adds 0 KB.`,
    );
  } finally {
    server.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}
