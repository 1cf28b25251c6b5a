#!/usr/bin/env node
// `npm run bench`: runs every benchmark in tests/bench/*.bench.ts in turn.
// Each one prints its own figures beside a peer measured in the same run
// (Node's OpenSSL-backed crypto and tls, Chromium), with the ratio.
// `npm run bench -- srtp tls` runs only the benchmarks whose names contain those words.
import { register } from 'tsx/esm/api';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

register();
await import('reflect-metadata');

const dir = fileURLToPath(new URL('../tests/bench/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((word) => f.includes(word)))
  .sort();

console.log(`Secure Trunk Lab benchmarks — Node ${process.version}, ${new Date().toISOString()}`);
for (const file of files) {
  console.log(`\n== ${file.replace(/\.bench\.ts$/, '')} ==`);
  const module = await import(new URL(file, `file://${dir}`).href);
  await module.default();
}
