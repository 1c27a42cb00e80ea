// Stress (seed §8): up to 5,000 VUs over 21 minutes — above the planned capacity. Pool of 80 (1 user : 62 VUs).
// Thresholds are looser than load's: the point is to see how the bank degrades, not that it stays fast.
import { poolSize, stages } from './lib/config.js';
import { journey, poolSetup, scenarioOptions, summaryFor } from './lib/scenario.js';

export const options = scenarioOptions(
  'stress',
  {
    executor: 'ramping-vus',
    startVUs: 0,
    stages: stages([
      { duration: '2m', target: 1000 },
      { duration: '3m', target: 2500 },
      { duration: '3m', target: 5000 },
      { duration: '11m', target: 5000 },
      { duration: '2m', target: 0 },
    ]),
    gracefulRampDown: '30s',
    gracefulStop: '1m',
  },
  { failedRate: 0.05, checksRate: 0.95, p95: { bank_balance_duration: 2000, bank_statement_duration: 3000, bank_dashboard_duration: 4000, bank_pix_duration: 15000, bank_register_duration: 10000, bank_login_duration: 5000 } },
);

export const setup = poolSetup(poolSize(80));

export default async function (data) {
  await journey(data);
}

export function handleSummary(data) {
  return summaryFor('stress', data);
}
