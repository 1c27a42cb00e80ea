import { describe, expect, it } from 'vitest';
import { buildNotifications, firstName, shortName } from './notification-templates';

const NBSP = '\u00a0';
const payer = { customerId: '11111111-1111-4111-8111-111111111111', accountId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' };
const receiver = { customerId: '22222222-2222-4222-8222-222222222222', accountId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' };
const names: Record<string, string> = { [payer.customerId]: 'Ana Beatriz Souza', [receiver.customerId]: 'Carlos Eduardo Lima' };
const e2e = 'E12345678202611290000ABCDEFGHIJK';

describe('notification templates (pt-BR, amounts in BRL)', () => {
  it('when a Pix completes, then the payer is told it was sent and the receiver that it arrived, with the amount in BRL', () => {
    const drafts = buildNotifications(
      { type: 'pix.completed', payload: { transferId: '33333333-3333-4333-8333-333333333333', endToEndId: e2e, payer, receiver, amountCentavos: '123456', completedAt: '2026-11-29T12:00:00Z' } },
      (id) => names[id],
    );
    expect(drafts).toEqual([
      expect.objectContaining({ customerId: payer.customerId, kind: 'PIX_SENT', title: 'Pix enviado', body: `Você enviou um Pix de R$${NBSP}1.234,56 para Carlos L.`, security: false }),
      expect.objectContaining({ customerId: receiver.customerId, kind: 'PIX_RECEIVED', title: 'Pix recebido', body: `Você recebeu um Pix de R$${NBSP}1.234,56 de Ana S.` }),
    ]);
  });

  it('when the counterparty is unknown, then the text names no one', () => {
    const [sent] = buildNotifications(
      { type: 'pix.completed', payload: { transferId: '33333333-3333-4333-8333-333333333333', endToEndId: e2e, payer, receiver, amountCentavos: '5', completedAt: '2026-11-29T12:00:00Z' } },
      () => undefined,
    );
    expect(sent!.body).toBe(`Você enviou um Pix de R$${NBSP}0,05.`);
  });

  it('when a Pix fails, then only the payer is told, with the cause and without repeating "Pix não concluído"', () => {
    const drafts = buildNotifications(
      {
        type: 'pix.failed',
        payload: {
          transferId: '33333333-3333-4333-8333-333333333333', endToEndId: e2e, payer, receiver, amountCentavos: '100000',
          reason: 'Pix não concluído: a transação foi bloqueada pela nossa análise de segurança. O valor reservado voltou para o seu saldo.',
          failedAt: '2026-11-29T12:00:00Z',
        },
      },
      () => undefined,
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ customerId: payer.customerId, kind: 'PIX_FAILED', title: 'Pix não concluído' });
    expect(drafts[0]!.body).toBe(`Seu Pix de R$${NBSP}1.000,00 não foi concluído. A transação foi bloqueada pela nossa análise de segurança. O valor reservado voltou para o seu saldo.`);
  });

  it('when fraud is detected, then the payer gets a security alert on every channel; an approval notifies no one', () => {
    const base = { transferId: '33333333-3333-4333-8333-333333333333', payer, score: 80, reasons: ['HIGH_AMOUNT'] };
    const [alert] = buildNotifications({ type: 'fraud.detected', payload: { ...base, decision: 'REJECTED', amountCentavos: '500000' } }, () => undefined);
    expect(alert).toMatchObject({ kind: 'FRAUD_ALERT', security: true, title: 'Alerta de segurança' });
    expect(alert!.body).toContain(`Pix de R$${NBSP}5.000,00`);
    expect(buildNotifications({ type: 'fraud.detected', payload: { ...base, decision: 'APPROVED' } }, () => undefined)).toEqual([]);
  });

  it('when an account is created, then the customer is welcomed by first name', () => {
    const [welcome] = buildNotifications(
      {
        type: 'account.created',
        payload: { customerId: payer.customerId, keycloakUserId: 'kc', fullName: 'Ana Beatriz Souza', cpf: '52998224725', email: 'ana@example.com', phone: '+5511987654321' },
      },
      () => undefined,
    );
    expect(welcome).toMatchObject({ kind: 'ACCOUNT_CREATED', title: 'Bem-vindo(a) ao KRT Bank' });
    expect(welcome!.body).toMatch(/^Olá, Ana!/);
  });

  it('when names are shortened, then only the first name and the last initial remain', () => {
    expect(shortName('Maria da Silva Souza')).toBe('Maria S.');
    expect(shortName('Cher')).toBe('Cher');
    expect(firstName('  João Pedro ')).toBe('João');
  });
});
