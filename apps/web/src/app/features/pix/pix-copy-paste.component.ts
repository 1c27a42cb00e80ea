import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { PixKey, parseBrCode, type ParsedBrCode } from '@krt/domain';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import { KEY_TYPE_LABEL, parseBrlInput } from '../../core/format';
import type { ResolvedKey } from '@krt/contracts';
import { MaskDirective } from '../../ui/mask.directive';
import { BrlPipe } from '../../ui/pipes';
import { amountValidator, errorOf } from '../../ui/validators';
import type { PixDraft } from './pix-draft';
import { PixFundsService } from './pix-funds.service';

@Component({
  selector: 'krt-pix-copy-paste',
  standalone: true,
  imports: [ReactiveFormsModule, MaskDirective, BrlPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="codeForm" (ngSubmit)="read()" novalidate>
      <div class="field">
        <label for="brcode">Código Pix Copia e Cola</label>
        <textarea id="brcode" formControlName="code" rows="4" spellcheck="false" autocomplete="off"
                  placeholder="Cole aqui o código que começa com 000201…"
                  [attr.aria-invalid]="codeError() ? true : null" aria-describedby="brcode-error"></textarea>
        @if (codeError(); as m) { <p class="error" id="brcode-error">{{ m }}</p> }
      </div>
      <button class="btn secondary" type="submit">Ler código</button>
    </form>

    @if (parsed(); as p) {
      <section class="card inner" aria-labelledby="brcode-content" data-testid="brcode-content">
        <h3 id="brcode-content">O que este código contém</h3>
        <dl class="dl">
          <dt>Recebedor</dt><dd>{{ p.merchantName }}</dd>
          <dt>Cidade</dt><dd>{{ p.merchantCity }}</dd>
          @if (p.key) { <dt>Chave</dt><dd class="mono">{{ keyLabel() }}: {{ p.key }}</dd> }
          <dt>Valor</dt><dd>{{ p.amount ? (p.amount.toApiString() | brl) : 'Livre (você escolhe)' }}</dd>
          @if (p.description) { <dt>Mensagem</dt><dd>{{ p.description }}</dd> }
          @if (p.txid) { <dt>Identificador</dt><dd class="mono">{{ p.txid }}</dd> }
        </dl>
        <form [formGroup]="payForm" (ngSubmit)="pay()" novalidate>
          @if (!p.amount) {
            <div class="field">
              <label for="brcode-amount">Valor (R$)</label>
              <input id="brcode-amount" type="text" inputmode="decimal" krtMask="amount" formControlName="amount" placeholder="0,00"
                     [attr.aria-invalid]="amountError() ? true : null" aria-describedby="brcode-amount-error" />
              @if (amountError(); as m) { <p class="error" id="brcode-amount-error">{{ m }}</p> }
            </div>
          } @else if (amountError()) {
            <p class="error" id="brcode-amount-error" role="alert">{{ amountError() }}</p>
          }
          @if (payError(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
          <button class="btn primary block" type="submit" [disabled]="busy()">
            @if (busy()) { <span class="spinner" aria-hidden="true"></span> Conferindo… } @else { Pagar este código }
          </button>
        </form>
      </section>
    }
  `,
  styles: ['.inner { margin-top: 1rem; box-shadow: none; background: var(--brand-50); }'],
})
export class PixCopyPasteComponent {
  private readonly http = inject(HttpClient);
  private readonly funds = inject(PixFundsService);
  readonly ready = output<PixDraft>();
  protected readonly codeForm = new FormGroup({ code: new FormControl('', { nonNullable: true }) });
  protected readonly payForm = new FormGroup({
    amount: new FormControl('', { nonNullable: true, validators: [amountValidator({ refusal: (c) => this.funds.refusal(c) })] }),
  });
  protected readonly parsed = signal<ParsedBrCode | null>(null);
  protected readonly codeError = signal<string | null>(null);
  protected readonly payError = signal<string | null>(null);
  protected readonly amountError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly keyLabel = () => {
    const k = this.parsed()?.key;
    const t = k ? PixKey.detect(k) : null;
    return t && t.ok ? KEY_TYPE_LABEL[t.value.type] : 'Chave';
  };

  constructor() {
    this.codeForm.controls.code.valueChanges.subscribe(() => {
      this.parsed.set(null);
      this.codeError.set(null);
    });
  }

  protected read(): void {
    this.payError.set(null);
    this.amountError.set(null);
    // Pasted codes may wrap across lines; spaces inside (names, cities) are part of the code.
    const code = this.codeForm.controls.code.value.replace(/[\r\n]+/g, '').trim();
    if (!code) {
      this.codeError.set('Cole o código Pix Copia e Cola.');
      return;
    }
    const result = parseBrCode(code);
    if (!result.ok) {
      this.codeError.set(result.error.message);
      return;
    }
    if (!result.value.key) {
      this.codeError.set('Este é um QR Code dinâmico (com endereço de cobrança), que ainda não aceitamos. Peça um código estático ou pague pela chave.');
      return;
    }
    this.parsed.set(result.value);
    this.payForm.reset({ amount: '' });
    setTimeout(() => document.getElementById('brcode-content')?.scrollIntoView({ block: 'nearest' }));
  }

  protected async pay(): Promise<void> {
    const p = this.parsed();
    if (!p || !p.key) return;
    this.payError.set(null);
    let amount: string | null;
    if (p.amount) {
      amount = p.amount.toApiString();
      this.amountError.set(this.funds.refusal(p.amount.toCentavos()));
    } else {
      this.payForm.controls.amount.markAsTouched();
      this.payForm.controls.amount.updateValueAndValidity();
      this.amountError.set(errorOf(this.payForm.controls.amount, true));
      amount = parseBrlInput(this.payForm.controls.amount.value);
    }
    if (this.amountError() || !amount) {
      setTimeout(() => document.getElementById('brcode-amount')?.focus());
      return;
    }
    const key = PixKey.detect(p.key);
    const canonical = key.ok ? key.value.value : p.key;
    this.busy.set(true);
    try {
      const resolved = await firstValueFrom(this.http.get<ResolvedKey>('/api/v1/pix/keys/resolve', { params: { key: canonical } }));
      this.ready.emit({ key: canonical, resolved, amount, description: p.description ?? '', origin: 'brcode' });
    } catch (e) {
      const problem = toProblem(e);
      this.payError.set(problem.status === 404 ? 'A chave Pix deste código não foi encontrada. Confira o código com quem o enviou.' : problem.message);
    } finally {
      this.busy.set(false);
    }
  }
}
