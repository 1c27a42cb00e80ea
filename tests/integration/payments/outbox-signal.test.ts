// A low-volume outbox writer is published at once, not at the relay's next poll: with the outbox trigger gone
// (migration 1797900000000_outbox-signal-after-commit), the PIN lock's transaction (withTransaction, pix.pin-locked)
// signals the relays after its COMMIT. The API runs here without a relay of its own, so the signal is a NOTIFY that
// has to reach the stack's payments-relay, another process, which polls only every second.
import { databaseUrl } from '@krt/platform/config';
import { createPool, type Pool } from '@krt/platform/persistence';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCustomer, setLimits, startPaymentsApi, type TestApi } from './payments-test-kit';

const WRONG_PIN = '9035';
/** payments-relay's poll interval (OutboxRelay's default): a row left to the poll waits up to this long. */
const RELAY_POLL_MS = 1000;

describe('payments outbox: a PIN lock event is published right after its commit', () => {
  let api: TestApi;
  let db: Pool;

  beforeAll(async () => {
    // Starting the runtime applies the platform migrations to the payments database.
    api = await startPaymentsApi({ relay: false });
    db = createPool(databaseUrl('payments'), { applicationName: 'outbox-signal-test', max: 2 });
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('when the outbox table has no NOTIFY trigger, then each of five PIN locks is published by the relay of another process well under its poll interval', async () => {
    const { rows: triggers } = await db.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.outbox'::regclass AND NOT tgisinternal");
    expect(triggers).toEqual([]);

    const customers = await Promise.all(Array.from({ length: 5 }, () => newCustomer(api)));
    const delays: number[] = [];
    for (const c of customers) {
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const r = await setLimits(api, c, { perTransaction: '50.00', pin: WRONG_PIN });
        expect(r.status, r.text).toBe(attempt < 3 ? 403 : 423);
      }
      // created_at: the lock's transaction start; published_at: the start of the relay's drain that published it.
      const delayMs = await eventually(
        async () => {
          const { rows } = await db.query<{ ms: number | null }>(
            "SELECT (extract(epoch FROM published_at - created_at) * 1000)::float8 AS ms FROM outbox WHERE topic = 'pix.pin-locked' AND envelope->'payload'->>'customerId' = $1",
            [c.customerId],
          );
          return rows.length === 1 && rows[0]!.ms !== null ? rows[0]!.ms : undefined;
        },
        { timeoutMs: 10_000, what: 'pix.pin-locked published' },
      );
      delays.push(delayMs);
    }
    // Left to the poll, each would wait a uniform 0-1 s: all five under 0.4 s by luck has odds of 1%.
    expect(Math.max(...delays), `publish delays ${delays.map((d) => d.toFixed(0)).join(', ')} ms`).toBeLessThan(RELAY_POLL_MS * 0.4);
  });
});
