/**
 * axe-core, run inside the page under test and scoped to the region the
 * test is about, reporting only what WCAG calls serious or critical.
 *
 * axe runs in the page itself (its source evaluated once per document, then
 * `axe.run`) rather than through @axe-core/playwright, whose `analyze()`
 * injects axe into every frame, runs it in parts and opens a fresh page to
 * assemble each result: on a two-core machine that cost one to four seconds
 * per check before a rule was looked at, and a whole article with its live
 * steps running took 30 s. Only violations are collected (`resultTypes`),
 * and frames are left to their own checks (`iframes: false`: a frame without
 * axe would otherwise be waited for).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from '@playwright/test';

/**
 * The axe rules a change of colour scheme can break. A page's dark theme changes colours only, so a page checked
 * with every rule in the light theme is checked with these in the dark.
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** The rules to check a page with in a colour scheme: every rule in the light theme, the colour rules in the dark. */
export function rulesForScheme(scheme: 'light' | 'dark'): Pick<AxeScope, 'rules'> {
  return scheme === 'dark' ? { rules: COLOUR_RULES } : {};
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeScope {
  /** Check only this element and what it contains (default: the whole document). */
  within?: Locator;
  /** Or only the elements this CSS selector finds, e.g. every live figure of an article, in one run. */
  include?: string;
  /** CSS selectors of parts to leave out, e.g. figures that another test checks. */
  exclude?: string[];
  /** Only these axe rules (default: all), e.g. the colour rules, for a second theme of a page checked already. */
  rules?: string[];
}

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** The serious and critical axe violations in `page` (or in `scope.within`), one line each. */
export async function seriousAxeIssues(page: Page, scope: AxeScope = {}): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const options = {
    resultTypes: ['violations'],
    iframes: false,
    ...(scope.rules ? { runOnly: { type: 'rule', values: scope.rules } } : {}),
  };
  const exclude = scope.exclude ?? [];
  const violations: Violation[] = scope.within
    ? await scope.within
        .evaluate(
          (element, [options, exclude]) =>
            (window as unknown as AxeWindow).axe.run({ include: [element], exclude }, options),
          [options, exclude] as const,
        )
        .then((r) => r.violations)
    : await page
        .evaluate(
          ([options, exclude, include]) =>
            (window as unknown as AxeWindow).axe.run(
              include ? { include, exclude } : exclude.length ? { exclude } : document,
              options,
            ),
          [options, exclude, scope.include] as const,
        )
        .then((r) => r.violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

interface AxeWindow {
  axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> };
}
