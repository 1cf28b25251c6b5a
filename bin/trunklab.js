#!/usr/bin/env node
// The `trunklab` command. It runs the plain JavaScript that scripts/build-cli.js
// bundled from the TypeScript (at `npm install`, by the package's `prepare`
// script), so it starts in a blink; with source maps, which it turns on once it
// loads the engine (trunklab-process.ts), so a stack trace still names the
// TypeScript. When that build is missing, or older than a source it
// was built from (someone edited sim/ since), it runs the TypeScript itself
// through tsx: slower to start, never out of date.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** True when the build exists and no source it lists changed after it was made. */
function buildIsCurrent() {
  try {
    const { builtAt, sources } = JSON.parse(readFileSync(`${root}build/cli/sources.json`, 'utf8'));
    return sources.every((path) => statSync(root + path).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

let entry;
if (buildIsCurrent()) {
  entry = await import(new URL('../build/cli/trunklab.js', import.meta.url).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import(new URL('trunklab-process.ts', import.meta.url).href);
}
await entry.runTrunklab();
