/**
 * "Diagnose the trunk": a three-exercise set taken with the keyboard alone,
 * one answer wrong and one hint taken, checked against the result page and
 * the JSON the trainee downloads; the set's link brings back the same
 * exercises with the same bytes as the engine computes in Node for the same
 * seeds; before an exercise is answered, nothing in the page's text or its
 * accessibility tree names the scenario or its outcome — not the ladder's
 * labels of packets the attacker altered, not the proving packet opened in
 * the inspector, not the capture files' names or comments; once loaded, an
 * exercise runs offline to its feedback and no request leaves the site; axe
 * finds nothing serious in light and dark, on a desktop and a phone.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  listExercises,
  listScenarios,
  provingSteps,
  runScenario,
  type CarrierProfile,
  type Timeline,
} from '../../sim/index';
import { decodeSet, encodeSet, type TrainingSet } from '../../site/lib/training-set';
import { giveaways } from '../training/giveaways';
import { seriousAxeIssues } from './axe';
import { waitForIslands } from './hydration';

const CARRIER = JSON.parse(
  readFileSync(new URL('../../content/carrier.json', import.meta.url), 'utf8'),
) as CarrierProfile;

const SET: TrainingSet = {
  title: 'Trunk basics',
  items: [
    { scenario: 'wrong-root-installed', seed: 7 },
    { scenario: 'digest-wrong-password', seed: 11 },
    { scenario: 'srtp-required-rtp-offered', seed: 13 },
  ],
};
const LINK = `/train/?set=${encodeSet(SET)}`;
const exercises = listExercises(CARRIER);
const exerciseOf = (id: string) => exercises.find((e) => e.scenario === id)!;

/**
 * Words that would give an exercise away (tests/training/giveaways.ts): its scenario's id, title,
 * description, outcome and remedy, and the lab's labels of packets the attacker altered or replayed.
 */
async function wordsOf(id: string, seed: number, run?: Timeline): Promise<string[]> {
  const info = listScenarios().find((s) => s.id === id)!;
  return giveaways(info, run ?? (await runScenario(id, { seed, carrier: CARRIER })), exerciseOf(id));
}

async function expectNothingGivenAway(page: Page, id: string, seed: number, run?: Timeline) {
  const text = await page.locator('body').innerText();
  const tree = await page.locator('body').ariaSnapshot();
  for (const words of await wordsOf(id, seed, run)) {
    expect(text, `page text names "${words}"`).not.toContain(words);
    expect(tree, `accessibility tree names "${words}"`).not.toContain(words);
  }
}

/** Opens a packet on the ladder with the keyboard: focus its row, press Enter. */
async function openPacket(page: Page, name: RegExp) {
  const row = page.getByRole('list', { name: 'Packet ladder' }).getByRole('button', { name }).first();
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 3 })).toContainText(
    name,
  );
}

async function choose(page: Page, legend: string, text: string) {
  await page.getByRole('group', { name: legend }).getByRole('radio', { name: text }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('group', { name: legend }).getByRole('radio', { name: text })).toBeChecked();
}

async function press(page: Page, name: string | RegExp) {
  await page.getByRole('button', { name }).focus();
  await page.keyboard.press('Enter');
}

async function answer(page: Page, id: string, packet: RegExp, wrongCause?: string) {
  const e = exerciseOf(id);
  await openPacket(page, packet);
  await press(page, 'Mark the open packet as the proof');
  await expect(page.getByText(/^Marked: packet \d+/)).toBeVisible();
  await choose(page, '2. The cause', wrongCause ?? e.causes[0].text);
  await choose(page, '3. The fix', e.fixes[0].text);
  await press(page, 'Check my answers');
  await expect(page.getByRole('heading', { name: /^Feedback/ })).toBeFocused();
  await expect(page.getByRole('link', { name: e.remedy.article.title })).toHaveAttribute('href', e.remedy.article.href);
}

