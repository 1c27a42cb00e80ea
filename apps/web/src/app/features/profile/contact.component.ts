import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { Email, Phone } from '@krt/domain';
import type { Customer } from '@krt/contracts';
import { fieldErrors, toProblem } from '../../core/api-error';
import { ConfirmPasswordComponent } from '../../ui/confirm-password.component';
import { MaskDirective } from '../../ui/mask.directive';
import { emailValidator, errorOf, phoneValidator } from '../../ui/validators';

type ContactField = 'email' | 'phone';

/**
 * /perfil/contato: change the e-mail or the mobile number after confirming the password on Keycloak's page (the bank
 * accepts the change only within minutes of it). The e-mail and number as they were get a security alert.
 */
@Component({
  selector: 'krt-contact',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, MaskDirective, ConfirmPasswordComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <h1>E-mail e celular</h1>
      <div class="card">
        @if (done(); as m) {
          <div class="alert ok" role="status" data-testid="contact-saved"><p>{{ m }}</p></div>
          <div class="btn-row"><a class="btn primary" routerLink="/perfil">Voltar ao perfil</a></div>
        } @else if (!confirmed()) {
          <krt-confirm-password page="/perfil/contato" purpose="alterar seu e-mail ou celular" headingId="contact-step" [notice]="notice()" />
        } @else if (loaded()) {
          <h2 id="contact-step" tabindex="-1">Seus dados de contato</h2>
          <form [formGroup]="form" (ngSubmit)="save()" novalidate>
            <div class="field">
              <label for="contact-email">E-mail</label>
              <input id="contact-email" type="email" autocomplete="email" formControlName="email" placeholder="nome@exemplo.com.br"
                     [attr.aria-invalid]="err('email') ? true : null" aria-describedby="contact-email-error" />
              @if (err('email'); as m) { <p class="error" id="contact-email-error">{{ m }}</p> }
            </div>
            <div class="field">
              <label for="contact-phone">Celular</label>
              <input id="contact-phone" type="tel" autocomplete="tel-national" krtMask="phone" formControlName="phone" placeholder="(11) 98888-7777" maxlength="15"
                     [attr.aria-invalid]="err('phone') ? true : null" aria-describedby="contact-phone-error" />
              @if (err('phone'); as m) { <p class="error" id="contact-phone-error">{{ m }}</p> }
            </div>
            <p class="muted small">Por segurança, avisamos o e-mail e o celular anteriores sobre a alteração.</p>
            @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
            <div class="btn-row">
              <button class="btn primary" type="submit" [disabled]="saving()">{{ saving() ? 'Salvando…' : 'Salvar' }}</button>
              <a class="btn ghost" routerLink="/perfil">Cancelar</a>
            </div>
          </form>
        } @else {
          @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> } @else { <div class="skeleton"></div> }
        }
      </div>
    </section>
  `,
})
export class ContactComponent {
  private readonly http = inject(HttpClient);
  /** ?confirmada=1: back from Keycloak's password page (the bank itself checks how recent that was). */
  readonly confirmada = input<string | undefined>();
  protected readonly loaded = signal(false);
  protected readonly saving = signal(false);
  protected readonly submitted = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);
  private readonly serverErrors = signal<Partial<Record<ContactField, string>>>({});
  private readonly expired = signal(false);
  protected readonly confirmed = computed(() => this.confirmada() === '1' && !this.expired());
  /** The contact as loaded (e-mail as is, phone in E.164): only what differs from it is sent. */
  private current: { email: string; phone: string } | null = null;

  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [emailValidator] }),
    phone: new FormControl('', { nonNullable: true, validators: [phoneValidator] }),
  });

  constructor() {
    void this.load();
    this.form.valueChanges.subscribe(() => this.serverErrors.set({}));
  }

  protected err(name: ContactField): string | null {
    return this.serverErrors()[name] ?? errorOf(this.form.controls[name], this.submitted() || this.form.controls[name].touched);
  }

  private async load(): Promise<void> {
    try {
      const c = await firstValueFrom(this.http.get<Customer>('/api/v1/customers/me', { params: { reveal: 'contact' } }));
      const phone = Phone.parse(c.phone);
      this.current = { email: c.email, phone: phone.ok ? phone.value.toE164() : c.phone };
      // A field the customer already typed in keeps what they typed.
      if (!this.form.controls.email.dirty) this.form.controls.email.reset(c.email);
      if (!this.form.controls.phone.dirty) this.form.controls.phone.reset(phone.ok ? phone.value.format() : c.phone);
      this.loaded.set(true);
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }

  protected async save(): Promise<void> {
    this.submitted.set(true);
    this.error.set(null);
    if (this.form.invalid || this.saving()) return;
    const email = Email.parse(this.form.controls.email.value);
    const phone = Phone.parse(this.form.controls.phone.value);
    if (!email.ok || !phone.ok) return;
    const changes: { email?: string; phone?: string } = {};
    if (email.value.value !== this.current?.email.toLowerCase()) changes.email = email.value.value;
    if (phone.value.toE164() !== this.current?.phone) changes.phone = phone.value.toE164();
    if (!changes.email && !changes.phone) {
      this.error.set('Nada mudou: altere o e-mail ou o celular antes de salvar.');
      return;
    }
    this.saving.set(true);
    try {
      await firstValueFrom(this.http.patch<Customer>('/api/v1/customers/me', changes));
      const what = changes.email && changes.phone ? 'E-mail e celular alterados' : changes.email ? 'E-mail alterado' : 'Celular alterado';
      this.done.set(`${what}. Enviamos um aviso para o e-mail e o celular anteriores.`);
    } catch (e) {
      const p = toProblem(e);
      if (p.code === 'REAUTHENTICATION_REQUIRED') {
        // Confirmed too long ago (or not at all): confirm again; what was typed is kept in the form on this page only.
        this.notice.set(p.message);
        this.expired.set(true);
        setTimeout(() => document.getElementById('contact-step')?.focus());
        return;
      }
      const byField = fieldErrors(p);
      const fields: Partial<Record<ContactField, string>> = {};
      for (const name of ['email', 'phone'] as const) if (byField[name]) fields[name] = byField[name];
      this.serverErrors.set(fields);
      if (!fields.email && !fields.phone) this.error.set(p.message);
    } finally {
      this.saving.set(false);
    }
  }
}
