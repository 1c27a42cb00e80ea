// Graceful shutdown: each kind of process — an API, a Kafka consumer, the RabbitMQ notification worker — is started by
// the stack helpers and sent SIGTERM (stopInstance) while it has work in flight. It must stop accepting, finish that
// work, commit/ack it, close its clients and exit 0 within the 20 s bound of onShutdown (@krt/platform/http).
// The exit code of a detached process comes from a preload that writes it to a file (exit-code-recorder.mjs).
import { TOPICS } from '@krt/contracts';
import { assertTopology, publishNotificationsFor, type NotifiableEvent } from '@krt/notifications';
import type { PoolClient } from '@krt/platform/persistence';
import { DEV_METRICS_TOKEN } from '@krt/platform/http';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdingSmtpProxy } from './smtp-holding-proxy';
import { APP_PROCESSES, instancesOf, stackEnv, startInstance, stopInstance, type AppInstance } from '../../scripts/stack/apps.mjs';
import { accountCreated, closeDb, deliveriesOf, inApp, isolatedPipeline, mailsTo, smsTo, testCustomer, type IsolatedPipeline } from '../integration/notifications/notifications-test-kit';
import { addKey, call, closeProducer, deposit, finalStatus, newCustomer, pix, saoPauloToday, startPaymentsApi, type TestApi } from '../integration/payments/payments-test-kit';
import { shiftedClock } from '@krt/payments';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BOUND_MS = 20_000;

const appNamed = (name: string) => APP_PROCESSES.find((a) => a.name === name)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pidOf = (name: string) => Number(fs.readFileSync(path.join(ROOT, '.stack', name, `${name}.pid`), 'utf8').trim());
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** Environment that makes the process write its exit code to a file; `code()` reads it (undefined = killed). */
function exitCodeRecorder(name: string) {
  const file = path.join(os.tmpdir(), `krt-exit-${name}-${randomUUID().slice(0, 8)}`);
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(path.join(HERE, 'exit-code-recorder.mjs')).href}`, KRT_EXIT_CODE_FILE: file },
    code: () => (fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : undefined),
  };
}

/** SIGTERM through the stack helper (SIGKILL only past the bound + 5 s); `whileDraining` runs meanwhile. */
async function terminate(name: string, whileDraining: (pid: number) => Promise<void>): Promise<number> {
  const pid = pidOf(name);
  const started = Date.now();
  const stopping = stopInstance(name, { graceMs: BOUND_MS + 5000 });
  await whileDraining(pid);
  await stopping;
  return Date.now() - started;
}

/** Waits until the session holding `locker` blocks a session of `applicationName`. */
async function blockedBy(locker: PoolClient, applicationName: string) {
  const me = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await eventually(
    async () => {
      const { rows } = await locker.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND $2 = ANY(pg_blocking_pids(pid))', [applicationName, me]);
      return rows[0]!.n > 0;
    },
    { timeoutMs: 30_000, intervalMs: 100, what: `${applicationName} waiting on the test's lock` },
  );
}

