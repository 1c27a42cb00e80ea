// Retries with growing delays (TTL delay queues), the DLQ after N attempts, and the DLQ command's list and replay —
// in an isolated RabbitMQ namespace with short delays and a worker in this process.
import { TOPICS } from '@krt/contracts';
import { publishNotificationsFor, upsertCustomer, type NotifiableEvent } from '@krt/notifications';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDlqCommand } from '../../../apps/notifications/src/dlq.cli';
import { accountCreated, deliveriesOf, inApp, isolatedPipeline, mailsTo, pixCompleted, smsTo, testCustomer, type IsolatedPipeline } from './notifications-test-kit';

describe('failed deliveries: retries, DLQ, replay', () => {
  let p: IsolatedPipeline;
  beforeAll(async () => {
    p = await isolatedPipeline([150, 300, 450]);
    await p.startWorker();
  });
  afterAll(async () => {
    await p?.close();
  });

  const dlq = async (args: string[]) => {
    const lines: string[] = [];
    const code = await runDlqCommand(args, p.env, (l) => lines.push(l));
    return { code, lines };
  };

  it('when a delivery keeps failing, then it is retried with growing delays and lands in the DLQ after 4 attempts with its reason; after the cause is fixed, a replay delivers it once', async () => {
    // The payer's contact data is unknown (its account.created never arrived): e-mail and SMS cannot be delivered.
    const payer = testCustomer('Paula Sem Cadastro');
    const receiver = testCustomer('Rui Com Cadastro');
    await upsertCustomer(p.pool, receiver);
    const env = pixCompleted(payer, receiver, '4200');
    const started = Date.now();
    const published = await publishNotificationsFor(p, p.pool, env, { type: TOPICS.pixCompleted, payload: env.payload } as NotifiableEvent);
    expect(published).toBe(6);

    const emailId = `${env.eventId}:email:${payer.customerId}`;
    const smsId = `${env.eventId}:sms:${payer.customerId}`;
    const listed = await eventually(
      async () => {
        const r = await dlq(['list']);
        return r.lines.some((l) => l.startsWith(emailId)) && r.lines.some((l) => l.startsWith(smsId)) ? r : undefined;
      },
      { timeoutMs: 20_000, what: 'both messages in the DLQ' },
    );
    // 150 + 300 + 450 ms of delay queues at least.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(listed.code).toBe(0);
    const line = listed.lines.find((l) => l.startsWith(emailId))!;
    expect(line).toContain('attempts=4');
    expect(line).toContain('dados de contato do cliente ainda desconhecidos');
    const failed = (await deliveriesOf(payer.customerId)).find((d) => d.channel === 'email')!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 4 });

    // In-app needs no contact data: delivered at once, for both; the receiver got e-mail too.
    expect((await inApp(payer.customerId)).map((n) => n.kind)).toEqual(['PIX_SENT']);
    await eventually(async () => (await mailsTo(receiver.email)).length === 1, { what: 'receiver e-mail' });

    // Listing does not consume: the messages are still there.
    expect((await dlq(['list'])).lines.filter((l) => l.startsWith(env.eventId))).toHaveLength(2);

    // Fix the cause (the contact data arrives), replay only the e-mail.
    await upsertCustomer(p.pool, payer);
    const replay = await dlq(['replay', emailId]);
    expect(replay.code).toBe(0);
    expect(replay.lines).toContain(`replayed ${emailId}`);
    const [email] = await eventually(async () => ((await mailsTo(payer.email)).length ? mailsTo(payer.email) : undefined), { what: 'replayed e-mail' });
    expect(email!.subject).toBe('Pix enviado');
    await eventually(async () => (await deliveriesOf(payer.customerId)).find((d) => d.channel === 'email')?.status === 'delivered', { what: 'delivery row' });

    // The SMS is still waiting in the DLQ; replayed, it is delivered.
    const remaining = (await dlq(['list'])).lines.filter((l) => l.startsWith(env.eventId));
    expect(remaining).toHaveLength(1);
    expect(remaining[0]).toContain(smsId);
    expect((await dlq(['replay', smsId])).code).toBe(0);
    await eventually(async () => (await smsTo(payer.phone)).length === 1, { what: 'replayed SMS' });

    // The consumer publishing the whole event again (a Kafka redelivery) delivers nothing twice.
    expect(await publishNotificationsFor(p, p.pool, env, { type: TOPICS.pixCompleted, payload: env.payload } as NotifiableEvent)).toBe(6);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await smsTo(payer.phone)).toHaveLength(1);
    expect(await mailsTo(payer.email)).toHaveLength(1);
    expect(await mailsTo(receiver.email)).toHaveLength(1);
    expect((await inApp(receiver.customerId)).map((n) => n.kind)).toEqual(['PIX_RECEIVED']);
    expect((await deliveriesOf(payer.customerId)).map((d) => [d.channel, d.status])).toEqual([['email', 'delivered'], ['push', 'delivered'], ['sms', 'delivered']]);
    expect((await dlq(['list'])).lines.filter((l) => l.startsWith(env.eventId))).toHaveLength(0);
  });

  it('when the mail server refuses the recipient (SMTP 550), then the e-mail is dead-lettered with the server’s answer and the other channels are delivered', async () => {
    const customer = { ...testCustomer('Renata Recusada Paz') };
    customer.email = `ntf-${customer.customerId.slice(0, 8)}@recusado.test`;
    const env = accountCreated(customer);
    await publishNotificationsFor(p, p.pool, env, { type: TOPICS.accountCreated, payload: env.payload } as NotifiableEvent);
    const id = `${env.eventId}:email:${customer.customerId}`;
    const line = await eventually(async () => (await dlq(['list'])).lines.find((l) => l.startsWith(id)), { timeoutMs: 20_000, what: 'refused e-mail in the DLQ' });
    expect(line).toMatch(/attempts=4/);
    expect(line).toMatch(/550/);
    await eventually(async () => (await smsTo(customer.phone)).length === 1, { what: 'SMS delivered' });
    expect((await inApp(customer.customerId)).map((n) => n.kind)).toEqual(['ACCOUNT_CREATED']);
  });

  it('when replay is asked for an id that is not in the DLQ, then the command says so and exits non-zero', async () => {
    const r = await dlq(['replay', 'nao-existe']);
    expect(r.code).toBe(1);
    expect(r.lines).toContain('not found in the DLQ: nao-existe');
    expect((await dlq([])).code).toBe(2);
  });
});
