import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { toProblem } from '../../core/api-error';
import { DataBrPipe } from '../../ui/pipes';
import { OperacaoApi } from './operacao.api';
import type { AuditEntry } from '@krt/contracts';

const SERVICE_LABEL: Record<string, string> = { payments: 'Pagamentos', onboarding: 'Cadastro', notifications: 'Notificações' };

/** /operacao/auditoria: what operators did (every service's append-only log, newest first), filtered. */
@Component({
  selector: 'krt-audit',
  standalone: true,
  imports: [ReactiveFormsModule, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Auditoria</h1>
      <form class="card filters" [formGroup]="form" (ngSubmit)="load()" novalidate aria-label="Filtrar auditoria">
        <div class="field">
          <label for="audit-actor">Operador</label>
          <input id="audit-actor" type="text" autocomplete="off" formControlName="actor" />
        </div>
        <div class="field">
          <label for="audit-action">Ação</label>
          <input id="audit-action" type="text" autocomplete="off" formControlName="action" aria-describedby="audit-action-hint" />
          <p class="hint" id="audit-action-hint">Por exemplo: deposit.requested</p>
        </div>
        <div class="field">
          <label for="audit-service">Serviço</label>
          <select id="audit-service" formControlName="service">
            <option value="">Todos</option>
            @for (s of services; track s) { <option [value]="s">{{ serviceLabel[s] }}</option> }
          </select>
        </div>
        <div class="field">
          <label for="audit-from">De</label>
          <input id="audit-from" type="date" formControlName="from" />
        </div>
        <div class="field">
          <label for="audit-to">Até</label>
          <input id="audit-to" type="date" formControlName="to" />
        </div>
        <button class="btn primary" type="submit" [disabled]="busy()">Filtrar</button>
      </form>
      <div class="card" aria-live="polite">
        @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
        @if (partial().length) {
          <div class="alert warn" role="status"><p>Sem resposta de: {{ partialLabel() }}. A lista pode estar incompleta.</p></div>
        }
        @if (items(); as list) {
          @if (list.length) {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Registros de auditoria">
              <table class="data-table" data-testid="audit-table">
                <caption class="sr-only">Registros de auditoria, do mais recente ao mais antigo</caption>
                <thead>
                  <tr><th scope="col">Quando</th><th scope="col">Serviço</th><th scope="col">Operador</th><th scope="col">Ação</th><th scope="col">Objeto</th><th scope="col">Motivo</th><th scope="col">Correlação</th></tr>
                </thead>
                <tbody>
                  @for (e of list; track e.service + e.id) {
                    <tr data-testid="audit-row">
                      <td class="nowrap">{{ e.occurredAt | dataBr: 'datetime' }}</td>
                      <td>{{ serviceLabel[e.service] || e.service }}</td>
                      <td>{{ e.actorName || e.actorId || '—' }}</td>
                      <td class="mono">{{ e.action }}</td>
                      <td>{{ e.subjectType || '' }} <span class="mono small">{{ e.subjectId || '' }}</span></td>
                      <td>{{ e.reason || '—' }}</td>
                      <td class="mono small">{{ e.correlationId || '—' }}</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
            @if (nextCursor()) {
              <div class="btn-row"><button class="btn secondary" type="button" (click)="load(nextCursor())" [disabled]="busy()">Carregar mais</button></div>
            }
          } @else {
            <p class="muted">Nenhum registro com estes filtros.</p>
          }
        } @else if (!error()) {
          <div class="skeleton" aria-hidden="true"></div>
        }
      </div>
    </section>
  `,
})
export class AuditComponent {
  private readonly api = inject(OperacaoApi);
  protected readonly services = ['payments', 'onboarding', 'notifications'];
  protected readonly serviceLabel = SERVICE_LABEL;
  protected readonly form = new FormGroup({
    actor: new FormControl('', { nonNullable: true }),
    action: new FormControl('', { nonNullable: true }),
    service: new FormControl('', { nonNullable: true }),
    from: new FormControl('', { nonNullable: true }),
    to: new FormControl('', { nonNullable: true }),
  });
  protected readonly items = signal<AuditEntry[] | null>(null);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly partial = signal<string[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    void this.load();
  }

  protected partialLabel(): string {
    return this.partial().map((s) => SERVICE_LABEL[s] ?? s).join(', ');
  }

  protected async load(cursor?: string | null): Promise<void> {
    const f = this.form.getRawValue();
    this.busy.set(true);
    try {
      // Days are São Paulo days (UTC−3 all year).
      const page = await this.api.audit({
        actor: f.actor.trim(),
        action: f.action.trim(),
        service: f.service,
        from: f.from ? `${f.from}T00:00:00-03:00` : '',
        to: f.to ? `${f.to}T23:59:59.999-03:00` : '',
        cursor,
        limit: 50,
      });
      this.items.update((list) => (cursor ? [...(list ?? []), ...page.items] : page.items));
      this.nextCursor.set(page.nextCursor);
      this.partial.set(page.partial ?? []);
      this.error.set(null);
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
