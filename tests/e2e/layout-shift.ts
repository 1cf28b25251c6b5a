/**
 * Cumulative layout shift as browsers report it (Layout Instability API,
 * `layout-shift` entries from a PerformanceObserver) and as web-vitals sums
 * it: shifts not caused by the reader's own input (`hadRecentInput` false),
 * grouped into session windows (a gap under 1 s, at most 5 s long), the
 * largest window's sum. The observer is installed before the page's own
 * scripts run, in the page and in every frame it opens.
 */
import type { Frame, Page } from '@playwright/test';

interface ShiftWindow {
  layoutShifts?: Array<{ value: number; time: number; input: boolean; sources: string[] }>;
}

/** Starts recording layout shifts in `page` and its frames, from their first paint. */
export async function watchLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shifts: NonNullable<ShiftWindow['layoutShifts']> = [];
    (window as ShiftWindow).layoutShifts = shifts;
    const rect = (r?: DOMRectReadOnly) =>
      r ? `${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}×${Math.round(r.height)}` : '';
    const describe = (source: { node?: Node; previousRect?: DOMRectReadOnly; currentRect?: DOMRectReadOnly }) => {
      const node = source.node;
      const el = node instanceof Element ? node : node?.parentElement;
      const cls =
        el && typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/)[0]}` : '';
      const name = el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}` : '?';
      return `${name} ${rect(source.previousRect)} → ${rect(source.currentRect)}`;
    };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<
        PerformanceEntry & {
          value: number;
          hadRecentInput: boolean;
          sources?: Array<{ node?: Node; previousRect?: DOMRectReadOnly; currentRect?: DOMRectReadOnly }>;
        }
      >) {
        shifts.push({
          value: entry.value,
          time: entry.startTime,
          input: entry.hadRecentInput,
          sources: (entry.sources ?? []).map(describe),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

export interface LayoutShiftReport {
  /** The largest session window's sum of shifts not caused by input. */
  cls: number;
  /** Every shift not caused by input, for a failure message. */
  shifts: Array<{ value: number; time: number; sources: string[] }>;
}

/** CLS so far in `target` (a page or one of its frames). */
export async function cumulativeLayoutShift(target: Page | Frame): Promise<LayoutShiftReport> {
  const all = await target.evaluate(() => (window as ShiftWindow).layoutShifts ?? []);
  const shifts = all.filter((s) => !s.input).map(({ value, time, sources }) => ({ value, time, sources }));
  let cls = 0;
  let sum = 0;
  let first = 0;
  let last = 0;
  for (const s of shifts) {
    if (sum > 0 && (s.time - last >= 1000 || s.time - first >= 5000)) sum = 0;
    if (sum === 0) first = s.time;
    sum += s.value;
    last = s.time;
    cls = Math.max(cls, sum);
  }
  return { cls, shifts };
}
