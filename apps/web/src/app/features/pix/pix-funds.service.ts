import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { isNightTime } from '@krt/domain';
import { firstValueFrom } from 'rxjs';
import { BalancePrivacyService } from '../../core/balance-privacy.service';
import { centavosOf, formatBrl } from '../../core/format';
import type { Balance, Limits } from '@krt/contracts';

/** Balance and limits, so an amount that can only fail is caught next to the field, before any request. */
@Injectable({ providedIn: 'root' })
export class PixFundsService {
  private readonly http = inject(HttpClient);
  /** "Ocultar saldo" also keeps the balance out of this page's hint and messages. */
  readonly balanceHidden = inject(BalancePrivacyService).hidden;
  readonly balance = signal<Balance | null>(null);
  readonly limits = signal<Limits | null>(null);

  async refresh(): Promise<void> {
    const [balance, limits] = await Promise.allSettled([
      firstValueFrom(this.http.get<Balance>('/api/v1/accounts/me/balance')),
      firstValueFrom(this.http.get<Limits>('/api/v1/accounts/me/limits')),
    ]);
    if (balance.status === 'fulfilled') this.balance.set(balance.value);
    if (limits.status === 'fulfilled') this.limits.set(limits.value);
  }

  /**
   * Why `centavos` cannot be sent now, or null. Checked in the order a customer would expect to hear it:
   * the balance first, then the per-PIX limit, the night-time limit (20h–6h) and the daily limit.
   */
  refusal(centavos: bigint, now = new Date()): string | null {
    const b = this.balance();
    const available = centavosOf(b?.available);
    if (available !== null && centavos > available) {
      return this.balanceHidden() ? 'Saldo insuficiente para este valor.' : `Saldo insuficiente: você tem ${formatBrl(b!.available)} disponível.`;
    }
    const l = this.limits();
    const perTx = centavosOf(l?.perTransaction);
    if (perTx !== null && centavos > perTx) return `Acima do seu limite por Pix de ${formatBrl(l!.perTransaction)}.`;
    const night = centavosOf(l?.night);
    if (night !== null && isNightTime(now) && centavos > night) {
      return `Entre 20h e 6h o limite é de ${formatBrl(l!.night)} (regra do Banco Central para o período noturno).`;
    }
    const daily = centavosOf(l?.daily);
    if (daily !== null && centavos > daily) return `Acima do seu limite diário de ${formatBrl(l!.daily)}.`;
    return null;
  }
}
