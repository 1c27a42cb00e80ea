// Statement (CQRS read side, read pool): keyset pagination on (occurred_at, id), filters, CSV export, dashboard summary.
import { fromSaoPauloDateTime, Money, saoPauloDateString, saoPauloDayStart, toSaoPauloDateTime } from '@krt/domain';
import type { DashboardSummary } from '@krt/contracts';
import type { Queryable } from '@krt/platform/persistence';
import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { accountIdOf, readBalance } from '../accounts/account.queries';
import { apiAmount, brlNumber } from '../shared/money-format';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { readPoolFor } from '../shared/read-routing';
import { spendingCategory } from './spending-category';

export interface StatementFilters {
  from?: string | undefined; // yyyy-MM-dd (São Paulo day)
  to?: string | undefined; // yyyy-MM-dd, inclusive
  type?: 'CREDIT' | 'DEBIT' | undefined;
  minAmount?: Money | undefined;
  maxAmount?: Money | undefined;
  q?: string | undefined;
}

interface EntryRow {
  id: bigint;
  occurred_at: Date;
  direction: 'CREDIT' | 'DEBIT';
  kind: 'DEPOSIT' | 'PIX_IN' | 'PIX_OUT' | 'PIX_REVERSAL';
  amount: bigint;
  description: string;
  counterparty_name: string | null;
  transfer_id: string | null;
  end_to_end_id: string | null;
}

export interface StatementItem {
  id: string;
  occurredAt: string;
  type: 'CREDIT' | 'DEBIT';
  kind: 'DEPOSIT' | 'PIX_IN' | 'PIX_OUT' | 'PIX_REVERSAL';
  amount: string;
  description: string;
  counterpartyName: string | null;
  transferId?: string;
  endToEndId?: string;
}

const toItem = (r: EntryRow): StatementItem => ({
  id: r.id.toString(),
  occurredAt: r.occurred_at.toISOString(),
  type: r.direction,
  kind: r.kind,
  amount: apiAmount(r.amount),
  description: r.description,
  counterpartyName: r.counterparty_name,
  ...(r.transfer_id ? { transferId: r.transfer_id } : {}),
  ...(r.end_to_end_id ? { endToEndId: r.end_to_end_id } : {}),
});

function dayStart(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return fromSaoPauloDateTime(y!, m!, d!);
}

