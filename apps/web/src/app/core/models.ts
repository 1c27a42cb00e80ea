// Shapes of the BFF API (docs/api-contract.md). Money is always a decimal string ("1500.00").

export type ApiMoney = string;

export interface Me {
  authenticated: boolean;
  customerId?: string;
  name?: string;
  cpf?: string;
  roles?: string[];
  sessionExpiresAt?: string;
  /** Only for an operator's session (realm role admin): their Keycloak user id and user name. */
  operator?: { id: string; username: string | null };
}

export interface Balance {
  accountId?: string;
  available: ApiMoney;
  posted?: ApiMoney;
  reserved?: ApiMoney;
  currency?: 'BRL';
  asOf?: string;
}

export type StatementKind = 'PIX_IN' | 'PIX_OUT' | 'DEPOSIT' | 'PIX_REVERSAL' | string;

export interface StatementItem {
  id: string;
  occurredAt: string;
  type: 'CREDIT' | 'DEBIT';
  kind: StatementKind;
  amount: ApiMoney;
  description?: string | null;
  counterpartyName?: string | null;
  transferId?: string | null;
  endToEndId?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface BalancePoint {
  date: string;
  balance: ApiMoney;
}

export interface CategoryAmount {
  category: string;
  amount: ApiMoney;
}

/** GET /api/v1/dashboard: the BFF's fan-out; any part may be missing and is then listed in `partial`. */
export interface Dashboard {
  balance?: Balance | null;
  recent?: StatementItem[] | null;
  monthInOut?: { in?: ApiMoney; out?: ApiMoney; monthIn?: ApiMoney; monthOut?: ApiMoney } | null;
  spendingByCategory?: CategoryAmount[] | null;
  balanceSeries?: BalancePoint[] | null;
  unreadNotifications?: number | { count: number } | null;
  customer?: { fullName: string; firstName: string } | null;
  partial?: string[];
}

export interface Account {
  accountId: string;
  customerId: string;
  holderName: string;
  agency: string;
  number: string;
  status: string;
  createdAt: string;
}

export interface Limits {
  perTransaction: ApiMoney;
  daily: ApiMoney;
  night: ApiMoney;
  nightWindow?: { start: string; end: string };
  maxima?: { perTransaction?: ApiMoney; daily?: ApiMoney; night?: ApiMoney };
}

export type PixKeyType = 'CPF' | 'EMAIL' | 'PHONE' | 'EVP';

export interface PixKeyItem {
  id: string;
  type: PixKeyType;
  value: string;
  createdAt: string;
}

export interface PixKeyList {
  items: PixKeyItem[];
  max: number;
}

export interface ResolvedKey {
  key: string;
  type: PixKeyType;
  holderName: string;
  cpf?: string;
  bank: string;
  ispb?: string;
  agency?: string;
  account?: string;
}

export type TransferStatus = 'PENDING' | 'COMPLETED' | 'FAILED';

export interface PartyView {
  name?: string;
  holderName?: string;
  cpf?: string;
  bank?: string;
  agency?: string;
  account?: string;
  key?: string;
}

export interface Transfer {
  id: string;
  /** From the reader's side: a PIX they sent or one they received. */
  direction?: 'SENT' | 'RECEIVED';
  status: TransferStatus;
  failureReason?: string | null;
  failureCode?: string | null;
  amount: ApiMoney;
  description?: string | null;
  endToEndId: string;
  payer?: PartyView;
  receiver?: PartyView;
  createdAt: string;
  completedAt?: string | null;
  failedAt?: string | null;
  /** "PIX" for a PIX, "REFUND" for a devolução (a return of part or all of a received PIX to its payer). */
  kind?: 'PIX' | 'REFUND';
  /** On a devolução: the id of the PIX it returns. */
  refundOf?: string | null;
  /** On an original: the sum of its returns that did not fail ("0.00" when none). */
  refundedAmount?: ApiMoney;
  /** On an original: its returns, in the order they were made. */
  refunds?: TransferRefund[];
  /** Only when the reader received this completed PIX and may still return it: what can still be returned (may be "0.00"). */
  refundableAmount?: ApiMoney;
  /** With refundableAmount: the first instant at which the PIX can no longer be returned. */
  refundDeadline?: string;
}

/** One devolução of a PIX, as its original lists it. */
export interface TransferRefund {
  id: string;
  amount: ApiMoney;
  status: TransferStatus;
  createdAt: string;
  endToEndId: string;
}

export interface Customer {
  customerId: string;
  fullName: string;
  cpf: string;
  email: string;
  phone: string;
  address?: {
    cep?: string;
    street?: string;
    number?: string;
    complement?: string | null;
    neighborhood?: string;
    city?: string;
    state?: string;
  } | null;
  status: string;
  createdAt: string;
}

export type RegistrationStatus = 'PENDING_KYC' | 'PENDING_REVIEW' | 'APPROVED' | 'ACTIVE' | 'REJECTED';

export interface Registration {
  applicationId: string;
  status: RegistrationStatus;
  reason?: string | null;
  statusToken?: string;
}

export interface NotificationItem {
  id: string;
  title: string;
  body: string;
  kind: string;
  createdAt: string;
  readAt?: string | null;
}

export interface PixStatusEvent {
  transferId: string;
  status: TransferStatus;
  failureReason?: string | null;
}

/** GET /api/v1/pix/pin: the customer's transaction PIN, never its value. */
export interface TransactionPinStatus {
  status: 'NOT_SET' | 'ACTIVE' | 'LOCKED';
  attemptsLeft: number;
  lockedUntil: string | null;
}
