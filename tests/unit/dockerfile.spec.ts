// The image is never built here (no Docker engine): its Dockerfile is checked statically instead.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_ENTRIES, sourceOfCompiled } from '../../scripts/build.mjs';
import { dockerfileProblems, parseDockerfile } from '../support/dockerfile-rules';

const dockerfile = fs.readFileSync('Dockerfile', 'utf8');

const GOOD = `FROM node:20 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN node scripts/build.mjs all
FROM node:20 AS runtime
ENV NODE_ENV=production
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
USER node
HEALTHCHECK CMD ["node", "-e", "1"]
CMD ["node", "dist/node/apps/bff/src/main.js"]
`;

describe('Dockerfile', () => {
  it('when checked, then it keeps every rule: multi-stage, no hidden failures, dev tools in the build, non-root runtime with a health check', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
  });

  it('when the runtime starts, then it runs a compiled entry point that the production build makes', () => {
    const runtime = parseDockerfile(dockerfile).at(-1)!;
    const cmd = JSON.parse(runtime.instructions.find((i) => i.keyword === 'CMD')!.args) as string[];
    expect(cmd[0]).toBe('node');
    for (const part of cmd.slice(1).filter((p) => p.endsWith('.js'))) expect(NODE_ENTRIES).toContain(sourceOfCompiled(part));
  });

  it('when a reference Dockerfile is checked, then it passes (the rules are not impossible)', () => {
    expect(dockerfileProblems(GOOD)).toEqual([]);
  });

  it.each([
    ['a failure hidden with || true', GOOD.replace('RUN node scripts/build.mjs all', 'RUN node scripts/build.mjs all || true'), /\|\| true/],
    ['NODE_ENV=production before the build install', GOOD.replace('WORKDIR /app\n', 'WORKDIR /app\nENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NODE_ENV=production\n'), /NODE_ENV=production before/],
    ['a root runtime user', GOOD.replace('USER node', 'USER root'), /non-root/],
    ['no runtime user at all', GOOD.replace('USER node\n', ''), /non-root/],
    ['a single stage', 'FROM node:20\nRUN npm ci\nUSER node\nCMD ["node", "x.js"]\n', /multi-stage/],
    ['no health check', GOOD.replace(/HEALTHCHECK .*\n/, ''), /HEALTHCHECK/],
    ['TypeScript at run time', GOOD.replace('"dist/node/apps/bff/src/main.js"', '"--import", "tsx", "apps/bff/src/main.ts"'), /TypeScript/],
    ['dev dependencies in the runtime', GOOD.replace('RUN npm ci --omit=dev', 'RUN npm ci'), /dev dependencies/],
    ['a line continuation hiding || true', GOOD.replace('RUN npm ci\n', 'RUN npm ci \\\n  || true\n'), /\|\| true/],
  ])('when a Dockerfile has %s, then the check fails', (_name, text, message) => {
    const problems = dockerfileProblems(text);
    expect(problems.join('\n')).toMatch(message);
  });
});
