#!/usr/bin/env node
// On-demand bank-invariant run (Jepsen-style bank test) against the running local stack, through the BFF.
//   node scripts/bank-invariant.mjs [--customers N] [--seconds T] [--schedule "<faults>"] [--out report.json]
// Defaults: 12 customers, 150 s, every fault once (see tests/reliability/bank-invariant/faults.ts for the syntax):
//   kill-payments@8,kafka-stop:20@20,redis-restart@50,kill-consumer@65,rabbitmq-restart@80,keycloak-stop:20@100
// `--schedule none` runs without faults. Prints what it did and what it found; exits 1 on any violation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
register({ tsconfig: path.join(ROOT, 'tsconfig.json') });

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '12' },
    seconds: { type: 'string', default: '150' },
    schedule: { type: 'string' },
    out: { type: 'string' },
    bff: { type: 'string', default: 'http://127.0.0.1:5000' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 7).join('\n'));
  process.exit(0);
}

const { runBankInvariant } = await import('../tests/reliability/bank-invariant/runner.ts');
const { parseSchedule, FULL_SCHEDULE } = await import('../tests/reliability/bank-invariant/faults.ts');
const { toJson } = await import('../tests/reliability/bank-invariant/checker.ts');

const schedule = values.schedule === 'none' ? [] : parseSchedule(values.schedule ?? FULL_SCHEDULE);
const customers = Number(values.customers);
const seconds = Number(values.seconds);
if (!(customers >= 2) || !(seconds > 0)) {
  console.error('--customers must be ≥ 2 and --seconds > 0');
  process.exit(2);
}
const lastFault = Math.max(0, ...schedule.map((f) => f.at));
if (lastFault >= seconds) console.warn(`[bank] note: a fault starts at ${lastFault} s, after the load ends at ${seconds} s; it still runs before the checks`);

try {
  const report = await runBankInvariant({ customers, seconds, schedule, bffUrl: values.bff });
  if (values.out) {
    fs.writeFileSync(values.out, toJson(report));
    console.log(`[bank] full history and final state: ${values.out}`);
  }
  process.exit(report.result.valid && report.quiesced.complete ? 0 : 1);
} catch (e) {
  console.error(`[bank] FAILED: ${e.stack ?? e.message}`);
  process.exit(1);
}
