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

/** Amount typed in reais: keeps digits, one comma and up to two decimals, groups thousands. */
export function maskAmount(value: string): string {
  const clean = value.replace(/[^\d,]/g, '');
  const [intRaw = '', ...rest] = clean.split(',');
  const intPart = intRaw.replace(/^0+(?=\d)/, '').slice(0, 10);
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  if (rest.length === 0) return grouped;
  return `${grouped || '0'},${rest.join('').slice(0, 2)}`;
}

export type MaskKind = 'cpf' | 'phone' | 'cep' | 'date' | 'amount';

export const MASKS: Record<MaskKind, (v: string) => string> = {
  cpf: maskCpf,
  phone: maskPhone,
  cep: maskCep,
  date: maskDate,
  amount: maskAmount,
};
