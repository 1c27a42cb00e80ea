import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { centavosOf } from '../../core/format';
import type { Party, Transfer } from '@krt/contracts';

type Known = 'id' | 'status' | 'amount' | 'endToEndId' | 'createdAt';
/** A PIX as its receipt shows it: the whole transfer, or what its creation answered (202, no parties yet) and its message. */
export type ReceiptTransfer = Pick<Transfer, Known> & Partial<Omit<Transfer, Known>>;
import { BrlPipe, DataBrPipe } from '../../ui/pipes';

/** The BACEN-style receipt of one PIX: amount, when, situation, both parties, message and the EndToEndId. */
@Component({
  selector: 'krt-transfer-receipt',
  standalone: true,
  imports: [BrlPipe, DataBrPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (transfer(); as t) {
    <div class="card receipt-card" data-testid="transfer-receipt">
      <h3>{{ t.kind === 'REFUND' ? 'Comprovante de devolução Pix' : 'Comprovante Pix' }}</h3>
      <p class="confirm-amount" data-testid="receipt-amount">{{ t.amount | brl }}</p>
      <dl class="dl">
        <dt>Data</dt><dd>{{ (t.completedAt || t.failedAt || t.createdAt) | dataBr: 'datetime' }}</dd>
        <dt>Situação</dt><dd data-testid="receipt-situation">{{ situation() }}</dd>
        @if (refunded()) { <dt>Valor devolvido</dt><dd data-testid="receipt-refunded">{{ t.refundedAmount | brl }}</dd> }
        <dt>Para</dt><dd data-testid="receipt-receiver">{{ receiver().name }}</dd>
        @if (receiver().cpf) { <dt>CPF</dt><dd>{{ receiver().cpf }}</dd> }
        @if (receiver().bank) { <dt>Instituição</dt><dd>{{ receiver().bank }}</dd> }
        @if (receiver().agency) { <dt>Agência e conta</dt><dd>{{ receiver().agency }} · {{ receiver().account }}</dd> }
        @if (t.payer?.name) { <dt>De</dt><dd data-testid="receipt-payer">{{ t.payer?.name }}{{ t.payer?.cpf ? ' · ' + t.payer?.cpf : '' }}</dd> }
        @if (t.description) { <dt>Mensagem</dt><dd>{{ t.description }}</dd> }
        <dt>{{ t.kind === 'REFUND' ? 'ID da devolução' : 'ID da transação' }}</dt><dd class="mono" data-testid="end-to-end-id">{{ t.endToEndId }}</dd>
      </dl>
    </div>
    }
  `,
  styles: [
    '.confirm-amount { font-size: 1.9rem; font-weight: 700; margin: .25rem 0 1rem; }',
    '.receipt-card { box-shadow: none; }',
    '.receipt-card h3 { text-transform: uppercase; letter-spacing: .06em; font-size: .8rem; color: var(--ink-2); }',
    'dd { overflow-wrap: anywhere; }',
  ],
})
export class TransferReceiptComponent {
  readonly transfer = input.required<ReceiptTransfer>();
  /** What the sender already knows about the receiver, until the bank's own answer has the parties. */
  readonly receiverFallback = input<Partial<Party> | null>(null);
  protected readonly receiver = computed<Partial<Party>>(() => this.transfer().receiver ?? this.receiverFallback() ?? {});
  protected readonly situation = computed(() => situationOf(this.transfer()));
  /** A PIX of which some part was returned. */
  protected readonly refunded = computed(() => (centavosOf(this.transfer().refundedAmount) ?? 0n) > 0n);
}

export const SITUATION = { COMPLETED: 'Concluído', FAILED: 'Não concluído', PENDING: 'Em processamento' } as const;
/** The same, for a devolução ("a devolução está concluída"). */
export const REFUND_SITUATION = { COMPLETED: 'Concluída', FAILED: 'Não concluída', PENDING: 'Em processamento' } as const;

export function situationOf(t: Pick<ReceiptTransfer, 'status' | 'kind'>): string {
  return (t.kind === 'REFUND' ? REFUND_SITUATION : SITUATION)[t.status];
}
