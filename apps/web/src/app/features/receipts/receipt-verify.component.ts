import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import { formatBrl } from '../../core/format';
import { DataBrPipe } from '../../ui/pipes';

interface PublicParty {
  name: string;
  cpf: string;
  bank: string;
  ispb: string;
}
interface Verification {
  valid: boolean;
  receipt?: { endToEndId: string; status: 'COMPLETED'; amount: string; completedAt: string; payer: PublicParty; receiver: PublicParty };
}

// A PIX (EndToEndId, E…) or a devolução (its return id, D…).
const E2E = /^[ED]\d{20}[A-Za-z0-9]{11}$/;
const CODE = /^[A-Z2-7]{32}$/;

/**
 * /comprovantes/verificar — public (no sign-in): anyone holding a KRT Bank PIX receipt types its EndToEndId and its
 * authentication code and learns whether the bank issued it. ?e2e= and ?codigo= prefill the form.
 */
@Component({
  selector: 'krt-receipt-verify',
  standalone: true,
  imports: [DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <h1>Verificar comprovante Pix</h1>
      <p class="muted">Confira se um comprovante de Pix foi emitido pelo KRT Bank. Informe o ID da transação (EndToEndId) e o código de autenticação impressos nele.</p>
      <form class="card verify-form" #f (submit)="submit($event, f)" novalidate data-testid="receipt-verify-form">
        <div class="field">
          <label for="e2e">ID da transação (EndToEndId)</label>
          <input #e2eInput id="e2e" name="e2e" type="text" autocomplete="off" spellcheck="false" maxlength="40" placeholder="E00000000202601011200xxxxxxxxxxx"
                 [value]="e2e() ?? ''" [attr.aria-invalid]="fieldError().e2e ? true : null" [attr.aria-describedby]="fieldError().e2e ? 'e2e-error' : null" />
          @if (fieldError().e2e; as m) { <p class="error" id="e2e-error">{{ m }}</p> }
        </div>
        <div class="field">
          <label for="codigo">Código de autenticação</label>
          <input #codeInput id="codigo" name="codigo" type="text" autocomplete="off" spellcheck="false" maxlength="64" placeholder="XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX"
                 [value]="codigo() ?? ''" [attr.aria-invalid]="fieldError().code ? true : null" [attr.aria-describedby]="fieldError().code ? 'codigo-error' : null" />
          @if (fieldError().code; as m) { <p class="error" id="codigo-error">{{ m }}</p> }
        </div>
        <button class="btn primary" type="submit" [disabled]="busy()">
          @if (busy()) { <span class="spinner" aria-hidden="true"></span> Verificando… } @else { Verificar }
        </button>
      </form>
      <div aria-live="polite">
        @if (result(); as r) {
          @if (r.valid && r.receipt) {
            <div class="card verdict ok" data-testid="receipt-verdict" data-valid="true">
              <h2>Comprovante autêntico</h2>
              <p>Este comprovante foi emitido pelo KRT Bank e os dados abaixo conferem com o Pix registrado.</p>
              <dl class="receipt-fields">
                <dt>Valor</dt><dd data-testid="verified-amount">{{ brl(r.receipt!.amount) }}</dd>
                <dt>Data e hora</dt><dd>{{ r.receipt!.completedAt | dataBr: 'datetime' }}</dd>
                <dt>Situação</dt><dd>Concluído</dd>
                <dt>ID da transação</dt><dd class="mono" data-testid="verified-e2e">{{ r.receipt!.endToEndId }}</dd>
                <dt>Quem pagou</dt><dd data-testid="verified-payer">{{ r.receipt!.payer.name }} · CPF {{ r.receipt!.payer.cpf }} · {{ r.receipt!.payer.bank }}</dd>
                <dt>Quem recebeu</dt><dd data-testid="verified-receiver">{{ r.receipt!.receiver.name }} · CPF {{ r.receipt!.receiver.cpf }} · {{ r.receipt!.receiver.bank }}</dd>
              </dl>
              <p class="small muted">Compare cada dado com o comprovante que você recebeu: se algum for diferente, ele foi alterado.</p>
            </div>
          } @else {
            <div class="alert error verdict" role="alert" data-testid="receipt-verdict" data-valid="false">
              <p><strong>Não conseguimos confirmar este comprovante.</strong></p>
              <p>Confira se o ID da transação e o código foram digitados exatamente como no comprovante. Se estiverem certos, o comprovante não foi emitido pelo KRT Bank ou foi alterado.</p>
            </div>
          }
        }
        @if (error()) { <div class="alert error" role="alert" data-testid="receipt-verify-error"><p>{{ error() }}</p></div> }
      </div>
    </section>
  `,
  styles: [
    '.verify-form { display: flex; flex-direction: column; gap: 1rem; margin: 1rem 0; }',
    '.verdict { margin-top: 1rem; }',
    '.verdict.ok { border-left: 4px solid #15803d; }',
    '.receipt-fields { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 1rem 0; }',
    '.receipt-fields dt { font-weight: 600; }',
    '.receipt-fields dd { margin: 0; overflow-wrap: anywhere; }',
    '.mono { font-family: ui-monospace, monospace; }',
  ],
})
export class ReceiptVerifyComponent {
  private readonly http = inject(HttpClient);
  /** Prefill from the query string (?e2e=&codigo=). */
  readonly e2e = input<string | undefined>();
  readonly codigo = input<string | undefined>();
  protected readonly busy = signal(false);
  protected readonly result = signal<Verification | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly fieldError = signal<{ e2e?: string; code?: string }>({});
  protected readonly brl = formatBrl;

  constructor() {
    // A link that carries both (e.g. opened from a receipt) checks at once.
    effect(
      () => {
        const e2e = this.e2e();
        const code = this.codigo();
        if (typeof window !== 'undefined' && e2e && code) void this.check(e2e, code);
      },
      { allowSignalWrites: true },
    );
  }

  protected async submit(event: Event, form: HTMLFormElement): Promise<void> {
    event.preventDefault();
    const e2e = (form.elements.namedItem('e2e') as HTMLInputElement).value;
    const code = (form.elements.namedItem('codigo') as HTMLInputElement).value;
    await this.check(e2e, code);
  }

  private async check(rawE2e: string, rawCode: string): Promise<void> {
    const e2e = rawE2e.trim();
    const code = rawCode.replace(/[\s.-]/g, '').toUpperCase();
    const problems = {
      ...(E2E.test(e2e) ? {} : { e2e: 'Informe o ID da transação: 32 caracteres, começando com E (ou D, se for uma devolução).' }),
      ...(CODE.test(code) ? {} : { code: 'O código de autenticação tem 32 letras e números, em grupos de quatro.' }),
    };
    this.fieldError.set(problems);
    this.result.set(null);
    this.error.set(null);
    if (problems.e2e || problems.code) return;
    this.busy.set(true);
    try {
      this.result.set(await firstValueFrom(this.http.get<Verification>('/api/v1/receipts/verify', { params: { e2e, code } })));
    } catch (e) {
      const p = toProblem(e);
      if (p.status === 422) this.result.set({ valid: false });
      else this.error.set(p.message);
    } finally {
      this.busy.set(false);
    }
  }
}
