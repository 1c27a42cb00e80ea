// Admin sandbox deposit: debits the bank's cash account and credits the customer, so the books always balance.
import { Money } from '@krt/domain';
import { withTransaction } from '@krt/platform/db';
import { afterLedgerCommit } from '../shared/read-routing';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { BANK_CASH_ACCOUNT_ID, lockAccounts } from './account.repository';
import { postJournal } from './ledger';

export interface DepositCommand {
  accountId: string;
  amount: Money;
  description?: string;
}

export async function depositFromBankCash(ctx: PaymentsContext, cmd: DepositCommand) {
  // Ledger lines carry the posting time (the system clock); the injectable clock drives business rules only.
  const at = new Date();
  const result = await withTransaction(ctx.pool, async (client) => {
    const locked = await lockAccounts(client, [cmd.accountId, BANK_CASH_ACCOUNT_ID]);
    const account = locked.get(cmd.accountId);
    if (!account || account.kind !== 'CUSTOMER') throw PaymentsErrors.accountNotFound();
    const amount = cmd.amount.toCentavos();
    const description = cmd.description?.trim() || 'Depósito';
    return postJournal(
      client,
      [
        { accountId: BANK_CASH_ACCOUNT_ID, direction: 'DEBIT', amountCentavos: amount, kind: 'DEPOSIT', description, counterpartyName: account.holder_name },
        { accountId: account.id, direction: 'CREDIT', amountCentavos: amount, kind: 'DEPOSIT', description, counterpartyName: 'KRT Bank' },
      ],
      { occurredAt: at, locked },
    );
  });
  await afterLedgerCommit(ctx, result.snapshots);
  const snapshot = result.snapshots.find((s) => s.accountId === cmd.accountId)!;
  return { journalId: result.journalId, accountId: cmd.accountId, amount: cmd.amount, posted: snapshot.posted, reserved: snapshot.reserved, occurredAt: at };
}
