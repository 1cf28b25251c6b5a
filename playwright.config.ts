import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/tools.js';

// A Chromium found as TOOLCHAIN.md says: TRUNKLAB_CHROMIUM, Playwright's own, Debian's.
// `npm run test:e2e` runs scripts/ensure-tools.js first, which fetches or explains.
const executablePath = await findChromium();
const PORT = Number(process.env.TRUNKLAB_TEST_PORT ?? 4399);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // The slowest test takes under 30 s on a quiet machine; a machine at load 6 runs it about three times
  // slower. A test that needs longer than this is hung, not slow.
  timeout: 90_000,
  // Conditions (an island hydrated, a run shown, a search answered) take seconds, not milliseconds, when the
  // two cores are busy; a condition that holds sooner is met sooner.
  expect: { timeout: 15_000 },
  // Two workers for two cores, each test on its own: a long file no longer holds one worker while the other idles.
  workers: 2,
  fullyParallel: true,
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
