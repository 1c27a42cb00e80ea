import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.value-object';
import { fromSaoPauloDateTime } from '../time/sao-paulo-time.util';
import { checkRefund, refundDeadline } from './pix-refund.policy';
import { generateReturnId } from './end-to-end-id.util';

const completedAt = fromSaoPauloDateTime(2026, 1, 10, 23, 30); // 10 Jan 2026, 23:30 in São Paulo
const original = { amount: Money.of('100.00'), completedAt, isRefund: false };
const check = (amount: string, alreadyRefunded = '0.00', at = fromSaoPauloDateTime(2026, 1, 11, 9)) =>
  checkRefund({ original, alreadyRefunded: Money.of(alreadyRefunded), amount: Money.of(amount), at });
const codeOf = (r: ReturnType<typeof checkRefund>) => (r.ok ? 'OK' : r.error.code);

describe('PIX devolução rules', () => {
  it('when part and then the rest are returned, then both are allowed and what remains goes to zero', () => {
    const first = check('30.00');
    expect(first.ok && first.value.remainingAfter.toApiString()).toBe('70.00');
    const rest = check('70.00', '30.00');
    expect(rest.ok && rest.value.remainingAfter.toApiString()).toBe('0.00');
  });

  it('when a return would pass the original by one centavo, then it is refused with what can still be returned', () => {
    const r = check('70.01', '30.00');
    expect(codeOf(r)).toBe('REFUND_EXCEEDS_ORIGINAL');
    expect(!r.ok && r.error.message).toContain('R$\u00a070,00');
    expect(!r.ok && r.error.field).toBe('amount');
  });

  it('when everything was already returned, then another return is refused saying so', () => {
    const r = check('0.01', '100.00');
    expect(codeOf(r)).toBe('REFUND_EXCEEDS_ORIGINAL');
    expect(!r.ok && r.error.message).toBe('Este Pix já foi devolvido por inteiro.');
  });

  it('when the 90th São Paulo calendar day after the PIX ends, then the window closes: 23:59 of day 90 is in, 00:00 of day 91 is out', () => {
    // 10 Jan + 90 days = 10 Apr 2026.
    expect(refundDeadline(completedAt).toISOString()).toBe(fromSaoPauloDateTime(2026, 4, 11).toISOString());
    expect(codeOf(check('1.00', '0.00', fromSaoPauloDateTime(2026, 4, 10, 23, 59)))).toBe('OK');
    expect(codeOf(check('1.00', '0.00', fromSaoPauloDateTime(2026, 4, 11, 0, 0)))).toBe('REFUND_WINDOW_EXPIRED');
  });

  it('when the PIX has not completed, or is itself a return, or the amount is zero, then it cannot be returned', () => {
    const at = fromSaoPauloDateTime(2026, 1, 11, 9);
    expect(codeOf(checkRefund({ original: { ...original, completedAt: null }, alreadyRefunded: Money.ZERO, amount: Money.of('1.00'), at }))).toBe('REFUND_NOT_ALLOWED');
    expect(codeOf(checkRefund({ original: { ...original, isRefund: true }, alreadyRefunded: Money.ZERO, amount: Money.of('1.00'), at }))).toBe('REFUND_NOT_ALLOWED');
    expect(codeOf(check('0.00'))).toBe('PIX_AMOUNT_INVALID');
  });

  it('when a return id is made, then it has the EndToEndId layout with D first', () => {
    const id = generateReturnId('99999999', new Date('2026-01-11T12:34:00Z'), 'abcDEF12345');
    expect(id).toBe('D99999999202601111234abcDEF12345');
    expect(id).toHaveLength(32);
  });
});
