/**
 * Media in the ladder and in the speakers: a run of SRTP is one row that
 * opens, a long run scrolls with only the rows in view in the page, and the
 * call can be heard as each party hears it — for the first scenario in the
 * catalogue that has media.
 */
import { expect, test, type Page } from '@playwright/test';
import { mediaRuns } from '../../site/lib/ladder-rows';
import { waitForIslands } from './hydration';
import { catalogueRuns } from './lab-engine';
import { seriousAxeIssues } from './axe';

async function openLab(page: Page, search: string) {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

/** The longest run of media packets the ladder folds, in any scenario: its scenario, first step and length. */
async function longestMediaRun() {
  let best: { scenario: string; total: number; first: number; length: number } | undefined;
  for (const { info, timeline } of await catalogueRuns()) {
    for (const [first, end] of mediaRuns(timeline.steps)) {
      if (end - first > (best?.length ?? 2))
        best = { scenario: info.id, total: timeline.steps.length, first, length: end - first };
    }
  }
  return best;
}

test('a run of media packets is one row that opens on its first packet, with the call’s voice each way', async ({
  page,
}) => {
  const run = await longestMediaRun();
  expect(run, 'a scenario in the catalogue sends media').toBeTruthy();
  const { scenario, first, length } = run!;
  const timeline = (await catalogueRuns()).find((r) => r.info.id === scenario)!.timeline;
  await openLab(page, `?scenario=${scenario}&step=${first + length}`);
  const ladder = page.getByRole('list', { name: 'Packet ladder' });
  // "SRTP, 257 packets both ways, 2.5 s": the row the open packet is in.
  const row = ladder.locator('button[aria-current="true"]');
  await expect(row).toHaveAttribute('aria-expanded', 'false');
  await expect(row).toHaveAccessibleName(
    /^S?RTC?P.*, [\d,]+ packets both ways, \d+\.\d s(, with [\d,]+ TCP ACKs?)? between .*press to show each packet; packet \d+ of \d+ in this run is open$/,
  );
  const pressed = ladder.locator(`button[data-row="${await row.getAttribute('data-row')}"]`);
  await pressed.click();
  // The run's row stays where it was pressed, keeps focus, and now says it is open.
  await expect(pressed).toBeFocused();
  await expect(pressed).toHaveAttribute('aria-expanded', 'true');
  await expect(pressed).toHaveAccessibleName(/shown below, press to hide/);
  // Each of its packets is now a row of its own; the first is open in the inspector.
  const firstRow = ladder.getByRole('button', { name: new RegExp(`^${first + 1}\\. `) });
  await expect(firstRow).toBeVisible();
  await expect(firstRow).toHaveAttribute('aria-current', 'true');
  await expect(page).toHaveURL(new RegExp(`packet=${first + 1}&`));
  // Beside it, each direction's voice and what its receiver made of it, as the engine counted.
  const voice = page
    .getByRole('region', { name: 'Packet inspector' })
    .getByRole('region', { name: 'The call’s voice' });
  for (const m of timeline.media!) {
    const who = { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' };
    await expect(voice).toContainText(`${who[m.from]} → ${who[m.to]}: ${m.sent} ${m.protocol} packets sent`);
  }
  await expect(
    seriousAxeIssues(page, { within: page.getByRole('region', { name: 'Secure Trunk Lab' }) }),
  ).resolves.toEqual([]);
});

test('a long opened run keeps only the rows in view in the page, and each row knows its place', async ({ page }) => {
  const run = await longestMediaRun();
  expect(run?.length ?? 0, 'media packets in the longest run of the catalogue').toBeGreaterThanOrEqual(200);
  const { scenario, total } = run!;
  await openLab(page, `?scenario=${scenario}&step=${total}`);
  const ladder = page.getByRole('list', { name: 'Packet ladder' });
  await ladder
    .getByRole('button', { expanded: false, name: /packets both ways/ })
    .first()
    .click();
  const items = ladder.getByRole('listitem');
  const setSize = Number(await items.first().getAttribute('aria-setsize'));
  expect(setSize).toBeGreaterThan(200);
  expect(await items.count()).toBeLessThan(80);
  // Scrolling to the end brings the last rows into the page.
  await ladder.evaluate((el) => (el.parentElement!.scrollTop = el.parentElement!.scrollHeight));
  await expect(items.last()).toHaveAttribute('aria-posinset', String(setSize));
});

test('the call as each party hears it plays from the engine’s samples', async ({ page }) => {
  const runs = await catalogueRuns();
  const withAudio = runs.find((r) => (r.timeline.audio?.length ?? 0) > 0);
  expect(withAudio, 'a scenario in the catalogue has call audio').toBeTruthy();
  const { info, timeline } = withAudio!;
  await openLab(page, `?scenario=${info.id}`);
  const audio = page.getByRole('region', { name: 'Hear the call' });
  for (const track of timeline.audio!) {
    const party = { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' }[track.party];
    await expect(audio).toContainText(track.summary);
    const play = audio.getByRole('button', { name: `Play as the ${party} hears it` });
    await play.click();
    const stop = audio.getByRole('button', { name: `Stop the ${party}'s audio` });
    await expect(stop).toHaveAttribute('aria-pressed', 'true');
    await expect(audio.getByText(/could not play/)).toHaveCount(0);
    await stop.click();
    await expect(play).toHaveAttribute('aria-pressed', 'false');
  }
});
