import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appArgs, appsRuntime } from '../../scripts/stack/apps.mjs';

const ROOT = path.resolve(__dirname, '../..');

describe('the runtime the stack starts the bank processes in', () => {
  it('when nothing is set, then the processes run from TypeScript source through tsx (development)', () => {
    expect(appsRuntime({})).toBe('source');
    const args = appArgs('apps/bff/src/main.ts', 'source');
    expect(args.slice(0, 2)).toEqual(['--import', 'tsx']);
    expect(args.at(-1)).toBe('apps/bff/src/main.ts');
    expect(args.join(' ')).toContain('libs/platform/src/telemetry/telemetry.register.ts');
  });

  it('when the load profile is on, then they run as production runs them: the bundles in dist/node with plain node', () => {
    expect(appsRuntime({ KRT_PROFILE: 'load' })).toBe('compiled');
    const args = appArgs('apps/payments/src/workers/payment-consumer.main.ts', 'compiled');
    expect(args).toEqual([
      '--import',
      `file://${ROOT}/dist/node/libs/platform/src/telemetry/telemetry.register.js`,
      `${ROOT}/dist/node/apps/payments/src/workers/payment-consumer.main.js`,
    ]);
    expect(args.join(' ')).not.toMatch(/tsx|\.ts\b/);
  });

  it('when KRT_APPS_RUNTIME is set, then it wins over the profile, and a value it does not know is refused', () => {
    expect(appsRuntime({ KRT_PROFILE: 'load', KRT_APPS_RUNTIME: 'source' })).toBe('source');
    expect(appsRuntime({ KRT_APPS_RUNTIME: 'compiled' })).toBe('compiled');
    expect(() => appsRuntime({ KRT_APPS_RUNTIME: 'bun' })).toThrow(/KRT_APPS_RUNTIME must be "source" or "compiled"/);
  });
});
