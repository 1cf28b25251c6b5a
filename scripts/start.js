#!/usr/bin/env node
// `npm start`: builds the site if the build is missing or older than its
// sources, then serves it and prints the address to open.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['site', 'sim', 'content', 'astro.config.mjs', 'package.json'];
const BUILT = 'dist/index.html';
const port = process.env.PORT ?? '4321';

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let latest = s.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const stale = !existsSync(BUILT) || SOURCES.some((p) => existsSync(p) && newest(p) > statSync(BUILT).mtimeMs);
if (stale) {
  console.log('Building the site (about half a minute) ...');
  const build = spawnSync('npx', ['astro', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
console.log(`\nSecure Trunk Lab is at http://localhost:${port}/  (Ctrl+C to stop)\n`);
const server = spawn('npx', ['astro', 'preview', '--port', port], { stdio: ['ignore', 'ignore', 'inherit'] });
server.on('exit', (code) => process.exit(code ?? 0));
