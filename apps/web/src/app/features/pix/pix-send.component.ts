import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input, output, signal, type OnInit } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { PixKey } from '@krt/domain';
import { firstValueFrom } from 'rxjs';
import { fieldErrors, toProblem } from '../../core/api-error';
import { formatAmountForInput, parseBrlInput } from '../../core/format';
import type { ResolvedKey } from '@krt/contracts';
import { BrlPipe } from '../../ui/pipes';
import { MaskDirective } from '../../ui/mask.directive';
import { amountValidator, errorOf, pixKeyValidator } from '../../ui/validators';
import type { PixDraft } from './pix-draft';
import { PixFundsService } from './pix-funds.service';

@Component({
  selector: 'krt-pix-send',
  standalone: true,
  imports: [ReactiveFormsModule, MaskDirective, BrlPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <p class="muted">Digite a chave de quem vai receber: CPF, e-mail, celular ou chave aleatória.</p>
      <div class="field">
        <label for="pix-key">Chave Pix</label>
        <input id="pix-key" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" formControlName="key"
               placeholder="CPF, e-mail, celular ou chave aleatória"
               [attr.aria-invalid]="err('key') ? true : null" aria-describedby="pix-key-error pix-key-hint" />
        <p class="hint" id="pix-key-hint">Celular com DDD, por exemplo +55 11 98888-7777.</p>
        @if (err('key'); as m) { <p class="error" id="pix-key-error">{{ m }}</p> }
      </div>
      <div class="field">
        <label for="pix-amount">Valor (R$)</label>
        <input id="pix-amount" type="text" inputmode="decimal" autocomplete="off" krtMask="amount" formControlName="amount" placeholder="0,00"
               [attr.aria-invalid]="err('amount') ? true : null" aria-describedby="pix-amount-error pix-amount-hint" />
        <p class="hint" id="pix-amount-hint">
          @if (funds.balance(); as b) { @if (funds.balanceHidden()) { Disponível: <span aria-hidden="true">R$ ••••••</span><span class="sr-only">saldo oculto</span>. } @else { Disponível: {{ b.available | brl }}. } }
          @if (funds.limits(); as l) { Limite por Pix: {{ l.perTransaction | brl }}. }
        </p>
        @if (err('amount'); as m) { <p class="error" id="pix-amount-error">{{ m }}</p> }
      </div>
      <div class="field">
        <label for="pix-desc">Mensagem <span class="muted">(opcional)</span></label>
        <input id="pix-desc" type="text" maxlength="140" formControlName="description" aria-describedby="pix-desc-hint" />
        <p class="hint" id="pix-desc-hint">Até 140 caracteres. Quem recebe verá esta mensagem.</p>
      </div>
      <button class="btn primary block" type="submit" [disabled]="busy()">
        @if (busy()) { <span class="spinner" aria-hidden="true"></span> Buscando chave… } @else { Continuar }
      </button>
    </form>
  `,
})
export class PixSendComponent implements OnInit {
  private readonly http = inject(HttpClient);
  protected readonly funds = inject(PixFundsService);
  readonly initial = input<PixDraft | null>(null);
  readonly ready = output<PixDraft>();
  protected readonly form = new FormGroup({
    key: new FormControl('', { nonNullable: true, validators: [pixKeyValidator] }),
    amount: new FormControl('', { nonNullable: true, validators: [amountValidator({ refusal: (c) => this.funds.refusal(c) })] }),
    description: new FormControl('', { nonNullable: true }),
  });
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  private readonly serverErrors = signal<Record<string, string>>({});

  constructor() {
    this.form.valueChanges.subscribe(() => this.serverErrors.set({}));
  }

  ngOnInit(): void {
    const d = this.initial();
    if (d && d.origin === 'key') this.form.setValue({ key: d.key, amount: formatAmountForInput(d.amount), description: d.description });
  }

  /** Server-side field errors from a failed transfer (e.g. SALDO_INSUFICIENTE on amount). */
  setServerErrors(errors: Record<string, string>): void {
    this.serverErrors.set(errors);
    this.submitted.set(true);
  }

  protected err(name: 'key' | 'amount'): string | null {
    const server = this.serverErrors()[name];
    if (server) return server;
    const c = this.form.controls[name];
    return errorOf(c, this.submitted() || c.touched);
  }

  protected async submit(): Promise<void> {
    this.submitted.set(true);
    this.form.controls.amount.updateValueAndValidity();
    if (this.form.invalid) {
      setTimeout(() => document.querySelector<HTMLElement>('krt-pix-send [aria-invalid="true"]')?.focus());
      return;
    }
    const { key, amount, description } = this.form.getRawValue();
    const parsed = PixKey.detect(key);
    if (!parsed.ok) return;
    this.busy.set(true);
    try {
      const resolved = await firstValueFrom(this.http.get<ResolvedKey>('/api/v1/pix/keys/resolve', { params: { key: parsed.value.value } }));
      this.ready.emit({ key: parsed.value.value, resolved, amount: parseBrlInput(amount)!, description: description.trim(), origin: 'key' });
    } catch (e) {
      const p = toProblem(e);
      const message = p.status === 404 ? 'Chave Pix não encontrada. Confira se digitou certo ou peça a chave de novo a quem vai receber.' : p.message;
      this.serverErrors.set({ key: fieldErrors(p)['key'] ?? message });
      setTimeout(() => document.getElementById('pix-key')?.focus());
    } finally {
      this.busy.set(false);
    }
  }
}
