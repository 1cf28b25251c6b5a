/**
 * One live figure as a reader uses it (site/components/figure): it opens on
 * the field its article names with that field's bytes lit, as the engine
 * computes them in Node; switching to a party that cannot read the field
 * says so and shows what that party has; Next and Previous run the engine in
 * the page's worker; none of this changes the figure's height; "Full
 * inspector" opens the lab's inspector in place on the same field, and "Open
 * in the lab" lands on the same step, field and lens.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { findInStep } from '../../site/lib/field-names';
import { fieldAt } from '../../site/lib/field-paths';
import { engineStep } from './figure-claims';
import { reachForFigure, waitForIslands } from './hydration';

const ARTICLE = '/docs/sip-over-tls/';
const FIELD = 'sdp.a=crypto';

async function openFigure(page: Page): Promise<{ figure: Locator; scenario: string; step: number }> {
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(ARTICLE);
  const figure = page.locator(`figure.kb-live-step[data-live-field="${FIELD}"]`).first();
  await reachForFigure(figure);
  return {
    figure,
    scenario: (await figure.getAttribute('data-live-scenario'))!,
    step: Number(await figure.getAttribute('data-live-step')),
  };
}

const height = (el: Locator) => el.evaluate((e) => e.getBoundingClientRect().height);
const litHex = (figure: Locator) =>
  figure
    .locator('.bytes .hex .lit')
    .evaluateAll((els) => els.flatMap((e) => e.textContent!.split(' ')).filter(Boolean));

test('a figure opens its field with the engine’s bytes lit, steps and switches party without changing height, and expands in place', async ({
  page,
}) => {
  const { figure, scenario, step } = await openFigure(page);
  const named = findInStep((await engineStep(scenario, step))!, 'pbx', FIELD)!;
  const field = fieldAt(named.place.fields, named.path)!;
  const region = figure.getByRole('region', { name: new RegExp(`, step ${step}$`) });
  await expect(region.getByRole('heading', { level: 4 })).toContainText(field.value!.slice(0, 20));
  // The bytes lit are the field's, in the layer the PBX decrypted, as the engine wrote them (as far as they show).
  const lit = await litHex(figure);
  const expected = named.place.hex.slice(field.start * 2, field.end * 2).match(/../g)!;
  expect(lit.length).toBeGreaterThan(0);
  expect(lit).toEqual(expected.slice(0, lit.length));

  const tall = await height(figure);
  await region.getByRole('radio', { name: 'Attacker' }).check();
  await expect(region.getByText(`The Attacker cannot read ${FIELD} in this packet`)).toBeVisible();
  await expect(region.getByRole('heading', { level: 4 })).toContainText('TLSCiphertext');
  expect(await height(figure)).toBe(tall);
  await region.getByRole('radio', { name: 'PBX' }).check();

  // Next asks the engine for the run; the figure moves on when the step is computed.
  await region.getByRole('button', { name: 'Next step' }).click();
  const next = figure.getByRole('region', { name: new RegExp(`, step ${step + 1}$`) });
  await expect(next.getByText(new RegExp(`^Step ${step + 1} of \\d+$`))).toBeVisible();
  await expect(next.getByRole('list', { name: 'Packet ladder' }).locator('[aria-current="step"]')).toHaveAccessibleName(
    new RegExp(`^${step + 1}\\. `),
  );
  expect(await height(figure)).toBe(tall);
  await next.getByRole('button', { name: 'Previous step' }).click();
  await expect(region.getByText(new RegExp(`^Step ${step} of \\d+$`))).toBeVisible();
  expect(await height(figure)).toBe(tall);

  // The full inspector, in place, on the same field.
  await region.getByRole('button', { name: 'Full inspector' }).click();
  const inspector = figure.getByRole('region', { name: 'Packet inspector' });
  await expect(inspector).toBeVisible();
  await expect(inspector.locator('[role="treeitem"][aria-selected="true"]').first()).toContainText(field.name);
  await expect(region.getByRole('button', { name: 'Full inspector' })).toHaveAttribute('aria-expanded', 'true');
});

test('"Open in the lab" lands on the figure’s step, field and lens', async ({ page }) => {
  const { figure, scenario, step } = await openFigure(page);
  const link = figure.getByRole('link', { name: 'Open in the lab' });
  const href = new URL((await link.getAttribute('href'))!, 'http://x');
  expect(Object.fromEntries(href.searchParams)).toEqual({ scenario, step: String(step), field: FIELD });
  await link.click();
  await waitForIslands(page);
  // The lab shows the step as soon as its engine reaches it, before the run is complete.
  await expect(page.getByText(new RegExp(`^Step ${step} of \\d+( so far…)?$`))).toBeVisible();
  const selected = page
    .getByRole('region', { name: 'Packet inspector' })
    .locator('[role="treeitem"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toContainText('a= attribute');
  await expect(selected).toContainText('crypto:1');
  await expect(page).toHaveURL(/[?&]field=sdp\.a%3Dcrypto(&|$)/);
});
