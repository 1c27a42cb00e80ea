// Spike (seed §8): a sudden jump to 10,000 VUs within 7 minutes (Black Friday, mass PIX). Pool of 80 (1 user : 125 VUs).
import { poolSize, stages } from './lib/config.js';
import { journey, poolSetup, scenarioOptions, summaryFor } from './lib/scenario.js';

export const options = scenarioOptions(
  'spike',
  {
    executor: 'ramping-vus',
    startVUs: 0,
    stages: stages([
      { duration: '1m', target: 100 },
      { duration: '30s', target: 10000 },
      { duration: '3m', target: 10000 },
      { duration: '30s', target: 100 },
      { duration: '2m', target: 100 },
    ]),
    gracefulRampDown: '30s',
    gracefulStop: '1m',
  },
  { failedRate: 0.05, checksRate: 0.95, p95: { bank_balance_duration: 3000, bank_statement_duration: 4000, bank_dashboard_duration: 5000, bank_pix_duration: 20000, bank_register_duration: 15000, bank_login_duration: 5000 } },
);

export const setup = poolSetup(poolSize(80));

export default async function (data) {
  await journey(data);
}

export function handleSummary(data) {
  return summaryFor('spike', data);
}
