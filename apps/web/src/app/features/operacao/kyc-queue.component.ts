import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { toProblem } from '../../core/api-error';
import { DataBrPipe } from '../../ui/pipes';
import { OperacaoApi } from './operacao.api';
import type { KycApplication } from '@krt/contracts';
import { APPLICATION_STATUS_LABEL, REVIEW_REASON_LABEL, statusClass } from './operacao.models';

/** /operacao/kyc: the KYC review queue, by status, a page at a time. */
@Component({
  selector: 'krt-kyc-queue',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Análise de cadastros</h1>
      <div class="card">
        <form class="filters" (submit)="$event.preventDefault()" aria-label="Filtrar cadastros">
          <div class="field">
            <label for="kyc-status">Situação</label>
            <select id="kyc-status" [formControl]="status">
              @for (s of statuses; track s) { <option [value]="s">{{ label[s] }}</option> }
            </select>
          </div>
        </form>
      </div>
      <div class="card" aria-live="polite">
        @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
        @if (items(); as list) {
          @if (list.length) {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Fila de cadastros">
              <table class="data-table" data-testid="kyc-queue">
                <caption class="sr-only">Cadastros: {{ label[status.value] }}</caption>
                <thead><tr><th scope="col">Nome</th><th scope="col">Enviado em</th><th scope="col">Situação</th><th scope="col">Motivos da análise</th></tr></thead>
                <tbody>
                  @for (a of list; track a.applicationId) {
                    <tr data-testid="kyc-row">
                      <td><a [routerLink]="['/operacao/kyc', a.applicationId]">{{ a.fullName }}</a></td>
                      <td class="nowrap">{{ a.createdAt | dataBr: 'datetime' }}</td>
                      <td><span [class]="'status ' + cls(a.status)">{{ label[a.status] || a.status }}</span></td>
                      <td>{{ reasons(a.reviewReasons) }}</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
            @if (nextCursor()) {
              <div class="btn-row"><button class="btn secondary" type="button" (click)="load(nextCursor())" [disabled]="busy()">Carregar mais</button></div>
            }
          } @else {
            <p class="muted">Nenhum cadastro nesta situação.</p>
          }
        } @else if (!error()) {
          <div class="skeleton" aria-hidden="true"></div>
        }
      </div>
    </section>
  `,
})
export class KycQueueComponent {
  private readonly api = inject(OperacaoApi);
  protected readonly statuses = ['PENDING_REVIEW', 'PENDING_KYC', 'APPROVED', 'ACTIVE', 'REJECTED'] as const;
  protected readonly label = APPLICATION_STATUS_LABEL;
  protected readonly cls = statusClass;
  /** The automatic check's reasons in words (the code itself when the web app does not know it yet). */
  protected readonly reasons = (codes?: string[] | null) => (codes ?? []).map((c) => REVIEW_REASON_LABEL[c] ?? c).join('; ') || '—';
  protected readonly status = new FormControl<string>('PENDING_REVIEW', { nonNullable: true });
  protected readonly items = signal<KycApplication[] | null>(null);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    void this.load();
    this.status.valueChanges.subscribe(() => {
      this.items.set(null);
      void this.load();
    });
  }

  protected async load(cursor?: string | null): Promise<void> {
    this.busy.set(true);
    try {
      const page = await this.api.kycQueue(this.status.value, cursor);
      this.items.update((list) => (cursor ? [...(list ?? []), ...page.items] : page.items));
      this.nextCursor.set(page.nextCursor);
      this.error.set(null);
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
