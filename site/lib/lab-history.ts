/**
 * Ties the full lab to the browser's address bar: each change a person makes
 * becomes a history entry (Play replaces the entry as it goes, so one Back
 * undoes the whole playback), and Back and Forward show the state they name.
 */
import type { ScenarioInfo } from '../../sim/index';
import type { LabState, NavigationMode } from './lab-state.svelte';
import { defaultScenario, readLabUrl, writeLabUrl, type ReadResult } from './lab-url';

export function readLocation(scenarios: readonly ScenarioInfo[]): ReadResult {
  return readLabUrl(window.location.search, scenarios, defaultScenario(scenarios));
}

/**
 * Connects `lab` to the history; returns the function that disconnects it. The address is
 * written once the reader pauses, WRITE_AFTER_MS after the last change (or at the latest
 * WRITE_WITHIN_MS after the first, so that it never lags far behind a long playback): a
 * history entry costs milliseconds — and in Chromium each one also has the page decode its
 * favicon again — work that would otherwise land in the middle of the next step of a reader
 * pressing Next again and again. Changes made in quick succession — a key held down, a run
 * of presses — become one entry.
 */
const WRITE_AFTER_MS = 250;
const WRITE_WITHIN_MS = 2000;

export function connectHistory(lab: LabState): () => void {
  let pending: NavigationMode | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstChange = 0;
  const write = () => {
    const mode = pending;
    pending = undefined;
    timer = undefined;
    const search = writeLabUrl(lab.location);
    if (mode === undefined || search === window.location.search) return;
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  };
  lab.onnavigate = (mode) => {
    const now = performance.now();
    if (pending === undefined) firstChange = now;
    pending = pending === 'push' || mode === 'push' ? 'push' : 'replace';
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(write, Math.max(0, Math.min(WRITE_AFTER_MS, firstChange + WRITE_WITHIN_MS - now)));
  };
  const onpopstate = () => {
    pending = undefined;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const { location } = readLocation(lab.scenarios);
    void lab.apply(location);
  };
  window.addEventListener('popstate', onpopstate);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    lab.onnavigate = undefined;
    window.removeEventListener('popstate', onpopstate);
  };
}

/** After the first run, the address shows the full state (scenario, seed, step, lens) without a new entry. */
export function settleUrl(lab: LabState): void {
  const search = writeLabUrl(lab.location);
  if (search !== window.location.search) {
    history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  }
}
