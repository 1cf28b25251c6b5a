import { expect, test } from '@playwright/test';
import { waitForIslands } from './hydration';

test('the lab runs the OPTIONS keepalive in the engine worker and steps through it', async ({ page }) => {
  await page.goto('/');
  await waitForIslands(page);
  await expect(page.getByLabel('Scenario')).toHaveValue('options-keepalive');

  const ladder = page.getByRole('list', { name: 'Packet ladder' });
  await expect(ladder.getByRole('listitem')).toHaveCount(1);
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  await expect(inspector.getByRole('heading', { level: 2 })).toHaveText('SIP OPTIONS');
  // The field tree comes from the engine's annotations: the IPv4 header, UDP and each SIP header.
  await expect(inspector.getByText('Request-Line')).toBeVisible();
  await expect(inspector.getByText('Destination port')).toBeVisible();

  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(ladder.getByRole('listitem')).toHaveCount(2);
  await expect(inspector.getByRole('heading', { level: 2 })).toHaveText('SIP 200 OK');
  await expect(page.getByRole('button', { name: 'Next step' })).toBeDisabled();

  await page.getByRole('button', { name: 'Previous step' }).click();
  await expect(ladder.getByRole('listitem')).toHaveCount(1);

  // Hovering a field lights up exactly its bytes in the hex dump.
  await inspector.getByRole('button', { name: /^Destination port/ }).hover();
  await expect(inspector.locator('.hex .lit')).toHaveCount(2);

  await page.getByRole('radio', { name: 'Attacker' }).check();
  await expect(inspector).toContainText('Attacker reads all of it');
});
