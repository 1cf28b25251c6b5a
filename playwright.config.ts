import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/tools.js';

// A Chromium found as TOOLCHAIN.md says: TRUNKLAB_CHROMIUM, Playwright's own, Debian's.
// `npm run test:e2e` runs scripts/ensure-tools.js first, which fetches or explains.
const executablePath = await findChromium();
const PORT = Number(process.env.TRUNKLAB_TEST_PORT ?? 4399);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx astro preview --host 127.0.0.1 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
