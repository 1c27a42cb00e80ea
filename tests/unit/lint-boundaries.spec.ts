// The module boundaries of eslint.config.mjs, proved on fixtures (tests/lint-fixtures): a cross-scope import and a
// browser file reaching Node code are lint errors; the same files importing what they may are clean.
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/lint-fixtures');
const eslint = new ESLint({ cwd: ROOT });

/** Lints a fixture as if it were the file its `// lint-as:` line names; returns its messages as `rule: message`. */
async function lintFixture(name: string): Promise<string[]> {
  const code = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  const lintAs = /^\/\/ lint-as: (\S+)/.exec(code)?.[1];
  if (!lintAs) throw new Error(`${name}: first line must be "// lint-as: <path>"`);
  expect(fs.existsSync(path.join(ROOT, lintAs)), `${lintAs} must not exist (the fixture stands in for it)`).toBe(false);
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, lintAs) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (eslint.config.mjs)', { timeout: 120_000 }, () => {
  // The Nx rule reads the cached project graph (tags included) and skips itself when there is none: refresh it first,
  // as `npm test` does before its lint step, so a tag just edited in a project.json counts.
  beforeAll(() => {
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: ROOT, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
  }, 120_000);

  it('refuses apps/payments importing @krt/onboarding (scope:payments reaches only its scope and shared)', async () => {
    expect(await lintFixture('payments-imports-onboarding.ts')).toEqual([
      '@nx/enforce-module-boundaries: A project tagged with "scope:payments" can only depend on libs tagged with "scope:payments", "scope:shared"',
    ]);
  });

  it('refuses a browser file importing a Node lib (@krt/platform/…) and a Node built-in', async () => {
    const messages = await lintFixture('web-imports-platform.ts');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toBe('@nx/enforce-module-boundaries: A project tagged with "runtime:browser" can only depend on libs tagged with "type:domain", "type:contract"');
    expect(messages[1]).toMatch(/^no-restricted-imports: 'node:fs' import is restricted .*no Node built-ins/);
  });

  it('refuses a deep import into libs/platform (a file of a concern instead of its @krt/platform/<concern> entry point)', async () => {
    const messages = await lintFixture('payments-deep-platform-import.ts');
    const deep = messages.filter((m) => m.startsWith('no-restricted-imports: ') && m.includes('through its entry point'));
    expect(deep).toHaveLength(2);
  });

  it('lets the same files import what they may (its own lib and shared libs from payments, the domain from the browser)', async () => {
    expect(await lintFixture('payments-allowed.ts')).toEqual([]);
    expect(await lintFixture('web-allowed.ts')).toEqual([]);
  });

  it('gives every project one type and one scope tag, and every scope tag a constraint', async () => {
    const config = await eslint.calculateConfigForFile(path.join(ROOT, 'apps/bff/src/main.ts'));
    const constraints: { sourceTag: string }[] = config.rules['@nx/enforce-module-boundaries'][1].depConstraints;
    const constrained = new Set(constraints.map((c) => c.sourceTag));
    for (const dir of ['apps', 'libs']) {
      for (const name of fs.readdirSync(path.join(ROOT, dir))) {
        const file = path.join(ROOT, dir, name, 'project.json');
        if (!fs.existsSync(file)) continue;
        const tags: string[] = JSON.parse(fs.readFileSync(file, 'utf8')).tags ?? [];
        const types = tags.filter((t) => t.startsWith('type:'));
        const scopes = tags.filter((t) => t.startsWith('scope:'));
        expect(types, `${dir}/${name}`).toHaveLength(1);
        expect(scopes, `${dir}/${name}`).toHaveLength(1);
        for (const tag of [...types, ...scopes]) expect(constrained.has(tag), `${dir}/${name}: no constraint for ${tag}`).toBe(true);
      }
    }
  });

  it('lints apps/web with the rest (it is not ignored) and ignores the fixtures in the normal run', async () => {
    expect(await eslint.isPathIgnored(path.join(ROOT, 'apps/web/src/main.ts'))).toBe(false);
    expect(await eslint.isPathIgnored(path.join(FIXTURES, 'web-imports-platform.ts'))).toBe(true);
  });
});
