import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, call, deposit, finalStatus, newCustomer, pix, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

describe('Statement (CQRS reads): filters, cursor pagination, CSV, dashboard summary', () => {
  let api: TestApi;
  let me: Customer;
  let other: Customer;

  beforeAll(async () => {
    api = await startPaymentsApi();
    [me, other] = await Promise.all([newCustomer(api, { name: 'Ana Clara Lima' }), newCustomer(api, { name: 'Bruno "Bené" Costa' })]);
    const otherKey = await addKey(api, other);
    await deposit(api, me.accountId, '1500.00', 'Salário; novembro');
    await deposit(api, me.accountId, '20.50', 'Reembolso "táxi"');
    // One at a time: a statement line is dated when its PIX settles, so the expected newest-first order needs each
    // PIX settled before the next is sent.
    for (const [amount, description] of [
      ['35.90', 'Supermercado Dia'],
      ['12.00', 'Uber para casa'],
      ['250.00', 'Aluguel parte 1'],
    ] as const) {
      const id = (await pix(api, me, { key: otherKey, amount, description })).body.id;
      expect((await finalStatus(api, me, id)).status).toBe('COMPLETED');
    }
  });
  afterAll(async () => api?.close());

  it('when the statement is paged with limit=2, then the cursor walks every entry newest first without repeats', async () => {
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await call(api, me.token, 'GET', `/v1/accounts/me/statement?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen.map((i) => i.description)).toEqual(['Aluguel parte 1', 'Uber para casa', 'Supermercado Dia', 'Reembolso "táxi"', 'Salário; novembro']);
    expect(new Set(seen.map((i) => i.id)).size).toBe(5);
    expect((await call(api, me.token, 'GET', '/v1/accounts/me/statement?cursor=lixo')).body.code).toBe('VALIDATION_FAILED');
  });

  it('when filtering by type, amount range, text and period, then only matching entries come back', async () => {
    const q = async (qs: string) => ((await call(api, me.token, 'GET', `/v1/accounts/me/statement?${qs}`)).body.items as any[]).map((i) => i.description);
    expect(await q('type=CREDIT')).toEqual(['Reembolso "táxi"', 'Salário; novembro']);
    expect(await q('type=DEBIT&minAmount=12.00&maxAmount=40.00')).toEqual(['Uber para casa', 'Supermercado Dia']);
    expect(await q('q=MERCADO')).toEqual(['Supermercado Dia']);
    expect(await q('q=Costa')).toEqual(['Aluguel parte 1', 'Uber para casa', 'Supermercado Dia']);
    expect(await q('q=100%25')).toEqual([]);
    expect(await q('from=2020-01-01&to=2020-12-31')).toEqual([]);
    const today = new Date(Date.now() - 3 * 3_600_000).toISOString().slice(0, 10);
    expect(await q(`from=${today}&to=${today}`)).toHaveLength(5);
    const bad = await call(api, me.token, 'GET', '/v1/accounts/me/statement?minAmount=abc&type=XPTO');
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['minAmount', 'type']);
  });

  it('when the CSV is exported, then it is ;-separated with BRL amounts and correct quoting', async () => {
    const r = await fetch(`${api.url}/v1/accounts/me/statement.csv`, { headers: { authorization: `Bearer ${me.token}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = (await r.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('Data;Tipo;Categoria;Descrição;Contraparte;Valor (R$);EndToEndId');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2};Débito;Pix enviado;Aluguel parte 1;"Bruno ""Bené"" Costa";-250,00;E\d{8}\d{12}[A-Za-z0-9]{11}$/);
    expect(lines[4]).toMatch(/;Crédito;Depósito;"Reembolso ""táxi""";KRT Bank;20,50;$/);
    expect(lines[5]).toMatch(/;Crédito;Depósito;"Salário; novembro";KRT Bank;1\.500,00;$/);
    const filtered = await fetch(`${api.url}/v1/accounts/me/statement.csv?type=CREDIT`, { headers: { authorization: `Bearer ${me.token}` } });
    expect((await filtered.text()).trim().split('\r\n')).toHaveLength(3);
  });

  it('when the dashboard summary is read, then it has a 30-day balance series ending at today’s balance, month in/out and spending by category', async () => {
    const r = await call(api, me.token, 'GET', '/v1/accounts/me/summary');
    expect(r.status).toBe(200);
    expect(r.body.balanceSeries).toHaveLength(30);
    expect(r.body.balanceSeries[29].balance).toBe('1222.60');
    expect(r.body.balanceSeries[0].balance).toBe('0.00');
    expect(r.body).toMatchObject({ balance: '1222.60', monthIn: '1520.50', monthOut: '297.90' });
    expect(r.body.spendingByCategory).toEqual([
      { category: 'Moradia', amount: '250.00' },
      { category: 'Mercado', amount: '35.90' },
      { category: 'Transporte', amount: '12.00' },
    ]);
    expect(r.body.recent).toHaveLength(5);
  });
});