test('a three-exercise set, taken with the keyboard: one wrong answer, one hint, a result and its JSON', async ({
  page,
}) => {
  await page.goto(LINK);
  await waitForIslands(page);
  await expect(page.getByRole('heading', { name: 'Exercise 1 of 3' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
  await expectNothingGivenAway(page, 'wrong-root-installed', 7);
  expect(await seriousAxeIssues(page, { within: page.locator('main') })).toEqual([]);

  await answer(page, 'wrong-root-installed', /Alert/);
  await expect(page.getByText('✓ Right')).toHaveCount(3);
  // The proving packet is open in the inspector, with the failure it carries now on the ladder.
  await expect(page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 3 })).toContainText(
    'Alert',
  );
  await press(page, 'Next exercise');

  // Progress is kept: a reload comes back to the second exercise.
  await page.reload();
  await waitForIslands(page);
  await expect(page.getByText('Welcome back: you are on exercise 2.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Exercise 2 of 3' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
  await expectNothingGivenAway(page, 'digest-wrong-password', 11);
  await press(page, /^Get a hint/);
  await expect(page.getByRole('region', { name: 'Hints' }).getByRole('listitem')).toHaveText([
    'The trouble shows in this stage: Registration.',
  ]);
  const wrong = exerciseOf('digest-wrong-password').causes[1].text;
  await answer(page, 'digest-wrong-password', /403 Forbidden/, wrong);
  await expect(page.getByText('✗ Not quite')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: /^Feedback/ })).toContainText('15 of 30 points');
  await press(page, 'Next exercise');

  await expect(page.getByRole('heading', { name: 'Exercise 3 of 3' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
  await answer(page, 'srtp-required-rtp-offered', /488/);
  await press(page, 'See the result');

  await expect(page.getByRole('heading', { name: 'Result: Trunk basics' })).toBeFocused();
  await expect(page.getByText('Score: 75 of 90 points')).toBeVisible();
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(2)).toContainText('✗ wrong');
  expect(await seriousAxeIssues(page, { within: page.locator('main') })).toEqual([]);

  // On a phone each exercise is a card, with nothing to scroll sideways, and still a table row to a screen reader.
  await page.setViewportSize({ width: 390, height: 844 });
  const wrap = page.getByRole('region', { name: 'Result', exact: true });
  await expect.poll(() => wrap.evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(2).getByRole('rowheader')).toHaveCount(1);
  await expect(rows.nth(2).getByRole('cell')).toHaveCount(6);
  expect(await seriousAxeIssues(page, { within: page.locator('main') })).toEqual([]);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the result (JSON)' }).focus();
  await page.keyboard.press('Enter');
  const file = await download;
  expect(file.suggestedFilename()).toBe('trunk-basics-result.json');
  const result = JSON.parse(readFileSync((await file.path())!, 'utf8'));
  expect(result).toMatchObject({ title: 'Trunk basics', score: 75, maxScore: 90 });
  expect(result.exercises.map((e: { scenario: string; seed: number }) => [e.scenario, e.seed])).toEqual(
    SET.items.map((i) => [i.scenario, i.seed]),
  );
  expect(result.exercises.map((e: { score: number }) => e.score)).toEqual([30, 15, 30]);
  expect(result.exercises[1]).toMatchObject({
    hints: 1,
    cause: { chosen: wrong, right: false },
    proof: { right: true },
    fix: { right: true },
  });
  expect(result.link).toContain(LINK);
});

test('a set’s link brings back the same exercises with the bytes of their seeds', async ({ page }) => {
  const expected = await runScenario('wrong-root-installed', { seed: 7, carrier: CARRIER });
  const other = await runScenario('wrong-root-installed', { seed: 8, carrier: CARRIER });
  const hello = expected.steps.find((s) => s.summary.startsWith('ClientHello'))!;
  expect(other.steps.find((s) => s.summary.startsWith('ClientHello'))!.bytes).not.toBe(hello.bytes);

  await page.goto(LINK);
  await waitForIslands(page);
  await expect(page.getByRole('heading', { name: 'Trunk basics' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Packet ladder' }).getByRole('button')).toHaveCount(
    expected.steps.length,
  );
  await openPacket(page, /ClientHello/);
  const hex = (
    await page.getByRole('region', { name: 'Packet inspector' }).locator('[data-kind="hex"]').allInnerTexts()
  )
    .join('')
    .replace(/[^0-9a-f]/gi, '')
    .toLowerCase();
  expect(hex).toContain(hello.bytes.slice(0, 64));
});

test('the exercise is axe clean in light and dark, on a desktop and a phone', async ({ page }) => {
  await page.goto(
    `/train/?set=${encodeSet({ title: 'Call set-up', items: [{ scenario: 'srtp-suite-mismatch', seed: 3 }] })}`,
  );
  await waitForIslands(page);
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
  await expectNothingGivenAway(page, 'srtp-suite-mismatch', 3);
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const size of [
      { width: 1366, height: 800 },
      { width: 390, height: 844 },
    ]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize(size);
      expect(await seriousAxeIssues(page), `${colorScheme} ${size.width}`).toEqual([]);
    }
  }
});

test('an exercise whose packet was altered on the way names none of it before the answer: ladder, inspector, files', async ({
  page,
}) => {
  const id = 'tls-record-tamper';
  const seed = 5;
  const t = await runScenario(id, { seed, carrier: CARRIER });
  const proof = provingSteps(t.steps, exerciseOf(id).proof)[0];
  // The lab labels the altered copy so; the trainee's ladder must not.
  expect(t.steps[proof].summary).toMatch(/\(tampered\)$/);

  await page.goto(`/train/?set=${encodeSet({ title: 'On the path', items: [{ scenario: id, seed }] })}`);
  await waitForIslands(page);
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
  await expectNothingGivenAway(page, id, seed, t);
  // The proving packet, open in the inspector: its explanation and links say nothing of the attacker's doing.
  const row = page
    .getByRole('list', { name: 'Packet ladder' })
    .getByRole('button', { name: new RegExp(`^${proof + 1}\\. `) });
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Packet inspector' })).toContainText(
    new RegExp(`Packet ${proof + 1}(?!\\d)`),
  );
  await expectNothingGivenAway(page, id, seed, t);
  await expect(page.getByRole('region', { name: 'Packet inspector' })).not.toContainText('The attacker flipped');

  // The capture's files, as Wireshark would open them: named after the exercise, no comment naming the answer.
  const words = [...(await wordsOf(id, seed, t)), '(tampered', '✗'];
  const files = page.getByRole('region', { name: 'Export this run' });
  await expect(files.getByRole('button')).toHaveText([/Capture \(pcapng/, /TLS key log/]);
  for (const [button, name] of [
    [/Capture \(pcapng/, `trunk-exercise-seed${seed}.pcapng`],
    [/TLS key log/, `trunk-exercise-seed${seed}.keylog`],
  ] as const) {
    const download = page.waitForEvent('download');
    await files.getByRole('button', { name: button }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(name);
    const text = readFileSync((await file.path())!, 'utf8');
    if (name.endsWith('.keylog'))
      expect(text).toBe(t.keyLog!.replace(/^# .*\n/, `# trunk-exercise: TLS secrets of the run's connections\n`));
    for (const w of words) expect(text, `${name} names "${w}"`).not.toContain(w);
  }

  // Once answered, the lab's own labels are back: the feedback may name it all.
  const e = exerciseOf(id);
  await press(page, 'Mark the open packet as the proof');
  await choose(page, '2. The cause', e.causes[0].text);
  await choose(page, '3. The fix', e.fixes[0].text);
  await press(page, 'Check my answers');
  await expect(page.getByRole('heading', { name: /^Feedback/ })).toBeFocused();
  await expect(page.getByText('✓ Right')).toHaveCount(3);
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toContainText(t.steps[proof].summary);
});

test('once loaded, an exercise runs offline to its feedback, and no request leaves the site', async ({
  page,
  context,
}) => {
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await page.goto('/train/');
  await waitForIslands(page);
  await page.waitForLoadState('networkidle');
  await context.setOffline(true);

  await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'TLS handshake' });
  await press(page, 'Give me a random broken trunk');
  await expect(page.getByRole('list', { name: 'Packet ladder' })).toBeVisible();
  const set = decodeSet(new URL(page.url()).searchParams.get('set')!, exercises);
  const e = exerciseOf(set.items[0].scenario);
  await openPacket(page, /ClientHello/);
  await press(page, 'Mark the open packet as the proof');
  await choose(page, '2. The cause', e.causes[0].text);
  await choose(page, '3. The fix', e.fixes[0].text);
  await press(page, 'Check my answers');
  await expect(page.getByRole('heading', { name: /^Feedback/ })).toBeFocused();
  await expect(page.getByRole('link', { name: e.remedy.article.title })).toBeVisible();
  await context.setOffline(false);

  const origin = new URL(page.url()).origin;
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((u) => new URL(u).origin !== origin && !/^(data|blob):/.test(u))).toEqual([]);
});