export function encodeCursor(row: { occurred_at: Date; id: bigint | string }): string {
  return Buffer.from(JSON.stringify([row.occurred_at.toISOString(), row.id.toString()])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{1,36}$/i.test(id)) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw PaymentsErrors.invalidCursor();
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** WHERE clause and parameters for one account's entries with the filters applied. */
function whereFor(accountId: string, f: StatementFilters) {
  const params: unknown[] = [accountId];
  const where = ['account_id = $1'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.from) add('occurred_at >= ?', dayStart(f.from));
  if (f.to) add('occurred_at < ?', new Date(dayStart(f.to).getTime() + 86_400_000));
  if (f.type) add('direction = ?', f.type);
  if (f.minAmount) add('amount >= ?', f.minAmount.toCentavos().toString());
  if (f.maxAmount) add('amount <= ?', f.maxAmount.toCentavos().toString());
  if (f.q?.trim()) {
    params.push(`%${escapeLike(f.q.trim())}%`);
    where.push(`(description ILIKE $${params.length} OR counterparty_name ILIKE $${params.length})`);
  }
  return { where, params };
}

export async function statementPage(db: Queryable, accountId: string, f: StatementFilters, limit: number, cursor?: string) {
  const { where, params } = whereFor(accountId, f);
  if (cursor) {
    const c = decodeCursor(cursor);
    params.push(c.at, c.id);
    where.push(`(occurred_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit + 1);
  const text = `SELECT id, occurred_at, direction, kind, amount, description, counterparty_name, transfer_id, end_to_end_id
       FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY occurred_at DESC, id DESC LIMIT $${params.length}`;
  // A named (prepared) statement per filter shape: with one partition per month, planning costs more than executing.
  const { rows } = await db.query<EntryRow>({ name: `statement_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text, values: params });
  const page = rows.slice(0, limit);
  return { items: page.map(toItem), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}

export async function getStatement(ctx: PaymentsContext, customerId: string, f: StatementFilters, limit: number, cursor?: string) {
  const accountId = await accountIdOf(ctx, customerId);
  return statementPage(await readPoolFor(ctx, accountId), accountId, f, limit, cursor);
}

export const CSV_MAX_ROWS = 50_000;
const KIND_LABEL = { DEPOSIT: 'Depósito', PIX_IN: 'Pix recebido', PIX_OUT: 'Pix enviado', PIX_REVERSAL: 'Devolução Pix' } as const;

function csvDate(at: Date): string {
  const t = toSaoPauloDateTime(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.day)}/${p(t.month)}/${t.year} ${p(t.hour)}:${p(t.minute)}`;
}

/** `;`-separated, BRL amounts (debits negative), RFC 4180 quoting, UTF-8 with BOM (Excel pt-BR opens it as is). */
export async function statementCsv(ctx: PaymentsContext, customerId: string, f: StatementFilters): Promise<string> {
  const accountId = await accountIdOf(ctx, customerId);
  const { where, params } = whereFor(accountId, f);
  params.push(CSV_MAX_ROWS);
  const { rows } = await (await readPoolFor(ctx, accountId)).query<EntryRow>(
    `SELECT id, occurred_at, direction, kind, amount, description, counterparty_name, transfer_id, end_to_end_id
       FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY occurred_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  const records = rows.map((r) => [
    csvDate(r.occurred_at),
    r.direction === 'CREDIT' ? 'Crédito' : 'Débito',
    KIND_LABEL[r.kind],
    r.description,
    r.counterparty_name ?? '',
    brlNumber(r.direction === 'CREDIT' ? r.amount : -r.amount),
    r.end_to_end_id ?? '',
  ]);
  const header = ['Data', 'Tipo', 'Categoria', 'Descrição', 'Contraparte', 'Valor (R$)', 'EndToEndId'];
  return '\uFEFF' + stringify([header, ...records], { delimiter: ';', record_delimiter: '\r\n' });
}

/** Dashboard data: 30-day balance series, month in/out, spending by category, 5 recent items. */
export async function getSummary(ctx: PaymentsContext, customerId: string): Promise<DashboardSummary> {
  const account = { id: await accountIdOf(ctx, customerId) };
  const now = ctx.clock();
  const today = saoPauloDayStart(now);
  const windowStart = new Date(today.getTime() - 29 * 86_400_000);
  const local = toSaoPauloDateTime(now);
  const monthStart = fromSaoPauloDateTime(local.year, local.month, 1);
  const db = await readPoolFor(ctx, account.id);
  const [before, daily, inOut, spending, recent, balance] = await Promise.all([
    db.query<{ balance_after: bigint }>(
      'SELECT balance_after FROM ledger_entries WHERE account_id = $1 AND occurred_at < $2 ORDER BY occurred_at DESC, id DESC LIMIT 1',
      [account.id, windowStart],
    ),
    db.query<{ d: string; balance_after: bigint }>(
      `SELECT DISTINCT ON (d) d, balance_after FROM (
         SELECT to_char(occurred_at AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM-DD') AS d, balance_after, occurred_at, id
           FROM ledger_entries WHERE account_id = $1 AND occurred_at >= $2) x
       ORDER BY d, occurred_at DESC, id DESC`,
      [account.id, windowStart],
    ),
    db.query<{ direction: string; total: bigint }>(
      'SELECT direction, sum(amount)::bigint AS total FROM ledger_entries WHERE account_id = $1 AND occurred_at >= $2 GROUP BY direction',
      [account.id, monthStart],
    ),
    db.query<{ description: string; total: bigint }>(
      "SELECT description, sum(amount)::bigint AS total FROM ledger_entries WHERE account_id = $1 AND occurred_at >= $2 AND direction = 'DEBIT' GROUP BY description",
      [account.id, monthStart],
    ),
    statementPage(db, account.id, {}, 5),
    readBalance(ctx, account),
  ]);
  const byDay = new Map(daily.rows.map((r) => [r.d, r.balance_after]));
  let running = before.rows[0]?.balance_after ?? 0n;
  const balanceSeries = [];
  for (let i = 0; i < 30; i++) {
    const day = saoPauloDateString(new Date(windowStart.getTime() + i * 86_400_000 + 12 * 3_600_000));
    running = byDay.get(day) ?? running;
    balanceSeries.push({ date: day, balance: apiAmount(running) });
  }
  const categories = new Map<string, bigint>();
  for (const r of spending.rows) {
    const c = spendingCategory(r.description);
    categories.set(c, (categories.get(c) ?? 0n) + r.total);
  }
  const total = (dir: string) => inOut.rows.find((r) => r.direction === dir)?.total ?? 0n;
  return {
    accountId: account.id,
    balance: balance.available,
    balanceSeries,
    monthIn: apiAmount(total('CREDIT')),
    monthOut: apiAmount(total('DEBIT')),
    spendingByCategory: [...categories]
      .sort((a, b) => (a[1] === b[1] ? 0 : a[1] > b[1] ? -1 : 1))
      .map(([category, amount]) => ({ category, amount: apiAmount(amount) })),
    recent: recent.items,
  };
}