describe('graceful shutdown on SIGTERM', () => {
  let api: TestApi;
  const lockers: PoolClient[] = [];
  const lockRow = async (accountId: string) => {
    const c = await api.rt.pool.connect();
    lockers.push(c);
    await c.query('BEGIN');
    // What the ledger takes (lockAccounts): blocks balance changes, not the foreign-key locks of a new transfer row.
    await c.query('SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE', [accountId]);
    return c;
  };

  beforeAll(async () => {
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(14)) });
  });
  afterAll(async () => {
    for (const c of lockers) {
      await c.query('ROLLBACK').catch(() => undefined);
      c.release();
    }
    await closeProducer();
    await api?.close();
  });

  describe('an API (payments, second instance)', () => {
    const [, second] = instancesOf(appNamed('payments'), { PAYMENTS_REPLICAS: '2' }) as [AppInstance, AppInstance];
    afterAll(async () => {
      await stopInstance(second.name);
    });

    it('when SIGTERM arrives during a request, then it stops accepting, answers that request and exits 0 within the bound', async () => {
      const customer = await newCustomer(api);
      const exit = exitCodeRecorder(second.name);
      await startInstance(second, { ...(await stackEnv()), ...exit.env });
      const locker = await lockRow(customer.accountId);
      // A deposit that has to wait for the account row the test holds: in flight when SIGTERM comes.
      const inFlight = deposit({ url: `http://127.0.0.1:${second.port}` } as TestApi, customer.accountId, '42.00', 'Durante o desligamento');
      await blockedBy(locker, 'payments');

      const elapsed = await terminate(second.name, async (pid) => {
        await sleep(1000);
        expect(alive(pid)).toBe(true); // draining, not dead
        expect(await listening(second.port!)).toBe(false); // no new connections
        await locker.query('COMMIT');
      });

      expect(await inFlight).toMatchObject({ accountId: customer.accountId, amount: '42.00' });
      expect(elapsed).toBeLessThan(BOUND_MS);
      expect(exit.code()).toBe(0);
      expect((await call(api, customer.token, 'GET', '/v1/accounts/me/balance')).body).toMatchObject({ posted: '42.00' });
    });
  });

  describe('a Kafka consumer (the payment consumer)', () => {
    const consumer = instancesOf(appNamed('payments-payment-consumer'))[0]!;
    afterAll(async () => {
      // Leave the stack as it was: the consumer running with the stack's environment.
      await startInstance(consumer, await stackEnv());
    });

    it('when SIGTERM arrives while it settles a PIX, then it finishes, commits the offset and exits 0; after a restart nothing is redelivered', async () => {
      const [payer, receiver] = await Promise.all([newCustomer(api), newCustomer(api)]);
      await deposit(api, payer.accountId, '100.00');
      const key = await addKey(api, receiver);
      const exit = exitCodeRecorder(consumer.name);
      await stopInstance(consumer.name);
      await startInstance(consumer, { ...(await stackEnv()), ...exit.env });

      // Settlement locks both accounts: holding the receiver's keeps the consumer mid-message.
      const locker = await lockRow(receiver.accountId);
      const sent = await pix(api, payer, { key, amount: '30.00', description: 'Desligamento gracioso' });
      expect(sent.status).toBe(202);
      await blockedBy(locker, 'payments-payment-consumer');

      const elapsed = await terminate(consumer.name, async (pid) => {
        await sleep(1000);
        expect(alive(pid)).toBe(true);
        await locker.query('COMMIT');
      });
      expect(elapsed).toBeLessThan(BOUND_MS);
      expect(exit.code()).toBe(0);
      // Finished before exiting: completed, posted once.
      expect((await call(api, payer.token, 'GET', `/v1/pix/transfers/${sent.body.id}`)).body).toMatchObject({ status: 'COMPLETED' });
      const entries = async () => (await api.rt.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries WHERE transfer_id = $1', [sent.body.id])).rows[0]!.n;
      expect(await entries()).toBe(2);

      // Restarted: it consumes again (a second PIX settles), and the first message does not come back (its offset
      // was committed on the way out; a redelivery would show as an inbox duplicate in the fresh process).
      await startInstance(consumer, await stackEnv());
      const again = await pix(api, payer, { key, amount: '5.00', description: 'Depois do reinício' });
      expect((await finalStatus(api, payer, again.body.id, 40_000)).status).toBe('COMPLETED');
      await sleep(2000);
      const metrics = await (await fetch(`http://127.0.0.1:${consumer.port}/metrics`, { headers: { authorization: `Bearer ${DEV_METRICS_TOKEN}` } })).text();
      const duplicates = /^inbox_duplicates_total\{[^}]*consumer="payments\.payment-consumer"[^}]*\} (\d+)/m.exec(metrics);
      expect(Number(duplicates?.[1] ?? 0)).toBe(0);
      expect(await entries()).toBe(2);
    });
  });

  describe('the notification worker (RabbitMQ)', () => {
    const [, second] = instancesOf(appNamed('notification-worker'), { NOTIFICATION_WORKER_REPLICAS: '2' }) as [AppInstance, AppInstance];
    const proxy = holdingSmtpProxy(1025);
    let p: IsolatedPipeline;
    beforeAll(async () => {
      p = await isolatedPipeline([200, 400, 800]);
      const ch = await (await p.amqp.current()).createChannel();
      await assertTopology(ch, p.topology, 'krt.live');
      await ch.close();
    });
    afterAll(async () => {
      await stopInstance(second.name);
      await proxy.close();
      await p?.close();
      await closeDb();
    });

    it('when SIGTERM arrives mid e-mail, then the e-mail is sent and acked before it exits 0, and never sent twice', async () => {
      const proxyPort = await proxy.listen();
      const customer = testCustomer('Otávio Desligado Gentil');
      const env = accountCreated(customer);
      expect(await publishNotificationsFor(p, p.pool, env, { type: TOPICS.accountCreated, payload: env.payload } as NotifiableEvent)).toBe(3);
      const exit = exitCodeRecorder(second.name);
      await startInstance(second, { ...(await stackEnv()), ...p.env, SMTP_PORT: String(proxyPort), NOTIFICATIONS_PREFETCH: '1', LOG_LEVEL: 'warn', ...exit.env });
      await proxy.stalled;
      expect(await mailsTo(customer.email)).toHaveLength(0);

      const elapsed = await terminate(second.name, async (pid) => {
        await sleep(1000);
        expect(alive(pid)).toBe(true);
        proxy.release();
      });
      expect(elapsed).toBeLessThan(BOUND_MS);
      expect(exit.code()).toBe(0);
      await eventually(async () => (await mailsTo(customer.email)).length === 1, { timeoutMs: 10_000, what: 'the e-mail at the catcher' });
      const email = (await deliveriesOf(customer.customerId)).find((d) => d.channel === 'email');
      expect(email).toMatchObject({ status: 'delivered', attempts: 1 });
      // Acked: nothing of it is left in the queue.
      const ch = await (await p.amqp.current()).createChannel();
      expect((await ch.checkQueue(p.topology.queue('email'))).messageCount).toBe(0);
      await ch.close();

      // Whatever the worker had not taken yet is still queued: another worker delivers it, and the e-mail stays single.
      await p.startWorker();
      await eventually(async () => (await smsTo(customer.phone)).length === 1 && (await inApp(customer.customerId)).length === 1, { timeoutMs: 30_000, what: 'SMS and in-app' });
      await sleep(1500);
      expect(await mailsTo(customer.email)).toHaveLength(1);
    });
  });
});
