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
  expect(JSON.parse(bytes.toString('utf8'))).toEqual(await runInNode('options-keepalive', 5));
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
  const timeline = await runInNode('options-keepalive', 3);
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
  const timeline = await runInNode('options-keepalive', 2);
  expect(text.split('\n')[0]).toBe('sequenceDiagram');
  expect(text).toMatch(/participant PBX/);
  expect(text).toMatch(/participant SBC/);
  // One arrow per packet of this short run, in order, labelled as the ladder labels it.
  const arrows = text.split('\n').filter((l) => /->>|-\)|-x/.test(l));
  expect(arrows).toHaveLength(timeline.steps.length);
  timeline.steps.forEach((s, i) => expect(arrows[i]).toContain(s.summary));
});

test('a secure call’s pcapng decrypts in tshark with no other file, and its media pcap holds the RTP', async ({
  page,
}) => {
  const scenario = 'secure-call';
  const timeline = await runInNode(scenario);
  expect(timeline.keyLog, 'the secure call has a TLS key log').toBeTruthy();
  await page.goto(`/?scenario=${scenario}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step 1 of \d+$/)).toBeVisible({ timeout: 30_000 });
  const dir = test.info().outputPath();
  await mkdir(dir, { recursive: true });

  const capture = await download(page, 'Capture (pcapng, TLS secrets inside)');
  await writeFile(`${dir}/${capture.filename}`, capture.bytes);
  // The TLS secrets travel inside the file (a Decryption Secrets Block): tshark needs no key log.
  const sip = spawnSync(
    'tshark',
    ['-r', `${dir}/${capture.filename}`, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Method', '-e', 'sip.Status-Code'],
    { encoding: 'utf8' },
  );
  expect(sip.status, sip.stderr).toBe(0);
  const seen = sip.stdout
    .trim()
    .split('\n')
    .map((l) => l.replace('\t', '').trim());
  const expected = timeline.steps.filter((s) => s.protocol === 'SIP').map((s) => s.summary.split(' ')[0]);
  expect(seen).toEqual(expected);

  const keylog = await download(page, 'TLS key log (NSS format)');
  expect(keylog.bytes.toString('utf8')).toBe(timeline.keyLog);

  const media = await download(page, 'Decrypted media (pcap)');
  await writeFile(`${dir}/${media.filename}`, media.bytes);
  const ports = [...new Set(timeline.steps.filter((s) => s.protocol === 'SRTP').map((s) => s.dst.split(':')[1]))];
  const rtp = spawnSync(
    'tshark',
    [
      '-r',
      `${dir}/${media.filename}`,
      ...ports.flatMap((p) => ['-d', `udp.port==${p},rtp`]),
      '-T',
      'fields',
      '-e',
      'rtp.p_type',
    ],
    { encoding: 'utf8' },
  );
  expect(rtp.status, rtp.stderr).toBe(0);
  const payloadTypes = rtp.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '');
  // Every SRTP packet of the run, decrypted, is an RTP packet tshark reads, G.711 (payload type 0 or 8).
  expect(payloadTypes).toHaveLength(timeline.steps.filter((s) => s.protocol === 'SRTP').length);
  expect(new Set(payloadTypes).size).toBe(1);
  expect(['0', '8']).toContain(payloadTypes[0]);
});
