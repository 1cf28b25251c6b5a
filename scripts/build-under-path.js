#!/usr/bin/env node
// `npm run build:under-path`: builds the site as a carrier would deploy it under a path of its
// help centre (TRUNKLAB_SITE_URL, see README "Deploy") into a folder of its own, which the browser
// tests serve under that path to check that the lab, the articles, search and embeds all work there.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const UNDER_PATH = {
  url: 'https://help.quillfeather.example/help/trunk-lab/',
  base: '/help/trunk-lab/',
  outDir: fileURLToPath(new URL('../node_modules/.cache/trunklab-under-path/', import.meta.url)),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = spawnSync('npx', ['astro', 'build', '--outDir', UNDER_PATH.outDir], {
    stdio: 'inherit',
    env: { ...process.env, TRUNKLAB_SITE_URL: UNDER_PATH.url },
  });
  process.exit(built.status ?? 1);
}
