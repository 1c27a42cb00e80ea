import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type {
  AccountView,
  AuditList,
  CustomerHit,
  DeadLetter,
  DeadLetterReplay,
  DeadLetterSource,
  DepositRequest,
  DepositRequestCreate,
  DepositStatus,
  KycApplication,
  KycPage,
  OperatorReason,
} from '@krt/contracts';

const ADMIN = '/api/v1/admin';

/** Drops empty filters, so the URL carries only what the operator set. */
const params = (raw: Record<string, string | number | null | undefined>) =>
  Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));

/** The back office's calls to the BFF (/api/v1/admin/*): one place for every page of /operacao. */
@Injectable({ providedIn: 'root' })
export class OperacaoApi {
  private readonly http = inject(HttpClient);

  kycQueue(status: string, cursor?: string | null, limit = 20): Promise<KycPage> {
    return firstValueFrom(this.http.get<KycPage>(`${ADMIN}/kyc/applications`, { params: params({ status, cursor, limit }) }));
  }

  kycApplication(id: string): Promise<KycApplication> {
    return firstValueFrom(this.http.get<KycApplication>(`${ADMIN}/kyc/applications/${encodeURIComponent(id)}`));
  }

  /** A KYC image (document or selfie) as a Blob: fetched with the anti-forgery header, shown through an object URL. */
  kycImage(id: string, kind: 'document' | 'selfie'): Promise<Blob> {
    return firstValueFrom(this.http.get(`${ADMIN}/kyc/applications/${encodeURIComponent(id)}/documents/${kind}`, { responseType: 'blob' }));
  }

  approveApplication(id: string, reason: string): Promise<KycApplication> {
    return firstValueFrom(this.http.post<KycApplication>(`${ADMIN}/kyc/applications/${encodeURIComponent(id)}/approve`, reason ? { reason } : {}));
  }

  rejectApplication(id: string, reason: string): Promise<KycApplication> {
    return firstValueFrom(this.http.post<KycApplication>(`${ADMIN}/kyc/applications/${encodeURIComponent(id)}/reject`, { reason }));
  }

  searchCustomers(query: { cpf?: string; name?: string }): Promise<{ items: CustomerHit[] }> {
    return firstValueFrom(this.http.get<{ items: CustomerHit[] }>(`${ADMIN}/customers`, { params: params(query) }));
  }

  account(query: { customerId?: string; accountId?: string }): Promise<AccountView> {
    return firstValueFrom(this.http.get<AccountView>(`${ADMIN}/accounts`, { params: params(query) }));
  }

  blockAccount(accountId: string, reason: string): Promise<AccountView> {
    return firstValueFrom(this.http.post<AccountView>(`${ADMIN}/accounts/${encodeURIComponent(accountId)}/block`, { reason }));
  }

  unblockAccount(accountId: string, reason: string): Promise<AccountView> {
    return firstValueFrom(this.http.post<AccountView>(`${ADMIN}/accounts/${encodeURIComponent(accountId)}/unblock`, { reason }));
  }

  deposits(status: DepositStatus): Promise<{ items: DepositRequest[] }> {
    return firstValueFrom(this.http.get<{ items: DepositRequest[] }>(`${ADMIN}/deposit-requests`, { params: { status } }));
  }

  /** `idempotencyKey`: the same for a retry of the same request, so a retried POST never makes a second request. */
  requestDeposit(body: DepositRequestCreate, idempotencyKey: string): Promise<DepositRequest> {
    return firstValueFrom(this.http.post<DepositRequest>(`${ADMIN}/deposit-requests`, body, { headers: { 'Idempotency-Key': idempotencyKey } }));
  }

  approveDeposit(id: string): Promise<DepositRequest> {
    return firstValueFrom(this.http.post<DepositRequest>(`${ADMIN}/deposit-requests/${encodeURIComponent(id)}/approve`, {}));
  }

  rejectDeposit(id: string, reason: string): Promise<DepositRequest> {
    return firstValueFrom(this.http.post<DepositRequest>(`${ADMIN}/deposit-requests/${encodeURIComponent(id)}/reject`, { reason }));
  }

  deadLetters(source: DeadLetterSource): Promise<{ items: DeadLetter[] }> {
    return firstValueFrom(this.http.get<{ items: DeadLetter[] }>(`${ADMIN}/dead-letters`, { params: { source } }));
  }

  replayDeadLetter(id: string, reason: string): Promise<{ replayed: boolean; alreadyReplayedAt?: string }> {
    return firstValueFrom(this.http.post<DeadLetterReplay>(`${ADMIN}/dead-letters/${encodeURIComponent(id)}/replay`, { reason } satisfies OperatorReason));
  }

  audit(filter: { actor?: string; action?: string; service?: string; from?: string; to?: string; cursor?: string | null; limit?: number }): Promise<AuditList> {
    return firstValueFrom(this.http.get<AuditList>(`${ADMIN}/audit`, { params: params(filter) }));
  }
}
