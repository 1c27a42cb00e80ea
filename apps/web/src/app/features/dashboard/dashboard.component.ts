import { HttpClient } from '@angular/common/http';
import { NgComponentOutlet, NgTemplateOutlet, isPlatformBrowser } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, PLATFORM_ID, afterNextRender, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { retryAfterSeconds, toProblem } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { BalancePrivacyService } from '../../core/balance-privacy.service';
import { centavosOf, formatBrl, KIND_LABEL, reaisForChart } from '../../core/format';
import type { Dashboard, StatementItem } from '@krt/contracts';
import { NotificationsStore } from '../../core/notifications.store';
import { IconComponent } from '../../ui/icon.component';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';

type LoadState = 'loading' | 'ok' | 'error';
type ChartsModule = typeof import('./dashboard-charts.component');

const PART_LABEL: Record<string, string> = {
  balance: 'o saldo',
  recent: 'as últimas transações',
  monthInOut: 'as entradas e saídas do mês',
  spendingByCategory: 'os gastos por categoria',
  balanceSeries: 'o histórico do saldo',
  notifications: 'as notificações',
  unreadNotifications: 'as notificações',
  customer: 'seu nome',
};

@Component({
  selector: 'krt-dashboard',
  standalone: true,
  imports: [RouterLink, NgComponentOutlet, NgTemplateOutlet, IconComponent, BrlPipe, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dashboard.component.html',
  styleUrl: './dashboard.component.css',
})
export class DashboardComponent {
  private readonly http = inject(HttpClient);
  private readonly notifications = inject(NotificationsStore);
  protected readonly auth = inject(AuthService);
  protected readonly state = signal<LoadState>('loading');
  protected readonly data = signal<Dashboard | null>(null);
  private readonly privacy = inject(BalancePrivacyService);
  protected readonly hidden = this.privacy.hidden;
  protected toggleHidden(): void {
    this.privacy.toggle();
  }

  protected readonly partial = computed(() => new Set(this.data()?.partial ?? []));
  protected readonly balance = computed(() => this.data()?.balance?.available ?? null);
  protected readonly balanceFailed = computed(() => this.state() === 'ok' && (this.partial().has('balance') || this.balance() === null));
  protected readonly recent = computed(() => this.data()?.recent ?? null);
  protected readonly monthIn = computed(() => this.data()?.monthInOut?.in ?? null);
  protected readonly monthOut = computed(() => this.data()?.monthInOut?.out ?? null);
  protected readonly inOutBars = computed(() => {
    const a = centavosOf(this.monthIn()) ?? 0n;
    const b = centavosOf(this.monthOut()) ?? 0n;
    const max = a > b ? a : b;
    const pct = (v: bigint) => (max === 0n ? 0 : Number((v * 100n) / max));
    return { in: pct(a), out: pct(b) };
  });
  protected readonly series = computed(() => {
    const points = this.data()?.balanceSeries;
    if (!points?.length) return null;
    return [
      {
        name: 'Saldo',
        series: points.map((p) => ({ name: new Date(`${p.date.slice(0, 10)}T12:00:00-03:00`), value: reaisForChart(p.balance) })),
      },
    ];
  });
  protected readonly seriesTable = computed(() => this.data()?.balanceSeries ?? []);
  protected readonly spending = computed(() => {
    const items = this.data()?.spendingByCategory;
    if (!items) return null;
    return items
      .filter((i) => (centavosOf(i.amount) ?? 0n) > 0n)
      .map((i) => ({ name: KIND_LABEL[i.category] ?? i.category, value: reaisForChart(i.amount), label: formatBrl(i.amount) }));
  });
  protected readonly failedParts = computed(() => {
    const parts = [...this.partial()].map((p) => PART_LABEL[p] ?? p);
    return [...new Set(parts)];
  });

  protected readonly kindLabel = (t: StatementItem) => KIND_LABEL[t.kind] ?? (t.type === 'CREDIT' ? 'Entrada' : 'Saída');

  /**
   * The charts' module (ngx-charts and d3, ~65 kB gzipped), fetched in the browser once the page has painted and the
   * main thread is idle; until then, and on the server, the cards show a placeholder (the data tables are always there).
   * A plain dynamic import rather than `@defer`: @defer's runtime would add ~2 kB to every first visit, /entrar included.
   */
  protected readonly charts = signal<ChartsModule | null>(null);

  protected readonly errorMessage = signal('Não conseguimos carregar seu painel agora.');
  protected readonly retryIn = signal(0);
  private retryTimer: ReturnType<typeof setInterval> | undefined;
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));

  constructor() {
    inject(DestroyRef).onDestroy(() => clearInterval(this.retryTimer));
    this.load();
    if (this.browser) {
      afterNextRender(() => {
        const loadCharts = () => void import('./dashboard-charts.component').then((m) => this.charts.set(m));
        if ('requestIdleCallback' in window) window.requestIdleCallback(loadCharts, { timeout: 2000 });
        else setTimeout(loadCharts, 200);
      });
    }
  }

  protected load(): void {
    this.state.set('loading');
    this.http.get<Dashboard>('/api/v1/dashboard').subscribe({
      next: (d) => {
        this.data.set(d);
        this.state.set('ok');
        if (d.unreadNotifications !== null) this.notifications.set(d.unreadNotifications);
      },
      error: (e: unknown) => {
        const problem = toProblem(e);
        this.errorMessage.set(problem.status === 429 ? 'Muitas tentativas em pouco tempo.' : 'Não conseguimos carregar seu painel agora.');
        this.state.set('error');
        if (problem.status === 429) this.countDown(retryAfterSeconds(e) ?? 5);
      },
    });
  }

  /** After a 429, "Tentar de novo" waits for the bank's Retry-After (counted down on screen, in the browser only). */
  private countDown(seconds: number): void {
    clearInterval(this.retryTimer);
    this.retryIn.set(this.browser ? Math.min(Math.max(1, Math.ceil(seconds)), 120) : 0);
    if (!this.browser) return;
    this.retryTimer = setInterval(() => {
      this.retryIn.update((s) => Math.max(0, s - 1));
      if (this.retryIn() === 0) clearInterval(this.retryTimer);
    }, 1000);
  }
}
