import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, type AbstractControl } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { fieldErrors, toProblem } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { centavosOf, formatAmountForInput, formatBrl, parseBrlInput } from '../../core/format';
import type { Account, Customer, Limits, LimitsUpdate, TransactionPinStatus } from '@krt/contracts';
import { NotificationsStore } from '../../core/notifications.store';
import { LiveEventsService } from '../../core/live-events.service';
import { IconComponent } from '../../ui/icon.component';
import { MaskDirective } from '../../ui/mask.directive';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { PinInputComponent, PinLock, pinControl, pinRefusal, saoPauloTime } from '../../ui/pin-input';
import { errorOf } from '../../ui/validators';

type LimitName = 'perTransaction' | 'daily' | 'night';

/** One of the customer's sessions, as GET /api/v1/sessions lists it (the handle is opaque, not the cookie). */
interface CustomerSession {
  handle: string;
  device: string;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
}
const LIMIT_LABEL: Record<LimitName, string> = { perTransaction: 'por Pix', daily: 'diário', night: 'noturno' };

@Component({
  selector: 'krt-profile',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, IconComponent, MaskDirective, BrlPipe, DataBrPipe, PinInputComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './profile.component.html',
  styles: [
    '.limits-form .row { align-items: start; }',
    '.signout { display: flex; justify-content: flex-start; }',
    '.session-list { list-style: none; margin: 0 0 16px; padding: 0; }',
    '.session-list li { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; padding: 12px 0; border-bottom: 1px solid var(--line); }',
    '.session-list li:last-child { border-bottom: 0; }',
    '.session-list p { margin: 2px 0 0; }',
    '.badge-current { display: inline-block; margin-left: 8px; padding: 2px 8px; border-radius: 999px; font-size: .8rem; background: var(--brand-50); color: var(--brand-900); font-weight: 600; }',
    '.session-actions { display: flex; flex-wrap: wrap; gap: 8px; }',
  ],
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
  protected readonly sessions = signal<CustomerSession[] | null>(null);
  protected readonly sessionsError = signal<string | null>(null);
  /** The session (handle, 'others' or 'all') being ended. */
  protected readonly ending = signal<string | null>(null);
  protected readonly sessionsStatus = signal<string | null>(null);
  protected readonly pin = signal<TransactionPinStatus | null>(null);
  protected readonly pinLockedAt = computed(() => {
    const until = this.pin()?.lockedUntil;
    return this.pin()?.status === 'LOCKED' && until ? saoPauloTime(until) : null;
  });
  protected readonly limitsLock = new PinLock();
  protected readonly otherSessions = computed(() => (this.sessions() ?? []).filter((s) => !s.current).length);

  protected readonly nightWindow = computed(() => {
    const w = this.limits()?.nightWindow;
    return w ? `${w.start.replace(':00', 'h')} às ${w.end.replace(':00', 'h')}` : '20h às 6h';
  });

  protected readonly form = new FormGroup({
    perTransaction: new FormControl('', { nonNullable: true, validators: [this.limitValidator('perTransaction')] }),
    daily: new FormControl('', { nonNullable: true, validators: [this.limitValidator('daily')] }),
    night: new FormControl('', { nonNullable: true, validators: [this.limitValidator('night')] }),
    pin: pinControl(),
  });

  constructor() {
    void this.load();
    void this.loadSessions();
    void this.loadPin();
    inject(DestroyRef).onDestroy(() => this.limitsLock.clear());
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

  protected err(name: LimitName | 'pin'): string | null {
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
      const loaded: Record<LimitName, string> = {
        perTransaction: formatAmountForInput(limits.value.perTransaction),
        daily: formatAmountForInput(limits.value.daily),
        night: formatAmountForInput(limits.value.night),
      };
      // The server-rendered form is usable before this answer arrives: a field the customer already typed in keeps
      // what they typed (a reset here once replaced "321,00" with the old 5.000,00, which was then saved).
      for (const name of Object.keys(loaded) as LimitName[]) {
        const control = this.form.controls[name];
        if (!control.dirty) control.reset(loaded[name]);
      }
    } else errors.limits = 'Não foi possível carregar seus limites agora.';
    this.errors.set(errors);
  }

  private async loadPin(): Promise<void> {
    try {
      this.pin.set(await firstValueFrom(this.http.get<TransactionPinStatus>('/api/v1/pix/pin')));
    } catch {
      this.pin.set(null);
    }
  }

  protected async saveLimits(): Promise<void> {
    if (this.limitsLock.message()) return;
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
      const body: LimitsUpdate = { perTransaction: parseBrlInput(v.perTransaction)!, daily: parseBrlInput(v.daily)!, night: parseBrlInput(v.night)!, pin: v.pin };
      const updated = await firstValueFrom(this.http.put<Limits>('/api/v1/accounts/me/limits', body));
      this.limits.set(updated);
      this.form.controls.pin.reset('', { emitEvent: false });
      this.submitted.set(false);
      this.saved.set('Limites atualizados.');
    } catch (e) {
      const p = toProblem(e);
      const refusal = pinRefusal(p);
      if (refusal) {
        this.form.controls.pin.reset('', { emitEvent: false });
        if (refusal.kind === 'locked') this.limitsLock.set(refusal.message, refusal.until);
        else if (refusal.kind === 'not-set') this.saveError.set('Crie sua senha de transação (abaixo, em Senha de transação) para mudar seus limites.');
        else {
          this.serverErrors.set({ pin: refusal.message });
          setTimeout(() => document.getElementById('lim-pin')?.focus());
        }
        void this.loadPin();
        return;
      }
      const f = fieldErrors(p);
      if (Object.keys(f).length) this.serverErrors.set(f);
      else this.saveError.set(p.message);
    } finally {
      this.saving.set(false);
    }
  }

  private async loadSessions(): Promise<void> {
    try {
      const res = await firstValueFrom(this.http.get<{ items: CustomerSession[] }>('/api/v1/sessions'));
      this.sessions.set(res.items);
      this.sessionsError.set(null);
    } catch (e) {
      if (this.sessions() === null) this.sessionsError.set(toProblem(e).message || 'Não foi possível carregar suas sessões agora.');
    }
  }

  /** Ends one other session, every other one ('others') or all of them, this one included ('all'). */
  protected async endSessions(which: { handle: string; device: string } | 'others' | 'all'): Promise<void> {
    const key = typeof which === 'string' ? which : which.handle;
    this.ending.set(key);
    this.sessionsStatus.set(null);
    this.sessionsError.set(null);
    try {
      const url = typeof which === 'string' ? `/api/v1/sessions?scope=${which}` : `/api/v1/sessions/${encodeURIComponent(which.handle)}`;
      await firstValueFrom(this.http.delete(url, { responseType: 'text' }));
      if (which === 'all') {
        await this.leave();
        return;
      }
      this.sessionsStatus.set(typeof which === 'string' ? 'Você saiu de todos os outros dispositivos.' : `Sessão encerrada: ${which.device}.`);
      await this.loadSessions();
    } catch (e) {
      const p = toProblem(e);
      if (p.status === 404) {
        this.sessionsStatus.set('Essa sessão já tinha sido encerrada.');
        await this.loadSessions();
      } else this.sessionsError.set(p.message || 'Não foi possível encerrar a sessão agora. Tente de novo.');
    } finally {
      this.ending.set(null);
    }
  }

  /** This device is signed out (by the customer, or by "Sair de todos os dispositivos"): to the sign-in page. */
  private async leave(): Promise<void> {
    this.live.stop();
    this.auth.markSignedOut();
    this.notifications.unread.set(null);
    await this.router.navigateByUrl('/entrar');
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
