// Loads the sanctions/PEP sample list kept as data in the repository (data/sanctions-pep-sample.json).
import { readFileSync } from 'node:fs';
import { repoPath } from '@krt/platform/config';
import { z } from 'zod';
import { Watchlist } from '../domain/kyc-application';

export const DEFAULT_WATCHLIST_PATH = repoPath('data/sanctions-pep-sample.json');

const fileSchema = z.object({
  version: z.string(),
  entries: z.array(z.object({ name: z.string().min(3), list: z.enum(['PEP', 'SANCTIONS']) })).min(1),
});

export function loadWatchlist(file = DEFAULT_WATCHLIST_PATH): Watchlist {
  const parsed = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return new Watchlist(parsed.entries);
}
