/**
 * Every control of the lab, found by the accessible name DESIGN.md gives it,
 * driven with the mouse and with the keyboard alone.
 */
import { expect, test, type Page } from '@playwright/test';
import { waitForIslands } from './hydration';
import { runInNode } from './lab-engine';

/** Opens the lab; without a search, on the two-packet keepalive these tests step through. */
async function openLab(page: Page, search = '?scenario=options-keepalive') {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

test('scenario select, step buttons, ladder and inspector by their names', async ({ page }) => {
  const timeline = await runInNode('options-keepalive');
  await openLab(page);

  const scenario = page.getByRole('combobox', { name: 'Scenario' });
  await expect(scenario).toHaveValue('options-keepalive');
  await expect(page.getByRole('textbox', { name: 'Seed' })).toBeHidden();
  await page.getByText('Settings', { exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Seed' })).toHaveValue('1');

  const ladder = page.getByRole('list', { name: 'Packet ladder' });
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  const previous = page.getByRole('button', { name: 'Previous step' });
  const next = page.getByRole('button', { name: 'Next step' });
  const restart = page.getByRole('button', { name: 'Restart' });

  // The whole run is on the ladder from the start; what is not sent yet says so.
  await expect(ladder.getByRole('listitem')).toHaveCount(2);
  await expect(ladder.getByRole('button', { name: /^2\. .*; not sent yet$/ })).toBeVisible();
  await expect(inspector.getByRole('heading', { level: 2 })).toHaveText(`SIP ${timeline.steps[0].summary}`);
  await expect(previous).toBeDisabled();
  await expect(restart).toBeDisabled();

  await next.click();
  await expect(page.getByText(`Step 2 of ${timeline.steps.length}`, { exact: true })).toBeVisible();
  await expect(ladder.getByRole('button', { name: /not sent yet/ })).toHaveCount(0);
  await expect(inspector.getByRole('heading', { level: 2 })).toHaveText(`SIP ${timeline.steps[1].summary}`);
  await expect(next).toBeDisabled();
  // The run's outcome shows once the last packet is sent.
  await expect(page.getByText('Outcome: success', { exact: true })).toBeVisible();

  // Selecting an earlier packet in the ladder opens it in the inspector.
  await ladder.getByRole('button', { name: /^1\. PBX to SBC: SIP OPTIONS/ }).click();
  await expect(inspector.getByRole('heading', { level: 2 })).toHaveText('SIP OPTIONS');
  await expect(ladder.getByRole('button', { name: /^1\./ })).toHaveAttribute('aria-current', 'true');

  await restart.click();
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
  await previous.click({ force: true }); // aria-disabled: does nothing at the first step
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
});

test('Play sends the packets one after another, is named Pause while playing, and stops at the end', async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('4');
  const play = page.getByRole('button', { name: 'Play' });
  await play.click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(page.getByText('Step 2 of 2', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  // Pause stops it where it is.
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('0.5');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
  await page.waitForTimeout(2000);
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
});

test('the View as radio group switches whose eyes the inspector uses', async ({ page }) => {
  await openLab(page);
  const viewAs = page.getByRole('group', { name: 'View as' });
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  await expect(viewAs.getByRole('radio', { name: 'PBX' })).toBeChecked();
  for (const party of ['Attacker', 'SBC', 'PBX']) {
    await viewAs.getByRole('radio', { name: party }).check();
    await expect(inspector).toContainText(`${party} reads all of it`);
  }
});

test('keyboard only: Tab reaches every control, arrow keys step and move through the ladder', async ({ page }) => {
  await openLab(page);
  const next = page.getByRole('button', { name: 'Next step' });
  await next.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Step 2 of 2', { exact: true })).toBeVisible();
  // The button keeps focus at the end of the run (it is aria-disabled, not removed from the tab order).
  await expect(next).toBeFocused();

  await page.keyboard.press('ArrowLeft');
  await expect(page.getByText('Step 1 of 2', { exact: true })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText('Step 2 of 2', { exact: true })).toBeVisible();

  // The ladder is one tab stop; ↑ moves to the previous packet and opens it.
  const ladder = page.getByRole('list', { name: 'Packet ladder' });
  await ladder.getByRole('button', { name: /^2\./ }).focus();
  await page.keyboard.press('ArrowUp');
  await expect(ladder.getByRole('button', { name: /^1\./ })).toBeFocused();
  await expect(page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 2 })).toHaveText(
    'SIP OPTIONS',
  );

  // Tab order reaches the controls in reading order, each with a visible focus outline.
  await page.getByRole('combobox', { name: 'Scenario' }).focus();
  const names: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return {
        name: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '',
        tag: el.tagName,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      };
    });
    expect(focused.outline, `focus is visible on ${focused.tag} "${focused.name}"`).toBe(true);
    names.push(focused.name);
  }
  expect(names.join(' | ')).toMatch(/Previous step.*Play.*Next step.*Restart/);
});

test('changing the seed runs the scenario again and keeps the step', async ({ page }) => {
  await openLab(page, '?scenario=options-keepalive&step=2');
  // The seed is a setting a newcomer does not need: it waits in Settings, explained in plain words.
  await page.getByText('Settings', { exact: true }).click();
  const seed = page.getByRole('textbox', { name: 'Seed' });
  await expect(seed).toHaveAccessibleDescription(/The same number replays the same bytes/);
  const fingerprint = page.locator('[data-fingerprint]');
  const before = await fingerprint.textContent();
  await seed.fill('42');
  await seed.press('Enter');
  await expect(fingerprint).not.toHaveText(before!);
  await expect(page.getByText('Step 2 of 2', { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/seed=42/);

  await seed.fill('not a number');
  await seed.press('Enter');
  await expect(seed).toHaveAttribute('aria-invalid', 'true');
});

test('without a scenario in the address the lab opens on a whole secure call', async ({ page }) => {
  await openLab(page, '');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('secure-call');
  const ladder = page.getByRole('list', { name: 'Packet ladder' });
  await expect(ladder.getByRole('listitem').first()).toContainText('SYN');
});
