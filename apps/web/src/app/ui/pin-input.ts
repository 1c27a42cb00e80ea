// The transaction PIN ("senha de transação", issue #23): one input, its validators and what the bank's PIN refusals
// mean on screen, shared by the PIX confirmation, the devolução, the limits change, account opening and the profile.
import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule, type ValidatorFn } from '@angular/forms';
import { checkTransactionPin } from '@krt/domain';
import type { ApiProblem } from '../core/api-error';

/** `<krt-pin-input inputId="pix-pin" label="Senha de transação" [control]="pin" [error]="pinError()" />` */
@Component({
  selector: 'krt-pin-input',
  standalone: true,
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="field pin-field">
      <label [for]="inputId()">{{ label() }}</label>
      <input [id]="inputId()" class="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="4" pattern="[0-9]*"
             [formControl]="control()" (input)="digitsOnly($event)"
             [attr.aria-invalid]="error() ? true : null" [attr.aria-describedby]="describedBy()" />
      @if (hint()) { <p class="hint" [id]="inputId() + '-hint'">{{ hint() }}</p> }
      @if (error(); as m) { <p class="error" [id]="inputId() + '-error'" role="alert">{{ m }}</p> }
    </div>
  `,
  styles: ['.pin { max-width: 10rem; letter-spacing: .5em; font-size: 1.25rem; }'],
})
export class PinInputComponent {
  readonly inputId = input.required<string>();
  readonly label = input('Senha de transação');
  readonly control = input.required<FormControl<string>>();
  readonly error = input<string | null>(null);
  readonly hint = input<string | null>(null);
  protected readonly describedBy = computed(() => [this.hint() ? `${this.inputId()}-hint` : '', this.error() ? `${this.inputId()}-error` : ''].join(' ').trim() || null);

  protected digitsOnly(event: Event): void {
    const el = event.target as HTMLInputElement;
    const digits = el.value.replace(/\D/g, '').slice(0, 4);
    if (digits !== el.value) {
      el.value = digits;
      this.control().setValue(digits);
    }
  }
}

export const pinControl = (validator: ValidatorFn = pinFormatValidator): FormControl<string> => new FormControl('', { nonNullable: true, validators: [validator] });

/** The PIN of an operation: 4 digits (whether it is the right one is the bank's to say). */
export const pinFormatValidator: ValidatorFn = (c) => {
  const v = String(c.value ?? '');
  if (!v) return { msg: 'Digite sua senha de transação.' };
  return /^\d{4}$/.test(v) ? null : { msg: 'A senha de transação tem 4 números.' };
};

/** A new PIN: the bank's weak-PIN rules (sequences, repeats, years, the birth date when known). */
export const newPinValidator = (birthDate: () => string | undefined = () => undefined): ValidatorFn => (c) => {
  const v = String(c.value ?? '');
  if (!v) return { msg: 'Crie sua senha de transação com 4 números.' };
  const birth = birthDate();
  const checked = checkTransactionPin(v, birth ? { birthDate: birth } : {});
  return checked.ok ? null : { msg: checked.message };
};

/** The repetition of a new PIN. */
export const samePinValidator = (first: () => string | undefined): ValidatorFn => (c) => {
  const v = String(c.value ?? '');
  if (!v) return { msg: 'Repita os 4 números da senha de transação.' };
  return v === first() ? null : { msg: 'As senhas de transação não são iguais.' };
};

/** "14:32", São Paulo time, as the bank's lock message says it. */
export function saoPauloTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('pt-BR', { timeZone: 'America/Sao_Paulo', hour: '2-digit', minute: '2-digit' });
}

export function pinLockMessage(lockedUntil: string | null | undefined): string {
  const after = lockedUntil && !Number.isNaN(Date.parse(lockedUntil)) ? ` Tente de novo após ${saoPauloTime(lockedUntil)}.` : ' Tente de novo mais tarde.';
  return `PIX bloqueado por 3 tentativas com a senha de transação errada.${after}`;
}

/** What a refusal about the PIN means on screen, or null when the refusal is about something else. */
export type PinRefusal =
  | { kind: 'field'; message: string }
  | { kind: 'locked'; message: string; until: string | null }
  | { kind: 'not-set'; message: string };

export function pinRefusal(p: ApiProblem): PinRefusal | null {
  switch (p.code) {
    case 'PIN_INVALID': {
      const left = p.attemptsLeft;
      const rest = left === undefined ? '' : left === 1 ? ' Resta 1 tentativa.' : ` Restam ${left} tentativas.`;
      return { kind: 'field', message: `Senha de transação incorreta.${rest}` };
    }
    case 'PIN_LOCKED':
      return { kind: 'locked', message: p.message || pinLockMessage(p.lockedUntil), until: p.lockedUntil ?? null };
    case 'PIN_NOT_SET':
      return { kind: 'not-set', message: p.message };
    default: {
      const field = p.errors.find((e) => e.field.replace(/^body\./, '') === 'pin');
      return field ? { kind: 'field', message: field.message } : null;
    }
  }
}

/** PIX locked by wrong PINs until a given time: the message while it lasts, cleared when it ends. */
export class PinLock {
  readonly message = signal<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  set(message: string, until: string | null): void {
    clearTimeout(this.timer);
    this.message.set(message);
    const at = until ? Date.parse(until) : Number.NaN;
    if (!Number.isNaN(at) && typeof window !== 'undefined') this.timer = setTimeout(() => this.message.set(null), Math.max(0, at - Date.now()) + 250);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.message.set(null);
  }
}
