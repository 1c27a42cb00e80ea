// Shapes of the back office's API (/api/v1/admin/*, issue #19). Money is a decimal string ("1500.00").
import type { ApiMoney } from '../../core/models';

export type ApplicationStatus = 'PENDING_KYC' | 'PENDING_REVIEW' | 'APPROVED' | 'ACTIVE' | 'REJECTED';

export interface KycDecision {
  decision: string;
  decidedBy?: string | null;
  decidedByName?: string | null;
  reason?: string | null;
  decidedAt?: string | null;
}

/** One automatic check of an application (what it looked at, its result and why). */
export interface KycCheck {
  name?: string;
  check?: string;
  result?: string;
  status?: string;
  passed?: boolean;
  reason?: string | null;
  reasons?: string[];
  detail?: string | null;
}

export interface KycApplication {
  applicationId: string;
  status: ApplicationStatus;
  fullName: string;
  cpf?: string;
  cpfMasked?: string;
  birthDate?: string;
  email?: string;
  emailMasked?: string;
  phone?: string;
  phoneMasked?: string;
  address?: Record<string, string | null | undefined> | null;
  document?: { type?: string; number?: string; issuer?: string } | null;
  documents?: Array<{ kind: string; contentType?: string; sizeBytes?: number }> | null;
  reviewReasons?: string[] | null;
  /** What the automatic KYC decided and what each check found (onboarding's KycChecks). */
  automaticChecks?: { outcome: string; reason: string | null; checks: unknown; decidedAt?: string } | null;
  checks?: KycCheck[] | Record<string, unknown> | null;
  createdAt: string;
  decisions?: KycDecision[];
  decisionReason?: string | null;
}

export interface KycPage {
  items: KycApplication[];
  nextCursor: string | null;
}

export interface CustomerHit {
  /** Keycloak user id (null until the account is provisioned). */
  customerId: string | null;
  /** The application's id: also the KRT customer id, by which payments finds the account. */
  applicationId: string;
  fullName: string;
  cpfMasked?: string;
  email?: string;
  status: string;
  createdAt?: string;
  accountId?: string | null;
}

export interface AccountTransfer {
  id: string;
  direction: 'SENT' | 'RECEIVED' | string;
  amount: ApiMoney;
  counterpartyName?: string | null;
  status: string;
  createdAt: string;
}

export interface AccountView {
  accountId: string;
  customerId: string;
  holderName: string;
  status: 'ACTIVE' | 'BLOCKED' | string;
  blockedReason?: string | null;
  blockedAt?: string | null;
  balance: { posted: ApiMoney; available: ApiMoney };
  lastTransfers: AccountTransfer[];
}

export type DepositStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';

export interface DepositRequest {
  id: string;
  accountId: string;
  holderName?: string | null;
  amount: ApiMoney;
  description?: string | null;
  reason: string;
  status: DepositStatus;
  requestedBy: string;
  requestedByName?: string | null;
  requestedAt: string;
  expiresAt: string;
  decidedBy?: string | null;
  decidedByName?: string | null;
  decidedAt?: string | null;
  decisionReason?: string | null;
  journalId?: string | null;
}

export type DeadLetterSource = 'kafka' | 'rabbitmq';

export interface DeadLetter {
  id: string;
  source: DeadLetterSource;
  topic?: string;
  queue?: string;
  partition?: number;
  offset?: string | number;
  key?: string | null;
  originalTopic?: string | null;
  error?: string | null;
  failedAt?: string | null;
  payload: unknown;
  replayedAt?: string | null;
}

export interface AuditEntry {
  id: string | number;
  service: string;
  occurredAt: string;
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  reason?: string | null;
  correlationId?: string | null;
  details?: unknown;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
  partial?: string[];
}

export const APPLICATION_STATUS_LABEL: Record<string, string> = {
  PENDING_KYC: 'Em verificação automática',
  PENDING_REVIEW: 'Aguardando análise',
  APPROVED: 'Aprovada',
  ACTIVE: 'Ativa',
  REJECTED: 'Reprovada',
};

export const DEPOSIT_STATUS_LABEL: Record<string, string> = {
  PENDING: 'Aguardando aprovação',
  APPROVED: 'Aprovado',
  REJECTED: 'Recusado',
  EXPIRED: 'Expirado',
};

export const ACCOUNT_STATUS_LABEL: Record<string, string> = { ACTIVE: 'Ativa', BLOCKED: 'Bloqueada', CLOSED: 'Encerrada' };

export const TRANSFER_STATUS_LABEL: Record<string, string> = {
  PENDING: 'Em processamento',
  PROCESSING: 'Em processamento',
  COMPLETED: 'Concluído',
  FAILED: 'Não concluído',
  REJECTED: 'Recusado',
};

/** The status chip's class for a status. */
export function statusClass(status: string): 'ok' | 'pending' | 'err' {
  if (['ACTIVE', 'APPROVED'].includes(status)) return 'ok';
  if (['REJECTED', 'BLOCKED', 'EXPIRED', 'CLOSED'].includes(status)) return 'err';
  return 'pending';
}

export const REVIEW_REASON_LABEL: Record<string, string> = {
  WATCHLIST_PEP: 'Nome na lista de pessoas politicamente expostas (PEP)',
  WATCHLIST_SANCTIONS: 'Nome na lista de sanções',
  PREVIOUSLY_REJECTED: 'CPF, e-mail ou celular de um cadastro já reprovado',
  UNDERAGE: 'Menor de idade',
  CPF_INVALID: 'CPF inválido',
};
