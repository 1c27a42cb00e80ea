import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import type { TransactionPinStatus } from '@krt/contracts';
import { saoPauloTime } from '../../ui/pin-input';
import { ConfirmPasswordComponent } from '../../ui/confirm-password.component';
import { PinSetupComponent } from '../pix/pin-setup.component';

/**
 * /perfil/senha-de-transacao: change the transaction PIN after confirming the password on Keycloak's page (the bank
 * accepts the change only within minutes of it), or create it when the customer has none yet.
 */
@Component({
  selector: 'krt-transaction-pin',
  standalone: true,
  imports: [RouterLink, PinSetupComponent, ConfirmPasswordComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <h1>Senha de transação</h1>
      <div class="card">
        @if (done(); as m) {
          <div class="alert ok" role="status" data-testid="pin-saved"><p>{{ m }}</p></div>
          <div class="btn-row"><a class="btn primary" routerLink="/perfil">Voltar ao perfil</a></div>
        } @else {
          @if (status(); as s) {
            @if (s.status === 'NOT_SET') {
              <h2 id="pin-step" tabindex="-1">Crie sua senha de transação</h2>
              <p class="muted">Os 4 números que confirmam cada Pix, devolução e mudança de limite. Ela é diferente da senha de entrada.</p>
              <krt-pin-setup (done)="saved('Senha de transação criada.')" />
            } @else if (confirmed()) {
              <h2 id="pin-step" tabindex="-1">Escolha a nova senha de transação</h2>
              @if (s.status === 'LOCKED') {
                <p class="muted">O Pix está bloqueado até {{ lockedAt() }} por tentativas erradas. A nova senha desbloqueia na hora.</p>
              }
              <krt-pin-setup mode="change" (done)="saved('Senha de transação alterada. Use a nova senha no seu próximo Pix.')" (reauthenticate)="askAgain($event)" />
            } @else {
              <krt-confirm-password page="/perfil/senha-de-transacao" purpose="alterar a senha de transação" headingId="pin-step" [notice]="notice()" />
            }
          } @else {
            @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> } @else { <div class="skeleton"></div> }
          }
        }
      </div>
    </section>
  `,
})
export class TransactionPinComponent {
  private readonly http = inject(HttpClient);
  /** ?confirmada=1: back from Keycloak's password page (the bank itself checks how recent that was). */
  readonly confirmada = input<string | undefined>();
  protected readonly status = signal<TransactionPinStatus | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  private readonly expired = signal(false);
  protected readonly confirmed = computed(() => this.confirmada() === '1' && !this.expired());
  protected readonly lockedAt = computed(() => {
    const until = this.status()?.lockedUntil;
    return until ? saoPauloTime(until) : '';
  });

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.status.set(await firstValueFrom(this.http.get<TransactionPinStatus>('/api/v1/pix/pin')));
    } catch (e) {
      this.error.set(toProblem(e).message);
    }
  }

  protected saved(message: string): void {
    this.done.set(message);
  }

  /** 403 REAUTHENTICATION_REQUIRED: the password was confirmed too long ago (or not at all). */
  protected askAgain(message: string): void {
    this.notice.set(message || 'Confirme sua senha para alterar a senha de transação.');
    this.expired.set(true);
    setTimeout(() => document.getElementById('pin-step')?.focus());
  }
}
