// Sandbox deposit: debits the bank's cash account and credits the customer, so the books always balance. Operators
// reach it only through a deposit request approved by a second operator (admin/deposit-requests.use-cases.ts).
import { Money } from '@krt/domain';
import type { PoolClient } from '@krt/platform/persistence';
import { PaymentsErrors } from '../shared/payments.errors';
import { BANK_CASH_ACCOUNT_ID, lockAccounts } from './account.repository';
import type { BalanceSnapshot } from './balance-cache';
import { postJournal } from './ledger';

export interface DepositCommand {
  accountId: string;
  amount: Money;
  description?: string;
}

export interface PostedDeposit {
  journalId: string;
  accountId: string;
  amount: Money;
  posted: bigint;
  reserved: bigint;
  occurredAt: Date;
  /** Both accounts' balances after the posting (for afterLedgerCommit once the caller commits). */
  snapshots: BalanceSnapshot[];
}

/** Posts the deposit inside the caller's transaction (locks the customer's and the cash account's rows). */
export async function postDeposit(client: PoolClient, cmd: DepositCommand, at: Date = new Date()): Promise<PostedDeposit> {
  const locked = await lockAccounts(client, [cmd.accountId, BANK_CASH_ACCOUNT_ID]);
  const account = locked.get(cmd.accountId);
  if (!account || account.kind !== 'CUSTOMER') throw PaymentsErrors.accountNotFound();
  const amount = cmd.amount.toCentavos();
  const description = cmd.description?.trim() || 'Depósito';
  const result = await postJournal(
    client,
    [
      { accountId: BANK_CASH_ACCOUNT_ID, direction: 'DEBIT', amountCentavos: amount, kind: 'DEPOSIT', description, counterpartyName: account.holder_name },
      { accountId: account.id, direction: 'CREDIT', amountCentavos: amount, kind: 'DEPOSIT', description, counterpartyName: 'KRT Bank' },
    ],
    { occurredAt: at, locked },
  );
  const snapshot = result.snapshots.find((s) => s.accountId === cmd.accountId)!;
  return { journalId: result.journalId, accountId: cmd.accountId, amount: cmd.amount, posted: snapshot.posted, reserved: snapshot.reserved, occurredAt: at, snapshots: result.snapshots };
}
