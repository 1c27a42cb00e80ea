import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, output, signal, type OnInit } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { fieldErrors, toProblem } from '../../core/api-error';
import { centavosOf, formatAmountForInput, formatBrl, parseBrlInput } from '../../core/format';
import type { RefundAccepted, Transfer } from '@krt/contracts';
import { MaskDirective } from '../../ui/mask.directive';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { PinInputComponent, PinLock, pinControl, pinRefusal } from '../../ui/pin-input';
import { amountValidator, errorOf } from '../../ui/validators';

/** Refusals the customer fixes in the amount field (the rest are shown above the button). */
const AMOUNT_CODES = new Set(['REFUND_EXCEEDS_ORIGINAL', 'SALDO_INSUFICIENTE', 'PIX_AMOUNT_INVALID']);

/** An answer that may never have reached the bank (or whose answer never reached us): the same submission may be sent again. */
const mayRetry = (status: number) => status === 0 || status === 502 || status === 503 || status === 504;

/**
 * "Devolver Pix": the inline form on the detail page of a received, completed PIX that can still be returned.
 * One Idempotency-Key per submission: sending the very same submission again after a network error reuses it (the
 * bank answers a repeated key with its first answer, so a return is never made twice); any other submission gets a
 * new one. On acceptance, the return's own page.
 */
