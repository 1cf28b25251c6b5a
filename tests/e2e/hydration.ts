import { expect, type Locator, type Page } from '@playwright/test';

/** Waits until every Astro island on the page has hydrated (it loses its `ssr` attribute). */
export async function waitForIslands(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0);
}

/**
 * Brings an article's live figure into view and reaches for it, as a reader does (the pointer over
 * its controls), which loads its script (`client:interaction`); waits until it is live.
 */
export async function reachForFigure(figure: Locator): Promise<void> {
  await figure.scrollIntoViewIfNeeded();
  // Over the step's position, where a hover lights no field.
  await figure.locator('section .position').first().hover();
  await expect(figure.locator('astro-island').first()).not.toHaveAttribute('ssr', /.*/);
}
