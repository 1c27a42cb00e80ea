import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { Cpf } from '@krt/domain';
import { toProblem } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { formatBrl, parseBrlInput } from '../../core/format';
import { MaskDirective } from '../../ui/mask.directive';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { amountValidator, errorOf, requiredMsg } from '../../ui/validators';
import { OperacaoApi } from './operacao.api';
import type { DepositRequest, DepositStatus } from '@krt/contracts';
import { DEPOSIT_STATUS_LABEL, statusClass } from './operacao.models';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * /operacao/depositos: sandbox deposits under dual control. One operator requests (account by id or the customer's
 * CPF, amount, reason); a different operator approves or rejects; nothing moves before the approval. The requester
 * sees their own requests without the approve button (the bank refuses it anyway: 403 SAME_OPERATOR).
 */
@Component({
  selector: 'krt-deposits',
  standalone: true,
  imports: [ReactiveFormsModule, MaskDirective, BrlPipe, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Depósitos</h1>
      <form class="card" [formGroup]="form" (ngSubmit)="request()" novalidate aria-labelledby="deposit-request-title" data-testid="deposit-form">
        <h2 id="deposit-request-title">Solicitar depósito</h2>
        <p class="muted">Todo depósito precisa da aprovação de outro operador antes de o dinheiro entrar na conta.</p>
        <div class="row two">
          <div class="field">
            <label for="deposit-account">Conta ou CPF do cliente</label>
            <input id="deposit-account" type="text" autocomplete="off" formControlName="account" aria-describedby="deposit-account-hint deposit-account-error"
                   [attr.aria-invalid]="err('account') ? true : null" />
            <p class="hint" id="deposit-account-hint">O identificador da conta ou o CPF do titular.</p>
            @if (err('account'); as m) { <p class="error" id="deposit-account-error" role="alert">{{ m }}</p> }
          </div>
          <div class="field">
            <label for="deposit-amount">Valor (R$)</label>
            <input id="deposit-amount" type="text" inputmode="decimal" autocomplete="off" krtMask="amount" formControlName="amount" placeholder="0,00"
                   [attr.aria-describedby]="err('amount') ? 'deposit-amount-error' : null" [attr.aria-invalid]="err('amount') ? true : null" />
            @if (err('amount'); as m) { <p class="error" id="deposit-amount-error" role="alert">{{ m }}</p> }
          </div>
        </div>
        <div class="field">
          <label for="deposit-reason">Motivo</label>
          <input id="deposit-reason" type="text" maxlength="500" formControlName="reason" [attr.aria-describedby]="err('reason') ? 'deposit-reason-error' : null"
                 [attr.aria-invalid]="err('reason') ? true : null" />
          @if (err('reason'); as m) { <p class="error" id="deposit-reason-error" role="alert">{{ m }}</p> }
        </div>
        <div class="field">
          <label for="deposit-description">Descrição no extrato <span class="muted">(opcional)</span></label>
          <input id="deposit-description" type="text" maxlength="140" formControlName="description" />
        </div>
        @if (requestError(); as m) { <div class="alert error" role="alert" data-testid="deposit-request-error"><p>{{ m }}</p></div> }
        @if (requested(); as m) { <div class="alert ok" role="status" data-testid="deposit-requested"><p>{{ m }}</p></div> }
        <div class="btn-row"><button class="btn primary" type="submit" [disabled]="busy()">Solicitar depósito</button></div>
      </form>

      <div class="card">
        <div class="card-head">
          <h2 id="deposit-list-title">Solicitações</h2>
          <div class="field inline">
            <label for="deposit-status">Situação</label>
            <select id="deposit-status" [formControl]="status">
              @for (s of statuses; track s) { <option [value]="s">{{ label[s] }}</option> }
            </select>
          </div>
        </div>
        @if (listError(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
        @if (decided(); as m) { <div class="alert ok" role="status" data-testid="deposit-decided"><p>{{ m }}</p></div> }
        @if (items(); as list) {
          @if (list.length) {
            <ul class="requests" aria-labelledby="deposit-list-title">
              @for (d of list; track d.id) {
                <li class="request" data-testid="deposit-item" [attr.data-deposit-id]="d.id">
                  <div class="request-main">
                    <p><strong>{{ d.amount | brl }}</strong> para @if (d.holderName) { {{ d.holderName }}, } conta <span class="mono">{{ d.accountId }}</span></p>
                    <p class="muted small">Motivo: {{ d.reason }}@if (d.description) { · Extrato: {{ d.description }} }</p>
                    <p class="muted small">
                      Solicitado por {{ d.requestedByName || d.requestedBy }} em {{ d.requestedAt | dataBr: 'datetime' }}
                      @if (d.status === 'PENDING') { · expira em {{ d.expiresAt | dataBr: 'datetime' }} }
                    </p>
                    @if (d.decidedAt) {
                      <p class="muted small">{{ label[d.status] }} por {{ d.decidedByName || d.decidedBy }} em {{ d.decidedAt | dataBr: 'datetime' }}@if (d.decisionReason) { — {{ d.decisionReason }} }</p>
                    }
                    <span [class]="'status ' + cls(d.status)">{{ label[d.status] || d.status }}</span>
                  </div>
                  @if (d.status === 'PENDING') {
                    <div class="request-actions">
                      @if (mine(d)) {
                        <p class="alert info small" data-testid="own-request">Você solicitou este depósito: outro operador precisa aprová-lo.</p>
                      } @else {
                        <button class="btn primary" type="button" (click)="approve(d)" [disabled]="busy()" [attr.aria-label]="'Aprovar depósito de ' + (d.amount | brl)">Aprovar</button>
                      }
                      <div class="field">
                        <label [for]="'reject-' + d.id">Motivo da recusa</label>
                        <input [id]="'reject-' + d.id" type="text" maxlength="500" [formControl]="rejectReason(d.id)" />
                      </div>
                      <button class="btn danger" type="button" (click)="reject(d)" [disabled]="busy()" [attr.aria-label]="'Recusar depósito de ' + (d.amount | brl)">Recusar</button>
                    </div>
                  }
                  @if (rowErrors()[d.id]; as m) { <div class="alert error" role="alert" data-testid="deposit-error"><p>{{ m }}</p></div> }
                </li>
              }
            </ul>
          } @else {
            <p class="muted">Nenhuma solicitação nesta situação.</p>
          }
        } @else if (!listError()) {
          <div class="skeleton" aria-hidden="true"></div>
        }
      </div>
    </section>
  `,
  styles: [
    '.field.inline { flex-direction: row; align-items: center; gap: .5rem; }',
    '.field.inline select { width: auto; }',
    '.requests { list-style: none; margin: 0; padding: 0; }',
    '.request { display: flex; flex-wrap: wrap; gap: 1rem; justify-content: space-between; padding: .9rem 0; border-bottom: 1px solid #e5e7eb; }',
    '.request:last-child { border-bottom: 0; }',
    '.request p { margin: 0 0 .25rem; }',
    '.request-main { flex: 1 1 20rem; min-width: 0; }',
    '.request-actions { display: flex; flex-direction: column; gap: .5rem; flex: 0 1 18rem; }',
    '.request .alert { flex-basis: 100%; }',
  ],
})
export class DepositsComponent {
  private readonly api = inject(OperacaoApi);
  private readonly auth = inject(AuthService);
  protected readonly label = DEPOSIT_STATUS_LABEL;
  protected readonly cls = statusClass;
  protected readonly statuses: DepositStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED'];
  protected readonly status = new FormControl<DepositStatus>('PENDING', { nonNullable: true });
  protected readonly form = new FormGroup({
    account: new FormControl('', { nonNullable: true, validators: [requiredMsg('Informe a conta ou o CPF do cliente.')] }),
    amount: new FormControl('', { nonNullable: true, validators: [amountValidator()] }),
    reason: new FormControl('', { nonNullable: true, validators: [requiredMsg('Informe o motivo do depósito.')] }),
    description: new FormControl('', { nonNullable: true }),
  });
  private readonly rejectReasons = new Map<string, FormControl<string>>();
  protected readonly submitted = signal(false);
  protected readonly items = signal<DepositRequest[] | null>(null);
  protected readonly busy = signal(false);
  /** The Idempotency-Key of the request being filled in: kept across retries, new once the data changes or it went through. */
  private requestKey = crypto.randomUUID();
  protected readonly requestError = signal<string | null>(null);
  protected readonly requested = signal<string | null>(null);
  protected readonly listError = signal<string | null>(null);
  protected readonly decided = signal<string | null>(null);
  protected readonly rowErrors = signal<Record<string, string>>({});
  private readonly me = computed(() => this.auth.me()?.operator?.id ?? null);

  constructor() {
    void this.load();
    this.form.valueChanges.subscribe(() => (this.requestKey = crypto.randomUUID()));
    this.status.valueChanges.subscribe(() => {
      this.items.set(null);
      void this.load();
    });
  }

  protected mine(d: DepositRequest): boolean {
    return !!this.me() && d.requestedBy === this.me();
  }

  protected rejectReason(id: string): FormControl<string> {
    let c = this.rejectReasons.get(id);
    if (!c) this.rejectReasons.set(id, (c = new FormControl('', { nonNullable: true })));
    return c;
  }

  protected err(name: 'account' | 'amount' | 'reason'): string | null {
    const c = this.form.controls[name];
    return errorOf(c, this.submitted() || c.touched);
  }

  private async load(): Promise<void> {
    try {
      this.items.set((await this.api.deposits(this.status.value)).items);
      this.listError.set(null);
    } catch (e) {
      this.listError.set(toProblem(e).message);
    }
  }

  /** The account id typed, or the account of the customer whose CPF was typed. */
  private async accountIdOf(typed: string): Promise<string | null> {
    const v = typed.trim();
    if (UUID.test(v)) return v;
    const digits = v.replace(/\D/g, '');
    if (!/^[\d.\-\s]+$/.test(v) || !Cpf.isValid(digits)) return null;
    const { items } = await this.api.searchCustomers({ cpf: digits });
    const hit = items[0];
    if (!hit) return null;
    if (hit.accountId) return hit.accountId;
    return (await this.api.account({ customerId: hit.applicationId })).accountId;
  }

  protected async request(): Promise<void> {
    if (this.busy()) return;
    this.submitted.set(true);
    this.requestError.set(null);
    this.requested.set(null);
    if (this.form.invalid) {
      setTimeout(() => document.querySelector<HTMLElement>('krt-deposits [aria-invalid="true"]')?.focus());
      return;
    }
    const { account, amount, reason, description } = this.form.getRawValue();
    this.busy.set(true);
    try {
      const accountId = await this.accountIdOf(account);
      if (!accountId) {
        this.requestError.set('Conta não encontrada: informe o identificador da conta ou um CPF de cliente com conta aberta.');
        return;
      }
      const body: { accountId: string; amount: string; reason: string; description?: string } = { accountId, amount: parseBrlInput(amount)!, reason: reason.trim() };
      if (description.trim()) body.description = description.trim();
      const created = await this.api.requestDeposit(body, this.requestKey);
      this.requestKey = crypto.randomUUID();
      this.requested.set(`Depósito de ${this.brl(created.amount)} solicitado. Outro operador precisa aprová-lo.`);
      this.form.reset();
      this.submitted.set(false);
      if (this.status.value === 'PENDING') await this.load();
      else this.status.setValue('PENDING');
    } catch (e) {
      this.requestError.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }

  private brl(amount: string): string {
    return formatBrl(amount);
  }

  private setRowError(id: string, message: string | null): void {
    this.rowErrors.update((m) => {
      const next = { ...m };
      if (message) next[id] = message;
      else delete next[id];
      return next;
    });
  }

  protected async approve(d: DepositRequest): Promise<void> {
    await this.decide(d, () => this.api.approveDeposit(d.id), `Depósito de ${this.brl(d.amount)} aprovado: o valor já está na conta.`);
  }

  protected async reject(d: DepositRequest): Promise<void> {
    const reason = this.rejectReason(d.id).value.trim();
    if (reason.length < 3) {
      this.setRowError(d.id, 'Informe o motivo da recusa (ao menos 3 caracteres).');
      setTimeout(() => document.getElementById(`reject-${d.id}`)?.focus());
      return;
    }
    await this.decide(d, () => this.api.rejectDeposit(d.id, reason), `Depósito de ${this.brl(d.amount)} recusado.`);
  }

  private async decide(d: DepositRequest, call: () => Promise<DepositRequest>, done: string): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.decided.set(null);
    this.setRowError(d.id, null);
    try {
      await call();
      this.decided.set(done);
      await this.load();
    } catch (e) {
      this.setRowError(d.id, toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
