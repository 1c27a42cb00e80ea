// Money for test customers through the only door operators have (issue #19): a sandbox deposit requested by one
// operator (`operador`) and approved by a second one (`supervisora`), straight to the payments API. One helper for
// every TypeScript caller (integration, reliability and e2e tests, bench), instead of copies.
import { passwordGrant } from './keycloak-admin';

/** The realm's two operators (infra/keycloak/krt-bank-realm.json; realm role admin): the maker and the checker. */
export const OPERATORS = {
  maker: { username: 'operador', password: 'Operador@2026' },
  checker: { username: 'supervisora', password: 'Supervisora@2026' },
} as const;
export type OperatorRole = keyof typeof OPERATORS;

const TOKEN_REUSE_MS = 60_000;
const tokens = new Map<OperatorRole, { token: Promise<string>; at: number }>();

/**
 * An operator's access token, reused for a minute. Single-flight: concurrent callers share one password grant (Keycloak
 * refuses concurrent grants of one user while brute-force protection is on, and the operators must never be locked).
 */
export function operatorToken(role: OperatorRole = 'maker'): Promise<string> {
  const cached = tokens.get(role);
  if (cached && Date.now() - cached.at < TOKEN_REUSE_MS) return cached.token;
  const { username, password } = OPERATORS[role];
  const token = passwordGrant(username, password).then((t) => t.access_token);
  tokens.set(role, { token, at: Date.now() });
  token.catch(() => tokens.delete(role));
  return token;
}

export interface FundAccountOptions {
  /** The payments API (default the stack's, http://127.0.0.1:5002). */
  paymentsUrl?: string;
  description?: string;
  /** The maker's reason (kept in the audit log). */
  reason?: string;
}

export interface DepositRequestAnswer {
  id: string;
  accountId: string;
  amount: string;
  status: string;
  journalId: string | null;
  [field: string]: unknown;
}

export interface DepositApproval extends DepositRequestAnswer {
  /** The account's balance after the deposit ("1500.00"). */
  posted: string;
  available: string;
}

async function post(url: string, token: string, body: unknown): Promise<{ status: number; body: DepositApproval; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as DepositApproval, text };
}

/**
 * Deposits `amount` ("150.00") into the account: `operador` requests, `supervisora` approves. Throws with the
 * answer's text when either step is refused. Returns the approval (with the account's new balance).
 */
export async function fundAccount(accountId: string, amount: string, opts: FundAccountOptions = {}): Promise<DepositApproval> {
  const base = opts.paymentsUrl ?? 'http://127.0.0.1:5002';
  const request = await post(`${base}/v1/admin/deposit-requests`, await operatorToken('maker'), {
    accountId,
    amount,
    description: opts.description ?? 'Depósito de teste',
    reason: opts.reason ?? 'Saldo para teste automatizado',
  });
  if (request.status !== 201) throw new Error(`deposit request: ${request.status} ${request.text}`);
  const approval = await post(`${base}/v1/admin/deposit-requests/${request.body.id}/approve`, await operatorToken('checker'), {});
  if (approval.status !== 200) throw new Error(`deposit approval: ${approval.status} ${approval.text}`);
  return approval.body;
}
