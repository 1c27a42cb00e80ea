// The payments back office (issue #19) against the real stack (PostgreSQL, Kafka and the stack's saga consumers,
// Keycloak's two operators): admin routes refuse customers; sandbox deposits need two different operators and post
// exactly once; requests expire; production refuses them unless enabled; a blocked account sends and receives no PIX
// (also when blocked while its PIX is under way); every action leaves an audit row the application cannot change.
import { auditEntrySchema } from '@krt/contracts';
import { operatorToken } from '@krt/testing';
import { decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, balanceOf, call, deposit, finalStatus, ledgerTotals, newCustomer, pix, refund, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

let api: TestApi;
let maker: string;
let checker: string;
let makerId: string;
let checkerId: string;

beforeAll(async () => {
  api = await startPaymentsApi();
  [maker, checker] = await Promise.all([operatorToken('maker'), operatorToken('checker')]);
  [makerId, checkerId] = [decodeJwt(maker).sub!, decodeJwt(checker).sub!];
});
afterAll(async () => api?.close());

const requestDeposit = (accountId: string, amount: string, token = maker) =>
  call(api, token, 'POST', '/v1/admin/deposit-requests', { accountId, amount, description: 'Depósito do back office', reason: 'Teste de dupla aprovação' });
const approve = (id: string, token: string) => call(api, token, 'POST', `/v1/admin/deposit-requests/${id}/approve`, {});
/** A subject's audit rows, newest first, each in the contract's shape (@krt/contracts). */
const auditOf = async (subjectId: string) => auditEntrySchema.array().parse((await call(api, maker, 'GET', `/v1/admin/audit?subjectId=${subjectId}`)).body.items);
const journalLines = async (journalId: string) =>
  (await api.rt.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries WHERE journal_id = $1', [journalId])).rows[0]!.n;

describe('back office: every admin endpoint refuses a customer', () => {
  it('when a customer token calls each payments admin route, then 403 FORBIDDEN and nothing is created or changed', async () => {
    const carol = await newCustomer(api);
    const before = await balanceOf(api, carol);
    const calls: Array<[string, string, unknown?]> = [
      ['POST', '/v1/admin/deposit-requests', { accountId: carol.accountId, amount: '1000.00', reason: 'eu mesma' }],
      ['GET', '/v1/admin/deposit-requests'],
      ['POST', `/v1/admin/deposit-requests/${randomUUID()}/approve`, {}],
      ['POST', `/v1/admin/deposit-requests/${randomUUID()}/reject`, { reason: 'não' }],
      ['GET', `/v1/admin/accounts?accountId=${carol.accountId}`],
      ['GET', `/v1/admin/accounts?customerId=${carol.customerId}`],
      ['POST', `/v1/admin/accounts/${carol.accountId}/block`, { reason: 'bloqueio' }],
      ['POST', `/v1/admin/accounts/${carol.accountId}/unblock`, { reason: 'desbloqueio' }],
      ['GET', '/v1/admin/audit'],
    ];
    for (const [method, path, body] of calls) {
      const r = await call(api, carol.token, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.code, `${method} ${path}`).toBe('FORBIDDEN');
    }
    expect((await balanceOf(api, carol)).posted).toBe(before.posted);
    const { rows } = await api.rt.pool.query('SELECT 1 FROM deposit_requests WHERE account_id = $1', [carol.accountId]);
    expect(rows).toHaveLength(0);
    expect((await call(api, maker, 'GET', `/v1/admin/accounts?accountId=${carol.accountId}`)).body.status).toBe('ACTIVE');
  });
});

describe('back office: sandbox deposits under dual control', () => {
  let alice: Customer;
  beforeAll(async () => {
    alice = await newCustomer(api);
  });

  it('when an operator requests a deposit, then nothing moves; the same operator cannot approve it (403 SAME_OPERATOR); a second operator posts it once; approving again is 409 and the balance stays', async () => {
    const totalsBefore = await ledgerTotals(api);
    const requested = await requestDeposit(alice.accountId, '150.00');
    expect(requested.status, requested.text).toBe(201);
    expect(requested.body).toMatchObject({
      accountId: alice.accountId,
      holderName: alice.fullName,
      amount: '150.00',
      description: 'Depósito do back office',
      reason: 'Teste de dupla aprovação',
      status: 'PENDING',
      requestedBy: makerId,
      requestedByName: 'operador',
      decidedBy: null,
      journalId: null,
    });
    const ttl = Date.parse(requested.body.expiresAt) - Date.parse(requested.body.requestedAt);
    expect(ttl).toBe(86_400_000);
    const id: string = requested.body.id;
    expect((await balanceOf(api, alice)).posted).toBe('0.00');

    const own = await approve(id, maker);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('SAME_OPERATOR');
    expect(own.body.message).toMatch(/outro operador/);
    expect((await balanceOf(api, alice)).posted).toBe('0.00');
    expect((await call(api, checker, 'GET', '/v1/admin/deposit-requests?status=PENDING')).body.items.map((r: { id: string }) => r.id)).toContain(id);

    const approved = await approve(id, checker);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ id, status: 'APPROVED', decidedBy: checkerId, decidedByName: 'supervisora', posted: '150.00', available: '150.00', requestedBy: makerId });
    expect(await journalLines(approved.body.journalId)).toBe(2);
    expect((await balanceOf(api, alice)).posted).toBe('150.00');

    for (const token of [checker, maker]) {
      const again = await approve(id, token);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ status: 409, code: 'DEPOSIT_REQUEST_DECIDED', requestStatus: 'APPROVED', message: 'Este pedido de depósito já foi aprovado.' });
    }
    expect((await balanceOf(api, alice)).posted).toBe('150.00');
    // The books still balance: the cash account gave exactly what Alice got.
    const totalsAfter = await ledgerTotals(api);
    expect(totalsAfter.sumOfBalances).toBe(0n);
    expect(totalsAfter.debits - totalsBefore.debits).toBeGreaterThanOrEqual(15_000n);

    const listed = (await call(api, maker, 'GET', `/v1/admin/deposit-requests?status=APPROVED&accountId=${alice.accountId}`)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id, status: 'APPROVED', journalId: approved.body.journalId })]);

    const trail = await auditOf(id);
    expect(trail.map((a) => [a.action, a.actorName])).toEqual([
      ['deposit.approved', 'supervisora'],
      ['deposit.approval_refused', 'operador'],
      ['deposit.requested', 'operador'],
    ]);
    expect(trail[2]).toMatchObject({ service: 'payments', actorId: makerId, subjectType: 'deposit_request', reason: 'Teste de dupla aprovação', details: { accountId: alice.accountId, amount: '150.00' } });
    expect(trail[0]!.correlationId).toEqual(expect.any(String));
    expect(trail[1]!.details.code).toBe('SAME_OPERATOR');
  });

  it('when the second operator approves the same request twice at the same moment, then exactly one approval posts and the other is 409', async () => {
    const before = (await balanceOf(api, alice)).posted;
    const { body } = await requestDeposit(alice.accountId, '7.25');
    const answers = await Promise.all(Array.from({ length: 4 }, () => approve(body.id, checker)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    const posted = await balanceOf(api, alice);
    expect(Number(posted.posted) - Number(before)).toBeCloseTo(7.25, 2);
    const { rows } = await api.rt.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_entries WHERE account_id = $1 AND kind = 'DEPOSIT' AND amount = 725", [alice.accountId]);
    expect(rows[0]!.n).toBe(1);
  });

  it('when a request has expired, then approving it is 409 DEPOSIT_REQUEST_EXPIRED, nothing moves, and it lists as EXPIRED', async () => {
    const before = (await balanceOf(api, alice)).posted;
    const { body } = await requestDeposit(alice.accountId, '99.00');
    await api.rt.pool.query("UPDATE deposit_requests SET expires_at = now() - interval '1 second' WHERE id = $1", [body.id]);
    expect((await call(api, checker, 'GET', '/v1/admin/deposit-requests?status=EXPIRED')).body.items.map((r: { id: string }) => r.id)).toContain(body.id);
    expect((await call(api, checker, 'GET', '/v1/admin/deposit-requests?status=PENDING')).body.items.map((r: { id: string }) => r.id)).not.toContain(body.id);
    for (let i = 0; i < 2; i++) {
      const r = await approve(body.id, checker);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('DEPOSIT_REQUEST_EXPIRED');
    }
    expect((await balanceOf(api, alice)).posted).toBe(before);
    const { rows } = await api.rt.pool.query<{ status: string; journal_id: string | null }>('SELECT status, journal_id FROM deposit_requests WHERE id = $1', [body.id]);
    expect(rows[0]).toEqual({ status: 'EXPIRED', journal_id: null });
    expect((await auditOf(body.id)).map((a) => a.action)).toEqual(['deposit.expired', 'deposit.requested']);
  });

  it('when an operator rejects a request with a reason, then it is REJECTED, nothing moves, and it can no longer be approved', async () => {
    const before = (await balanceOf(api, alice)).posted;
    const { body } = await requestDeposit(alice.accountId, '10.00');
    const noReason = await call(api, checker, 'POST', `/v1/admin/deposit-requests/${body.id}/reject`, { reason: ' ' });
    expect(noReason.status).toBe(422);
    const rejected = await call(api, checker, 'POST', `/v1/admin/deposit-requests/${body.id}/reject`, { reason: 'Valor digitado errado' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', decidedByName: 'supervisora', decisionReason: 'Valor digitado errado', journalId: null });
    const late = await approve(body.id, checker);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DEPOSIT_REQUEST_DECIDED');
    expect((await balanceOf(api, alice)).posted).toBe(before);
    expect((await auditOf(body.id))[0]).toMatchObject({ action: 'deposit.rejected', reason: 'Valor digitado errado', actorName: 'supervisora' });
  });

  it('when the same request is sent again with its Idempotency-Key, even at once, then there is one request and one audit row; the key with other data is 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = randomUUID();
    const body = { accountId: alice.accountId, amount: '42.10', description: 'Depósito repetido', reason: 'Resposta perdida na rede' };
    const sent = await Promise.all([1, 2, 3].map(() => call(api, maker, 'POST', '/v1/admin/deposit-requests', body, { 'idempotency-key': key })));
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(sent.map((r) => r.body.id)).size).toBe(1);
    expect(sent.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    const { rows } = await api.rt.pool.query('SELECT id FROM deposit_requests WHERE requested_by = $1 AND idempotency_key = $2', [makerId, key]);
    expect(rows).toHaveLength(1);
    expect((await auditOf(sent[0]!.body.id)).filter((a) => a.action === 'deposit.requested')).toHaveLength(1);

    const other = await call(api, maker, 'POST', '/v1/admin/deposit-requests', { ...body, amount: '42.11' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Another operator's key space is their own: the same key is a new request for them.
    const theirs = await call(api, checker, 'POST', '/v1/admin/deposit-requests', body, { 'idempotency-key': key });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(sent[0]!.body.id);
    expect((await call(api, maker, 'POST', '/v1/admin/deposit-requests', body, { 'idempotency-key': 'chave com espaço' })).status).toBe(422);
  });

  it('when the request is for an unknown account or an unknown request is approved, then 404; a bad amount or no reason is 422', async () => {
    expect((await requestDeposit(randomUUID(), '1.00')).body.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await approve(randomUUID(), checker)).body.code).toBe('DEPOSIT_REQUEST_NOT_FOUND');
    expect((await requestDeposit(alice.accountId, '0.00')).status).toBe(422);
    const noReason = await call(api, maker, 'POST', '/v1/admin/deposit-requests', { accountId: alice.accountId, amount: '1.00' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
  });

  it('when the service runs in production, then sandbox deposits are refused (403 SANDBOX_DEPOSITS_DISABLED) unless SANDBOX_DEPOSITS_ENABLED=true', async () => {
    const production = { NODE_ENV: 'production', PAYMENTS_RECEIPT_KEY: 'ab'.repeat(32), TRANSACTION_PIN_KEY: 'cd'.repeat(32) };
    const refusing = await startPaymentsApi({ relay: false, env: production });
    const enabled = await startPaymentsApi({ relay: false, env: { ...production, SANDBOX_DEPOSITS_ENABLED: 'true' } });
    try {
      const body = { accountId: alice.accountId, amount: '1.00', reason: 'Produção' };
      const refused = await call(refusing, maker, 'POST', '/v1/admin/deposit-requests', body);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('SANDBOX_DEPOSITS_DISABLED');
      expect((await call(refusing, maker, 'GET', '/v1/admin/deposit-requests')).body.code).toBe('SANDBOX_DEPOSITS_DISABLED');
      const allowed = await call(enabled, maker, 'POST', '/v1/admin/deposit-requests', body);
      expect(allowed.status, allowed.text).toBe(201);
      // The request made where it is enabled cannot be approved where it is not.
      expect((await call(refusing, checker, 'POST', `/v1/admin/deposit-requests/${allowed.body.id}/approve`, {})).body.code).toBe('SANDBOX_DEPOSITS_DISABLED');
    } finally {
      await refusing.close();
      await enabled.close();
    }
  });
});

describe('back office: blocked accounts send and receive no PIX', () => {
  let alice: Customer;
  let bob: Customer;
  let aliceKey: string;
  let bobKey: string;

  beforeAll(async () => {
    [alice, bob] = await Promise.all([newCustomer(api), newCustomer(api)]);
    await Promise.all([deposit(api, alice.accountId, '100.00'), deposit(api, bob.accountId, '100.00')]);
    [aliceKey, bobKey] = await Promise.all([addKey(api, alice), addKey(api, bob)]);
  });

  const block = (c: Customer, reason = 'Suspeita de fraude') => call(api, maker, 'POST', `/v1/admin/accounts/${c.accountId}/block`, { reason });
  const unblock = (c: Customer, reason = 'Verificado com o cliente') => call(api, checker, 'POST', `/v1/admin/accounts/${c.accountId}/unblock`, { reason });

  it('when the operator looks an account up by account id, KRT customer id or Keycloak user id, then the same view with balance and last transfers', async () => {
    const sent = await pix(api, alice, { key: bobKey, amount: '3.00', description: 'antes do bloqueio' });
    expect((await finalStatus(api, alice, sent.body.id)).status).toBe('COMPLETED');
    const byAccount = await call(api, maker, 'GET', `/v1/admin/accounts?accountId=${alice.accountId}`);
    expect(byAccount.status, byAccount.text).toBe(200);
    expect(byAccount.body).toMatchObject({
      accountId: alice.accountId,
      customerId: alice.customerId,
      holderName: alice.fullName,
      status: 'ACTIVE',
      blockedReason: null,
      blockedAt: null,
      balance: { posted: '97.00', available: '97.00' },
    });
    expect(byAccount.body.lastTransfers[0]).toMatchObject({ id: sent.body.id, direction: 'SENT', amount: '3.00', counterpartyName: bob.fullName, status: 'COMPLETED' });
    const keycloakUserId: string = byAccount.body.keycloakUserId;
    expect(keycloakUserId).toBe(decodeJwt(alice.token).sub);
    for (const q of [`customerId=${alice.customerId}`, `customerId=${keycloakUserId}`]) {
      expect((await call(api, maker, 'GET', `/v1/admin/accounts?${q}`)).body.accountId).toBe(alice.accountId);
    }
    expect((await call(api, maker, 'GET', `/v1/admin/accounts?customerId=${randomUUID()}`)).body.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await call(api, maker, 'GET', '/v1/admin/accounts')).status).toBe(422);
    const viewed = (await auditOf(alice.accountId)).filter((a) => a.action === 'account.viewed');
    expect(viewed.length).toBeGreaterThanOrEqual(3);
    expect(viewed[0]).toMatchObject({ actorName: 'operador', subjectType: 'account', details: { customerId: alice.customerId } });
  });

  it('when the payer is blocked, then PIX and devolução answer 422 ACCOUNT_BLOCKED; when the payee is blocked, 422 PAYEE_ACCOUNT_BLOCKED; unblocked, PIX works again', async () => {
    const received = await pix(api, bob, { key: aliceKey, amount: '5.00', description: 'para devolver' });
    expect((await finalStatus(api, bob, received.body.id)).status).toBe('COMPLETED');

    const blocked = await block(alice);
    expect(blocked.status, blocked.text).toBe(200);
    expect(blocked.body).toMatchObject({ accountId: alice.accountId, customerId: alice.customerId, status: 'BLOCKED', blockedReason: 'Suspeita de fraude', blockedAt: expect.any(String) });
    expect((await block(alice)).body.code).toBe('ACCOUNT_ALREADY_BLOCKED');
    const before = await balanceOf(api, alice);

    const out = await pix(api, alice, { key: bobKey, amount: '1.00' });
    expect(out.status).toBe(422);
    expect(out.body).toMatchObject({ code: 'ACCOUNT_BLOCKED', message: 'Conta bloqueada. Fale com a central de atendimento.' });
    const back = await refund(api, alice, received.body.id, { amount: '1.00' });
    expect(back.status).toBe(422);
    expect(back.body.code).toBe('ACCOUNT_BLOCKED');
    const incoming = await pix(api, bob, { key: aliceKey, amount: '1.00' });
    expect(incoming.status).toBe(422);
    expect(incoming.body.code).toBe('PAYEE_ACCOUNT_BLOCKED');
    // Bob returning part of a PIX Alice sent him is a PIX to a blocked account too.
    const sentToBob = (await call(api, maker, 'GET', `/v1/admin/accounts?accountId=${alice.accountId}`)).body.lastTransfers.find((t: { direction: string }) => t.direction === 'SENT');
    const bobRefund = await refund(api, bob, sentToBob.id, { amount: '1.00' });
    expect(bobRefund.status).toBe(422);
    expect(bobRefund.body.code).toBe('PAYEE_ACCOUNT_BLOCKED');
    expect((await balanceOf(api, alice)).posted).toBe(before.posted);
    expect((await balanceOf(api, alice)).available).toBe(before.available);

    const unblocked = await unblock(alice);
    expect(unblocked.status, unblocked.text).toBe(200);
    expect(unblocked.body).toMatchObject({ status: 'ACTIVE', blockedReason: null, blockedAt: null });
    expect((await unblock(alice)).body.code).toBe('ACCOUNT_NOT_BLOCKED');
    const again = await pix(api, alice, { key: bobKey, amount: '1.00' });
    expect(again.status, again.text).toBe(202);
    expect((await finalStatus(api, alice, again.body.id)).status).toBe('COMPLETED');

    const trail = (await auditOf(alice.accountId)).filter((a) => a.action !== 'account.viewed');
    expect(trail.slice(0, 2)).toEqual([
      expect.objectContaining({ action: 'account.unblocked', actorName: 'supervisora', reason: 'Verificado com o cliente', details: expect.objectContaining({ blockedReason: 'Suspeita de fraude' }) }),
      expect.objectContaining({ action: 'account.blocked', actorName: 'operador', reason: 'Suspeita de fraude' }),
    ]);
  });

  it('when the payee is blocked after the PIX was accepted, then the saga fails it with PAYEE_ACCOUNT_BLOCKED and the payer gets the reserve back', async () => {
    const payerBefore = await balanceOf(api, bob);
    const payeeBefore = await balanceOf(api, alice);
    // Holding Alice's row lock keeps the settlement (which locks both accounts) from running until she is blocked;
    // the initiation does not need that lock (it only reads the receiver).
    const holder = await api.rt.pool.connect();
    let transferId: string;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM accounts WHERE id = $1 FOR NO KEY UPDATE', [alice.accountId]);
      const accepted = await pix(api, bob, { key: aliceKey, amount: '4.00', description: 'bloqueada no caminho' });
      expect(accepted.status, accepted.text).toBe(202);
      transferId = accepted.body.id;
      await holder.query("UPDATE accounts SET status = 'BLOCKED', blocked_reason = 'Bloqueio durante o Pix', blocked_at = now() WHERE id = $1", [alice.accountId]);
      await holder.query('COMMIT');
    } catch (e) {
      await holder.query('ROLLBACK');
      throw e;
    } finally {
      holder.release();
    }
    try {
      const done = await finalStatus(api, bob, transferId);
      expect(done).toMatchObject({ status: 'FAILED', failureCode: 'PAYEE_ACCOUNT_BLOCKED' });
      expect(done.failureReason).toMatch(/conta de destino está bloqueada/);
      const money = ({ posted, reserved, available }: { posted: string; reserved: string; available: string }) => ({ posted, reserved, available });
      expect(money(await balanceOf(api, bob))).toEqual(money(payerBefore));
      expect(money(await balanceOf(api, alice))).toEqual(money(payeeBefore));
    } finally {
      expect((await unblock(alice, 'Fim do teste')).status).toBe(200);
    }
  });
});

describe('back office: the audit log', () => {
  it('when the application’s database user tries UPDATE, DELETE or TRUNCATE on audit_log, then each is refused and the rows stay', async () => {
    const { rows: before } = await api.rt.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(before[0]!.n).toBeGreaterThan(0);
    for (const sql of ["UPDATE audit_log SET reason = 'apagado'", 'DELETE FROM audit_log', 'DELETE FROM audit_log WHERE false', 'TRUNCATE audit_log']) {
      await expect(api.rt.pool.query(sql), sql).rejects.toThrow(/append-only|permission denied/);
    }
    const { rows: privileges } = await api.rt.pool.query<{ u: boolean; d: boolean; t: boolean; i: boolean }>(
      "SELECT has_table_privilege('audit_log', 'UPDATE') AS u, has_table_privilege('audit_log', 'DELETE') AS d, has_table_privilege('audit_log', 'TRUNCATE') AS t, has_table_privilege('audit_log', 'INSERT') AS i",
    );
    expect(privileges[0]).toEqual({ u: false, d: false, t: false, i: true });
    const { rows: after } = await api.rt.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(after[0]!.n).toBeGreaterThanOrEqual(before[0]!.n);
  });

  it('when the operator filters and pages the log, then newest first, by actor and action, and nextBefore leads to the older rows', async () => {
    const carol = await newCustomer(api);
    for (let i = 0; i < 3; i++) await call(api, checker, 'GET', `/v1/admin/accounts?accountId=${carol.accountId}`);
    const first = await call(api, maker, 'GET', `/v1/admin/audit?subjectId=${carol.accountId}&actor=supervisora&action=account.viewed&limit=2`);
    expect(first.status, first.text).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextBefore).toBe(first.body.items[1].id);
    const second = await call(api, maker, 'GET', `/v1/admin/audit?subjectId=${carol.accountId}&actor=${checkerId}&limit=2&before=${first.body.nextBefore}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextBefore).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((a: { id: string }) => BigInt(a.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : -1)));
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await call(api, maker, 'GET', `/v1/admin/audit?subjectId=${carol.accountId}&from=${encodeURIComponent(future)}`)).body.items).toEqual([]);
    expect((await call(api, maker, 'GET', '/v1/admin/audit?before=abc')).status).toBe(422);
  });
});
