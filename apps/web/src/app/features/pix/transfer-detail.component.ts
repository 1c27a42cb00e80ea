import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import { formatBrl } from '../../core/format';
import type { Transfer } from '../../core/models';
import { DataBrPipe } from '../../ui/pipes';
import { SITUATION, TransferReceiptComponent } from './transfer-receipt.component';

interface Step {
  label: string;
  at: string;
  state: 'done' | 'failed';
}

/** /pix/transferencias/:id — one PIX the customer sent or received: its timeline, receipt, share and print. */
@Component({
  selector: 'krt-transfer-detail',
  standalone: true,
  imports: [RouterLink, DataBrPipe, TransferReceiptComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="page-head no-print">
        <h1>{{ title() }}</h1>
        <a class="btn ghost" routerLink="/pix/historico">Histórico de Pix</a>
      </div>
      @if (transfer(); as t) {
        <div class="detail" data-testid="transfer-detail" [attr.data-status]="t.status">
          <ol class="timeline" aria-label="Andamento do Pix" data-testid="transfer-timeline">
            @for (s of steps(); track s.label) {
              <li [class]="s.state"><strong>{{ s.label }}</strong> <span class="muted small">{{ s.at | dataBr: 'datetime' }}</span></li>
            }
            @if (t.status === 'PENDING') { <li class="pending"><strong>Em processamento</strong></li> }
          </ol>
          @if (t.status === 'FAILED' && t.failureReason) { <p class="alert error" data-testid="transfer-failure">{{ t.failureReason }}</p> }
          <krt-transfer-receipt [transfer]="t" />
          <div class="btn-row no-print">
            <button class="btn primary" type="button" (click)="share(t)">Compartilhar</button>
            @if (t.status === 'COMPLETED') {
              <button class="btn secondary" type="button" (click)="downloadPdf(t)" [disabled]="downloading()" data-testid="receipt-pdf">
                @if (downloading()) { <span class="spinner" aria-hidden="true"></span> Baixando… } @else { Baixar comprovante (PDF) }
              </button>
            }
            <button class="btn secondary" type="button" (click)="print()">Imprimir</button>
          </div>
          @if (downloadError()) { <p class="alert error no-print" role="alert" data-testid="receipt-pdf-error">{{ downloadError() }}</p> }
          <p class="small" role="status" aria-live="polite" data-testid="share-status">{{ shared() }}</p>
        </div>
      } @else if (error()) {
        <div class="alert error" role="alert" data-testid="transfer-error"><p>{{ error() }}</p></div>
      } @else {
        <div class="skeleton"></div><div class="skeleton"></div>
      }
    </section>
  `,
  styles: [
    '.detail { display: flex; flex-direction: column; gap: 1rem; }',
    '.timeline { list-style: none; margin: 0; padding: 0 0 0 1rem; border-left: 3px solid var(--line); display: flex; flex-direction: column; gap: .6rem; }',
    '.timeline li { position: relative; }',
    ".timeline li::before { content: ''; position: absolute; left: calc(-1rem - 8px); top: .35em; width: 13px; height: 13px; border-radius: 50%; background: var(--brand-700); }",
    '.timeline li.failed::before { background: #be123c; }',
    '.timeline li.pending::before { background: #b45309; }',
    '@media print { .no-print { display: none !important; } }',
  ],
})
export class TransferDetailComponent {
  private readonly http = inject(HttpClient);
  /** Bound from the route's :id. */
  readonly id = input.required<string>();
  protected readonly transfer = signal<Transfer | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly shared = signal('');
  protected readonly downloading = signal(false);
  protected readonly downloadError = signal<string | null>(null);
  protected readonly title = computed(() => (this.transfer()?.direction === 'RECEIVED' ? 'Pix recebido' : 'Pix enviado'));
  protected readonly steps = computed<Step[]>(() => {
    const t = this.transfer();
    if (!t) return [];
    const steps: Step[] = [{ label: t.direction === 'RECEIVED' ? 'Enviado pelo pagador' : 'Pix iniciado', at: t.createdAt, state: 'done' }];
    if (t.completedAt) steps.push({ label: t.direction === 'RECEIVED' ? 'Recebido na sua conta' : 'Concluído', at: t.completedAt, state: 'done' });
    if (t.failedAt) steps.push({ label: 'Não concluído', at: t.failedAt, state: 'failed' });
    return steps;
  });

  constructor() {
    effect(() => void this.load(this.id()), { allowSignalWrites: true });
  }

  private async load(id: string): Promise<void> {
    this.transfer.set(null);
    this.error.set(null);
    try {
      this.transfer.set(await firstValueFrom(this.http.get<Transfer>(`/api/v1/pix/transfers/${encodeURIComponent(id)}`)));
    } catch (e) {
      const p = toProblem(e);
      this.error.set(p.status === 404 ? 'Não encontramos este Pix entre os seus.' : p.message);
    }
  }

  /** The Web Share API where the browser has it (phones), otherwise the receipt's text copied to the clipboard. */
  protected async share(t: Transfer): Promise<void> {
    const text = receiptText(t);
    const nav = navigator as Navigator & { share?: (data: ShareData) => Promise<void> };
    if (typeof nav.share === 'function') {
      try {
        await nav.share({ title: 'Comprovante Pix — KRT Bank', text });
        this.shared.set('Comprovante compartilhado.');
        return;
      } catch (e) {
        if ((e as DOMException)?.name === 'AbortError') return; // the customer closed the share sheet
      }
    }
    try {
      await navigator.clipboard.writeText(text);
      this.shared.set('Comprovante copiado. Cole onde quiser enviar.');
    } catch {
      this.shared.set('Não foi possível copiar. Use "Imprimir" para salvar o comprovante.');
    }
  }

  /** The server's PDF receipt (with its authentication code): fetched with the anti-forgery header, then saved. */
  protected async downloadPdf(t: Transfer): Promise<void> {
    this.downloading.set(true);
    this.downloadError.set(null);
    try {
      const blob = await firstValueFrom(this.http.get(`/api/v1/pix/transfers/${encodeURIComponent(t.id)}/receipt.pdf`, { responseType: 'blob' }));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `comprovante-pix-${t.endToEndId}.pdf`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      // A blob response's problem+json arrives as a Blob: read it for the server's Portuguese message.
      const body = e instanceof HttpErrorResponse && e.error instanceof Blob ? await e.error.text().catch(() => null) : null;
      this.downloadError.set(toProblem(body === null ? e : new HttpErrorResponse({ error: body, status: (e as HttpErrorResponse).status })).message);
    } finally {
      this.downloading.set(false);
    }
  }

  protected print(): void {
    window.print();
  }
}

/** The receipt as plain text, for sharing: what a BACEN receipt shows, no more. */
export function receiptText(t: Transfer): string {
  const lines = [
    'Comprovante Pix — KRT Bank',
    `Valor: ${formatBrl(t.amount)}`,
    `Situação: ${SITUATION[t.status]}`,
    `Data: ${new Date(t.completedAt || t.failedAt || t.createdAt).toLocaleString('pt-BR', { timeZone: 'America/Sao_Paulo' })}`,
    `De: ${t.payer?.name ?? ''}${t.payer?.cpf ? ` (CPF ${t.payer.cpf})` : ''}`,
    `Para: ${t.receiver?.name ?? ''}${t.receiver?.cpf ? ` (CPF ${t.receiver.cpf})` : ''}`,
    ...(t.description ? [`Mensagem: ${t.description}`] : []),
    `ID da transação: ${t.endToEndId}`,
  ];
  return lines.join('\n');
}
