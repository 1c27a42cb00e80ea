// Kafka event → Notification consumer → RabbitMQ → worker → SMTP catcher, SMS outbox and notification center,
// through the stack's own notification processes (started by the global setup like every app).
import { TOPICS } from '@krt/contracts';
import { eventually } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountCreated,
  closeDb,
  closeProducer,
  customerKnown,
  deliveriesOf,
  envelope,
  inApp,
  mail,
  mailsTo,
  NBSP,
  notificationsDb,
  pixCompleted,
  publish,
  smsTo,
  testCustomer,
  type TestCustomer,
} from './notifications-test-kit';

const settle = () => new Promise((r) => setTimeout(r, 1500));

describe('notifications of a completed Pix (real Kafka, RabbitMQ, SMTP catcher)', () => {
  let payer: TestCustomer;
  let receiver: TestCustomer;

  beforeAll(async () => {
    payer = testCustomer('Ana Beatriz Souza');
    receiver = testCustomer('Carlos Eduardo Lima');
    await publish(TOPICS.accountCreated, accountCreated(payer));
    await publish(TOPICS.accountCreated, accountCreated(receiver));
    await eventually(async () => (await customerKnown(payer.customerId)) && customerKnown(receiver.customerId), { timeoutMs: 45_000, what: 'contacts stored from account.created' });
  });
  afterAll(async () => {
    await closeProducer();
    await closeDb();
  });

  it('when an account is created, then the customer is welcomed by e-mail, SMS and in-app', async () => {
    const [welcome] = await eventually(async () => ((await mailsTo(payer.email)).length ? mailsTo(payer.email) : undefined), { timeoutMs: 45_000, what: 'welcome e-mail' });
    expect(welcome!.subject).toBe('Bem-vindo(a) ao KRT Bank');
    await eventually(async () => (await smsTo(payer.phone)).length === 1, { timeoutMs: 45_000, what: 'welcome SMS' });
    await eventually(async () => (await inApp(payer.customerId)).some((n) => n.kind === 'ACCOUNT_CREATED'), { timeoutMs: 45_000, what: 'welcome in-app' });
  });

  it('when a Pix completes, then payer and receiver each get one e-mail with the amount in BRL, one SMS and one in-app notification', async () => {
    const event = pixCompleted(payer, receiver, '123456');
    await publish(TOPICS.pixCompleted, event);

    const sent = await eventually(async () => (await mailsTo(payer.email)).find((m) => m.subject === 'Pix enviado'), { timeoutMs: 45_000, what: 'payer e-mail' });
    const received = await eventually(async () => (await mailsTo(receiver.email)).find((m) => m.subject === 'Pix recebido'), { timeoutMs: 45_000, what: 'receiver e-mail' });
    expect((await mail(sent.id)).text).toContain(`Você enviou um Pix de R$${NBSP}1.234,56 para Carlos L.`);
    expect((await mail(received.id)).text).toContain(`Você recebeu um Pix de R$${NBSP}1.234,56 de Ana S.`);
    expect(sent.envelope.to).toEqual([payer.email]);
    expect(received.messageId).toBe(`<${event.eventId}.${receiver.customerId}@notificacoes.krt.bank>`);

    const payerInApp = await eventually(async () => (await inApp(payer.customerId)).find((n) => n.event_id === event.eventId), { timeoutMs: 45_000, what: 'payer in-app' });
    const receiverInApp = await eventually(async () => (await inApp(receiver.customerId)).find((n) => n.event_id === event.eventId), { timeoutMs: 45_000, what: 'receiver in-app' });
    expect(payerInApp).toMatchObject({ kind: 'PIX_SENT', title: 'Pix enviado' });
    expect(receiverInApp).toMatchObject({ kind: 'PIX_RECEIVED', title: 'Pix recebido', body: `Você recebeu um Pix de R$${NBSP}1.234,56 de Ana S.` });

    await eventually(async () => (await smsTo(receiver.phone)).some((s) => s.idempotencyKey === `${event.eventId}:sms:${receiver.customerId}`), { timeoutMs: 45_000, what: 'receiver SMS' });
    await settle();
    const rows = (await deliveriesOf(payer.customerId)).filter((d) => d.event_id === event.eventId);
    expect(rows.map((d) => [d.channel, d.status])).toEqual([['email', 'delivered'], ['push', 'delivered'], ['sms', 'delivered']]);
    expect((await mailsTo(payer.email)).filter((m) => m.subject === 'Pix enviado')).toHaveLength(1);
    expect((await mailsTo(receiver.email)).filter((m) => m.subject === 'Pix recebido')).toHaveLength(1);
  });

  it('when Kafka delivers the same event again, then nobody receives it twice', async () => {
    const event = pixCompleted(payer, receiver, '500');
    await publish(TOPICS.pixCompleted, event);
    await publish(TOPICS.pixCompleted, event); // an at-least-once redelivery of the very same envelope
    await eventually(async () => (await inApp(receiver.customerId)).some((n) => n.event_id === event.eventId), { timeoutMs: 45_000, what: 'in-app' });
    await eventually(async () => (await mailsTo(receiver.email)).some((m) => m.messageId?.startsWith(`<${event.eventId}.`)), { timeoutMs: 45_000, what: 'e-mail' });
    await settle();
    expect((await mailsTo(receiver.email)).filter((m) => m.messageId?.startsWith(`<${event.eventId}.`))).toHaveLength(1);
    expect((await smsTo(receiver.phone)).filter((s) => s.idempotencyKey.startsWith(event.eventId))).toHaveLength(1);
    expect((await inApp(receiver.customerId)).filter((n) => n.event_id === event.eventId)).toHaveLength(1);
  });

  it('when a Pix fails, then only the payer is told why, with the amount in BRL', async () => {
    const failed = envelope(TOPICS.pixFailed, payer.accountId, {
      transferId: crypto.randomUUID(),
      endToEndId: 'E1234567820261129120000ABCDEFGHI',
      payer: { customerId: payer.customerId, accountId: payer.accountId },
      receiver: { customerId: receiver.customerId, accountId: receiver.accountId },
      amountCentavos: '20000',
      reason: 'Pix não concluído: o processamento passou do prazo. O valor reservado voltou para o seu saldo.',
      failedAt: new Date().toISOString(),
    });
    await publish(TOPICS.pixFailed, failed);
    const n = await eventually(async () => (await inApp(payer.customerId)).find((x) => x.event_id === failed.eventId), { timeoutMs: 45_000, what: 'failure in-app' });
    expect(n).toMatchObject({ kind: 'PIX_FAILED', title: 'Pix não concluído', body: `Seu Pix de R$${NBSP}200,00 não foi concluído. O processamento passou do prazo. O valor reservado voltou para o seu saldo.` });
    await settle();
    expect((await inApp(receiver.customerId)).some((x) => x.event_id === failed.eventId)).toBe(false);
  });

  it('when the customer turned e-mail and SMS off, then a Pix reaches them in-app only; a fraud alert still goes everywhere', async () => {
    const quiet = testCustomer('Beatriz Quieta Ramos');
    await publish(TOPICS.accountCreated, accountCreated(quiet));
    await eventually(() => customerKnown(quiet.customerId), { timeoutMs: 45_000, what: 'contact stored' });
    await notificationsDb().query('UPDATE customers SET notify_email = false, notify_sms = false WHERE customer_id = $1', [quiet.customerId]);

    const pixEvent = pixCompleted(payer, quiet, '1000');
    await publish(TOPICS.pixCompleted, pixEvent);
    const fraud = envelope(TOPICS.fraudDetected, quiet.accountId, {
      transferId: crypto.randomUUID(),
      payer: { customerId: quiet.customerId, accountId: quiet.accountId },
      decision: 'REJECTED',
      score: 90,
      reasons: ['HIGH_AMOUNT', 'UNKNOWN_RECIPIENT'],
      amountCentavos: '900000',
    });
    await publish(TOPICS.fraudDetected, fraud);

    await eventually(async () => (await inApp(quiet.customerId)).some((n) => n.event_id === pixEvent.eventId), { timeoutMs: 45_000, what: 'Pix in-app' });
    const alert = await eventually(async () => (await mailsTo(quiet.email)).find((m) => m.subject === 'Alerta de segurança'), { timeoutMs: 45_000, what: 'fraud alert e-mail' });
    expect((await mail(alert.id)).text).toContain(`Bloqueamos um Pix de R$${NBSP}9.000,00 por suspeita de fraude`);
    await eventually(async () => (await smsTo(quiet.phone)).some((s) => s.idempotencyKey.startsWith(fraud.eventId)), { timeoutMs: 45_000, what: 'fraud alert SMS' });
    await settle();
    expect((await mailsTo(quiet.email)).some((m) => m.subject === 'Pix recebido')).toBe(false);
    expect((await deliveriesOf(quiet.customerId)).filter((d) => d.event_id === pixEvent.eventId).map((d) => d.channel)).toEqual(['push']);
  });
});
