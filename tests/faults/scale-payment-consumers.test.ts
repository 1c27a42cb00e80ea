// Three instances of the Payment consumer (the stack's own processes) share the partitions of one consumer group;
// one is killed (SIGKILL, no goodbye) in the middle of a stream of 300 PIX. The group rebalances onto the two
// survivors and every transfer completes exactly once: one debit and one credit each, balances to the centavo.
import { PAYMENT_CONSUMER, shiftedClock } from '@krt/payments';
import { createKafka } from '@krt/platform/messaging';
import { eventually } from '@krt/testing';
import { AssignerProtocol, type Admin } from 'kafkajs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PROCESSES, instancesOf, stackEnv, startInstance, stopInstance, type AppInstance } from '../../scripts/stack/apps.mjs';
import { addKey, closeProducer, deposit, newCustomer, pix, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from '../integration/payments/payments-test-kit';

const TRANSFERS = 300;
const PAYERS = 10;
const RECEIVERS = 5;
const consumerApp = APP_PROCESSES.find((a) => a.name === 'payments-payment-consumer')!;
const instances = instancesOf(consumerApp, { PAYMENTS_PAYMENT_CONSUMER_REPLICAS: '3' }) as [AppInstance, AppInstance, AppInstance];
const victim = instances[1];
const stackDir = process.env.KRT_STACK_DIR ?? path.resolve('.stack');
const pidOf = (name: string) => Number.parseInt(fs.readFileSync(path.join(stackDir, name, `${name}.pid`), 'utf8'), 10);

/** Members of the Payment consumer group and the partitions each one holds. */
async function groupMembers(admin: Admin) {
  const { groups } = await admin.describeGroups([PAYMENT_CONSUMER]);
  const g = groups[0]!;
  return {
    state: g.state,
    members: g.members.map((m) => {
      const assignment = m.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {} : {};
      return { id: m.memberId, partitions: Object.values(assignment).reduce((n, ps) => n + ps.length, 0) };
    }),
  };
}

describe('payment consumers scaled to three, one killed during 300 PIX', () => {
  const admin = createKafka('scale-test-admin', '127.0.0.1:9092').admin();
  let api: TestApi;
  let payers: Customer[];
  let keys: string[];

  beforeAll(async () => {
    await admin.connect();
    const env = await stackEnv();
    for (const inst of instances) await startInstance(inst, env);
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(14)) });
    payers = await Promise.all(Array.from({ length: PAYERS }, () => newCustomer(api)));
    const receivers = await Promise.all(Array.from({ length: RECEIVERS }, () => newCustomer(api)));
    keys = await Promise.all(receivers.map((r) => addKey(api, r)));
    for (const p of payers) await deposit(api, p.accountId, '100.00', 'Depósito inicial');
  });
  afterAll(async () => {
    // Back to the stack's normal shape: one instance (the first), the extra ones stopped.
    await stopInstance(instances[2].name);
    await stopInstance(victim.name);
    await startInstance(instances[0], await stackEnv());
    await admin.disconnect();
    await closeProducer();
    await api?.close();
  });

  it('when one of three instances dies mid-stream, then the survivors take its partitions and all 300 transfers complete exactly once', async () => {
    // Three members, each holding a share of the 12 partitions (fraud.cleared + fraud.detected, 6 each).
    const before = await eventually(
      async () => {
        const g = await groupMembers(admin);
        return g.state === 'Stable' && g.members.length >= 3 && g.members.every((m) => m.partitions > 0) ? g : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'three members sharing the partitions' },
    );
    expect(before.members.reduce((n, m) => n + m.partitions, 0)).toBe(12);

    const sent: { id: string; payer: number; centavos: number }[] = [];
    let next = 0;
    let killedAfter = -1;
    let pendingAtKill = -1;
    const sender = async () => {
      while (next < TRANSFERS) {
        const n = next++;
        const payer = n % PAYERS;
        const centavos = 10 + (n % 7); // R$ 0,10 … R$ 0,16
        const r = await pix(api, payers[payer]!, { key: keys[n % RECEIVERS]!, amount: (centavos / 100).toFixed(2), description: `Lote ${n}` });
        expect(r.status, r.text).toBe(202);
        sent.push({ id: (r.body as { id: string }).id, payer, centavos });
        if (sent.length === 100 && killedAfter < 0) {
          killedAfter = sent.length;
          // Counted right before the kill: the batched saga settles a PIX within ~100 ms, so a count taken after the
          // kill (and after waiting for a pool connection) can find every one already done by the survivors.
          const { rows } = await api.rt.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM pix_transfers WHERE id = ANY($1) AND status = 'PENDING'", [sent.map((s) => s.id)]);
          process.kill(-pidOf(victim.name), 'SIGKILL'); // the whole process group, no graceful shutdown
          pendingAtKill = Number(rows[0]!.n);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, sender));
    expect(killedAfter).toBe(100);
    expect(pendingAtKill, 'transfers in flight when the instance died').toBeGreaterThan(0);
    expect(sent).toHaveLength(TRANSFERS);

    // The survivors own every partition again (after the session timeout).
    await eventually(
      async () => {
        const g = await groupMembers(admin);
        return g.state === 'Stable' && g.members.length === before.members.length - 1 && g.members.reduce((n, m) => n + m.partitions, 0) === 12;
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: 'the survivors owning all 12 partitions' },
    );

    const ids = sent.map((s) => s.id);
    const statuses = await eventually(
      async () => {
        const { rows } = await api.rt.pool.query<{ status: string; n: string }>('SELECT status, count(*)::text AS n FROM pix_transfers WHERE id = ANY($1) GROUP BY status', [ids]);
        const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
        return (byStatus.PENDING ?? 0) === 0 && Object.values(byStatus).reduce((a, b) => a + b, 0) === TRANSFERS ? byStatus : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1000, what: 'every transfer final' },
    );
    expect(statuses).toEqual({ COMPLETED: TRANSFERS });

    // Exactly once: one PIX_OUT and one PIX_IN per transfer, never two.
    const { rows: entries } = await api.rt.pool.query<{ kind: string; n: string; transfers: string }>(
      "SELECT kind, count(*)::text AS n, count(DISTINCT transfer_id)::text AS transfers FROM ledger_entries WHERE transfer_id = ANY($1) GROUP BY kind ORDER BY kind",
      [ids],
    );
    expect(entries).toEqual([
      { kind: 'PIX_IN', n: String(TRANSFERS), transfers: String(TRANSFERS) },
      { kind: 'PIX_OUT', n: String(TRANSFERS), transfers: String(TRANSFERS) },
    ]);
    // Balances to the centavo: each payer has the deposit minus what it sent, nothing reserved.
    for (let p = 0; p < PAYERS; p++) {
      const spent = sent.filter((s) => s.payer === p).reduce((a, s) => a + s.centavos, 0);
      const { rows } = await api.rt.pool.query<{ posted: bigint; reserved: bigint }>('SELECT posted, reserved FROM accounts WHERE id = $1', [payers[p]!.accountId]);
      expect(rows[0]).toEqual({ posted: BigInt(10_000 - spent), reserved: 0n });
    }
  }, 400_000);
});
