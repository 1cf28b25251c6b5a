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
 * written a moment after the change is on screen (pushState costs milliseconds, which a step
 * should not wait for), and changes made in quick succession — a key held down — become one
 * entry.
 */
const WRITE_AFTER_MS = 150;

export function connectHistory(lab: LabState): () => void {
  let pending: NavigationMode | undefined;
  const write = () => {
    const mode = pending;
    pending = undefined;
    const search = writeLabUrl(lab.location);
    if (mode === undefined || search === window.location.search) return;
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  };
  lab.onnavigate = (mode) => {
    if (pending === undefined) setTimeout(write, WRITE_AFTER_MS);
    pending = pending === 'push' || mode === 'push' ? 'push' : 'replace';
  };
  const onpopstate = () => {
    pending = undefined;
    const { location } = readLocation(lab.scenarios);
    void lab.apply(location);
  };
  window.addEventListener('popstate', onpopstate);
  return () => {
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
