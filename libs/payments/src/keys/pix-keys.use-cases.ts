// PIX keys (DICT rules): register (CPF must be the holder's, EVP generated here), list, delete, resolve.
import { checkCanRegisterKey, checkCpfKeyBelongsToHolder, Cpf, generateEvpKey, KRT_BANK_NAME, KRT_ISPB, maskPersonName, MAX_KEYS_PER_ACCOUNT, PixKey, type PixKeyType } from '@krt/domain';
import { withTransaction, type Queryable } from '@krt/platform/persistence';
import { randomUUID } from 'node:crypto';
import { findAccountByCustomer, type AccountRow } from '../accounts/account.repository';
import { fromDomainError, PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';

export interface PixKeyRow {
  id: string;
  account_id: string;
  type: PixKeyType;
  value: string;
  created_at: Date;
}

export const pixKeyView = (k: PixKeyRow) => ({ id: k.id, type: k.type, value: k.value, createdAt: k.created_at.toISOString() });

async function myAccount(db: Queryable, customerId: string, lock = false): Promise<AccountRow> {
  const account = await findAccountByCustomer(db, customerId, lock);
  if (!account) throw PaymentsErrors.accountNotFound();
  return account;
}

export async function listPixKeys(ctx: PaymentsContext, customerId: string) {
  // The primary: the customer expects the key they just registered in the list.
  const account = await myAccount(ctx.pool, customerId);
  const { rows } = await ctx.pool.query<PixKeyRow>('SELECT * FROM pix_keys WHERE account_id = $1 ORDER BY created_at, id', [account.id]);
  return { items: rows.map(pixKeyView), max: MAX_KEYS_PER_ACCOUNT };
}

export async function registerPixKey(ctx: PaymentsContext, customerId: string, input: { type: PixKeyType; value?: string | undefined }) {
  let key: PixKey;
  if (input.type === 'EVP') {
    if (input.value !== undefined && input.value !== '') throw PaymentsErrors.evpValueNotAllowed();
    key = generateEvpKey(randomUUID);
  } else {
    if (input.value === undefined || input.value === '') throw PaymentsErrors.keyValueRequired();
    const parsed = PixKey.parse(input.type, input.value);
    if (!parsed.ok) throw fromDomainError(parsed.error);
    key = parsed.value;
  }
  return withTransaction(ctx.pool, async (client) => {
    // The account row lock serialises key registrations of one account (the 5-key limit holds under concurrency).
    const account = await myAccount(client, customerId, true);
    // A blocked account receives no PIX (issue #19): no new key may point at it either.
    if (account.status === 'BLOCKED') throw PaymentsErrors.accountBlocked();
    if (key.type === 'CPF') {
      const holder = Cpf.parse(account.holder_cpf ?? '');
      if (!holder.ok) throw PaymentsErrors.cpfKeyNotHolder();
      const check = checkCpfKeyBelongsToHolder(key, holder.value);
      if (!check.ok) throw PaymentsErrors.cpfKeyNotHolder();
    }
    const { rows: count } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pix_keys WHERE account_id = $1', [account.id]);
    if (!checkCanRegisterKey(count[0]!.n).ok) throw PaymentsErrors.pixKeyLimitReached();
    const { rows } = await client.query<PixKeyRow>(
      'INSERT INTO pix_keys (id, account_id, type, value) VALUES ($1, $2, $3, $4) ON CONFLICT (value) DO NOTHING RETURNING *',
      [randomUUID(), account.id, key.type, key.value],
    );
    if (!rows[0]) throw PaymentsErrors.pixKeyAlreadyExists();
    return pixKeyView(rows[0]);
  });
}

export async function deletePixKey(ctx: PaymentsContext, customerId: string, keyId: string): Promise<void> {
  const account = await myAccount(ctx.pool, customerId);
  const { rowCount } = await ctx.pool.query('DELETE FROM pix_keys WHERE id = $1 AND account_id = $2', [keyId, account.id]);
  if (rowCount === 0) throw PaymentsErrors.pixKeyNotOwned();
}

export interface ResolvedKey {
  key: PixKey;
  account: AccountRow;
}

/** Parses the typed key (type detected) and finds the account holding it. */
export async function findAccountByKey(db: Queryable, rawKey: string): Promise<ResolvedKey> {
  const parsed = PixKey.detect(rawKey);
  if (!parsed.ok) throw fromDomainError(parsed.error);
  const { rows } = await db.query<AccountRow>(
    `SELECT a.* FROM pix_keys k JOIN accounts a ON a.id = k.account_id WHERE k.value = $1 AND k.type = $2`,
    [parsed.value.value, parsed.value.type],
  );
  if (!rows[0]) throw PaymentsErrors.pixKeyNotFound();
  return { key: parsed.value, account: rows[0] };
}

/** What the confirmation screen shows before a PIX: masked name and CPF, bank, agency and account. */
export async function resolvePixKey(ctx: PaymentsContext, rawKey: string) {
  const { key, account } = await findAccountByKey(ctx.readPool, rawKey);
  return {
    key: key.value,
    type: key.type,
    holderName: maskPersonName(account.holder_name),
    cpf: account.holder_cpf ? Cpf.of(account.holder_cpf).mask() : '',
    bank: KRT_BANK_NAME,
    ispb: KRT_ISPB,
    agency: account.agency,
    account: account.number,
  };
}
