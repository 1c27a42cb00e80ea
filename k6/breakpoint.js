// Breakpoint (seed §8): the arrival rate grows for 30 minutes until the bank breaks; thresholds with abortOnFail stop
// the test at the first one crossed. Pool of 100. `bank_arrival_rate` (a Gauge) records the target rate each
// iteration started at: its max is the first failing arrival rate when the test was aborted.
import exec from 'k6/execution';
import { Gauge } from 'k6/metrics';
import { dur, poolSize, stages, vus } from './lib/config.js';
import { journey, poolSetup, scenarioOptions, summaryFor } from './lib/scenario.js';

const START_RATE = 1;
const TARGET_RATE = 1000;
const RAMP = '30m';
const arrivalRate = new Gauge('bank_arrival_rate');
const abort = (threshold) => ({ threshold, abortOnFail: true, delayAbortEval: '20s' });

export const options = scenarioOptions(
  'breakpoint',
  {
    executor: 'ramping-arrival-rate',
    startRate: START_RATE,
    timeUnit: '1s',
    preAllocatedVUs: vus(200),
    maxVUs: vus(5000),
    stages: stages([{ duration: RAMP, target: TARGET_RATE }]),
    gracefulStop: '30s',
  },
  {
    // Scoped to the scenario's own samples: setup()'s pool creation (its retries included) does not decide the break.
    extraThresholds: {
      'http_req_failed{scenario:breakpoint}': [abort('rate<0.02')],
      'checks{scenario:breakpoint}': [abort('rate>0.98')],
      dropped_iterations: [abort('count<50')],
      bank_balance_duration: [abort('p(95)<1000')],
    },
    // The step bounds above abort the test; the remaining steps' p95 only report.
    p95: { bank_pix_duration: 10000, bank_register_duration: 5000, bank_login_duration: 3000, bank_dashboard_duration: 2000, bank_statement_duration: 1500 },
  },
);

export const setup = poolSetup(poolSize(100));

export default async function (data) {
  // The target rate of the ramp at this moment (linear from START_RATE to the scaled target over the scaled ramp).
  const rampMs = Number(dur(RAMP).replace('s', '')) * 1000;
  const target = vus(TARGET_RATE);
  const elapsed = Math.min(Date.now() - exec.scenario.startTime, rampMs);
  arrivalRate.add(START_RATE + ((target - START_RATE) * elapsed) / rampMs);
  await journey(data);
}

export function handleSummary(data) {
  return summaryFor('breakpoint', data);
}
