// Money at the edges: API strings ("1500.00"), BRL for CSV ("1.500,00"), centavos in events.
import { Money } from '@krt/domain';

export const apiAmount = (centavos: bigint): string => Money.fromCentavos(centavos).toApiString();

/** `1.500,00` / `-1.500,00`: Brazilian number format without the currency symbol (CSV cells). */
export function brlNumber(centavos: bigint): string {
  const negative = centavos < 0n;
  const abs = negative ? -centavos : centavos;
  const reais = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${reais},${cents}`;
}
