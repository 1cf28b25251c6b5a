/**
 * Exports: the engine worker makes each file and the page downloads it.
 * Each download is opened by something we did not write: the JSON by Node's
 * parser against the Timeline `trunklab run --json` prints; a capture by
 * tshark, once the engine offers one.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { waitForIslands } from './hydration';
import { runInNode } from './lab-engine';

async function download(page: Page, name: string) {
  const exports = page.getByRole('region', { name: 'Export this run' });
  const [file] = await Promise.all([page.waitForEvent('download'), exports.getByRole('button', { name }).click()]);
  return { filename: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

test('the Timeline export is the run Node prints for the same seed', async ({ page }) => {
  await page.goto('/?scenario=options-keepalive&seed=5');
  await waitForIslands(page);
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible({ timeout: 20_000 });

  const { filename, bytes } = await download(page, 'Timeline (JSON)');
  expect(filename).toBe('options-keepalive-seed5.timeline.json');
  expect(JSON.parse(bytes.toString('utf8'))).toEqual(runInNode('options-keepalive', 5));
  await expect(page.getByRole('status').filter({ hasText: `Saved ${filename}.` })).toBeVisible();
});

test('the pcapng export opens in tshark, packet for packet', async ({ page }) => {
  await page.goto('/?scenario=options-keepalive&seed=3');
  await waitForIslands(page);
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible({ timeout: 20_000 });

  const { filename, bytes } = await download(page, 'Capture (pcapng, TLS secrets inside)');
  expect(filename).toBe('options-keepalive-seed3.pcapng');
  const dir = test.info().outputPath();
  const path = `${dir}/${filename}`;
  await mkdir(dir, { recursive: true });
  await writeFile(path, bytes);
  const fields = ['ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', 'sip.Method', 'sip.Status-Code', 'frame.len'];
  const tshark = spawnSync(
    'tshark',
    ['-r', path, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])],
    {
      encoding: 'utf8',
    },
  );
  expect(tshark.status, tshark.stderr).toBe(0);
  const rows = tshark.stdout.trim().split('\n');
  const timeline = runInNode('options-keepalive', 3);
  expect(rows).toHaveLength(timeline.steps.length);
  for (const [i, step] of timeline.steps.entries()) {
    const [src, srcPort, dst, dstPort, method, status, length] = rows[i].split('|');
    expect(`${src}:${srcPort}`).toBe(step.src);
    expect(`${dst}:${dstPort}`).toBe(step.dst);
    expect(Number(length)).toBe(step.bytes.length / 2);
    // tshark's own SIP dissector reads the request method or the response status the ladder shows.
    expect(step.summary).toContain(method || status);
  }
});

test('the mermaid export is the engine’s sequence diagram of the run', async ({ page }) => {
  await page.goto('/?scenario=options-keepalive&seed=2');
  await waitForIslands(page);
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible({ timeout: 20_000 });
  const { filename, bytes } = await download(page, 'Sequence diagram (mermaid)');
  expect(filename).toBe('options-keepalive-seed2.mmd');
  const text = bytes.toString('utf8');
  const timeline = runInNode('options-keepalive', 2);
  expect(text.split('\n')[0]).toBe('sequenceDiagram');
  expect(text).toMatch(/participant PBX/);
  expect(text).toMatch(/participant SBC/);
  // One arrow per packet of this short run, in order, labelled as the ladder labels it.
  const arrows = text.split('\n').filter((l) => /->>|-\)|-x/.test(l));
  expect(arrows).toHaveLength(timeline.steps.length);
  timeline.steps.forEach((s, i) => expect(arrows[i]).toContain(s.summary));
});
