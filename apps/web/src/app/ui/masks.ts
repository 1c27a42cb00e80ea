/** Display masks for Brazilian inputs: they format progressively as the customer types. */
const digits = (v: string, max: number) => v.replace(/\D/g, '').slice(0, max);

export function maskCpf(value: string): string {
  const d = digits(value, 11);
  if (d.length <= 3) return d;
  if (d.length <= 6) return `${d.slice(0, 3)}.${d.slice(3)}`;
  if (d.length <= 9) return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`;
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

export function maskPhone(value: string): string {
  let d = value.replace(/\D/g, '');
  if (d.length > 11 && d.startsWith('55')) d = d.slice(2);
  d = d.slice(0, 11);
  if (d.length === 0) return '';
  if (d.length <= 2) return `(${d}`;
  if (d.length <= 7) return `(${d.slice(0, 2)}) ${d.slice(2)}`;
  return `(${d.slice(0, 2)}) ${d.slice(2, 7)}-${d.slice(7)}`;
}

export function maskCep(value: string): string {
  const d = digits(value, 8);
  return d.length <= 5 ? d : `${d.slice(0, 5)}-${d.slice(5)}`;
}

export function maskDate(value: string): string {
  const d = digits(value, 8);
  if (d.length <= 2) return d;
  if (d.length <= 4) return `${d.slice(0, 2)}/${d.slice(2)}`;
  return `${d.slice(0, 2)}/${d.slice(2, 4)}/${d.slice(4)}`;
}

export const groupThousands = (intDigits: string) => intDigits.replace(/^0+(?=\d)/, '').slice(0, 10).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/**
 * Amount typed in reais, formatted as the customer types. A comma is the decimal separator (points before it are
 * thousands, regrouped). Without a comma, a point the customer typed is kept as typed — "10.50" may be a decimal point
 * or the start of "10.500" — and `parseBrlInput` decides when the value is read ("10.50" is R$ 10,50, "1.050" is
 * R$ 1.050,00); a point is never dropped into the digits, which would make "10.50" R$ 1.050,00.
 */
export function maskAmount(value: string): string {
  const clean = value.replace(/[^\d,.]/g, '');
  if (clean.includes(',')) {
    const [intRaw = '', ...rest] = clean.split(',');
    return `${groupThousands(intRaw.replace(/\./g, '')) || '0'},${rest.join('').replace(/\./g, '').slice(0, 2)}`;
  }
  if (/^\d+\.\d{0,2}$/.test(clean) || /^\d{1,3}(\.\d{3})*\.\d{0,3}$/.test(clean)) {
    const [intRaw = '', ...rest] = clean.split('.');
    return [intRaw.replace(/^0+(?=\d)/, '').slice(0, 10) || '0', ...rest].join('.');
  }
  return groupThousands(clean.replace(/\./g, ''));
}

export type MaskKind = 'cpf' | 'phone' | 'cep' | 'date' | 'amount';

export const MASKS: Record<MaskKind, (v: string) => string> = {
  cpf: maskCpf,
  phone: maskPhone,
  cep: maskCep,
  date: maskDate,
  amount: maskAmount,
};
