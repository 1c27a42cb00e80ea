// The recorded history of a bank-invariant run and the final state read after it, as plain data (Jepsen style):
// every client operation is an invocation that ends `ok` (it took effect), `fail` (it certainly did not) or `info`
// (indeterminate: a timeout, a 5xx, a dropped connection — it may or may not have taken effect).
// Money is integer centavos (bigint) throughout.

export type Outcome = 'ok' | 'fail' | 'info';
export type TransferStatus = 'PENDING' | 'COMPLETED' | 'FAILED';

interface OpBase {
  /** The simulated client (worker) that ran the operation. */
  process: number;
  /** ms since the run started. */
  invokedAt: number;
  completedAt: number;
  outcome: Outcome;
  /** HTTP status, when there was an answer. */
  httpStatus?: number;
  /** The problem+json `code`, or the network error. */
  error?: string;
}

/**
 * POST /api/v1/pix/transfers from `from` to `to`'s key, or — with `refundOf` — POST /api/v1/pix/transfers/{refundOf}/refunds
 * (a devolução: `from` returns to `to`, the original's payer). `ok` = 202 with a transfer id.
 */
export interface TransferOp extends OpBase {
  type: 'transfer';
  from: string;
  to: string;
  amountCentavos: bigint;
  idempotencyKey: string;
  transferId?: string;
  refundOf?: string;
}

/** GET /api/v1/accounts/me/balance of `customer`. */
export interface BalanceRead extends OpBase {
  type: 'balance';
  customer: string;
  posted?: bigint;
  reserved?: bigint;
  available?: bigint;
}

/** GET /api/v1/accounts/me/statement of `customer` (first page). */
export interface StatementRead extends OpBase {
  type: 'statement';
  customer: string;
  items?: number;
}

/** GET /api/v1/pix/transfers/{id} by its payer: the status seen at that moment. */
export interface TransferStatusRead extends OpBase {
  type: 'transfer-status';
  customer: string;
  transferId: string;
  status?: TransferStatus;
}

export type Op = TransferOp | BalanceRead | StatementRead | TransferStatusRead;

/** A fault the schedule injected (for the report). */
export interface FaultRecord {
  name: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  detail?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Final state, read from the databases and through the BFF after the system quiesced.

export interface LedgerEntryRow {
  accountId: string;
  journalId: string;
  direction: 'DEBIT' | 'CREDIT';
  kind: 'DEPOSIT' | 'PIX_IN' | 'PIX_OUT' | 'PIX_REVERSAL';
  amountCentavos: bigint;
  transferId: string | null;
}

export interface StatementItem {
  type: 'CREDIT' | 'DEBIT';
  kind: LedgerEntryRow['kind'];
  amountCentavos: bigint;
  transferId: string | null;
}

export interface FinalCustomer {
  /** The customer id (the label the history uses in from/to/customer). */
  id: string;
  accountId: string;
  /** Funds deposited before the run. */
  initialCentavos: bigint;
  /** The account row in the payments database. */
  posted: bigint;
  reserved: bigint;
  /** The balance the BFF answered after quiescence. */
  api?: { posted: bigint; reserved: bigint; available: bigint };
  /** Every statement line the BFF answered after quiescence (all pages). */
  statement?: StatementItem[];
}

export interface FinalTransfer {
  id: string;
  payerCustomerId: string;
  receiverCustomerId: string;
  amountCentavos: bigint;
  status: TransferStatus;
  /** A devolução: the transfer it returns. */
  refundOf?: string | null;
}

export interface SagaEvent {
  eventId: string;
  type: 'pix.completed' | 'pix.failed';
  transferId: string;
}

export interface InAppNotification {
  eventId: string;
  customerId: string;
  kind: string;
}

export interface Delivery {
  eventId: string;
  channel: 'email' | 'sms' | 'push';
  customerId: string;
  status: 'sending' | 'failed' | 'delivered';
}

export interface OutboxRow {
  database: string;
  eventId: string;
  topic: string;
}

export interface FinalState {
  customers: FinalCustomer[];
  /** Every transfer in the database whose payer or receiver is one of the run's customers. */
  transfers: FinalTransfer[];
  /** Every ledger line of the run's accounts. */
  ledger: LedgerEntryRow[];
  /** pix.completed / pix.failed outbox rows of the run's transfers. */
  sagaEvents: SagaEvent[];
  inApp: InAppNotification[];
  deliveries: Delivery[];
  /** Outbox rows of the run's accounts and transfers still unpublished. */
  unpublishedOutbox: OutboxRow[];
}

export interface RunHistory {
  ops: Op[];
  faults: FaultRecord[];
}
