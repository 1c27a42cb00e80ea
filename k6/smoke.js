// Smoke (seed §8): 5 VUs for 1 minute — every journey works. Strict: no failed request, every check green.
import { dur, poolSize, vus } from './lib/config.js';
import { journey, poolSetup, scenarioOptions, summaryFor } from './lib/scenario.js';

export const options = scenarioOptions('smoke', { executor: 'constant-vus', vus: vus(5), duration: dur('1m'), gracefulStop: '30s' }, { failedRate: 0.0001, checksRate: 0.9999 });

export const setup = poolSetup(poolSize(4));

export default async function (data) {
  // Every PIX is also replayed once: the replay must come back through the BFF marked Idempotent-Replayed.
  await journey(data, { replayPix: true });
}

export function handleSummary(data) {
  return summaryFor('smoke', data);
}
