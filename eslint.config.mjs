// Lint: TypeScript rules plus Nx module boundaries. Apps cannot import each other; domain code imports no I/O.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const IO_MODULES = ['pg', 'ioredis', 'kafkajs', 'amqplib', 'node:fs', 'node:net', 'node:http', 'node:child_process', 'fs', 'net', 'http', 'nodemailer', '@hono/*', 'hono', 'hono/*'];

export default [
  { ignores: ['**/node_modules', '**/dist', '.stack', '.nx', '.angular', 'tmp', 'test-results', 'playwright-report', 'artifacts', 'apps/web/**', 'k6/**', 'scripts/**', '**/*.mjs', '**/*.js', 'vitest.config.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: ['^\\.\\./\\.\\./scripts/.*'],
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform', 'type:application', 'type:infra', 'type:ui', 'type:feature', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'], bannedExternalImports: IO_MODULES },
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:domain', 'type:util'], bannedExternalImports: IO_MODULES },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform', 'type:util'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform', 'type:application', 'type:util'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform', 'type:util'] },
            { sourceTag: 'runtime:browser', onlyDependOnLibsWithTags: ['runtime:browser', 'type:domain', 'type:contract'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', 'tests/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
