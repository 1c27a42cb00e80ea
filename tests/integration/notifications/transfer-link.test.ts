// Issue #18: every in-app notification of a PIX opens the transfer's page, so it carries the transfer id through the
// real pipeline (Kafka → Notification consumer → RabbitMQ → worker → notification center); a devolução (refundOf) is
// told as such to the one who returns the money and to the one who gets it back, with the kinds unchanged.
import { TOPICS } from '@krt/contracts';
import { eventually } from '@krt/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountCreated,
  closeDb,
  closeProducer,
  customerKnown,
  envelope,
  mail,
  mailsTo,
  NBSP,
  notificationsDb,
  pixCompleted,
  publish,
  testCustomer,
  type TestCustomer,
} from './notifications-test-kit';

const inAppOf = async (customerId: string, eventId: string) => {
  const { rows } = await notificationsDb().query<{ kind: string; title: string; body: string; transfer_id: string | null }>(
    'SELECT kind, title, body, transfer_id FROM notifications WHERE customer_id = $1 AND event_id = $2',
    [customerId, eventId],
  );
  return rows[0];
};

describe('in-app notifications link to their transfer (real Kafka, RabbitMQ, worker)', () => {
  let ana: TestCustomer;
  let carlos: TestCustomer;

  beforeAll(async () => {
    ana = testCustomer('Ana Link Souza');
    carlos = testCustomer('Carlos Link Lima');
    await publish(TOPICS.accountCreated, accountCreated(ana));
    await publish(TOPICS.accountCreated, accountCreated(carlos));
    await eventually(async () => (await customerKnown(ana.customerId)) && customerKnown(carlos.customerId), { timeoutMs: 45_000, what: 'contacts stored' });
  });
  afterAll(async () => {
    await closeProducer();
    await closeDb();
  });

  it('when a Pix completes, then both in-app notifications store its transfer id', async () => {
    const event = pixCompleted(ana, carlos, '2500');
    const transferId = (event.payload as { transferId: string }).transferId;
    await publish(TOPICS.pixCompleted, event);
    const sent = await eventually(() => inAppOf(ana.customerId, event.eventId), { timeoutMs: 45_000, what: 'payer in-app' });
    const received = await eventually(() => inAppOf(carlos.customerId, event.eventId), { timeoutMs: 45_000, what: 'receiver in-app' });
    expect(sent).toMatchObject({ kind: 'PIX_SENT', title: 'Pix enviado', transfer_id: transferId });
    expect(received).toMatchObject({ kind: 'PIX_RECEIVED', title: 'Pix recebido', transfer_id: transferId });
  });

  it('when Carlos returns part of a Pix from Ana, then he is told he returned it and she that she got it back, by every channel', async () => {
    const original = pixCompleted(ana, carlos, '10000');
    const refund = pixCompleted(carlos, ana, '4550');
    const payload = refund.payload as { transferId: string; refundOf?: string };
    payload.refundOf = (original.payload as { transferId: string }).transferId;
    await publish(TOPICS.pixCompleted, refund);

    const returned = await eventually(() => inAppOf(carlos.customerId, refund.eventId), { timeoutMs: 45_000, what: 'returner in-app' });
    const gotBack = await eventually(() => inAppOf(ana.customerId, refund.eventId), { timeoutMs: 45_000, what: 'payer-back in-app' });
    expect(returned).toEqual({ kind: 'PIX_SENT', title: 'Devolução de Pix enviada', body: `Você devolveu R$${NBSP}45,50 a Ana S.`, transfer_id: payload.transferId });
    expect(gotBack).toEqual({ kind: 'PIX_RECEIVED', title: 'Devolução de Pix recebida', body: `Carlos L. devolveu R$${NBSP}45,50 de um Pix que você enviou.`, transfer_id: payload.transferId });

    const email = await eventually(async () => (await mailsTo(ana.email)).find((m) => m.subject === 'Devolução de Pix recebida'), { timeoutMs: 45_000, what: 'e-mail of the return' });
    expect((await mail(email.id)).text).toContain(`Carlos L. devolveu R$${NBSP}45,50 de um Pix que você enviou.`);
  });

  it('when a return fails, then only the one returning is told, linked to the return', async () => {
    const failed = envelope(TOPICS.pixFailed, carlos.accountId, {
      transferId: randomUUID(),
      refundOf: randomUUID(),
      endToEndId: 'D1234567820261129120000ABCDEFGHI',
      payer: { customerId: carlos.customerId, accountId: carlos.accountId },
      receiver: { customerId: ana.customerId, accountId: ana.accountId },
      amountCentavos: '700',
      reason: 'Pix não concluído: o processamento passou do prazo. O valor reservado voltou para o seu saldo.',
      failedAt: new Date().toISOString(),
    });
    await publish(TOPICS.pixFailed, failed);
    const n = await eventually(() => inAppOf(carlos.customerId, failed.eventId), { timeoutMs: 45_000, what: 'failure in-app' });
    expect(n).toEqual({
      kind: 'PIX_FAILED',
      title: 'Devolução de Pix não concluída',
      body: `Sua devolução de R$${NBSP}7,00 não foi concluída. O processamento passou do prazo. O valor reservado voltou para o seu saldo.`,
      transfer_id: (failed.payload as { transferId: string }).transferId,
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inAppOf(ana.customerId, failed.eventId)).toBeUndefined();
  });
});
