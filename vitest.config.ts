import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    setupFiles: ['tests/setup.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: forks keep a heavy interop test from starving the others.
    pool: 'forks',
    // Test files share a fork's modules instead of importing the engine afresh for each file: the
    // imports cost more CPU than the unit tests themselves. Test files keep no state between them.
    isolate: false,
  },
});
