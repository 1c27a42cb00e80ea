// The small, bounded bank-invariant run of `npm test` (the longer one: `node scripts/bank-invariant.mjs`, see
// docs/reliability.md). 6 customers send each other PIX, return part of some they received (devolução) and read balances, statements and transfer statuses through
// the stack's BFF for 45 s while the payment consumer is killed with SIGKILL, Kafka is stopped for 10 s and Redis is
// restarted; after quiescence the checker must find nothing.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPONENTS } from '../../scripts/stack.mjs';
import { apps } from '../../scripts/stack/apps.mjs';
import { toJson } from '../reliability/bank-invariant/checker';
import { parseSchedule } from '../reliability/bank-invariant/faults';
import { runBankInvariant } from '../reliability/bank-invariant/runner';

const SCHEDULE = 'kill-consumer=payments-payment-consumer@3,kafka-stop:10@22,redis-restart@38';

describe('bank invariant under faults (small run)', () => {
  afterAll(async () => {
    // The runner restores what it touched; this is the belt to its braces.
    for (const c of COMPONENTS) if (['kafka', 'redis'].includes(c.name) && !c.pid()) await c.start();
    await apps.startAll();
  });

  it('when PIX, devoluções and reads run through the BFF while the payment consumer is killed, Kafka stops for 10 s and Redis restarts, then money is conserved and every invariant holds', async () => {
    const report = await runBankInvariant({ customers: 6, seconds: 45, schedule: parseSchedule(SCHEDULE), quiesceTimeoutMs: 90_000 });
    fs.mkdirSync('tmp', { recursive: true });
    fs.writeFileSync('tmp/bank-invariant-small.json', toJson(report)); // the whole history, for a post-mortem

    // The run really did something, and every fault really happened.
    expect(report.faults.map((f) => [f.name, f.ok])).toEqual([
      ['kill-consumer=payments-payment-consumer:2s@3s', true],
      ['kafka-stop:10s@22s', true],
      ['redis-restart@38s', true],
    ]);
    const s = report.result.stats;
    expect(s.transfers.accepted).toBeGreaterThan(50);
    expect(s.transfers.completed).toBeGreaterThan(50);
    // Some of the PIX were returned in part (devolução) while the faults ran.
    expect(s.transfers.refunds).toBeGreaterThan(0);
    expect(s.reads.balance).toBeGreaterThan(20);
    // Everything settled, and the checker found nothing.
    expect(report.quiesced.waitingFor).toEqual([]);
    expect(report.result.violations).toEqual([]);
    expect(s.totalAfter).toBe(s.totalBefore);
  }, 300_000);
});
