// Load (seed §8): 1,000 VUs for 18 minutes — normal production traffic. Pool of 50 customers (1 user : 20 VUs).
import { poolSize, stages } from './lib/config.js';
import { journey, poolSetup, scenarioOptions, summaryFor } from './lib/scenario.js';

export const options = scenarioOptions('load', {
  executor: 'ramping-vus',
  startVUs: 0,
  stages: stages([
    { duration: '3m', target: 1000 },
    { duration: '12m', target: 1000 },
    { duration: '3m', target: 0 },
  ]),
  gracefulRampDown: '30s',
  gracefulStop: '30s',
});

export const setup = poolSetup(poolSize(50));

export default async function (data) {
  await journey(data);
}

export function handleSummary(data) {
  return summaryFor('load', data);
}
