import { isPlatformBrowser } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, PLATFORM_ID, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { Subscription, filter, firstValueFrom } from 'rxjs';
import { fieldErrors, toProblem } from '../../core/api-error';
import { KEY_TYPE_LABEL } from '../../core/format';
import { LiveEventsService } from '../../core/live-events.service';
import type { Transfer, TransferAccepted, TransferStatus } from '@krt/contracts';
import { RouterLink } from '@angular/router';
import { BrlPipe, DataBrPipe } from '../../ui/pipes';
import { PinInputComponent, PinLock, pinControl, pinLockMessage, pinRefusal } from '../../ui/pin-input';
import { errorOf } from '../../ui/validators';
import type { PixDraft } from './pix-draft';
import { PixFundsService } from './pix-funds.service';
import { TransferReceiptComponent, type ReceiptTransfer } from './transfer-receipt.component';

const AMOUNT_CODES = /SALDO|INSUFFICIENT|LIMIT|AMOUNT/;

@Component({
  selector: 'krt-pix-flow',
  standalone: true,
  imports: [BrlPipe, DataBrPipe, RouterLink, ReactiveFormsModule, TransferReceiptComponent, PinInputComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './pix-flow.component.html',
  styleUrl: './pix-flow.component.css',
})
export class PixFlowComponent {
  private readonly http = inject(HttpClient);
  private readonly live = inject(LiveEventsService);
  private readonly funds = inject(PixFundsService);
  private readonly browser = isPlatformBrowser(inject(PLATFORM_ID));
  readonly draft = input.required<PixDraft>();
  /** PIX locked by wrong PINs when the page opened (GET /api/v1/pix/pin). */
  readonly lockedUntil = input<string | null>(null);
  /** Back to the form, with field errors when the bank refused something the form can fix. */
  readonly edit = output<Record<string, string>>();
  readonly restart = output<void>();
  /** The bank says the customer has no PIN yet: the page offers to create it. */
  readonly pinNotSet = output<void>();

  protected readonly phase = signal<'confirm' | 'status'>('confirm');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly transfer = signal<ReceiptTransfer | null>(null);
  protected readonly status = signal<TransferStatus>('PENDING');
  protected readonly failureReason = signal<string | null>(null);
  /** The receiver as the key lookup showed them, until the transfer's own answer carries the parties. */
  protected readonly receiverFallback = computed(() => {
    const r = this.draft().resolved;
    return { name: r.holderName, cpf: r.cpf, bank: r.bank };
  });
  protected readonly keyType = computed(() => KEY_TYPE_LABEL[this.draft().resolved.type] ?? 'Chave');
  private readonly idempotencyKey = uuid();
  protected readonly pin = pinControl();
  protected readonly pinSubmitted = signal(false);
  protected readonly pinServerError = signal<string | null>(null);
  protected readonly lock = new PinLock();
  private poll: ReturnType<typeof setTimeout> | undefined;
  private sub: Subscription | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.stopWatching();
      this.lock.clear();
    });
    this.pin.valueChanges.subscribe(() => this.pinServerError.set(null));
    effect(() => {
      const until = this.lockedUntil();
      if (until && Date.parse(until) > Date.now()) untracked(() => this.lock.set(pinLockMessage(until), until));
    });
  }

  protected pinError(): string | null {
    return this.pinServerError() ?? errorOf(this.pin, this.pinSubmitted());
  }

  protected async confirm(): Promise<void> {
    if (this.busy() || this.lock.message()) return;
    const d = this.draft();
    this.pinSubmitted.set(true);
    if (this.pin.invalid) {
      setTimeout(() => document.getElementById('pix-pin')?.focus());
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const body: Record<string, string> = { key: d.key, amount: d.amount, pin: this.pin.value };
      if (d.description) body['description'] = d.description;
      const accepted = await firstValueFrom(
        this.http.post<TransferAccepted>('/api/v1/pix/transfers', body, { headers: { 'Idempotency-Key': this.idempotencyKey } }),
      );
      this.transfer.set({ ...accepted, description: d.description });
      this.status.set(accepted.status ?? 'PENDING');
      this.phase.set('status');
      setTimeout(() => document.getElementById('pix-status-title')?.focus());
      this.watch(accepted.id);
    } catch (e) {
      const p = toProblem(e);
      const refusal = pinRefusal(p);
      if (refusal) {
        this.pin.reset();
        this.pinSubmitted.set(false);
        if (refusal.kind === 'not-set') this.pinNotSet.emit();
        else if (refusal.kind === 'locked') this.lock.set(refusal.message, refusal.until);
        else {
          this.pinServerError.set(refusal.message);
          setTimeout(() => document.getElementById('pix-pin')?.focus());
        }
        return;
      }
      const fields = fieldErrors(p);
      if (!Object.keys(fields).length && AMOUNT_CODES.test(p.code)) fields['amount'] = p.message;
      if (!Object.keys(fields).length && p.code === 'PIX_KEY_NOT_FOUND') fields['key'] = p.message;
      if (Object.keys(fields).length) this.edit.emit(fields);
      else this.error.set(p.message);
    } finally {
      this.busy.set(false);
    }
  }

  /** Live status from the BFF's server-sent events, with a slow poll as a safety net. */
  private watch(id: string): void {
    if (!this.browser) return;
    this.sub = this.live.pixStatus$.pipe(filter((e) => e.transferId === id)).subscribe((e) => {
      if (e.status !== 'PENDING') void this.settle(id);
    });
    const tick = async () => {
      await this.settle(id, true);
      if (this.status() === 'PENDING') this.poll = setTimeout(tick, 2000);
    };
    this.poll = setTimeout(tick, 1000);
  }

  private async settle(id: string, quiet = false): Promise<void> {
    try {
      const t = await firstValueFrom(this.http.get<Transfer>(`/api/v1/pix/transfers/${encodeURIComponent(id)}`));
      this.transfer.set(t);
      this.status.set(t.status);
      this.failureReason.set(t.failureReason ?? null);
      if (t.status !== 'PENDING') {
        this.stopWatching();
        void this.funds.refresh();
      }
    } catch (e) {
      if (!quiet) this.error.set(toProblem(e).message);
    }
  }

  private stopWatching(): void {
    clearTimeout(this.poll);
    this.sub?.unsubscribe();
  }

  protected print(): void {
    window.print();
  }
}

function uuid(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}
