// ESLint (flat config): faults, and the architecture's rules (README, "Layout"). Formatting is
// prettier's (.prettierrc.json); import cycles are checked by dpdm (npm run lint runs both).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The adapters: the only modules that talk to AWS through the SDK. */
const ADAPTERS = [
  'shared/aws/**',
  'shared/blobs.ts',
  'shared/store.ts',
  'shared/historical.ts',
  'shared/intake.ts',
  'shared/messages.ts',
  'shared/uploads.ts',
  'shared/site/catalogue.ts',
  'shared/site/invalidate.ts',
  'shared/site/report.ts',
  'shared/site/validity-days.ts',
];

/** The pure domain: no adapter, no configuration, no AWS. */
const DOMAIN = ['shared/domain/**', 'shared/rules/**', 'shared/render/**', 'shared/extract/**', 'shared/ocr/**'];

const SDK = { group: ['@aws-sdk/*'], message: 'AWS SDK calls belong in the adapters (shared/aws/*, the stores): call an adapter instead. / 只有适配层可调用 AWS SDK。' };

/** Adapter and platform modules the domain may not import (by their #shared/* specifier). */
const ADAPTER_NAMES =
  '(aws/.*|bodies|blobs|store|historical|intake|messages|uploads|inbox|tasks|pin|purge|published-text|site/catalogue|site/invalidate|site/report|site/validity-days|site/search|env|log)';
// By specifier (#shared/store) or by relative path from inside shared/ (../store.ts).
const ADAPTER_MODULES = `^(#shared/|(\\.\\./)+)${ADAPTER_NAMES}(\\.ts)?$`;

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.local/**', 'coverage/**', 'dist/**', 'bench/results/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are faults; a leading underscore says "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Control characters in regular expressions are deliberate here (text safety, PDF text).
      'no-control-regex': 'off',
      // Full-width spaces (U+3000) in Chinese text, patterns and fixtures are deliberate.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipComments: true, skipRegExps: true, skipTemplates: true }],
    },
  },
  {
    files: ['web/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['scripts/**/*.mjs', 'shared/extract/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  // Promises are awaited or handled: an unhandled rejection would end a Lambda invocation, a CLI
  // or the local stack with a stack trace instead of a message (type-aware rules; tests excluded,
  // where spies of the SDK's overloaded send() read as false positives).
  {
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/**/*.ts', 'client/**/*.ts', 'cli/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  // No AWS SDK outside the adapters (infra, tests and benches run the emulators and the CDK app).
  {
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'client/**/*.ts', 'cli/**/*.ts', 'web/**/*.js'],
    ignores: ADAPTERS,
    rules: { 'no-restricted-imports': ['error', { patterns: [SDK] }] },
  },
  // The pure domain imports no adapter and reads no configuration.
  {
    files: DOMAIN,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [SDK, { regex: ADAPTER_MODULES, message: 'The domain is pure: pass what it needs in, and let the handler or a store read it. / 领域层不得引用适配层。' }],
        },
      ],
    },
  },
  // Configuration is read in one place: shared/env.ts.
  {
    files: ['shared/**/*.ts', 'functions/**/*.ts'],
    ignores: ['shared/env.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through shared/env.ts (env.*), the one place that reads the environment. / 配置只在 shared/env.ts 中读取。',
        },
      ],
    },
  },
);
