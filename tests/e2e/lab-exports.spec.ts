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

test('the pcapng export opens in tshark', async ({ page }) => {
  await page.goto('/?scenario=options-keepalive');
  await waitForIslands(page);
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible({ timeout: 20_000 });
  const button = page.getByRole('region', { name: 'Export this run' }).getByRole('button', { name: /pcapng/ });
  test.skip((await button.count()) === 0, 'the engine does not export pcapng yet');

  const { bytes } = await download(page, 'Capture (pcapng, TLS secrets inside)');
  const dir = test.info().outputPath();
  const path = `${dir}/run.pcapng`;
  await mkdir(dir, { recursive: true });
  await writeFile(path, bytes);
  const tshark = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'sip.Method'], {
    encoding: 'utf8',
  });
  expect(tshark.status, tshark.stderr).toBe(0);
  const timeline = runInNode('options-keepalive');
  expect(tshark.stdout.trim().split('\n')).toHaveLength(timeline.steps.length);
  expect(tshark.stdout).toContain('OPTIONS');
});
