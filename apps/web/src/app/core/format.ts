import { Money } from '@krt/domain';

/** "1500.00" (or "-1500.00") → "R$ 1.500,00" with pt-BR grouping; unparsable input is shown as "—". */
export function formatBrl(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const negative = amount.trim().startsWith('-');
  const parsed = Money.parse(negative ? amount.trim().slice(1) : amount.trim());
  if (!parsed.ok) return '—';
  return (negative ? '-' : '') + parsed.value.toBrl();
}

/** API string → centavos (bigint), or null. */
export function centavosOf(amount: string | null | undefined): bigint | null {
  if (!amount) return null;
  const negative = amount.trim().startsWith('-');
  const parsed = Money.parse(negative ? amount.trim().slice(1) : amount.trim());
  if (!parsed.ok) return null;
  return negative ? -parsed.value.toCentavos() : parsed.value.toCentavos();
}

/** Chart values only (display never uses floats for money): reais as a number. */
export function reaisForChart(amount: string | null | undefined): number {
  const c = centavosOf(amount);
  return c === null ? 0 : Number(c) / 100;
}

/**
 * What a customer types in an amount field: "1.234,56", "1234,5", "R$ 10", "10.50".
 * Returns the API string ("1234.56") or null when it is not an amount.
 */
export function parseBrlInput(input: string | null | undefined): string | null {
  if (input === null || input === undefined) return null;
  let text = String(input).replace(/R\$/i, '').replace(/[\s\u00a0]/g, '');
  if (!text) return null;
  if (text.includes(',')) {
    if ((text.match(/,/g) ?? []).length > 1) return null;
    if (!/^\d{1,3}(\.\d{3})*(,\d{0,2})?$|^\d+(,\d{0,2})?$/.test(text)) return null;
    text = text.replace(/\./g, '').replace(',', '.');
  } else if (/^\d+\.\d{1,2}$/.test(text)) {
    // "10.50": a decimal point, as on a US keyboard
  } else if (/^\d{1,3}(\.\d{3})+$/.test(text)) {
    text = text.replace(/\./g, '');
  } else if (!/^\d+$/.test(text)) {
    return null;
  }
  if (text.endsWith('.')) text = text.slice(0, -1);
  const money = Money.parse(text);
  return money.ok ? money.value.toApiString() : null;
}

/** "R$ 1.234,56" style for an input field (no currency sign). */
export function formatAmountForInput(api: string): string {
  return formatBrl(api).replace(/^-?R\$\s?/, '').replace('\u00a0', '');
}

export const KIND_LABEL: Record<string, string> = {
  PIX_IN: 'Pix recebido',
  PIX_OUT: 'Pix enviado',
  DEPOSIT: 'Depósito',
  PIX_REVERSAL: 'Pix estornado',
};

export const KEY_TYPE_LABEL: Record<string, string> = {
  CPF: 'CPF',
  EMAIL: 'E-mail',
  PHONE: 'Celular',
  EVP: 'Chave aleatória',
};
