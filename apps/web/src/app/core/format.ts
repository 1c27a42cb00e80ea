import { Money, parseBrlInput as parseTypedAmount } from '@krt/domain';

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

/** What a customer types in an amount field ("1.234,56", "R$ 10") → the API string ("1234.56"), or null. */
export function parseBrlInput(input: string | null | undefined): string | null {
  return parseTypedAmount(input)?.toApiString() ?? null;
}

/** "R$ 1.234,56" style for an input field (no currency sign). */
export function formatAmountForInput(api: string): string {
  return formatBrl(api).replace(/^-?R\$\s?/, '').replace('\u00a0', '');
}

export const KIND_LABEL: Record<string, string> = {
  PIX_IN: 'Pix recebido',
  PIX_OUT: 'Pix enviado',
  DEPOSIT: 'Depósito',
  // A PIX devolução, both for who returns the money and for who gets it back.
  PIX_REVERSAL: 'Devolução Pix',
};

export const KEY_TYPE_LABEL: Record<string, string> = {
  CPF: 'CPF',
  EMAIL: 'E-mail',
  PHONE: 'Celular',
  EVP: 'Chave aleatória',
};
