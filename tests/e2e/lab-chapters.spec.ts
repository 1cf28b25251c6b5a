/**
 * The lab teaches: a first screen a newcomer can start from, chapters that
 * jump, Next step that reaches the BYE of a secure call in at most twelve
 * presses, failed runs that open on the packet that proves them and say
 * what to change, attacks that read as stopped, and texts that follow the
 * run as it happened — found by accessible name, against what the engine
 * computes in Node for the same runs.
 */
import { expect, test, type Page } from '@playwright/test';
import { waitForIslands } from './hydration';
import { catalogueRuns, runInNode } from './lab-engine';
import { seriousAxeIssues } from './axe';

async function openLab(page: Page, search: string) {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

const title = (page: Page) => page.getByRole('region', { name: 'Packet inspector' }).getByRole('heading', { level: 2 });

test('a calm first screen: picker, step controls, chapters, the ladder and the packet, without scrolling', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  await openLab(page, '');
  for (const control of [
    page.getByRole('combobox', { name: 'Scenario' }),
    page.getByRole('button', { name: 'Next step' }),
    page.getByRole('navigation', { name: 'Chapters' }),
    page.getByRole('list', { name: 'Packet ladder' }).getByRole('listitem').first(),
    title(page),
  ]) {
    await expect(control).toBeInViewport();
  }
  // Seed, talk time and what-ifs wait in Settings.
  await expect(page.getByRole('textbox', { name: 'Seed' })).toBeHidden();
  await expect(page.getByRole('group', { name: 'What if…' })).toBeHidden();
});

test('chapters jump to their first step; Next step reaches the BYE in at most 12 presses', async ({ page }) => {
  const timeline = await runInNode('secure-call');
  await openLab(page, '?scenario=secure-call');
  const chapters = page.getByRole('navigation', { name: 'Chapters' });
  const names = ['TCP connection', 'TLS handshake', 'Registration', 'Call set-up', 'Media', 'Hang-up'];
  await expect(chapters.getByRole('button')).toHaveCount(names.length);
  const first = (phase: string) => timeline.steps.find((s) => s.phase === phase)!;
  for (const [i, phase] of ['tcp', 'tls', 'registration', 'call-setup', 'media', 'hang-up'].entries()) {
    const button = chapters.getByRole('button', {
      name: new RegExp(`^${names[i]}, steps ${first(phase).index + 1} to`),
    });
    await expect(button).toBeVisible();
  }
  await expect(chapters.getByRole('button', { name: /^TCP connection/ })).toHaveAttribute('aria-current', 'step');

  await chapters.getByRole('button', { name: /^Hang-up/ }).click();
  await expect(title(page)).toHaveText('SIP BYE');
  await expect(chapters.getByRole('button', { name: /^Hang-up/ })).toHaveAttribute('aria-current', 'step');
  await chapters.getByRole('button', { name: /^TLS handshake/ }).click();
  await expect(title(page)).toHaveText('TLS ClientHello');

  // A newcomer from the first packet, with nothing but Next step.
  await page.getByRole('button', { name: 'Restart' }).click();
  await expect(title(page)).toHaveText('TCP SYN');
  let presses = 0;
  while ((await title(page).textContent()) !== 'SIP BYE' && presses < 20) {
    const before = await page.getByText(/^Step \d+ of \d+$/).textContent();
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(page.getByText(/^Step \d+ of \d+$/)).not.toHaveText(before!);
    presses++;
  }
  expect(presses).toBeLessThanOrEqual(12);
  // On the way it passed the media as one stop: the BYE comes right after it.
  await page.getByRole('button', { name: 'Previous step' }).click();
  await expect(page.getByRole('region', { name: 'The call’s voice' })).toBeVisible();
  // And ← and → step from anywhere on the page, even with nothing in the lab focused.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('ArrowRight');
  await expect(title(page)).toHaveText('SIP BYE');
});

/**
 * The catalogue's failing scenarios, in groups of about three: one page each, chosen in the picker as a reader
 * would (each choice runs the scenario in the page's engine, seconds on a busy machine).
 */
