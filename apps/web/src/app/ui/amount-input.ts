// Kept apart from masks.ts: it reads the amount with the domain's Money, which pages that only mask (the CPF check of
// account opening's first step) need not load.
import { parseBrlInput as parseTypedAmount } from '@krt/domain';
import { groupThousands } from './masks';

/** The amount field's value once the customer leaves it: canonical ("10.50" → "10,50", "1050" → "1.050,00"), or as typed when it is not an amount. */
export function normalizeAmount(value: string): string {
  const money = parseTypedAmount(value);
  if (!money) return value;
  const [int = '0', cents = '00'] = money.toApiString().split('.');
  return `${groupThousands(int) || '0'},${cents}`;
}
