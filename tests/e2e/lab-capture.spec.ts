/**
 * "Open a capture": a secure call's capture (with no secrets inside) and its
 * key log, chosen with the file pickers or dropped on the panel, read in the
 * engine worker and shown in the lab with its SIP decrypted — and not one
 * request made while it happens. A large capture shows its progress and
 * stops when cancelled.
 */
import 'reflect-metadata';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatBytes, fromHex } from '../../sim/wire/bytes';
import { timelineCapture } from '../../sim/export/timeline-capture';
import { writePcapHeader, writePcapRecord } from '../../sim/net/pcap-writer';
import { LINKTYPE } from '../../sim/net/pcap-reader';
import { openCapture } from '../../sim/capture/open-capture';
import { exportRun, runScenario, type CarrierProfile } from '../../sim/index';
import { waitForIslands } from './hydration';
import { seriousAxeIssues } from './axe';

const CARRIER = JSON.parse(
  readFileSync(new URL('../../content/carrier.json', import.meta.url), 'utf8'),
) as CarrierProfile;

interface Files {
  capture: string;
  keyLog: string;
  large: string;
  /** Steps from the first to the first record the key log opens (EncryptedExtensions), as Node opens the same files. */
  toDecrypted: number;
  packets: number;
}

let files: Promise<Files> | undefined;

/** The capture files, written once for this file's tests. */
function captureFiles(dir: string): Promise<Files> {
  files ??= (async () => {
    mkdirSync(dir, { recursive: true });
    const run = await runScenario('secure-call', { seed: 4, carrier: CARRIER, audioMs: 200 });
    const bytes = timelineCapture(run);
    const capture = join(dir, 'secure-call.pcapng');
    const keyLog = join(dir, 'secure-call.keylog');
    writeFileSync(capture, bytes);
    writeFileSync(keyLog, run.keyLog!);
    const { timeline } = openCapture(bytes, { name: 'secure-call.pcapng', keyLog: run.keyLog });
    const toDecrypted = timeline.steps.findIndex((s) => s.summary === 'EncryptedExtensions');
    // A long call for the cancel test: the call, then its SRTP sent again and again (each copy a replay to read).
    const srtp = run.steps.filter((s) => s.protocol === 'SRTP').map((s) => fromHex(s.bytes));
    const records = run.steps.map(
      (s, i) => writePcapRecord({ seconds: 1_800_000_000, nanoseconds: i }, fromHex(s.bytes)).bytes,
    );
    for (let i = 0; i < 40_000; i++) records.push(pcapRecord(1_800_000_001 + i, srtp[i % srtp.length]));
    const large = join(dir, 'long-call.pcap');
    writeFileSync(large, concatBytes(writePcapHeader(LINKTYPE.RAW).bytes, ...records));
    return { capture, keyLog, large, toDecrypted, packets: timeline.steps.length };
  })();
  return files;
}

/** A classic pcap record (draft-ietf-opsawg-pcap §5), written plainly: tens of thousands are needed. */
function pcapRecord(seconds: number, packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + packet.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, seconds, true);
  v.setUint32(8, packet.length, true);
  v.setUint32(12, packet.length, true);
  out.set(packet, 16);
  return out;
}

/** Opens the lab on a scenario and waits until its engine worker has answered once. */
async function openLab(page: Page): Promise<string[]> {
  await page.goto('/?scenario=options-keepalive');
  await waitForIslands(page);
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible({ timeout: 30_000 });
  // From here on, every request the page (or its worker) makes is recorded.
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.getByText('Open a capture', { exact: true }).click();
  return requests;
}

