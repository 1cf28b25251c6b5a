#!/usr/bin/env node
// The `trunklab` command. The engine is TypeScript; tsx loads it without a build step.
// This entry point lives outside sim/ because it composes the engine with the
// carrier profile in content/, which the engine never imports itself.
import { register } from 'tsx/esm/api';
import { readFileSync } from 'node:fs';

register();
await import('reflect-metadata');
const { main } = await import('../sim/cli/main.ts');
const carrier = JSON.parse(readFileSync(new URL('../content/carrier.json', import.meta.url), 'utf8'));

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
};

const code = await main(process.argv.slice(2), {
  carrier,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
});
process.exitCode = code;
