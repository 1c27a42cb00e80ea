// Files a process reads at run time (SQL migrations, data files, the local stack's folder) are found from the
// repository root, never from the reading module's own location: a production build moves the code into bundles and
// shared chunks under dist/node/, while these files stay where they are in the tree (and in the image).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'krt-bank';

/** The first folder at or above `start` whose package.json is this project's; `KRT_ROOT` overrides the search. */
export function findRepoRoot(start: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.KRT_ROOT) return path.resolve(env.KRT_ROOT);
  let dir = path.resolve(start);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // not ours (or unreadable): keep going up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no ${PACKAGE_NAME} package.json at or above ${start} (set KRT_ROOT)`);
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

/** An absolute path inside the repository (or the image's /app), e.g. repoPath('apps/payments/migrations'). */
export const repoPath = (...segments: string[]): string => path.join(REPO_ROOT, ...segments);
