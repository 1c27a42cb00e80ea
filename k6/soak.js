// Soak (seed §8): 500 VUs for 2 hours — long-run stability (leaks, growing latencies). Pool of 100.
import { poolSize, stages } from './lib/config.js';
import { journey, poolSetup, scenarioOptions, summaryFor } from './lib/scenario.js';

export const options = scenarioOptions('soak', {
  executor: 'ramping-vus',
  startVUs: 0,
  stages: stages([
    { duration: '5m', target: 500 },
    { duration: '1h50m', target: 500 },
    { duration: '5m', target: 0 },
  ]),
  gracefulRampDown: '30s',
  gracefulStop: '30s',
});

export const setup = poolSetup(poolSize(100));

export default async function (data) {
  await journey(data);
}

export function handleSummary(data) {
  return summaryFor('soak', data);
}
