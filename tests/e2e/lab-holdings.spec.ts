/**
 * What each party holds: the keys it derived with their derivation chain,
 * and the certificate checks it ran with their trace — as the engine's
 * events say, for the first scenario in the catalogue that has them.
 */
import { expect, test, type Page } from '@playwright/test';
import type { CertificateCheckEvent, KeyEvent } from '../../sim/index';
import { waitForIslands } from './hydration';
import { catalogueRuns } from './lab-engine';

async function openLab(page: Page, search: string) {
  await page.goto(`/${search}`);
  await waitForIslands(page);
  await expect(page.getByText(/^Step \d+ of \d+$/)).toBeVisible({ timeout: 20_000 });
}

test('each party’s keys, with what each was derived from and how', async ({ page }) => {
  let found: { scenario: string; total: number; keys: KeyEvent[] } | undefined;
  for (const { info, timeline } of await catalogueRuns()) {
    const keys = timeline.steps.flatMap((s) =>
      s.events.filter((e): e is KeyEvent => e.kind === 'key' && e.party === 'pbx'),
    );
    if (keys.some((k) => k.from.some((f) => keys.some((p) => p.name === f)))) {
      found = { scenario: info.id, total: timeline.steps.length, keys };
      break;
    }
  }
  expect(found, 'a scenario in the catalogue derives keys').toBeTruthy();
  const { scenario, total, keys } = found!;
  await openLab(page, `?scenario=${scenario}&step=${total}`);
  const pbx = page.getByRole('region', { name: 'PBX', exact: true });
  // The newest keys show; the earlier ones one press away, so no key is ever cut in half.
  await pbx.getByRole('button', { name: /^Show \d+ earlier keys?$/ }).click();
  for (const key of keys)
    await expect(pbx.getByRole('button', { name: `Show how ${key.name} was derived` }).first()).toBeVisible();

  // A key derived from another the PBX holds: showing its chain marks each ancestor, and "from" jumps to it.
  const child = keys.find((k) => k.from.some((f) => keys.some((p) => p.name === f)))!;
  const parent = child.from.find((f) => keys.some((p) => p.name === f))!;
  await pbx
    .getByRole('button', { name: `Show how ${child.name} was derived` })
    .first()
    .click();
  await expect(pbx.getByRole('button', { name: `Show how ${child.name} was derived` }).first()).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(pbx).toContainText(child.value);
  await expect(pbx.getByText('↳ in the chain').first()).toBeVisible();
  await expect(pbx).toContainText(child.how);
  await pbx.getByRole('button', { name: parent, exact: true }).first().click();
  await expect(page.locator(':focus')).toContainText(parent);
});

test('each certificate check with its verdict and step-by-step trace', async ({ page }) => {
  let found: { scenario: string; total: number; check: CertificateCheckEvent } | undefined;
  for (const { info, timeline } of await catalogueRuns()) {
    const check = timeline.steps
      .flatMap((s) => s.events)
      .find((e): e is CertificateCheckEvent => e.kind === 'certificate-check');
    if (check) {
      found = { scenario: info.id, total: timeline.steps.length, check };
      break;
    }
  }
  expect(found, 'a scenario in the catalogue checks a certificate').toBeTruthy();
  const { scenario, total, check } = found!;
  await openLab(page, `?scenario=${scenario}&step=${total}`);
  const panel = page.getByRole('region', {
    name: { pbx: 'PBX', attacker: 'Attacker', sbc: 'SBC' }[check.party],
    exact: true,
  });
  const verdict = `${check.subject} certificate: ${check.valid ? 'valid' : `invalid (${check.reason})`}`;
  const details = panel.locator('details').filter({ hasText: verdict }).first();
  await expect(details).toBeVisible();
  if (check.valid) await details.getByText(verdict).click(); // valid checks start closed; failed ones open
  await expect(details).toContainText(check.detail);
  const trace = details.getByRole('listitem');
  await expect(trace).toHaveCount(check.trace.length);
  for (const [i, t] of check.trace.entries()) {
    await expect(trace.nth(i)).toContainText(`${t.result} ${t.check}: ${t.detail}`);
  }
});
