import { Money } from '../money/money.value-object';
import { toSaoPauloDateTime } from '../time/sao-paulo-time.util';

/**
 * THE single place for fraud thresholds (seed §3 rules). Scoring:
 *
 *   Each rule that fires adds its points; the transfer is REJECTED when the total
 *   reaches `rejectAtScore` (60), else APPROVED (reasons are still reported).
 *
 *   - HIGH_AMOUNT (100): amount above the customer's per-transaction limit. The payments
 *     API already refuses that, so seeing it here means the limit check was bypassed:
 *     decisive on its own.
 *   - ABNORMAL_FREQUENCY (40): more than 5 transfers within 10 minutes (this one included).
 *   - ATYPICAL_HOUR (30): between 00:00 and 05:00 São Paulo with amount above R$ 500,00.
 *   - UNKNOWN_RECIPIENT (30): first transfer to this recipient with amount above R$ 1.000,00.
 *
 *   So HIGH_AMOUNT alone rejects; any two of the other three reject (40+30, 30+30);
 *   any one of them alone is tolerated (a burst of small payments to friends, a late
 *   purchase, a first payment to a new shop are normal customer behaviour).
 */
export const FRAUD_THRESHOLDS = Object.freeze({
  rejectAtScore: 60,
  highAmount: Object.freeze({ points: 100 }),
  abnormalFrequency: Object.freeze({ maxTransfersPerWindow: 5, windowMinutes: 10, points: 40 }),
  atypicalHour: Object.freeze({ startHour: 0, endHour: 5, minAmountExclusive: Money.fromReais(500), points: 30 }),
  unknownRecipient: Object.freeze({ minAmountExclusive: Money.fromReais(1_000), points: 30 }),
});

export type FraudReasonCode = 'HIGH_AMOUNT' | 'ABNORMAL_FREQUENCY' | 'ATYPICAL_HOUR' | 'UNKNOWN_RECIPIENT';
export type FraudDecision = 'APPROVED' | 'REJECTED';

export interface FraudReason {
  readonly code: FraudReasonCode;
  readonly points: number;
  /** pt-BR, for the back office and the customer notification. */
  readonly description: string;
}

export interface FraudInput {
  readonly amount: Money;
  readonly customerPerTransactionLimit: Money;
  /**
   * Transfers the customer initiated in the `abnormalFrequency.windowMinutes` before this
   * one, NOT counting this one.
   */
  readonly recentTransferCount: number;
  readonly at: Date;
  /** True when the customer never sent money to this recipient before. */
  readonly firstTimeRecipient: boolean;
}

export interface FraudAssessment {
  readonly decision: FraudDecision;
  readonly score: number;
  readonly reasons: readonly FraudReason[];
}

export type FraudRule = (input: FraudInput) => FraudReason | null;

export const highAmountRule: FraudRule = ({ amount, customerPerTransactionLimit }) =>
  amount.isGreaterThan(customerPerTransactionLimit)
    ? reason('HIGH_AMOUNT', FRAUD_THRESHOLDS.highAmount.points, 'Valor acima do limite por transação do cliente.')
    : null;

export const abnormalFrequencyRule: FraudRule = ({ recentTransferCount }) => {
  const { maxTransfersPerWindow, windowMinutes, points } = FRAUD_THRESHOLDS.abnormalFrequency;
  return recentTransferCount + 1 > maxTransfersPerWindow
    ? reason('ABNORMAL_FREQUENCY', points, `Mais de ${maxTransfersPerWindow} transferências em ${windowMinutes} minutos.`)
    : null;
};

export const atypicalHourRule: FraudRule = ({ amount, at }) => {
  const { startHour, endHour, minAmountExclusive, points } = FRAUD_THRESHOLDS.atypicalHour;
  const { hour } = toSaoPauloDateTime(at);
  const atypical = hour >= startHour && hour < endHour && amount.isGreaterThan(minAmountExclusive);
  return atypical
    ? reason('ATYPICAL_HOUR', points, `Valor acima de ${minAmountExclusive.toBrl()} de madrugada (0h às 5h).`)
    : null;
};

export const unknownRecipientRule: FraudRule = ({ amount, firstTimeRecipient }) => {
  const { minAmountExclusive, points } = FRAUD_THRESHOLDS.unknownRecipient;
  return firstTimeRecipient && amount.isGreaterThan(minAmountExclusive)
    ? reason('UNKNOWN_RECIPIENT', points, `Primeira transferência para este destinatário acima de ${minAmountExclusive.toBrl()}.`)
    : null;
};

export const FRAUD_RULES: readonly FraudRule[] = [
  highAmountRule,
  abnormalFrequencyRule,
  atypicalHourRule,
  unknownRecipientRule,
];

/** Runs every rule, sums the points and decides (see FRAUD_THRESHOLDS). */
export function scoreTransfer(input: FraudInput): FraudAssessment {
  const reasons = FRAUD_RULES.map((rule) => rule(input)).filter((r): r is FraudReason => r !== null);
  const score = reasons.reduce((total, r) => total + r.points, 0);
  return { decision: score >= FRAUD_THRESHOLDS.rejectAtScore ? 'REJECTED' : 'APPROVED', score, reasons };
}

function reason(code: FraudReasonCode, points: number, description: string): FraudReason {
  return { code, points, description };
}
