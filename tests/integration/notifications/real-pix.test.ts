// A real Pix through payments (API → outbox → Kafka → fraud → settlement → pix.completed) ends in the customers'
// inboxes: one e-mail each at the SMTP catcher with the amount in BRL, and in-app notifications for both.
import { eventually } from '@krt/testing';
import { shiftedClock } from '@krt/payments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addKey,
  closeProducer as closePaymentsProducer,
  deposit,
  finalStatus,
  newCustomer,
  pix,
  saoPauloToday,
  startPaymentsApi,
  type Customer,
  type TestApi,
} from '../payments/payments-test-kit';
import { closeDb, inApp, mail, mailsTo, NBSP } from './notifications-test-kit';

describe('notifications of a real Pix (payments service → Kafka → notifications)', () => {
  let api: TestApi;
  let payer: Customer;
  let receiver: Customer;

  beforeAll(async () => {
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(14)) });
    [payer, receiver] = await Promise.all([
      newCustomer(api, { viaKafka: true, name: 'Marta Real Fonseca' }),
      newCustomer(api, { viaKafka: true, name: 'Renato Real Dias' }),
    ]);
  });
  afterAll(async () => {
    await closePaymentsProducer();
    await api?.close();
    await closeDb();
  });

  it('when a Pix of R$ 87,65 completes, then payer and receiver get their e-mail and in-app notification once', async () => {
    await deposit(api, payer.accountId, '500.00');
    const key = await addKey(api, receiver, 'EVP');
    const sent = await pix(api, payer, { key, amount: '87.65', description: 'Teste de notificação' });
    expect(sent.status).toBe(202);
    expect((await finalStatus(api, payer, sent.body.id)).status).toBe('COMPLETED');

    const out = await eventually(async () => (await mailsTo(payer.email)).find((m) => m.subject === 'Pix enviado'), { timeoutMs: 45_000, what: 'payer e-mail' });
    const inbound = await eventually(async () => (await mailsTo(receiver.email)).find((m) => m.subject === 'Pix recebido'), { timeoutMs: 45_000, what: 'receiver e-mail' });
    expect((await mail(out.id)).text).toContain(`Você enviou um Pix de R$${NBSP}87,65 para Renato D.`);
    expect((await mail(inbound.id)).text).toContain(`Você recebeu um Pix de R$${NBSP}87,65 de Marta F.`);
    await eventually(async () => (await inApp(payer.customerId)).some((n) => n.kind === 'PIX_SENT'), { timeoutMs: 45_000, what: 'payer in-app' });
    await eventually(async () => (await inApp(receiver.customerId)).some((n) => n.kind === 'PIX_RECEIVED'), { timeoutMs: 45_000, what: 'receiver in-app' });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await mailsTo(payer.email)).filter((m) => m.subject === 'Pix enviado')).toHaveLength(1);
    expect((await mailsTo(receiver.email)).filter((m) => m.subject === 'Pix recebido')).toHaveLength(1);
  });
});
