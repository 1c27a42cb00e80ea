import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import type { Page, Transfer } from '@krt/contracts';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { situationOf } from './transfer-receipt.component';

const PAGE_SIZE = 20;

/** /pix/historico — every PIX sent and received (returns too), newest first, a page at a time; each opens its receipt. */
@Component({
  selector: 'krt-transfer-history',
  standalone: true,
  imports: [RouterLink, BrlPipe, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="page-head">
        <h1>Histórico de Pix</h1>
        <a class="btn ghost" routerLink="/pix">Fazer um Pix</a>
      </div>
      <div class="card">
        @if (items().length) {
          <ul class="tx-list" data-testid="pix-history">
            @for (t of items(); track t.id) {
              <li data-testid="pix-history-item" [attr.data-direction]="t.direction" [attr.data-status]="t.status" [attr.data-kind]="t.kind">
                <a class="tx-link" [routerLink]="['/pix/transferencias', t.id]">
                  <div class="tx-main">
                    <strong>{{ headline(t) }}</strong>
                    <span class="muted small">{{ t.createdAt | dataBr: 'datetime' }} · {{ situation(t) }}{{ t.description ? ' · ' + t.description : '' }}</span>
                  </div>
                  <div class="tx-amount" [class.amount-credit]="t.direction === 'RECEIVED'" [class.amount-debit]="t.direction !== 'RECEIVED'">
                    {{ t.direction === 'RECEIVED' ? '+ ' : '− ' }}{{ t.amount | brl }}
                  </div>
                </a>
              </li>
            }
          </ul>
        } @else if (loaded() && !error()) {
          <p class="muted">Nenhum Pix ainda.</p>
        }
        @if (error()) { <div class="alert error" role="alert"><p>{{ error() }}</p></div> }
        @if (loading()) { <div class="skeleton"></div> }
        @if (nextCursor() && !loading()) {
          <div class="more"><button class="btn secondary" type="button" (click)="more()">Carregar mais</button></div>
        }
      </div>
    </section>
  `,
  styles: [
    '.more { display: flex; justify-content: center; padding-top: .75rem; }',
  ],
})
export class TransferHistoryComponent {
  private readonly http = inject(HttpClient);
  protected readonly situation = situationOf;
  protected readonly headline = (t: Transfer): string => {
    const received = t.direction === 'RECEIVED';
    const who = (received ? t.payer?.name : t.receiver?.name) ?? '';
    if (t.kind === 'REFUND') return received ? `Devolução recebida de ${who}` : `Devolução enviada para ${who}`;
    return received ? `Recebido de ${who}` : `Enviado para ${who}`;
  };
  protected readonly items = signal<Transfer[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.fetch();
  }

  protected more(): void {
    const cursor = this.nextCursor();
    if (cursor && !this.loading()) void this.fetch(cursor);
  }

  private async fetch(cursor?: string): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const params: Record<string, string> = { limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) };
      const page = await firstValueFrom(this.http.get<Page<Transfer>>('/api/v1/pix/transfers', { params }));
      this.items.update((list) => [...list, ...page.items.filter((t) => !list.some((x) => x.id === t.id))]);
      this.nextCursor.set(page.nextCursor ?? null);
      this.loaded.set(true);
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.loading.set(false);
    }
  }
}
