import { formatDate } from '@angular/common';
import { LOCALE_ID, Pipe, inject, type PipeTransform } from '@angular/core';
import { formatBrl } from '../core/format';

/** Brazil has no daylight saving time since 2019: São Paulo is UTC−3 all year. */
export const SAO_PAULO_OFFSET = '-0300';

@Pipe({ name: 'brl', standalone: true })
export class BrlPipe implements PipeTransform {
  transform(amount: string | null | undefined): string {
    return formatBrl(amount);
  }
}

/** `dd/MM/yyyy` (or `dd/MM/yyyy HH:mm` with 'datetime'), in São Paulo time. */
@Pipe({ name: 'dataBr', standalone: true })
export class DataBrPipe implements PipeTransform {
  private readonly locale = inject(LOCALE_ID);
  transform(value: string | Date | null | undefined, style: 'date' | 'datetime' | 'time' = 'date'): string {
    if (!value) return '—';
    const format = style === 'date' ? 'dd/MM/yyyy' : style === 'time' ? 'HH:mm' : "dd/MM/yyyy 'às' HH:mm";
    try {
      return formatDate(value, format, this.locale, SAO_PAULO_OFFSET);
    } catch {
      return '—';
    }
  }
}
