// The transaction PIN ("senha de transação", issue #23): 4 digits the customer types to confirm a PIX, a devolução or a
// limit change. Pure rules: which PINs are refused as too easy to guess.

export type TransactionPinCheck = { ok: true } | { ok: false; code: 'PIN_FORMAT' | 'PIN_WEAK'; message: string };

const WEAK = (why: string): TransactionPinCheck => ({ ok: false, code: 'PIN_WEAK', message: `Escolha uma senha de transação mais difícil de adivinhar: ${why}` });

/**
 * Exactly 4 ASCII digits, and none of: all equal (0000…9999), an ascending or descending run (0123…6789,
 * 9876…3210), ABAB (1212), a year 1900–2029 (every customer's birth year, without knowing it), and, when the birth
 * date (YYYY-MM-DD) is given, its DDMM and MMDD.
 */
export function checkTransactionPin(pin: string, ctx: { birthDate?: string } = {}): TransactionPinCheck {
  if (!/^[0-9]{4}$/.test(pin)) return { ok: false, code: 'PIN_FORMAT', message: 'A senha de transação deve ter exatamente 4 números.' };
  const d = [...pin].map(Number) as [number, number, number, number];
  if (d.every((x) => x === d[0])) return WEAK('evite números repetidos, como 1111.');
  const steps = [d[1] - d[0], d[2] - d[1], d[3] - d[2]];
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return WEAK('evite sequências, como 1234 ou 4321.');
  if (d[0] === d[2] && d[1] === d[3]) return WEAK('evite pares repetidos, como 1212.');
  const year = Number(pin);
  if (year >= 1900 && year <= 2029) return WEAK('evite anos, como 1990.');
  const birth = /^\d{4}-(\d{2})-(\d{2})$/.exec(ctx.birthDate ?? '');
  if (birth && (pin === `${birth[2]}${birth[1]}` || pin === `${birth[1]}${birth[2]}`)) return WEAK('evite o dia e o mês do seu aniversário.');
  return { ok: true };
}
