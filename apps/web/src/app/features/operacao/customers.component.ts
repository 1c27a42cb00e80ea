import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { Cpf } from '@krt/domain';
import { toProblem } from '../../core/api-error';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { OperacaoApi } from './operacao.api';
import type { AccountView, CustomerHit } from '@krt/contracts';
import { ACCOUNT_STATUS_LABEL, APPLICATION_STATUS_LABEL, TRANSFER_STATUS_LABEL, statusClass } from './operacao.models';

/** A typed CPF (with or without dots and dash) is searched exactly; anything else is a name prefix. */
export function customerQuery(text: string): { cpf: string } | { name: string } | null {
  const v = text.trim();
  if (!v) return null;
  if (/^[\d.\-\s]+$/.test(v)) return { cpf: v.replace(/\D/g, '') };
  return { name: v };
}

/** /operacao/clientes: find a customer by CPF or name; their account, balance and last transfers; block / unblock. */
@Component({
  selector: 'krt-customers',
  standalone: true,
  imports: [ReactiveFormsModule, BrlPipe, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>Clientes</h1>
      <div class="card">
        <form class="filters" [formGroup]="searchForm" (ngSubmit)="search()" novalidate role="search" aria-label="Buscar clientes">
          <div class="field">
            <label for="customer-query">CPF ou nome</label>
            <input id="customer-query" type="search" autocomplete="off" formControlName="query" aria-describedby="customer-query-hint"
                   [attr.aria-invalid]="queryError() ? true : null" />
            <p class="hint" id="customer-query-hint">CPF completo (busca exata) ou o começo do nome.</p>
            @if (queryError(); as m) { <p class="error" role="alert">{{ m }}</p> }
          </div>
          <button class="btn primary" type="submit" [disabled]="busy()">Buscar</button>
        </form>
      </div>
      @if (error(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
      @if (hits(); as list) {
        <div class="card" aria-live="polite">
          <h2>Resultado</h2>
          @if (list.length) {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Clientes encontrados">
              <table class="data-table" data-testid="customer-results">
                <caption class="sr-only">Clientes encontrados</caption>
                <thead><tr><th scope="col">Nome</th><th scope="col">CPF</th><th scope="col">E-mail</th><th scope="col">Cadastro</th><th scope="col"><span class="sr-only">Ações</span></th></tr></thead>
                <tbody>
                  @for (h of list; track h.applicationId) {
                    <tr data-testid="customer-row">
                      <td>{{ h.fullName }}</td>
                      <td class="nowrap">{{ h.cpfMasked || '—' }}</td>
                      <td>{{ h.email || '—' }}</td>
                      <td><span [class]="'status ' + cls(h.status)">{{ appLabel[h.status] || h.status }}</span></td>
                      <td>
                        @if (h.accountId || h.status === 'ACTIVE') {
                          <button class="btn secondary" type="button" (click)="open(h)" [attr.aria-label]="'Ver conta de ' + h.fullName">Ver conta</button>
                        }
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          } @else {
            <p class="muted">Nenhum cliente encontrado.</p>
          }
        </div>
      }
      @if (account(); as a) {
        <div class="card" data-testid="account-view">
          <div class="card-head">
            <h2 id="account-title">Conta de {{ a.holderName }}</h2>
            <span [class]="'status ' + cls(a.status)" data-testid="account-status">{{ accLabel[a.status] || a.status }}</span>
          </div>
          @if (notice(); as m) { <div class="alert ok" role="status" data-testid="account-notice"><p>{{ m }}</p></div> }
          <dl class="dl">
            <dt>Conta</dt><dd class="mono">{{ a.accountId }}</dd>
            <dt>Saldo contábil</dt><dd>{{ a.balance.posted | brl }}</dd>
            <dt>Saldo disponível</dt><dd data-testid="account-available">{{ a.balance.available | brl }}</dd>
            @if (a.status === 'BLOCKED') {
              <dt>Bloqueada em</dt><dd>{{ a.blockedAt | dataBr: 'datetime' }}</dd>
              <dt>Motivo</dt><dd>{{ a.blockedReason || '—' }}</dd>
            }
          </dl>
          <h3>Últimas transferências</h3>
          @if (a.lastTransfers.length) {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Últimas transferências">
              <table class="data-table">
                <caption class="sr-only">Últimas transferências da conta</caption>
                <thead><tr><th scope="col">Data</th><th scope="col">Tipo</th><th scope="col">Contraparte</th><th scope="col">Situação</th><th scope="col" class="num">Valor</th></tr></thead>
                <tbody>
                  @for (t of a.lastTransfers; track t.id) {
                    <tr>
                      <td class="nowrap">{{ t.createdAt | dataBr: 'datetime' }}</td>
                      <td>{{ t.direction === 'RECEIVED' ? 'Pix recebido' : 'Pix enviado' }}</td>
                      <td>{{ t.counterpartyName || '—' }}</td>
                      <td>{{ transferLabel[t.status] || t.status }}</td>
                      <td class="num">{{ t.amount | brl }}</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          } @else {
            <p class="muted">Nenhuma transferência.</p>
          }
          <form [formGroup]="blockForm" (ngSubmit)="toggleBlock(a)" novalidate class="block-form" [attr.aria-label]="a.status === 'BLOCKED' ? 'Desbloquear conta' : 'Bloquear conta'">
            <div class="field">
              <label for="block-reason">{{ a.status === 'BLOCKED' ? 'Motivo do desbloqueio' : 'Motivo do bloqueio' }}</label>
              <textarea id="block-reason" maxlength="500" formControlName="reason" [attr.aria-invalid]="reasonError() ? true : null"
                        aria-describedby="block-reason-hint block-reason-error"></textarea>
              <p class="hint" id="block-reason-hint">
                {{ a.status === 'BLOCKED' ? 'A conta volta a enviar e receber Pix.' : 'A conta deixa de enviar e receber Pix e o cliente é desconectado na hora.' }}
              </p>
              @if (reasonError(); as m) { <p class="error" id="block-reason-error" role="alert">{{ m }}</p> }
            </div>
            @if (actionError(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
            <div class="btn-row">
              @if (a.status === 'BLOCKED') {
                <button class="btn primary" type="submit" [disabled]="busy()">Desbloquear conta</button>
              } @else {
                <button class="btn danger" type="submit" [disabled]="busy()">Bloquear conta</button>
              }
            </div>
          </form>
        </div>
      }
    </section>
  `,
  styles: ['.block-form { margin-top: 1rem; padding-top: 1rem; border-top: 1px solid #e5e7eb; }', '.dl + h3 { margin-top: 1rem; }'],
})
export class CustomersComponent {
  private readonly api = inject(OperacaoApi);
  protected readonly cls = statusClass;
  protected readonly appLabel = APPLICATION_STATUS_LABEL;
  protected readonly accLabel = ACCOUNT_STATUS_LABEL;
  protected readonly transferLabel = TRANSFER_STATUS_LABEL;
  protected readonly searchForm = new FormGroup({ query: new FormControl('', { nonNullable: true }) });
  protected readonly blockForm = new FormGroup({ reason: new FormControl('', { nonNullable: true }) });
  protected readonly hits = signal<CustomerHit[] | null>(null);
  protected readonly account = signal<AccountView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly queryError = signal<string | null>(null);
  protected readonly reasonError = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected async search(): Promise<void> {
    const q = customerQuery(this.searchForm.controls.query.value);
    this.queryError.set(null);
    if (!q) return this.queryError.set('Informe um CPF ou o começo de um nome.');
    if ('cpf' in q && !Cpf.isValid(q.cpf)) return this.queryError.set('CPF inválido: confira os 11 números.');
    if ('name' in q && q.name.length < 2) return this.queryError.set('Informe ao menos 2 letras do nome.');
    this.busy.set(true);
    this.account.set(null);
    try {
      const { items } = await this.api.searchCustomers(q);
      this.hits.set(items);
      this.error.set(null);
      // One exact hit (a CPF): its account at once.
      if (items.length === 1 && (items[0]!.accountId || items[0]!.status === 'ACTIVE')) await this.open(items[0]!);
    } catch (e) {
      this.error.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async open(hit: CustomerHit): Promise<void> {
    this.notice.set(null);
    this.actionError.set(null);
    try {
      this.account.set(await this.api.account(hit.accountId ? { accountId: hit.accountId } : { customerId: hit.applicationId }));
      this.error.set(null);
    } catch (e) {
      const p = toProblem(e);
      this.error.set(p.status === 404 ? 'Este cliente ainda não tem conta aberta.' : p.message);
    }
  }

  protected async toggleBlock(a: AccountView): Promise<void> {
    if (this.busy()) return;
    const reason = this.blockForm.controls.reason.value.trim();
    this.reasonError.set(null);
    this.actionError.set(null);
    this.notice.set(null);
    if (reason.length < 3) {
      this.reasonError.set('Informe o motivo (ao menos 3 caracteres).');
      setTimeout(() => document.getElementById('block-reason')?.focus());
      return;
    }
    this.busy.set(true);
    try {
      const blocking = a.status !== 'BLOCKED';
      const view = blocking ? await this.api.blockAccount(a.accountId, reason) : await this.api.unblockAccount(a.accountId, reason);
      this.account.set({ ...a, ...view, lastTransfers: view.lastTransfers ?? a.lastTransfers, balance: view.balance ?? a.balance });
      this.blockForm.controls.reason.setValue('');
      this.notice.set(blocking ? 'Conta bloqueada. O cliente foi desconectado e não pode enviar nem receber Pix.' : 'Conta desbloqueada.');
    } catch (e) {
      this.actionError.set(toProblem(e).message);
    } finally {
      this.busy.set(false);
    }
  }
}
