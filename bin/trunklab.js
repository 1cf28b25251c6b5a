#!/usr/bin/env node
// The `trunklab` command. It runs the plain JavaScript that scripts/build-cli.js
// bundled from the TypeScript (at `npm install`, by the package's `prepare`
// script), so it starts in a blink; with source maps, which it turns on once it
// loads the engine (trunklab-process.mts), so a stack trace still names the
// TypeScript. When that build is missing, or older than a source it was built
// from (someone edited sim/ since), it runs the TypeScript itself through tsx:
// slower to start, never out of date.
//
// This file is CommonJS (bin/package.json), and help, a command's usage and an
// unknown command are answered here from the table the build wrote
// (build/cli/answers.cjs): those answers cost Node's own start and little
// more, without the ES module loader or the command table.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: see above */
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');

/**
 * The build's record of what it was made from (scripts/build-cli.js), or
 * undefined when there is no build.
 */
function readBuildRecord() {
  try {
    return JSON.parse(readFileSync(join(root, 'build/cli/sources.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when none of these sources changed after the build was made (or went missing). */
function unchangedSince(builtAt, sources) {
  try {
    return sources.every((path) => statSync(join(root, path)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

async function runTypeScript(argv) {
  const { register } = await import('tsx/esm/api');
  register();
  const entry = await import(pathToFileURL(join(__dirname, 'trunklab-process.mts')).href);
  await entry.runTrunklab(argv);
}

async function runBuild(argv) {
  // Before the bundle loads, so that its own frames (the command table, main) name the TypeScript too.
  process.setSourceMapsEnabled(true);
  // `trunklab analyze` is built on its own as one CommonJS file too (scripts/build-cli.js), which starts sooner.
  const entry =
    argv[0] === 'analyze'
      ? require(join(root, 'build/cli/analyze.cjs'))
      : await import(pathToFileURL(join(root, 'build/cli/trunklab.js')).href);
  await entry.runTrunklab(argv);
}

const argv = process.argv.slice(2);
const build = readBuildRecord();
// The answers first, checked against only the sources they were made from; a command, against all the build's.
const answer =
  build && unchangedSince(build.builtAt, build.answerSources)
    ? require('../build/cli/answers.cjs').answerWithoutRunning(argv)
    : undefined;
if (answer !== undefined) {
  if (answer.stdout) process.stdout.write(answer.stdout);
  if (answer.stderr) process.stderr.write(answer.stderr);
  process.exitCode = answer.status;
} else if (build && unchangedSince(build.builtAt, build.sources)) {
  void runBuild(argv);
} else {
  void runTypeScript(argv);
}
