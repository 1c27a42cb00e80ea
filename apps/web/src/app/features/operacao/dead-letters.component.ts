import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { toProblem } from '../../core/api-error';
import { DataBrPipe } from '../../ui/pipes';
import { OperacaoApi } from './operacao.api';
import type { DeadLetter, DeadLetterSource } from '@krt/contracts';

/**
 * /operacao/mensagens: messages the consumers could not handle (Kafka's .dlt topics, RabbitMQ's DLQ). Inspect the
 * payload and error; once the cause is fixed, replay it to its original topic or exchange with a reason (the
 * consumers' inboxes keep the effect exactly once).
 */
@Component({
  selector: 'krt-dead-letters',
  standalone: true,
  imports: [ReactiveFormsModule, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Mensagens com falha</h1>
      <div role="tablist" class="tabs" aria-label="Origem das mensagens">
        @for (t of tabs; track t.source) {
          <button type="button" role="tab" [id]="'tab-' + t.source" [attr.aria-selected]="source() === t.source" [attr.aria-controls]="'panel-dead-letters'"
                  [attr.tabindex]="source() === t.source ? 0 : -1" (click)="select(t.source)" (keydown)="arrow($event)">{{ t.label }}</button>
        }
      </div>
      <div class="card" role="tabpanel" id="panel-dead-letters" [attr.aria-labelledby]="'tab-' + source()" aria-live="polite">
        @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
        @if (notice(); as m) { <div class="alert ok" role="status" data-testid="replay-done"><p>{{ m }}</p></div> }
        @if (items(); as list) {
          @if (list.length) {
            <ul class="letters" data-testid="dead-letters">
              @for (d of list; track d.id) {
                <li data-testid="dead-letter" [attr.data-dead-letter-id]="d.id">
                  <div class="letter-head">
                    <p><strong>{{ d.originalTopic || d.topic || d.queue }}</strong>
                      @if (d.key) { <span class="muted small"> · chave <span class="mono">{{ d.key }}</span></span> }</p>
                    @if (d.replayedAt) {
                      <span class="status ok">Reenviada em {{ d.replayedAt | dataBr: 'datetime' }}</span>
                    } @else {
                      <span class="status pending">Aguardando</span>
                    }
                  </div>
                  <p class="muted small">Falhou em {{ d.failedAt | dataBr: 'datetime' }}@if (where(d); as w) { · {{ w }} }</p>
                  @if (d.error) { <p class="small">Erro: {{ d.error }}</p> }
                  <details>
                    <summary>Ver conteúdo da mensagem</summary>
                    <pre class="payload" tabindex="0" data-testid="dead-letter-payload">{{ show(d.payload) }}</pre>
                  </details>
                  @if (!d.replayedAt) {
                    <form class="replay" [formGroup]="formFor(d.id)" (ngSubmit)="replay(d)" novalidate [attr.aria-label]="'Reenviar mensagem ' + d.id">
                      <div class="field">
                        <label [for]="'replay-' + d.id">Motivo do reenvio</label>
                        <input [id]="'replay-' + d.id" type="text" maxlength="500" formControlName="reason" />
                      </div>
                      <button class="btn primary" type="submit" [disabled]="busy()">Reenviar</button>
                    </form>
                  }
                  @if (rowErrors()[d.id]; as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
                </li>
              }
            </ul>
          } @else {
            <p class="muted">Nenhuma mensagem com falha.</p>
          }
        } @else if (!error()) {
          <div class="skeleton" aria-hidden="true"></div>
        }
      </div>
    </section>
  `,
  styles: [
    '.letters { list-style: none; margin: 0; padding: 0; }',
    '.letters li { padding: .9rem 0; border-bottom: 1px solid #e5e7eb; display: flex; flex-direction: column; gap: .4rem; }',
    '.letters li:last-child { border-bottom: 0; }',
    '.letters p { margin: 0; }',
    '.letter-head { display: flex; justify-content: space-between; gap: .5rem; flex-wrap: wrap; align-items: center; }',
    '.replay { flex-direction: row; flex-wrap: wrap; align-items: flex-end; gap: .5rem; }',
    '.replay .field { flex: 1 1 16rem; }',
    'summary { cursor: pointer; color: var(--brand-700); font-weight: 600; }',
  ],
})
export class DeadLettersComponent {
  private readonly api = inject(OperacaoApi);
  protected readonly tabs: Array<{ source: DeadLetterSource; label: string }> = [
    { source: 'kafka', label: 'Kafka (tópicos .dlt)' },
    { source: 'rabbitmq', label: 'RabbitMQ (DLQ)' },
  ];
  protected readonly source = signal<DeadLetterSource>('kafka');
  protected readonly items = signal<DeadLetter[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly rowErrors = signal<Record<string, string>>({});
  private readonly forms = new Map<string, FormGroup<{ reason: FormControl<string> }>>();

  constructor() {
    void this.load();
  }

  protected select(source: DeadLetterSource): void {
    if (source === this.source()) return;
    this.source.set(source);
    this.items.set(null);
    this.notice.set(null);
    void this.load();
  }

  /** Arrow keys move between the tabs (WAI-ARIA tabs pattern). */
  protected arrow(event: KeyboardEvent): void {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const i = this.tabs.findIndex((t) => t.source === this.source());
    const next = this.tabs[(i + (event.key === 'ArrowRight' ? 1 : this.tabs.length - 1)) % this.tabs.length]!;
    this.select(next.source);
    setTimeout(() => document.getElementById(`tab-${next.source}`)?.focus());
  }

  protected formFor(id: string): FormGroup<{ reason: FormControl<string> }> {
    let f = this.forms.get(id);
    if (!f) this.forms.set(id, (f = new FormGroup({ reason: new FormControl('', { nonNullable: true }) })));
    return f;
  }

  /** Where the dead letter sits: the DLT topic with partition and offset, or the queue. */
  protected where(d: DeadLetter): string {
    if (d.topic) return d.partition === undefined ? d.topic : `${d.topic} partição ${d.partition}, offset ${d.offset}`;
    return d.queue ?? '';
  }

  protected show(payload: unknown): string {
    return typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
  }

  private async load(): Promise<void> {
    try {
      this.items.set((await this.api.deadLetters(this.source())).items);
      this.error.set(null);
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }

  protected async replay(d: DeadLetter): Promise<void> {
    if (this.busy()) return;
    const reason = this.formFor(d.id).controls.reason.value.trim();
    this.rowErrors.update((m) => ({ ...m, [d.id]: '' }));
    if (reason.length < 3) {
      this.rowErrors.update((m) => ({ ...m, [d.id]: 'Informe o motivo do reenvio (ao menos 3 caracteres).' }));
      setTimeout(() => document.getElementById(`replay-${d.id}`)?.focus());
      return;
    }
    this.busy.set(true);
    try {
      const r = await this.api.replayDeadLetter(d.id, reason);
      this.notice.set(r.replayed ? 'Mensagem reenviada ao tópico de origem.' : 'Esta mensagem já tinha sido reenviada.');
      await this.load();
    } catch (e) {
      this.rowErrors.update((m) => ({ ...m, [d.id]: toProblem(e).message }));
    } finally {
      this.busy.set(false);
    }
  }
}
