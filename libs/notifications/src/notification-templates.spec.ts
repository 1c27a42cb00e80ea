import { describe, expect, it } from 'vitest';
import { buildNotifications, contactChangeAlert, firstName, shortName } from './notification-templates';

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

  it('when a Pix completes or fails, then each in-app notification carries the transfer id (its page)', () => {
    const transferId = '33333333-3333-4333-8333-333333333333';
    const done = buildNotifications({ type: 'pix.completed', payload: { transferId, endToEndId: e2e, payer, receiver, amountCentavos: '100', completedAt: '2026-11-29T12:00:00Z' } }, () => undefined);
    expect(done.map((d) => d.transferId)).toEqual([transferId, transferId]);
    const [failed] = buildNotifications(
      { type: 'pix.failed', payload: { transferId, endToEndId: e2e, payer, receiver, amountCentavos: '100', reason: 'Pix não concluído: x.', failedAt: '2026-11-29T12:00:00Z' } },
      () => undefined,
    );
    expect(failed!.transferId).toBe(transferId);
  });

  describe('a devolução (refundOf): its payer returns the money, its receiver gets it back', () => {
    const refund = { transferId: '44444444-4444-4444-8444-444444444444', refundOf: '33333333-3333-4333-8333-333333333333', endToEndId: `D${e2e.slice(1)}`, payer, receiver };

    it('when a return completes, then the one who returned and the one paid back get their own texts, kinds unchanged', () => {
      const drafts = buildNotifications({ type: 'pix.completed', payload: { ...refund, amountCentavos: '4550', completedAt: '2026-11-29T12:00:00Z' } }, (id) => names[id]);
      expect(drafts).toEqual([
        { customerId: payer.customerId, kind: 'PIX_SENT', title: 'Devolução de Pix enviada', body: `Você devolveu R$${NBSP}45,50 a Carlos L.`, security: false, transferId: refund.transferId },
        {
          customerId: receiver.customerId,
          kind: 'PIX_RECEIVED',
          title: 'Devolução de Pix recebida',
          body: `Ana S. devolveu R$${NBSP}45,50 de um Pix que você enviou.`,
          security: false,
          transferId: refund.transferId,
        },
      ]);
    });

    it('when the names are unknown, then the return texts name no one', () => {
      const [sent, got] = buildNotifications({ type: 'pix.completed', payload: { ...refund, amountCentavos: '100000', completedAt: '2026-11-29T12:00:00Z' } }, () => undefined);
      expect(sent!.body).toBe(`Você devolveu R$${NBSP}1.000,00.`);
      expect(got!.body).toBe(`Você recebeu a devolução de R$${NBSP}1.000,00 de um Pix que você enviou.`);
    });

    it('when a return fails, then only the one returning is told, with the cause', () => {
      const drafts = buildNotifications(
        {
          type: 'pix.failed',
          payload: { ...refund, amountCentavos: '4550', reason: 'Pix não concluído: o processamento passou do prazo. O valor reservado voltou para o seu saldo.', failedAt: '2026-11-29T12:00:00Z' },
        },
        (id) => names[id],
      );
      expect(drafts).toEqual([
        {
          customerId: payer.customerId,
          kind: 'PIX_FAILED',
          title: 'Devolução de Pix não concluída',
          body: `Sua devolução de R$${NBSP}45,50 não foi concluída. O processamento passou do prazo. O valor reservado voltou para o seu saldo.`,
          security: false,
          transferId: refund.transferId,
        },
      ]);
    });
  });

  it('when fraud is detected, then the payer gets a security alert on every channel; an approval notifies no one', () => {
    const base = { transferId: '33333333-3333-4333-8333-333333333333', payer, score: 80, reasons: ['HIGH_AMOUNT'] };
    const [alert] = buildNotifications({ type: 'fraud.detected', payload: { ...base, decision: 'REJECTED', amountCentavos: '500000' } }, () => undefined);
    expect(alert).toMatchObject({ kind: 'FRAUD_ALERT', security: true, title: 'Alerta de segurança' });
    expect(alert!.body).toContain(`Pix de R$${NBSP}5.000,00`);
    expect(buildNotifications({ type: 'fraud.detected', payload: { ...base, decision: 'APPROVED' } }, () => undefined)).toEqual([]);
  });

  it('when PIX is locked after 3 wrong transaction PINs, then the customer gets a security alert on every channel with the São Paulo time it ends', () => {
    const [alert, ...rest] = buildNotifications(
      { type: 'pix.pin-locked', payload: { customerId: payer.customerId, accountId: payer.accountId, lockedUntil: '2026-12-06T17:32:00.000Z' } },
      () => undefined,
    );
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ customerId: payer.customerId, kind: 'PIN_LOCKED', security: true, title: 'Pix bloqueado: senha de transação incorreta' });
    expect(alert!.body).toContain('após as 14:32 (horário de Brasília)');
  });

  describe('a contact change: a security alert to the e-mail and the number as they were', () => {
    const before = { email: 'joana@example.com', phone: '+5511987654321' };
    const change = (email: string, phone: string) => ({ customerId: payer.customerId, fullName: 'Joana Contato Ribeiro', email, phone, changedAt: '2026-12-07T17:05:00.000Z' });

    it('when the e-mail and the phone change, then the alert says both, with the São Paulo day and time, and goes to the old ones on every channel', () => {
      const alert = contactChangeAlert(change('nova@example.com', '+5521912345678'), before);
      expect(alert).toMatchObject({ customerId: payer.customerId, kind: 'CONTACT_CHANGED', security: true, title: 'Dados de contato alterados', to: before });
      expect(alert!.body).toBe(
        'Olá, Joana! O e-mail e o celular da sua conta foram alterados em 07/12 às 14:05 (horário de Brasília). Se não foi você, fale com a nossa central agora. Nunca pedimos sua senha.',
      );
      // Neither new contact is written in an alert that goes to the old ones.
      expect(alert!.body).not.toContain('nova@example.com');
      expect(alert!.body).not.toContain('912345678');
    });

    it('when only one of them changes, then the alert names that one', () => {
      expect(contactChangeAlert(change('nova@example.com', before.phone), before)!.body).toContain('O e-mail da sua conta foi alterado em');
      expect(contactChangeAlert(change(before.email, '+5521912345678'), before)!.body).toContain('O celular da sua conta foi alterado em');
    });

    it('when neither changes (only the name, or the e-mail in other letter case), then there is no alert', () => {
      expect(contactChangeAlert(change(before.email, before.phone), before)).toBeUndefined();
      expect(contactChangeAlert(change('Joana@Example.com', before.phone), before)).toBeUndefined();
    });
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
