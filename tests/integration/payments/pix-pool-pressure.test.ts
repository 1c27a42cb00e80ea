// More concurrent PIX than database connections: a request must never need a second pool connection while it holds
// one (it once asked the pool for one after COMMIT to note its WAL position, so under load every request waited for the
// pool timeout and the read-your-writes notes were lost).
import { shiftedClock } from '@krt/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedLogger } from '../../support/captured-logger';
import { addKey, deposit, newCustomer, pix, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

describe('PIX initiation with a small connection pool', () => {
  let warnings: string[] = [];
  let api: TestApi;
  let payers: Customer[];
  let receiverKey: string;

  beforeAll(async () => {
    const captured = capturedLogger('payments-pool-test', 'warn');
    warnings = captured.lines;
    // Two connections; the stack's relays publish this API's outbox rows.
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(15)), poolMax: 2, relay: false, logger: captured.logger });
    payers = await Promise.all(Array.from({ length: 6 }, () => newCustomer(api)));
    const receiver = await newCustomer(api);
    receiverKey = await addKey(api, receiver);
    for (const p of payers) await deposit(api, p.accountId, '50.00');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when 6 payers send PIX at once through a pool of 2 connections, then every PIX is accepted and every read-your-writes note is written', async () => {
    warnings.length = 0;
    const answers = await Promise.all(payers.map((p, i) => pix(api, p, { key: receiverKey, amount: '1.00', description: `pool ${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    const failedNotes = warnings.filter((l) => l.includes('read-your-writes note failed'));
    expect(failedNotes, failedNotes[0]).toEqual([]);
  });
});
