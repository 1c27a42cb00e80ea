import { Money } from './money.value-object';

/**
 * What a customer types in an amount field, in Brazilian notation: "1.234,56", "1234,5", "R$ 10", "0,99".
 * A lone point followed by one or two digits ("10.50") is read as a decimal point (US keyboards), a point
 * followed by groups of three digits ("1.500") as a thousands separator.
 * Returns the Money, or null when the text is not a non-negative amount with at most two decimals.
 */
export function parseBrlInput(input: string | null | undefined): Money | null {
  if (typeof input !== 'string') return null;
  let text = input.replace(/R\$/i, '').replace(/[\s\u00a0]/g, '');
  if (!text) return null;
  if (text.includes(',')) {
    if (!/^(\d{1,3}(\.\d{3})+|\d+),\d{0,2}$/.test(text)) return null;
    text = text.replace(/\./g, '').replace(',', '.');
    if (text.endsWith('.')) text = text.slice(0, -1);
  } else if (/^\d{1,3}(\.\d{3})+$/.test(text)) {
    text = text.replace(/\./g, '');
  } else if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    return null;
  }
  const money = Money.parse(text);
  return money.ok ? money.value : null;
}
