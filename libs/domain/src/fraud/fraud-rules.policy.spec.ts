import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.value-object';
import { fromSaoPauloDateTime } from '../time/sao-paulo-time.util';
import {
  abnormalFrequencyRule,
  atypicalHourRule,
  FRAUD_THRESHOLDS,
  type FraudInput,
  highAmountRule,
  scoreTransfer,
  unknownRecipientRule,
} from './fraud-rules.policy';

const brl = (value: string): Money => Money.of(value);
const afternoon = fromSaoPauloDateTime(2024, 5, 10, 15);
const threeAm = fromSaoPauloDateTime(2024, 5, 10, 3);

/** A plainly normal transfer; each test changes only what it is about. */
const normal: FraudInput = {
  amount: brl('100.00'),
  customerPerTransactionLimit: brl('5000.00'),
  recentTransferCount: 0,
  at: afternoon,
  firstTimeRecipient: false,
};
const input = (overrides: Partial<FraudInput>): FraudInput => ({ ...normal, ...overrides });

describe('highAmountRule', () => {
  it('fires only above the customer per-transaction limit', () => {
    expect(highAmountRule(input({ amount: brl('5000.00') }))).toBeNull();
    expect(highAmountRule(input({ amount: brl('5000.01') }))?.code).toBe('HIGH_AMOUNT');
  });

  it('uses the customer own (lowered) limit', () => {
    expect(highAmountRule(input({ amount: brl('200.00'), customerPerTransactionLimit: brl('150.00') }))?.points).toBe(100);
  });
});

describe('abnormalFrequencyRule', () => {
  it('fires when this transfer would be the 6th in 10 minutes', () => {
    expect(abnormalFrequencyRule(input({ recentTransferCount: 4 }))).toBeNull();
    const fired = abnormalFrequencyRule(input({ recentTransferCount: 5 }));
    expect(fired?.code).toBe('ABNORMAL_FREQUENCY');
    expect(fired?.description).toBe('Mais de 5 transferências em 10 minutos.');
  });

  it('ignores the amount', () => {
    expect(abnormalFrequencyRule(input({ recentTransferCount: 20, amount: brl('0.01') }))?.points).toBe(40);
  });
});

describe('atypicalHourRule', () => {
  it('fires between 00:00 and 05:00 São Paulo above R$ 500', () => {
    expect(atypicalHourRule(input({ at: threeAm, amount: brl('500.01') }))?.code).toBe('ATYPICAL_HOUR');
    expect(atypicalHourRule(input({ at: threeAm, amount: brl('500.00') }))).toBeNull();
  });

  it.each([
    [23, 59, false],
    [0, 0, true],
    [4, 59, true],
    [5, 0, false],
  ])('at %i:%i → %s', (hour, minute, fires) => {
    const at = fromSaoPauloDateTime(2024, 5, 10, hour, minute);
    expect(atypicalHourRule(input({ at, amount: brl('900.00') })) !== null).toBe(fires);
  });

  it('uses São Paulo time: 04:00 UTC is 01:00 São Paulo, 09:00 UTC is 06:00', () => {
    expect(atypicalHourRule(input({ at: new Date('2024-05-10T04:00:00Z'), amount: brl('900.00') }))).not.toBeNull();
    expect(atypicalHourRule(input({ at: new Date('2024-05-10T09:00:00Z'), amount: brl('900.00') }))).toBeNull();
  });
});

describe('unknownRecipientRule', () => {
  it('fires for a first-time recipient above R$ 1.000', () => {
    expect(unknownRecipientRule(input({ firstTimeRecipient: true, amount: brl('1000.01') }))?.code).toBe(
      'UNKNOWN_RECIPIENT',
    );
    expect(unknownRecipientRule(input({ firstTimeRecipient: true, amount: brl('1000.00') }))).toBeNull();
  });

  it('does not fire for a known recipient', () => {
    expect(unknownRecipientRule(input({ firstTimeRecipient: false, amount: brl('4000.00') }))).toBeNull();
  });
});

describe('scoreTransfer', () => {
  it('approves a normal transfer with score 0 and no reasons', () => {
    expect(scoreTransfer(normal)).toEqual({ decision: 'APPROVED', score: 0, reasons: [] });
  });

  it('HIGH_AMOUNT alone rejects', () => {
    const result = scoreTransfer(input({ amount: brl('6000.00') }));
    expect(result.decision).toBe('REJECTED');
    expect(result.score).toBe(100);
  });

  it.each<[string, Partial<FraudInput>, number]>([
    ['abnormal frequency', { recentTransferCount: 5 }, 40],
    ['atypical hour', { at: threeAm, amount: brl('800.00') }, 30],
    ['unknown recipient', { firstTimeRecipient: true, amount: brl('1500.00') }, 30],
  ])('%s alone is approved but reported', (_label, overrides, score) => {
    const result = scoreTransfer(input(overrides));
    expect(result.decision).toBe('APPROVED');
    expect(result.score).toBe(score);
    expect(result.reasons).toHaveLength(1);
  });

  it.each<[string, Partial<FraudInput>, number]>([
    ['frequency + atypical hour', { recentTransferCount: 5, at: threeAm, amount: brl('800.00') }, 70],
    ['frequency + unknown recipient', { recentTransferCount: 5, firstTimeRecipient: true, amount: brl('1500.00') }, 70],
    ['atypical hour + unknown recipient', { at: threeAm, firstTimeRecipient: true, amount: brl('1500.00') }, 60],
  ])('%s rejects', (_label, overrides, score) => {
    const result = scoreTransfer(input(overrides));
    expect(result.decision).toBe('REJECTED');
    expect(result.score).toBe(score);
  });

  it('all four rules: score 200, reasons in rule order', () => {
    const result = scoreTransfer(
      input({
        amount: brl('6000.00'),
        recentTransferCount: 10,
        at: threeAm,
        firstTimeRecipient: true,
      }),
    );
    expect(result.decision).toBe('REJECTED');
    expect(result.score).toBe(200);
    expect(result.reasons.map((r) => r.code)).toEqual([
      'HIGH_AMOUNT',
      'ABNORMAL_FREQUENCY',
      'ATYPICAL_HOUR',
      'UNKNOWN_RECIPIENT',
    ]);
    for (const r of result.reasons) expect(r.description.length).toBeGreaterThan(0);
  });

  it('a score exactly at the threshold rejects', () => {
    expect(FRAUD_THRESHOLDS.rejectAtScore).toBe(60);
    const result = scoreTransfer(input({ at: threeAm, firstTimeRecipient: true, amount: brl('1000.01') }));
    expect(result.score).toBe(FRAUD_THRESHOLDS.rejectAtScore);
    expect(result.decision).toBe('REJECTED');
  });

  it('thresholds are frozen', () => {
    expect(Object.isFrozen(FRAUD_THRESHOLDS)).toBe(true);
    expect(Object.isFrozen(FRAUD_THRESHOLDS.abnormalFrequency)).toBe(true);
  });
});