const GROUPS = 6;
for (let group = 0; group < GROUPS; group++) {
  test(`failed runs, group ${group + 1}: each opens on the packet that proves it and says what to change`, async ({
    page,
  }) => {
    const failing = (await catalogueRuns())
      .filter((r) => !r.timeline.outcome.ok)
      .filter((_, i) => i % GROUPS === group);
    expect(failing.length).toBeGreaterThan(0);
    await openLab(page, `?scenario=${failing[0].info.id}`);
    for (const { info, timeline } of failing) {
      const o = timeline.outcome;
      if (info.id !== failing[0].info.id) {
        await page.getByRole('combobox', { name: 'Scenario' }).selectOption(info.id);
      }
      const proof = timeline.steps[o.step!];
      expect(proof.failure, info.id).toBeTruthy();
      await expect(
        page.getByText(`Step ${o.step! + 1} of ${timeline.steps.length}`, { exact: true }),
        info.id,
      ).toBeVisible();
      const inspector = page.getByRole('region', { name: 'Packet inspector' });
      await expect(inspector, info.id).toContainText(`✗ Failure: ${proof.failure}`);
      const outcome = page.getByRole('region', { name: /^Outcome: / });
      await expect(outcome, info.id).toContainText(o.remedy!.fix);
      await expect(outcome, info.id).toContainText(o.remedy!.cause);
      // An attack refused reads as stopped, and says what stopped it; a broken trunk reads as failed.
      await expect(outcome.getByRole('heading'), info.id).toHaveText(
        new RegExp(o.attackStopped ? '^.?\\s*Outcome: attack stopped' : '^.?\\s*Outcome: failed'),
      );
      if (o.attackStopped) await expect(outcome).toContainText(o.attackStopped.by);
      if (info.id === failing[0].info.id) {
        // From anywhere, one press goes back to the proof.
        await page.getByRole('button', { name: 'Restart' }).click();
        await expect(page.getByText(`Step 1 of ${timeline.steps.length}`, { exact: true })).toBeVisible();
        await page.getByRole('button', { name: 'Jump to the failure' }).click();
        await expect(page.getByText(`Step ${o.step! + 1} of ${timeline.steps.length}`, { exact: true })).toBeVisible();
      }
    }
    // A failure on screen, its outcome and fix open: nothing serious for axe (once; the quality tests do the rest).
    if (group === 0) {
      expect(await seriousAxeIssues(page, { within: page.getByRole('region', { name: 'Secure Trunk Lab' }) })).toEqual(
        [],
      );
    }
  });
}

test('plain RTP with an eavesdropper: every text says the attacker reads and plays the audio', async ({ page }) => {
  await openLab(page, '?scenario=secure-call&srtp=off&attacker=observe&lens=attacker');
  await page
    .getByRole('navigation', { name: 'Chapters' })
    .getByRole('button', { name: /^Media/ })
    .click();
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  await expect(title(page)).toHaveText('RTP');
  await expect(inspector).toContainText('Attacker reads all of it');
  await expect(inspector).toContainText(
    /plain RTP — its 160-byte payload is exactly 20 ms of G\.711 .* anyone can play it/,
  );
  await expect(inspector).not.toContainText('unreadable');
  await expect(inspector.getByRole('region', { name: 'The call’s voice' })).toContainText(
    'the attacker on the path read 128',
  );
  await expect(page.getByRole('region', { name: 'Hear the call' })).toContainText(
    'The attacker plays the PBX’s voice as it captured it: plain RTP needs no key.',
  );
  // The description is the scenario's; the page says the run follows the change.
  await expect(page.getByText(/You changed .*Media encryption to Plain RTP/)).toBeVisible();
  // At the end, the outcome says what happened: the call went through in clear, and the attacker read it.
  await page
    .getByRole('navigation', { name: 'Chapters' })
    .getByRole('button', { name: /^Hang-up/ })
    .click();
  const next = page.getByRole('button', { name: 'Next step' });
  for (let i = 0; i < 10 && (await next.getAttribute('aria-disabled')) !== 'true'; i++) await next.click();
  const outcome = page.getByRole('region', { name: /^Outcome/ });
  await expect(outcome).toContainText('over plain RTP (unencrypted)');
  await expect(outcome).toContainText('The attacker read 128 of the PBX’s and 128 of the SBC’s audio packets');
});

test('with nobody on the path, the attacker’s view says so once and offers an eavesdropper', async ({ page }) => {
  await openLab(page, '?scenario=secure-call&lens=attacker');
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  await expect(inspector).toContainText('Nobody is on the path in this run');
  await expect(inspector).not.toContainText('never sees this packet');
  await inspector.getByRole('button', { name: 'Run it again with an eavesdropper on the path' }).click();
  await expect(page).toHaveURL(/attacker=observe/);
  // Now someone is: on the TCP SYN it reads everything (nothing is encrypted yet), and says so.
  await expect(inspector).toContainText('Attacker reads all of it: TCP SYN');
  await expect(inspector).not.toContainText('Nobody is on the path');
});

test('phone: the step controls stay on screen, and after Next step the new packet’s title is in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLab(page, '?scenario=secure-call');
  const next = page.getByRole('button', { name: 'Next step' });
  await expect(next).toBeInViewport();
  await next.click();
  await expect(title(page)).toHaveText('TCP SYN, ACK');
  await expect(title(page)).toBeInViewport();
  await expect(next).toBeInViewport();
  await next.click();
  await expect(title(page)).toHaveText('TLS ClientHello');
  await expect(title(page)).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});
