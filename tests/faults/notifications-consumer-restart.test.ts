// The stack's Notification consumer is killed (SIGKILL) while it works through a burst of Pix events and started
// again: Kafka redelivers what was not committed, and still no customer gets a notification twice.
import { TOPICS } from '@krt/contracts';
import { eventually } from '@krt/testing';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps } from '../../scripts/stack/apps.mjs';
import { accountCreated, closeDb, closeProducer, customerKnown, inApp, mailsTo, notificationsDb, pixCompleted, publish, smsTo, testCustomer, type TestCustomer } from '../integration/notifications/notifications-test-kit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PID_FILE = path.join(ROOT, '.stack/notification-consumer/notification-consumer.pid');
const EVENTS = 40;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Notification consumer restarted mid-stream', () => {
  let payer: TestCustomer;
  let receiver: TestCustomer;

  beforeAll(async () => {
    payer = testCustomer('Célia Contínua Borges');
    receiver = testCustomer('Diego Duplicado Nunca');
    await publish(TOPICS.accountCreated, accountCreated(payer));
    await publish(TOPICS.accountCreated, accountCreated(receiver));
    await eventually(async () => (await customerKnown(payer.customerId)) && customerKnown(receiver.customerId), { timeoutMs: 30_000, what: 'contacts' });
  });
  afterAll(async () => {
    await apps.startAll(); // whatever happened, leave the stack's consumer running
    await closeProducer();
    await closeDb();
  });

  it('when the consumer is killed while handling a burst and started again, then every notification arrives exactly once', async () => {
    const pid = Number(fs.readFileSync(PID_FILE, 'utf8').trim());
    expect(alive(pid)).toBe(true);

    const events = Array.from({ length: EVENTS }, (_, i) => pixCompleted(payer, receiver, String(2_000 + i)));
    const ids = events.map((e) => e.eventId);
    await Promise.all(events.map((e) => publish(TOPICS.pixCompleted, e)));

    // Kill it as soon as it has applied the first events of the burst (the inbox rows commit with each event).
    const appliedAtKill = await eventually(
      async () => {
        const { rows } = await notificationsDb().query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])', [ids]);
        return rows[0]!.n > 0 ? rows[0]!.n : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 10, what: 'first events applied' },
    );
    process.kill(pid, 'SIGKILL');
    await eventually(async () => !alive(pid), { what: 'consumer gone' });
    expect(appliedAtKill).toBeLessThan(EVENTS);

    await apps.startAll();

    const ofBurst = async (address: string) => (await mailsTo(address)).map((m) => m.messageId ?? '').filter((id) => ids.some((e) => id.startsWith(`<${e}.`)));
    await eventually(async () => (await ofBurst(payer.email)).length >= EVENTS && (await ofBurst(receiver.email)).length >= EVENTS, {
      timeoutMs: 120_000,
      intervalMs: 1000,
      what: `${EVENTS} e-mails for each customer`,
    });
    await eventually(async () => (await inApp(payer.customerId)).filter((n) => ids.includes(n.event_id)).length >= EVENTS, { timeoutMs: 30_000, what: 'in-app' });
    await new Promise((r) => setTimeout(r, 3000));

    for (const address of [payer.email, receiver.email]) {
      const got = await ofBurst(address);
      expect(got).toHaveLength(EVENTS);
      expect(new Set(got).size).toBe(EVENTS);
    }
    for (const c of [payer, receiver]) {
      const notes = (await inApp(c.customerId)).filter((n) => ids.includes(n.event_id));
      expect(notes).toHaveLength(EVENTS);
      const sms = (await smsTo(c.phone)).filter((s) => ids.some((e) => s.idempotencyKey.startsWith(e)));
      expect(sms).toHaveLength(EVENTS);
      expect(new Set(sms.map((s) => s.idempotencyKey)).size).toBe(EVENTS);
    }
  });
});
