import { isPlatformBrowser } from '@angular/common';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, PLATFORM_ID, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Subscription, filter, firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import { centavosOf, formatBrl } from '../../core/format';
import { LiveEventsService } from '../../core/live-events.service';
import type { Transfer } from '@krt/contracts';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { TransferReceiptComponent, situationOf } from './transfer-receipt.component';
import { TransferRefundComponent } from './transfer-refund.component';

interface Step {
  label: string;
  at: string;
  state: 'done' | 'failed';
}

/**
 * /pix/transferencias/:id — one PIX the customer sent or received: its timeline, receipt, share and print. A received
 * PIX can be returned from here ("Devolver Pix") and lists its returns; a return (a devolução) has this page too, and
 * follows its own progress while it is pending.
 */
@Component({
  selector: 'krt-transfer-detail',
  standalone: true,
  imports: [RouterLink, BrlPipe, DataBrPipe, TransferReceiptComponent, TransferRefundComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="page-head no-print">
        <h1>{{ title() }}</h1>
        <a class="btn ghost" routerLink="/pix/historico">Histórico de Pix</a>
      </div>
      @if (transfer(); as t) {
        <div class="detail" data-testid="transfer-detail" [attr.data-status]="t.status" [attr.data-kind]="t.kind">
          @if (t.kind === 'REFUND') {
            <div class="refund-head">
              <span class="status" [class]="statusClass()" data-testid="transfer-status" role="status">{{ situation() }}</span>
              @if (t.refundOf) { <a class="btn ghost no-print" [routerLink]="['/pix/transferencias', t.refundOf]" data-testid="refund-original">Ver Pix original</a> }
            </div>
          }
          <ol class="timeline" [attr.aria-label]="t.kind === 'REFUND' ? 'Andamento da devolução' : 'Andamento do Pix'" data-testid="transfer-timeline">
            @for (s of steps(); track s.label) {
              <li [class]="s.state"><strong>{{ s.label }}</strong> <span class="muted small">{{ s.at | dataBr: 'datetime' }}</span></li>
            }
            @if (t.status === 'PENDING') { <li class="pending"><strong>Em processamento</strong></li> }
          </ol>
          @if (t.status === 'FAILED' && t.failureReason) { <p class="alert error" data-testid="transfer-failure">{{ t.failureReason }}</p> }
          <krt-transfer-receipt [transfer]="t" />
          @if (t.refunds?.length) {
            <section class="card refunds" aria-labelledby="refunds-title" data-testid="refund-list">
              <h2 id="refunds-title">Devoluções</h2>
              <ul class="tx-list">
                @for (r of t.refunds; track r.id) {
                  <li data-testid="refund-item" [attr.data-status]="r.status">
                    <a class="tx-link" [routerLink]="['/pix/transferencias', r.id]">
                      <div class="tx-main">
                        <strong>Devolução de {{ r.amount | brl }}</strong>
                        <span class="muted small">{{ r.createdAt | dataBr: 'datetime' }} · {{ refundSituation(r.status) }}</span>
                      </div>
                      <span class="see">Ver devolução</span>
                    </a>
                  </li>
                }
              </ul>
            </section>
          }
          @if (refundable()) {
            @if (refunding()) {
              <krt-transfer-refund [transfer]="t" (cancelled)="closeRefund()" />
            } @else {
              <div class="no-print"><button class="btn secondary" type="button" (click)="refunding.set(true)" data-testid="refund-open">Devolver Pix</button></div>
            }
          } @else if (fullyRefunded()) {
            <p class="muted small no-print" data-testid="refund-done">Este Pix já foi devolvido por inteiro.</p>
          }
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
    '.timeline li strong { margin-right: .4rem; }',
    ".timeline li::before { content: ''; position: absolute; left: calc(-1rem - 8px); top: .35em; width: 13px; height: 13px; border-radius: 50%; background: var(--brand-700); }",
    '.timeline li.failed::before { background: #be123c; }',
    '.timeline li.pending::before { background: #b45309; }',
    '.refund-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; }',
    '.refunds { box-shadow: none; }',
    '.refunds h2 { font-size: 1.05rem; margin: 0 0 .25rem; }',
    '.refunds .see { align-self: center; color: var(--brand-700); font-weight: 600; white-space: nowrap; }',
    '@media print { .no-print { display: none !important; } }',
  ],
})
export class TransferDetailComponent {
  private readonly http = inject(HttpClient);
  private readonly live = inject(LiveEventsService);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  /** Bound from the route's :id. */
  readonly id = input.required<string>();
  protected readonly transfer = signal<Transfer | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly shared = signal('');
  protected readonly downloading = signal(false);
  protected readonly downloadError = signal<string | null>(null);
  /** The "Devolver Pix" form is open. */
  protected readonly refunding = signal(false);
  protected readonly title = computed(() => {
    const t = this.transfer();
    if (t?.kind === 'REFUND') return 'Devolução Pix';
    return t?.direction === 'RECEIVED' ? 'Pix recebido' : 'Pix enviado';
  });
  protected readonly situation = computed(() => {
    const t = this.transfer();
    return t ? situationOf(t) : '';
  });
  protected readonly statusClass = computed(() => {
    const status = this.transfer()?.status;
    return `status ${status === 'COMPLETED' ? 'ok' : status === 'FAILED' ? 'err' : 'pending'}`;
  });
  /** The bank offers a return (the reader received this completed PIX, inside the window) and something is left to return. */
  protected readonly refundable = computed(() => {
    const t = this.transfer();
    return !!t && t.kind !== 'REFUND' && t.status === 'COMPLETED' && (centavosOf(t.refundableAmount) ?? 0n) > 0n;
  });
  protected readonly fullyRefunded = computed(() => {
    const t = this.transfer();
    return !!t && t.kind !== 'REFUND' && t.refundableAmount !== undefined && centavosOf(t.refundableAmount) === 0n;
  });
  protected readonly refundSituation = (status: Transfer['status']) => situationOf({ status, kind: 'REFUND' });
  protected readonly steps = computed<Step[]>(() => {
    const t = this.transfer();
    if (!t) return [];
    const received = t.direction === 'RECEIVED';
    if (t.kind === 'REFUND') {
      const steps: Step[] = [{ label: received ? 'Devolvido por quem recebeu o seu Pix' : 'Devolução iniciada', at: t.createdAt, state: 'done' }];
      if (t.completedAt) steps.push({ label: received ? 'Devolução recebida na sua conta' : 'Devolução concluída', at: t.completedAt, state: 'done' });
      if (t.failedAt) steps.push({ label: 'Devolução não concluída', at: t.failedAt, state: 'failed' });
      return steps;
    }
    const steps: Step[] = [{ label: received ? 'Enviado pelo pagador' : 'Pix iniciado', at: t.createdAt, state: 'done' }];
    if (t.completedAt) steps.push({ label: received ? 'Recebido na sua conta' : 'Concluído', at: t.completedAt, state: 'done' });
    if (t.failedAt) steps.push({ label: 'Não concluído', at: t.failedAt, state: 'failed' });
    return steps;
  });
  private poll: ReturnType<typeof setTimeout> | undefined;
  private sub: Subscription | undefined;
  /** Bumped by every load: an answer for a page the customer already left is dropped. */
  private generation = 0;

  constructor() {
    effect(() => void this.load(this.id()), { allowSignalWrites: true });
    inject(DestroyRef).onDestroy(() => this.stopWatching());
  }

  private async load(id: string): Promise<void> {
    const generation = ++this.generation;
    this.stopWatching();
    this.transfer.set(null);
    this.error.set(null);
    this.refunding.set(false);
    try {
      const t = await this.fetch(id);
      if (generation !== this.generation) return;
      this.transfer.set(t);
      if (t.status === 'PENDING') this.watch(id, generation);
    } catch (e) {
      if (generation !== this.generation) return;
      const p = toProblem(e);
      this.error.set(p.status === 404 ? 'Não encontramos este Pix entre os seus.' : p.message);
    }
  }

  private fetch(id: string): Promise<Transfer> {
    return firstValueFrom(this.http.get<Transfer>(`/api/v1/pix/transfers/${encodeURIComponent(id)}`));
  }

  /** A pending PIX (a devolução just made, typically) is followed live, with a slow poll as a safety net. */
  private watch(id: string, generation: number): void {
    if (!this.browser) return;
    const refresh = async () => {
      try {
        const t = await this.fetch(id);
        if (generation !== this.generation) return;
        this.transfer.set(t);
        if (t.status !== 'PENDING') this.stopWatching();
      } catch {
        // a failed poll is tried again at the next tick; the page keeps what it shows
      }
    };
    this.sub = this.live.pixStatus$.pipe(filter((e) => e.transferId === id && e.status !== 'PENDING')).subscribe(() => void refresh());
    const tick = async () => {
      await refresh();
      if (generation === this.generation && this.transfer()?.status === 'PENDING') this.poll = setTimeout(tick, 2000);
    };
    this.poll = setTimeout(tick, 1000);
  }

  private stopWatching(): void {
    clearTimeout(this.poll);
    this.poll = undefined;
    this.sub?.unsubscribe();
    this.sub = undefined;
  }

  protected closeRefund(): void {
    this.refunding.set(false);
    setTimeout(() => document.querySelector<HTMLElement>('[data-testid="refund-open"]')?.focus());
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
    t.kind === 'REFUND' ? 'Comprovante de devolução Pix — KRT Bank' : 'Comprovante Pix — KRT Bank',
    `Valor: ${formatBrl(t.amount)}`,
    `Situação: ${situationOf(t)}`,
    `Data: ${new Date(t.completedAt || t.failedAt || t.createdAt).toLocaleString('pt-BR', { timeZone: 'America/Sao_Paulo' })}`,
    `De: ${t.payer?.name ?? ''}${t.payer?.cpf ? ` (CPF ${t.payer.cpf})` : ''}`,
    `Para: ${t.receiver?.name ?? ''}${t.receiver?.cpf ? ` (CPF ${t.receiver.cpf})` : ''}`,
    ...(t.description ? [`Mensagem: ${t.description}`] : []),
    `${t.kind === 'REFUND' ? 'ID da devolução' : 'ID da transação'}: ${t.endToEndId}`,
  ];
  return lines.join('\n');
}