@Component({
  selector: 'krt-transfer-refund',
  standalone: true,
  imports: [ReactiveFormsModule, MaskDirective, BrlPipe, DataBrPipe, PinInputComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="card refund" [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="refund-title" data-testid="refund-form">
      <h2 id="refund-title">Devolver Pix</h2>
      <p class="muted" id="refund-limit" data-testid="refund-limit">
        Você pode devolver até {{ transfer().refundableAmount | brl }}@if (transfer().refundDeadline) { até {{ lastDay() | dataBr }}}.
      </p>
      <div class="field">
        <label for="refund-amount">Valor da devolução (R$)</label>
        <input id="refund-amount" type="text" inputmode="decimal" autocomplete="off" krtMask="amount" formControlName="amount" placeholder="0,00"
               [attr.aria-invalid]="err() ? true : null" aria-describedby="refund-amount-error refund-limit" />
        @if (err(); as m) { <p class="error" id="refund-amount-error" role="alert" data-testid="refund-amount-error">{{ m }}</p> }
      </div>
      <div class="field">
        <label for="refund-desc">Mensagem <span class="muted">(opcional)</span></label>
        <input id="refund-desc" type="text" maxlength="140" formControlName="description" aria-describedby="refund-desc-hint" />
        <p class="hint" id="refund-desc-hint">Até 140 caracteres. Quem pagou verá esta mensagem.</p>
      </div>
      <krt-pin-input inputId="refund-pin" [control]="form.controls.pin" [error]="pinErr()" />
      @if (lock.message(); as m) { <div class="alert error" role="alert" data-testid="pin-locked"><p>{{ m }}</p></div> }
      @if (error(); as m) { <div class="alert error" role="alert" data-testid="refund-error"><p>{{ m }}</p></div> }
      <div class="btn-row">
        <button class="btn primary" type="submit" [disabled]="busy() || !!lock.message()">
          @if (busy()) { <span class="spinner" aria-hidden="true"></span> Devolvendo… } @else { Confirmar devolução }
        </button>
        <button class="btn ghost" type="button" (click)="cancelled.emit()" [disabled]="busy()">Cancelar</button>
      </div>
    </form>
  `,
  styles: [
    '.refund { box-shadow: none; background: var(--brand-50); }',
    '.refund h2 { font-size: 1.15rem; margin: 0; }',
    '.refund p.muted { margin: 0; }',
  ],
})
export class TransferRefundComponent implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  /** The PIX to return: received, completed, with refundableAmount > 0. */
  readonly transfer = input.required<Transfer>();
  readonly cancelled = output<void>();

  protected readonly form = new FormGroup({
    amount: new FormControl('', { nonNullable: true, validators: [amountValidator({ refusal: (c) => this.refusal(c) })] }),
    description: new FormControl('', { nonNullable: true }),
    pin: pinControl(),
  });
  protected readonly lock = new PinLock();
  private readonly serverPinError = signal<string | null>(null);
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly serverAmountError = signal<string | null>(null);
  /** The key and body of the last submission that got no answer: sending the same body again reuses the key. */
  private unanswered: { key: string; body: string } | null = null;

  /** The last day a return can be made: the deadline is the first instant it no longer can. */
  protected readonly lastDay = computed(() => {
    const deadline = this.transfer().refundDeadline;
    const at = deadline ? Date.parse(deadline) : Number.NaN;
    return Number.isNaN(at) ? null : new Date(at - 1);
  });

  constructor() {
    this.form.valueChanges.subscribe(() => {
      this.serverAmountError.set(null);
      this.serverPinError.set(null);
      this.error.set(null);
    });
    inject(DestroyRef).onDestroy(() => this.lock.clear());
  }

  protected pinErr(): string | null {
    const c = this.form.controls.pin;
    return this.serverPinError() ?? errorOf(c, this.submitted());
  }

  ngOnInit(): void {
    const refundable = this.transfer().refundableAmount;
    if (refundable) this.form.controls.amount.setValue(formatAmountForInput(refundable));
    setTimeout(() => document.getElementById('refund-amount')?.focus());
  }

  protected err(): string | null {
    const c = this.form.controls.amount;
    return this.serverAmountError() ?? errorOf(c, this.submitted() || c.touched);
  }

  private refusal(centavos: bigint): string | null {
    const refundable = centavosOf(this.transfer().refundableAmount);
    if (refundable === null || centavos <= refundable) return null;
    return `O valor passa do que ainda pode ser devolvido deste Pix (${formatBrl(this.transfer().refundableAmount)}).`;
  }

  protected async submit(): Promise<void> {
    if (this.busy() || this.lock.message()) return;
    this.submitted.set(true);
    this.form.controls.amount.updateValueAndValidity({ emitEvent: false });
    if (this.form.invalid) {
      setTimeout(() => document.querySelector<HTMLElement>('krt-transfer-refund [aria-invalid="true"]')?.focus());
      return;
    }
    const { amount, description, pin } = this.form.getRawValue();
    const body: Record<string, string> = { amount: parseBrlInput(amount)! };
    if (description.trim()) body['description'] = description.trim();
    // The PIN is not part of what the return is: the same return retyped with its PIN keeps its key.
    const json = JSON.stringify(body);
    const key = this.unanswered?.body === json ? this.unanswered.key : uuid();
    this.unanswered = { key, body: json };
    body['pin'] = pin;
    this.busy.set(true);
    this.error.set(null);
    this.serverAmountError.set(null);
    try {
      const accepted = await firstValueFrom(
        this.http.post<RefundAccepted>(`/api/v1/pix/transfers/${encodeURIComponent(this.transfer().id)}/refunds`, body, {
          headers: { 'Idempotency-Key': key },
        }),
      );
      this.unanswered = null;
      await this.router.navigate(['/pix/transferencias', accepted.id]);
    } catch (e) {
      const p = toProblem(e);
      if (!mayRetry(p.status)) this.unanswered = null; // the bank answered: a new submission is a new return
      const refusal = pinRefusal(p);
      if (refusal) {
        this.form.controls.pin.reset('', { emitEvent: false });
        this.submitted.set(false);
        if (refusal.kind === 'locked') this.lock.set(refusal.message, refusal.until);
        else if (refusal.kind === 'not-set') this.error.set('Crie sua senha de transação (Perfil › Senha de transação) antes de devolver um Pix.');
        else {
          this.serverPinError.set(refusal.message);
          setTimeout(() => document.getElementById('refund-pin')?.focus());
        }
        return;
      }
      const amountMessage = fieldErrors(p)['amount'] ?? (AMOUNT_CODES.has(p.code) ? p.message : null);
      if (amountMessage) {
        this.serverAmountError.set(amountMessage);
        setTimeout(() => document.getElementById('refund-amount')?.focus());
      } else {
        this.error.set(
          p.status === 404
            ? 'Não encontramos este Pix entre os seus.'
            : mayRetry(p.status)
              ? 'Não tivemos a resposta do banco. Confirme de novo: a devolução não será feita duas vezes.'
              : p.message,
        );
      }
    } finally {
      this.busy.set(false);
    }
  }
}

function uuid(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}
