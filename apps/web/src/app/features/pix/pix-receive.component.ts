import { isPlatformBrowser } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, PLATFORM_ID, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Money, buildStaticBrCode } from '@krt/domain';
import { firstValueFrom } from 'rxjs';
import { toProblem } from '../../core/api-error';
import { KEY_TYPE_LABEL, parseBrlInput } from '../../core/format';
import type { Account, Customer, PixKeyItem, PixKeyList } from '@krt/contracts';
import { MaskDirective } from '../../ui/mask.directive';
import { BrlPipe } from '../../ui/pipes';

@Component({
  selector: 'krt-pix-receive',
  standalone: true,
  imports: [ReactiveFormsModule, RouterLink, MaskDirective, BrlPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loading()) {
      <p class="muted"><span class="spinner" aria-hidden="true"></span> Carregando suas chaves…</p>
    } @else if (loadError()) {
      <div class="alert error" role="alert"><p>{{ loadError() }}</p></div>
    } @else if (!keys().length) {
      <div class="alert info">
        <p>Para receber com QR Code você precisa de uma chave Pix.</p>
        <a class="btn primary" routerLink="/pix/chaves">Cadastrar uma chave</a>
      </div>
    } @else {
      <form [formGroup]="form" (ngSubmit)="generate()" novalidate>
        <div class="field">
          <label for="rx-key">Chave que vai receber</label>
          <select id="rx-key" formControlName="key">
            @for (k of keys(); track k.id) { <option [value]="k.value">{{ label(k) }}: {{ k.value }}</option> }
          </select>
        </div>
        <div class="field">
          <label for="rx-amount">Valor (R$) <span class="muted">(opcional)</span></label>
          <input id="rx-amount" type="text" inputmode="decimal" krtMask="amount" formControlName="amount" placeholder="Deixe em branco para valor livre"
                 [attr.aria-invalid]="amountError() ? true : null" aria-describedby="rx-amount-error" />
          @if (amountError(); as m) { <p class="error" id="rx-amount-error">{{ m }}</p> }
        </div>
        <div class="field">
          <label for="rx-desc">Mensagem <span class="muted">(opcional)</span></label>
          <input id="rx-desc" type="text" maxlength="40" formControlName="description" />
        </div>
        <button class="btn primary" type="submit">Gerar QR Code</button>
      </form>
      @if (code(); as c) {
        <section class="qr-box" aria-labelledby="qr-title" data-testid="qr-result">
          <h3 id="qr-title">Seu QR Code Pix{{ amountShown() ? ' de ' + (amountShown() | brl) : '' }}</h3>
          @if (qr(); as src) { <img [src]="src" width="240" height="240" alt="QR Code Pix para pagar com o aplicativo do banco" /> }
          <label class="label" for="rx-code">Pix Copia e Cola</label>
          <textarea id="rx-code" readonly rows="4" class="mono" data-testid="brcode-output">{{ c }}</textarea>
          <div class="btn-row">
            <button class="btn secondary" type="button" (click)="copy()">Copiar código</button>
          </div>
          <p class="small" role="status" aria-live="polite">{{ copied() ? 'Código copiado!' : '' }}</p>
        </section>
      }
    }
  `,
  styles: [
    '.qr-box { margin-top: 1.25rem; display: flex; flex-direction: column; gap: .5rem; align-items: flex-start; }',
    '.qr-box img { border: 1px solid var(--line); border-radius: 12px; background: #fff; padding: 8px; }',
    '.qr-box textarea { font-size: .8rem; }',
  ],
})
export class PixReceiveComponent {
  private readonly http = inject(HttpClient);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  protected readonly keys = signal<PixKeyItem[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly code = signal<string | null>(null);
  protected readonly qr = signal<string | null>(null);
  protected readonly amountShown = signal<string | null>(null);
  protected readonly amountError = signal<string | null>(null);
  protected readonly copied = signal(false);
  private holder = 'Cliente KRT';
  private city = 'SAO PAULO';
  protected readonly form = new FormGroup({
    key: new FormControl('', { nonNullable: true }),
    amount: new FormControl('', { nonNullable: true }),
    description: new FormControl('', { nonNullable: true }),
  });
  protected readonly label = (k: PixKeyItem) => KEY_TYPE_LABEL[k.type] ?? k.type;

  constructor() {
    void this.load();
    this.form.valueChanges.subscribe(() => {
      this.copied.set(false);
      this.amountError.set(null);
    });
  }

  private async load(): Promise<void> {
    try {
      const [keys, account, customer] = await Promise.allSettled([
        firstValueFrom(this.http.get<PixKeyList>('/api/v1/pix/keys')),
        firstValueFrom(this.http.get<Account>('/api/v1/accounts/me')),
        firstValueFrom(this.http.get<Customer>('/api/v1/customers/me')),
      ]);
      if (keys.status === 'rejected') throw keys.reason;
      this.keys.set(keys.value.items);
      if (keys.value.items[0]) this.form.controls.key.setValue(keys.value.items[0].value);
      if (account.status === 'fulfilled' && account.value.holderName) this.holder = account.value.holderName;
      else if (customer.status === 'fulfilled' && customer.value.fullName) this.holder = customer.value.fullName;
      if (customer.status === 'fulfilled' && customer.value.address?.city) this.city = customer.value.address.city;
    } catch (e) {
      this.loadError.set(toProblem(e).message);
    } finally {
      this.loading.set(false);
    }
  }

  protected async generate(): Promise<void> {
    const { key, amount, description } = this.form.getRawValue();
    // A code that no longer matches the form never stays on screen beside an error.
    this.code.set(null);
    this.qr.set(null);
    this.amountShown.set(null);
    let money: Money | undefined;
    if (amount.trim()) {
      const api = parseBrlInput(amount);
      const parsed = api ? Money.parse(api) : null;
      if (!parsed || !parsed.ok || !parsed.value.isPositive()) {
        this.amountError.set('Valor inválido. Use, por exemplo, 25,00, ou deixe em branco.');
        return;
      }
      money = parsed.value;
    }
    const built = buildStaticBrCode({ key, merchantName: this.holder, merchantCity: this.city, amount: money, description: description.trim() || undefined });
    if (!built.ok) {
      this.amountError.set(built.error.message);
      return;
    }
    this.code.set(built.value);
    this.amountShown.set(money ? money.toApiString() : null);
    this.qr.set(null);
    if (this.browser) {
      try {
        // qrcode is CommonJS: its API may arrive as the module or as its default export.
        const mod = (await import('qrcode')) as typeof import('qrcode') & { default?: typeof import('qrcode') };
        const QRCode = mod.default ?? mod;
        this.qr.set(await QRCode.toDataURL(built.value, { errorCorrectionLevel: 'M', margin: 1, width: 240 }));
      } catch {
        this.qr.set(null); // the code itself is still there to copy
      }
    }
  }

  protected async copy(): Promise<void> {
    const c = this.code();
    if (!c) return;
    try {
      await navigator.clipboard.writeText(c);
    } catch {
      const el = document.getElementById('rx-code') as HTMLTextAreaElement | null;
      el?.select();
      document.execCommand('copy');
    }
    this.copied.set(true);
  }
}
