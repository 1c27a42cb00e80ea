// Lint: TypeScript rules plus Nx module boundaries (every project's `tags` in its project.json). Apps cannot import each
// other; domain code imports no I/O; a domain reaches only its own scope and the shared libs; the browser app reaches
// only browser-safe libs. tests/unit/lint-boundaries.spec.ts proves the boundary rules on fixtures (tests/lint-fixtures).
//
// Tags, one of each kind per project:
// - type:   what the project is.
//     type:app          a deployable process (apps/*): wires routes, workers and config; imports libs, never an app.
//     type:domain       pure business rules and value objects (libs/domain): no I/O, no Node, runs in the browser too.
//     type:contract     the public API's shapes (libs/contracts): no I/O, runs in the browser too.
//     type:application  a service's use cases together with the adapters (repositories, clients, consumers) they own
//                       (libs/onboarding, libs/payments, libs/notifications): the layer apps compose.
//     type:infra        adapters with no use cases of their own (libs/bff: sessions, OIDC client, gateway, fan-out).
//     type:platform     technical building blocks shared by every service (libs/platform): HTTP, auth, messaging, …
//     type:testing      helpers for the test suites (libs/testing).
// - scope:  whose code it is. scope:<service> (bff, onboarding, payments, notifications, web) reaches only its own
//           scope and scope:shared; scope:shared (domain, contracts, platform, testing) reaches only scope:shared.
// - runtime: runtime:node or runtime:browser (apps/web): the browser reaches only type:domain and type:contract libs and
//           no Node built-in or server package.
import { builtinModules } from 'node:module';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const IO_MODULES = ['pg', 'ioredis', 'kafkajs', 'amqplib', 'node:fs', 'node:net', 'node:http', 'node:child_process', 'fs', 'net', 'http', 'nodemailer', '@hono/*', 'hono', 'hono/*'];
// Server-side packages a browser bundle must never pull in (Node built-ins: the no-restricted-imports block below).
const NODE_ONLY_MODULES = [...IO_MODULES, 'pino', 'pino-*', '@opentelemetry/*', 'prom-client', 'undici', 'node-pg-migrate', 'rate-limiter-flexible', 'smtp-server', 'mailparser'];

const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('_'));

// libs/platform is reached only through its entry points, one per concern (@krt/platform/http, …/auth, …/messaging,
// …/persistence, …/resilience, …/telemetry, …/config: each an index.ts); a file inside a concern is its own business.
const DEEP_PLATFORM_IMPORT = { regex: '^@krt/platform/[^/]+/.+|libs/platform/src/', message: 'Import libs/platform through its entry point (@krt/platform/<concern>), not one of its files.' };

const SCOPES = ['bff', 'onboarding', 'payments', 'notifications', 'web'];

export default [
  // tests/lint-fixtures: deliberate violations, linted only by tests/unit/lint-boundaries.spec.ts.
  { ignores: ['**/node_modules', '**/dist', '.stack', '.nx', '.angular', 'tmp', 'test-results', 'playwright-report', 'artifacts', 'k6/**', 'scripts/**', 'tests/lint-fixtures/**', '**/*.mjs', '**/*.js', 'vitest.config.ts'] },
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
          // Every constraint whose sourceTag a project carries applies: type, scope and runtime rules all hold at once.
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform', 'type:application', 'type:infra'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: IO_MODULES },
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: IO_MODULES },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform', 'type:application'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:domain', 'type:contract'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:platform'] },
            ...SCOPES.map((scope) => ({ sourceTag: `scope:${scope}`, onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'] })),
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'runtime:browser', onlyDependOnLibsWithTags: ['type:domain', 'type:contract'], bannedExternalImports: NODE_ONLY_MODULES },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['libs/platform/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_PLATFORM_IMPORT] }] },
  },
  // The browser app and the libs it may import: Node built-ins are not npm projects in the Nx graph, so
  // bannedExternalImports cannot see them; ESLint's own rule refuses them here (server packages are refused by the
  // constraints above).
  {
    files: ['apps/web/**/*.ts', 'libs/domain/**/*.ts', 'libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DEEP_PLATFORM_IMPORT, { regex: `^(node:.*|${NODE_BUILTINS.join('|')})(/.*)?$`, message: 'This code runs in the browser: no Node built-ins.' }] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', 'tests/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
