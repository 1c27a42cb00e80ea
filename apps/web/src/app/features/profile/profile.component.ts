import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, type AbstractControl } from '@angular/forms';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { fieldErrors, toProblem } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { centavosOf, formatAmountForInput, formatBrl, parseBrlInput } from '../../core/format';
import type { Account, Customer, Limits } from '../../core/models';
import { NotificationsStore } from '../../core/notifications.store';
import { LiveEventsService } from '../../core/live-events.service';
import { IconComponent } from '../../ui/icon.component';
import { MaskDirective } from '../../ui/mask.directive';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { errorOf } from '../../ui/validators';

type LimitName = 'perTransaction' | 'daily' | 'night';
const LIMIT_LABEL: Record<LimitName, string> = { perTransaction: 'por Pix', daily: 'diário', night: 'noturno' };

@Component({
  selector: 'krt-profile',
  standalone: true,
  imports: [ReactiveFormsModule, IconComponent, MaskDirective, BrlPipe, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './profile.component.html',
  styles: ['.limits-form .row { align-items: start; }', '.signout { display: flex; justify-content: flex-start; }'],
})
export class ProfileComponent {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly live = inject(LiveEventsService);
  private readonly notifications = inject(NotificationsStore);
  protected readonly customer = signal<Customer | null>(null);
  protected readonly account = signal<Account | null>(null);
  protected readonly limits = signal<Limits | null>(null);
  protected readonly errors = signal<{ customer?: string; account?: string; limits?: string }>({});
  protected readonly saving = signal(false);
  protected readonly saved = signal<string | null>(null);
  protected readonly saveError = signal<string | null>(null);
  protected readonly serverErrors = signal<Record<string, string>>({});
  protected readonly submitted = signal(false);
  protected readonly signingOut = signal(false);

  protected readonly nightWindow = computed(() => {
    const w = this.limits()?.nightWindow;
    return w ? `${w.start.replace(':00', 'h')} às ${w.end.replace(':00', 'h')}` : '20h às 6h';
  });

  protected readonly form = new FormGroup({
    perTransaction: new FormControl('', { nonNullable: true, validators: [this.limitValidator('perTransaction')] }),
    daily: new FormControl('', { nonNullable: true, validators: [this.limitValidator('daily')] }),
    night: new FormControl('', { nonNullable: true, validators: [this.limitValidator('night')] }),
  });

  constructor() {
    void this.load();
    this.form.valueChanges.subscribe(() => {
      this.saved.set(null);
      this.serverErrors.set({});
    });
  }

  private limitValidator(name: LimitName) {
    return (c: AbstractControl) => {
      const v = String(c.value ?? '').trim();
      if (!v) return { msg: `Informe o limite ${LIMIT_LABEL[name]}.` };
      const api = parseBrlInput(v);
      if (!api) return { msg: 'Valor inválido. Use, por exemplo, 1.000,00.' };
      const max = this.limits()?.maxima?.[name];
      const cents = centavosOf(api)!;
      if (max && cents > centavosOf(max)!) return { msg: `O máximo permitido é ${formatBrl(max)}. Para aumentar, fale com a central.` };
      if (name !== 'daily') {
        const daily = parseBrlInput(this.form?.controls.daily.value);
        if (daily && cents > centavosOf(daily)!) return { msg: `Não pode ser maior que o limite diário (${formatBrl(daily)}).` };
      }
      return null;
    };
  }

  protected err(name: LimitName): string | null {
    return this.serverErrors()[name] ?? errorOf(this.form.controls[name], this.submitted() || this.form.controls[name].touched);
  }

  private async load(): Promise<void> {
    const [customer, account, limits] = await Promise.allSettled([
      firstValueFrom(this.http.get<Customer>('/api/v1/customers/me')),
      firstValueFrom(this.http.get<Account>('/api/v1/accounts/me')),
      firstValueFrom(this.http.get<Limits>('/api/v1/accounts/me/limits')),
    ]);
    const errors: { customer?: string; account?: string; limits?: string } = {};
    if (customer.status === 'fulfilled') this.customer.set(customer.value);
    else errors.customer = 'Não foi possível carregar seus dados pessoais agora.';
    if (account.status === 'fulfilled') this.account.set(account.value);
    else errors.account = 'Não foi possível carregar os dados da conta agora.';
    if (limits.status === 'fulfilled') {
      this.limits.set(limits.value);
      this.form.reset({
        perTransaction: formatAmountForInput(limits.value.perTransaction),
        daily: formatAmountForInput(limits.value.daily),
        night: formatAmountForInput(limits.value.night),
      });
    } else errors.limits = 'Não foi possível carregar seus limites agora.';
    this.errors.set(errors);
  }

  protected async saveLimits(): Promise<void> {
    this.submitted.set(true);
    this.saveError.set(null);
    for (const c of Object.values(this.form.controls)) c.updateValueAndValidity({ emitEvent: false });
    if (this.form.invalid) {
      setTimeout(() => document.querySelector<HTMLElement>('.limits-form [aria-invalid="true"]')?.focus());
      return;
    }
    const v = this.form.getRawValue();
    this.saving.set(true);
    try {
      const body = { perTransaction: parseBrlInput(v.perTransaction)!, daily: parseBrlInput(v.daily)!, night: parseBrlInput(v.night)! };
      const updated = await firstValueFrom(this.http.put<Limits>('/api/v1/accounts/me/limits', body));
      this.limits.set(updated);
      this.saved.set('Limites atualizados.');
    } catch (e) {
      const p = toProblem(e);
      const f = fieldErrors(p);
      if (Object.keys(f).length) this.serverErrors.set(f);
      else this.saveError.set(p.message);
    } finally {
      this.saving.set(false);
    }
  }

  protected async signOut(): Promise<void> {
    this.signingOut.set(true);
    this.live.stop();
    try {
      await this.auth.signOut();
    } catch {
      // The session is gone on this side anyway.
    }
    this.notifications.unread.set(null);
    await this.router.navigateByUrl('/entrar');
  }
}
