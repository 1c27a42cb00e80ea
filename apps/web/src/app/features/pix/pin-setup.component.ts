import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { firstValueFrom } from 'rxjs';
import type { TransactionPinSet } from '@krt/contracts';
import { fieldErrors, toProblem } from '../../core/api-error';
import { errorOf } from '../../ui/validators';
import { PinInputComponent, newPinValidator, pinControl, samePinValidator } from '../../ui/pin-input';

/**
 * A new transaction PIN typed twice: the first one (POST /api/v1/pix/pin, customers from before the PIN, at their
 * first PIX) or a change (PUT, which the bank accepts only right after the customer confirmed their password).
 */
@Component({
  selector: 'krt-pin-setup',
  standalone: true,
  imports: [ReactiveFormsModule, PinInputComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="pin-setup">
      <krt-pin-input inputId="new-pin" [label]="mode() === 'change' ? 'Nova senha de transação' : 'Senha de transação'" [control]="form.controls.pin"
                     [error]="err('pin')" hint="4 números. Evite sequências (1234), números repetidos (1111) e anos, como o do seu nascimento." />
      <krt-pin-input inputId="new-pin-confirm" label="Confirme a senha de transação" [control]="form.controls.confirm" [error]="err('confirm')" />
      @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
      <div class="btn-row">
        <button class="btn primary" type="submit" [disabled]="busy()">
          @if (busy()) { <span class="spinner" aria-hidden="true"></span> Salvando… } @else { {{ mode() === 'change' ? 'Alterar senha de transação' : 'Criar senha de transação' }} }
        </button>
      </div>
    </form>
  `,
  styles: ['form { display: flex; flex-direction: column; gap: 1rem; }'],
})
export class PinSetupComponent {
  private readonly http = inject(HttpClient);
  readonly mode = input<'create' | 'change'>('create');
  readonly done = output<void>();
  /** PUT refused with REAUTHENTICATION_REQUIRED: the customer confirms their password first. */
  readonly reauthenticate = output<string>();
  protected readonly form = new FormGroup({
    pin: pinControl(newPinValidator()),
    confirm: pinControl(samePinValidator((): string | undefined => this.form?.controls.pin.value)),
  });
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly serverErrors = signal<Record<string, string>>({});

  constructor() {
    this.form.controls.pin.valueChanges.subscribe(() => this.form.controls.confirm.updateValueAndValidity({ emitEvent: false }));
    this.form.valueChanges.subscribe(() => {
      this.serverErrors.set({});
      this.error.set(null);
    });
  }

  protected err(name: 'pin' | 'confirm'): string | null {
    const c = this.form.controls[name];
    return this.serverErrors()[name] ?? errorOf(c, this.submitted() || c.touched);
  }

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    this.submitted.set(true);
    if (this.form.invalid) {
      setTimeout(() => document.querySelector<HTMLElement>('krt-pin-setup [aria-invalid="true"]')?.focus());
      return;
    }
    this.busy.set(true);
    const body: TransactionPinSet = { pin: this.form.controls.pin.value };
    try {
      await firstValueFrom(
        this.mode() === 'change' ? this.http.put('/api/v1/pix/pin', body, { responseType: 'text' }) : this.http.post('/api/v1/pix/pin', body, { responseType: 'text' }),
      );
      this.form.reset();
      this.submitted.set(false);
      this.done.emit();
    } catch (e) {
      const p = toProblem(e);
      if (p.code === 'REAUTHENTICATION_REQUIRED') {
        this.form.reset();
        this.submitted.set(false);
        this.reauthenticate.emit(p.message);
        return;
      }
      const onField = fieldErrors(p)['pin'] ?? (p.code === 'PIN_WEAK' || p.code === 'PIN_FORMAT' ? p.message : null);
      if (onField) {
        this.serverErrors.set({ pin: onField });
        setTimeout(() => document.getElementById('new-pin')?.focus());
      } else this.error.set(p.message);
    } finally {
      this.busy.set(false);
    }
  }
}