test('a capture and its key log, chosen with the pickers: its TLS decrypted with the key log, nothing sent anywhere', async ({
  page,
}) => {
  const f = await captureFiles(test.info().outputPath());
  const requests = await openLab(page);
  await page.getByLabel('Capture file').setInputFiles(f.capture);
  await page.getByLabel('Key log file (optional)').setInputFiles(f.keyLog);
  await page.getByRole('button', { name: 'Open capture' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Opened secure-call\.pcapng: \d+ packets\.$/ })).toBeVisible(
    {
      timeout: 30_000,
    },
  );
  await expect(page.getByRole('heading', { name: 'Showing the capture secure-call.pcapng' })).toBeVisible();
  await expect(page.getByText(`Step 1 of ${f.packets}`, { exact: true })).toBeVisible();
  // The packet that carries EncryptedExtensions, opened from its row on the ladder (drawn from the start, dimmed until sent).
  await ladderRow(page, f.toDecrypted + 1).click();
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  // Decrypted with the key log: the record's inner plaintext, as the PBX reads it, holds EncryptedExtensions.
  await expect(
    inspector.getByRole('heading', { name: /^TLS 1\.3 inner plaintext, as the PBX reads it/ }),
  ).toBeVisible();
  await expect(inspector).toContainText('EncryptedExtensions');
  // The eavesdropper's lens: the same record, and no key to read it with.
  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'Attacker' }).check();
  await expect(inspector.getByRole('heading', { name: /inner plaintext/ })).toHaveCount(0);
  await page.getByRole('group', { name: 'View as' }).getByRole('radio', { name: 'PBX' }).check();
  // The holdings and the call as each side heard it, as for a simulated run.
  await expect(page.getByRole('heading', { name: 'What each party holds' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play as the PBX hears it' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play as the SBC hears it' })).toBeVisible();
  // The reader names the two sides; the ladder's lanes and the connection list take the names.
  await page.getByLabel('Name of the PBX side (TLS client)').fill('Head office PBX');
  await page.getByLabel('Name of the SBC side (TLS server)').fill('Carrier SBC');
  await expect(page.locator('.lanes-head')).toHaveText(/Head office PBX\s*Attacker\s*Carrier SBC/);
  await expect(page.locator('section.captured li').first()).toContainText(
    /^Head office PBX \S+ → Carrier SBC \S+: TLS 1\.3$/,
  );
  expect(requests).toEqual([]);
  expect(await seriousAxeIssues(page, { within: page.locator('details.open-capture') })).toEqual([]);
  expect(await seriousAxeIssues(page, { within: page.locator('section.captured') })).toEqual([]);
});

test('a capture and its key log dropped on the panel open at once', async ({ page }) => {
  const f = await captureFiles(test.info().outputPath());
  const requests = await openLab(page);
  const dataTransfer = await page.evaluateHandle(
    ([capture, keyLog]) => {
      const dt = new DataTransfer();
      const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes(keyLog)], 'secure-call.keylog', { type: 'text/plain' }));
      dt.items.add(new File([bytes(capture)], 'secure-call.pcapng'));
      return dt;
    },
    [readFileSync(f.capture).toString('base64'), readFileSync(f.keyLog).toString('base64')],
  );
  await page.locator('details.open-capture').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('status').filter({ hasText: /^Opened secure-call\.pcapng/ })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText(/TLS secrets?\./)).toContainText('secret');
  expect(requests).toEqual([]);
});

test('a long capture shows how far it has been read, and stops when cancelled', async ({ page }) => {
  const f = await captureFiles(test.info().outputPath());
  await openLab(page);
  await page.getByLabel('Capture file').setInputFiles(f.large);
  await page.getByRole('button', { name: 'Open capture' }).click();
  await expect(page.getByRole('progressbar', { name: 'Reading the capture' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Reading the capture was cancelled.' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('progressbar', { name: 'Reading the capture' })).toHaveCount(0);
  // The scenario on screen stays.
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
});

// Pictures of the panel with a diagnosis, for a person to look at: TRUNKLAB_SCREENSHOTS=dir.
const SHOTS = process.env.TRUNKLAB_SCREENSHOTS;
for (const view of [
  { name: 'desktop-light', viewport: { width: 1366, height: 800 }, colorScheme: 'light' as const },
  { name: 'desktop-dark', viewport: { width: 1366, height: 800 }, colorScheme: 'dark' as const },
  { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
]) {
  test(`screenshot of a diagnosed capture, ${view.name}`, async ({ browser }) => {
    test.skip(!SHOTS, 'set TRUNKLAB_SCREENSHOTS to a folder to take them');
    const dir = test.info().outputPath();
    mkdirSync(dir, { recursive: true });
    const failing = join(dir, 'mitm-self-signed.pcapng');
    const run = await runScenario('mitm-self-signed', { seed: 1, carrier: CARRIER });
    writeFileSync(failing, exportRun(run, 'pcapng').bytes);
    const context = await browser.newContext({ viewport: view.viewport, colorScheme: view.colorScheme });
    const page = await context.newPage();
    await openLab(page);
    await page.getByLabel('Capture file').setInputFiles(failing);
    await page.getByRole('button', { name: 'Open capture' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Opened / })).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('Name of the PBX side (TLS client)').fill('Head office PBX');
    await page.locator('section.captured').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS!, `capture-${view.name}.png`) });
    // The packet that carries the failure, in the ladder and the inspector.
    const failureText = await page.getByText(/^Packet \d+:/).textContent();
    const packet = Number(/^Packet (\d+)/.exec(failureText!)![1]);
    await ladderRow(page, packet).click();
    await page.locator('.lanes-head').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SHOTS!, `capture-${view.name}-ladder.png`) });
    await context.close();
  });
}

/** The ladder's row for packet `n` (from 1). */
function ladderRow(page: Page, n: number) {
  return page.getByRole('list', { name: 'Packet ladder' }).getByRole('button', { name: new RegExp(`^${n}\\. `) });
}
