import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal, viewChild } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { TransactionPinStatus } from '@krt/contracts';
import { IconComponent } from '../../ui/icon.component';
import { PixCopyPasteComponent } from './pix-copy-paste.component';
import type { PixDraft } from './pix-draft';
import { PixFlowComponent } from './pix-flow.component';
import { PixFundsService } from './pix-funds.service';
import { PinSetupComponent } from './pin-setup.component';
import { PixReceiveComponent } from './pix-receive.component';
import { PixSendComponent } from './pix-send.component';

type Tab = 'enviar' | 'copia-e-cola' | 'receber';
const TABS: { id: Tab; label: string }[] = [
  { id: 'enviar', label: 'Enviar por chave' },
  { id: 'copia-e-cola', label: 'Pix Copia e Cola' },
  { id: 'receber', label: 'Receber' },
];

@Component({
  selector: 'krt-pix',
  standalone: true,
  imports: [RouterLink, IconComponent, PixSendComponent, PixCopyPasteComponent, PixReceiveComponent, PixFlowComponent, PinSetupComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <div class="page-head no-print">
        <h1>Pix</h1>
        <div class="btn-row">
          <a class="btn ghost" routerLink="/pix/historico">Histórico</a>
          <a class="btn ghost" routerLink="/pix/chaves"><krt-icon name="key" [size]="18" /> Minhas chaves</a>
        </div>
      </div>
      @if (!draft()) {
        <div class="tabs no-print" role="tablist" aria-label="O que você quer fazer">
          @for (t of tabs; track t.id) {
            <button type="button" role="tab" [id]="'tab-' + t.id" [attr.aria-selected]="tab() === t.id" [attr.aria-controls]="'painel-' + t.id"
                    [attr.tabindex]="tab() === t.id ? 0 : -1" (click)="select(t.id)" (keydown)="onTabKey($event)">{{ t.label }}</button>
          }
        </div>
      }
      <div class="card" role="tabpanel" [id]="'painel-' + tab()" [attr.aria-labelledby]="draft() ? null : 'tab-' + tab()">
        @if (pinCreatedNotice()) { <div class="alert ok" role="status" data-testid="pin-created"><p>Senha de transação criada. Use-a para confirmar seus Pix.</p></div> }
        @if (pinMissing() && tab() !== 'receber') {
          <section aria-labelledby="pin-create-title" data-testid="pin-create">
            <h2 id="pin-create-title" tabindex="-1">Crie sua senha de transação</h2>
            <p class="muted">Antes do seu primeiro Pix, crie a senha de 4 números que confirma cada Pix, devolução e mudança de limite.
              Ela é diferente da senha de entrada e só você a conhece.</p>
            <krt-pin-setup (done)="pinCreated()" />
          </section>
        } @else {
          @if (draft(); as d) {
            <krt-pix-flow [draft]="d" [lockedUntil]="lockedUntil()" (edit)="backToForm($event)" (restart)="restart()" (pinNotSet)="pinMissing.set(true)" />
          } @else {
            @switch (tab()) {
              @case ('enviar') { <krt-pix-send #send [initial]="lastDraft()" (ready)="draft.set($event)" /> }
              @case ('copia-e-cola') {
                @if (flowError(); as m) { <div class="alert error" role="alert"><p>{{ m }}</p></div> }
                <krt-pix-copy-paste (ready)="draft.set($event)" />
              }
              @case ('receber') { <krt-pix-receive /> }
            }
          }
        }
      </div>
    </section>
  `,
})
export class PixComponent {
  private readonly router = inject(Router);
  private readonly http = inject(HttpClient);
  private readonly funds = inject(PixFundsService);
  /** ?aba=enviar|copia-e-cola|receber */
  readonly aba = input<string | undefined>();
  protected readonly tabs = TABS;
  private readonly chosen = signal<Tab | null>(null);
  protected readonly tab = computed<Tab>(() => this.chosen() ?? (TABS.some((t) => t.id === this.aba()) ? (this.aba() as Tab) : 'enviar'));
  protected readonly draft = signal<PixDraft | null>(null);
  protected readonly lastDraft = signal<PixDraft | null>(null);
  protected readonly flowError = signal<string | null>(null);
  private readonly send = viewChild<PixSendComponent>('send');
  /** Customers from before the PIN create it here, before their first PIX. */
  protected readonly pinMissing = signal(false);
  /** PIX already locked by wrong PINs when the page opened. */
  protected readonly lockedUntil = signal<string | null>(null);
  protected readonly pinCreatedNotice = signal(false);

  constructor() {
    void this.funds.refresh();
    void this.loadPin();
  }

  private async loadPin(): Promise<void> {
    try {
      const pin = await firstValueFrom(this.http.get<TransactionPinStatus>('/api/v1/pix/pin'));
      this.pinMissing.set(pin.status === 'NOT_SET');
      this.lockedUntil.set(pin.status === 'LOCKED' ? pin.lockedUntil : null);
    } catch {
      // The confirmation still learns it from the bank's answer (PIN_NOT_SET, PIN_LOCKED).
    }
  }

  protected pinCreated(): void {
    this.pinMissing.set(false);
    this.pinCreatedNotice.set(true);
    setTimeout(() => document.querySelector<HTMLElement>(this.draft() ? '#pix-pin' : '#painel-' + this.tab() + ' input')?.focus());
  }

  protected select(tab: Tab): void {
    this.chosen.set(tab);
    this.flowError.set(null);
    void this.router.navigate([], { queryParams: { aba: tab }, replaceUrl: true });
  }

  protected onTabKey(event: KeyboardEvent): void {
    const i = TABS.findIndex((t) => t.id === this.tab());
    let next = i;
    if (event.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    else return;
    event.preventDefault();
    const id = TABS[next]!.id;
    this.select(id);
    setTimeout(() => document.getElementById(`tab-${id}`)?.focus());
  }

  protected backToForm(errors: Record<string, string>): void {
    const d = this.draft();
    this.lastDraft.set(d);
    this.draft.set(null);
    if (d?.origin === 'brcode') {
      this.flowError.set(Object.values(errors)[0] ?? null);
      return;
    }
    if (Object.keys(errors).length) setTimeout(() => this.send()?.setServerErrors(errors));
  }

  protected restart(): void {
    this.draft.set(null);
    this.lastDraft.set(null);
    this.flowError.set(null);
    void this.funds.refresh();
  }
}
