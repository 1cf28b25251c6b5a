import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import astro from 'eslint-plugin-astro';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'build/', '.astro/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // The engine runs in browsers and workers too: no Node built-ins outside the CLI. Type-only
    // imports are erased from the bundle; crypto/native.ts finds node:crypto at run time, when present.
    files: ['sim/**/*.ts'],
    ignores: ['sim/cli/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message: 'sim/ runs in the browser; only sim/cli may use Node built-ins.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      // Nothing in the engine reads the wall clock: runs are pure functions of their seed.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Use the virtual clock (sim/crypto/clock.ts).',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use the virtual clock (sim/crypto/clock.ts).',
        },
        {
          selector: "MemberExpression[object.name='performance'][property.name='now']",
          message: 'Use the virtual clock (sim/crypto/clock.ts).',
        },
      ],
    },
  },
);
