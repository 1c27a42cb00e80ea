// PIX receipts (issue #18): the PDF for the payer and the receiver only, its authentication code, and the public check.
import { randomUUID } from 'node:crypto';
import { generateEndToEndId, KRT_ISPB } from '@krt/domain';
import { formatAuthenticationCode, receiptCodeOf, shiftedClock } from '@krt/payments';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../support/pdf-text';
import { addKey, call, closeProducer, deposit, finalStatus, newCustomer, pix, saoPauloToday, startPaymentsApi, type Customer, type TestApi } from './payments-test-kit';

async function getPdf(api: TestApi, token: string | undefined, transferId: string) {
  const res = await fetch(`${api.url}/v1/pix/transfers/${transferId}/receipt.pdf`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(Buffer.from(bytes).toString('utf8')) };
}

const verifyPath = (q: Record<string, string>) => `/v1/receipts/verify?${new URLSearchParams(q).toString()}`;

describe('PIX receipt PDF with an authentication code, and its public verification', () => {
  let api: TestApi;
  let payer: Customer;
  let receiver: Customer;
  let stranger: Customer;
  let transfer: { id: string; endToEndId: string };
  let code: string;

  beforeAll(async () => {
    api = await startPaymentsApi({ clock: shiftedClock(saoPauloToday(14)) });
    [payer, receiver, stranger] = await Promise.all([
      newCustomer(api, { name: 'Beatriz Nogueira Lima' }),
      newCustomer(api, { name: 'Carlos Eduardo Rocha' }),
      newCustomer(api),
    ]);
    await deposit(api, payer.accountId, '500.00');
    const key = await addKey(api, receiver);
    const sent = await pix(api, payer, { key, amount: '123.45', description: 'Conserto da bicicleta' });
    expect(sent.status).toBe(202);
    transfer = { id: sent.body.id, endToEndId: sent.body.endToEndId };
    expect(await finalStatus(api, payer, transfer.id)).toMatchObject({ status: 'COMPLETED' });
    code = (await receiptCodeOf(api.rt.ctx, transfer.id))!;
    expect(code).toMatch(/^[A-Z2-7]{32}$/);
  });
  afterAll(async () => {
    await closeProducer();
    await api?.close();
  });

  it('when the payer downloads the receipt, then it is a pt-BR PDF named after the EndToEndId with the fields, the code and where to verify it', async () => {
    const r = await getPdf(api, payer.token, transfer.id);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="comprovante-pix-${transfer.endToEndId}.pdf"`);
    expect(Buffer.from(r.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    // A well-formed document (pdf-lib's own reader), one A4 page.
    const doc = await PDFDocument.load(r.bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`Comprovante Pix ${transfer.endToEndId}`);
    const text = pdfText(r.bytes);
    expect(text).toContain('Comprovante de transferência Pix');
    expect(text).toContain(transfer.endToEndId);
    expect(text).toContain('R$ 123,45');
    expect(text).toContain('Conserto da bicicleta');
    expect(text).toContain(formatAuthenticationCode(code));
    expect(text).toContain('/comprovantes/verificar');
    // The printed address links to the page with this receipt's EndToEndId and code filled in.
    expect(Buffer.from(r.bytes).toString('latin1')).toMatch(new RegExp(`/URI \\(https?://[^/)]+/comprovantes/verificar\\?e2e=${transfer.endToEndId}&codigo=${code}\\)`));
    // The reader's own name in full, the other party's masked; CPFs masked.
    expect(text).toContain('Beatriz Nogueira Lima');
    expect(text).toContain('Carlos R***');
    expect(text).not.toContain('Carlos Eduardo Rocha');
    expect(text).not.toContain(payer.cpf);
    expect(text).toMatch(/\*\*\*\.\d{3}\.\d{3}-\*\*/);
  });

  it('when the receiver downloads it, then the same code is printed with their own name in full', async () => {
    const r = await getPdf(api, receiver.token, transfer.id);
    expect(r.status).toBe(200);
    const text = pdfText(r.bytes);
    expect(text).toContain(formatAuthenticationCode(code));
    expect(text).toContain('Carlos Eduardo Rocha');
    expect(text).toContain('Beatriz L***');
    expect(text).not.toContain(receiver.cpf);
  });

  it('when a customer who is not a party asks, then it is 404 as if it did not exist; without a token, 401', async () => {
    const r = await getPdf(api, stranger.token, transfer.id);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
    expect((await getPdf(api, stranger.token, randomUUID())).status).toBe(404);
    expect((await getPdf(api, undefined, transfer.id)).status).toBe(401);
  });

  /** A transfer the saga has not reached (reserved as an initiation would); the stack's sweeper fails it after `deadline`. */
  async function unsettledTransfer(deadline: string): Promise<{ id: string; endToEndId: string }> {
    const id = randomUUID();
    const endToEndId = generateEndToEndId(KRT_ISPB, new Date(), randomUUID().replace(/-/g, '').slice(0, 11));
    const client = await api.rt.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE accounts SET reserved = reserved + 100, version = version + 1 WHERE id = $1', [payer.accountId]);
      await client.query(
        `INSERT INTO pix_transfers (id, end_to_end_id, payer_account_id, payer_customer_id, receiver_account_id, receiver_customer_id, receiver_key_type, receiver_key, amount, description, created_at, deadline_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'EVP', $7, 100, 'sem comprovante', now() - interval '1 second', now() + $8::interval)`,
        [id, endToEndId, payer.accountId, payer.customerId, receiver.accountId, receiver.customerId, randomUUID(), deadline],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await api.rt.ctx.balanceCache.invalidate(payer.accountId);
    return { id, endToEndId };
  }

  it('when the transfer is still PENDING, then 409 RECEIPT_NOT_READY with a Portuguese message', async () => {
    const { id } = await unsettledTransfer('2 minutes');
    const r = await getPdf(api, payer.token, id);
    expect(r.status).toBe(409);
    expect(r.json()).toMatchObject({ code: 'RECEIPT_NOT_READY' });
    expect(r.json().message).toMatch(/concluído/);
  });

  it('when the transfer FAILED, then 409 RECEIPT_NOT_AVAILABLE (nothing moved, so nothing to attest), and it never verifies', async () => {
    // Past its deadline at once: the stack's deadline sweeper fails and compensates it.
    const failed = await unsettledTransfer('0 seconds');
    await finalStatus(api, payer, failed.id, 30_000);
    const r = await getPdf(api, payer.token, failed.id);
    expect(r.status).toBe(409);
    expect(r.json()).toMatchObject({ code: 'RECEIPT_NOT_AVAILABLE' });
    expect(r.json().message).toMatch(/não foi concluído/);
    const v = await call(api, undefined, 'GET', verifyPath({ e2e: failed.endToEndId, code }));
    expect(v.body).toEqual({ valid: false });
  });

  it('when anyone verifies the right code without a token, then it is genuine and shows only masked parties and no description', async () => {
    const r = await call(api, undefined, 'GET', verifyPath({ e2e: transfer.endToEndId, code: formatAuthenticationCode(code) }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      valid: true,
      receipt: { endToEndId: transfer.endToEndId, status: 'COMPLETED', amount: '123.45', payer: { name: 'Beatriz L***' }, receiver: { name: 'Carlos R***' } },
    });
    expect(r.body.receipt.payer.cpf).toMatch(/^\*\*\*\.\d{3}\.\d{3}-\*\*$/);
    expect(r.text).not.toContain('Conserto');
    expect(r.text).not.toContain(payer.cpf);
    // Typed in lower case with dashes, and with the printed amount: still genuine.
    const typed = await call(api, undefined, 'GET', verifyPath({ e2e: transfer.endToEndId, code: formatAuthenticationCode(code).toLowerCase().replace(/ /g, '-'), amount: '123.45' }));
    expect(typed.body).toMatchObject({ valid: true });
  });

  it('when the code, the EndToEndId or the amount is changed, then the answer is only { valid: false }', async () => {
    const flipped = code[5] === 'A' ? 'B' : 'A';
    const changedCode = code.slice(0, 5) + flipped + code.slice(6);
    const otherE2e = generateEndToEndId(KRT_ISPB, new Date(), randomUUID().replace(/-/g, '').slice(0, 11));
    const changed: Record<string, string>[] = [
      { e2e: transfer.endToEndId, code: changedCode },
      { e2e: otherE2e, code },
      { e2e: transfer.endToEndId, code, amount: '1234.50' },
    ];
    for (const q of changed) {
      const r = await call(api, undefined, 'GET', verifyPath(q));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ valid: false });
    }
  });

  it('when the query is not an EndToEndId and a code, then 422 with field codes', async () => {
    const r = await call(api, undefined, 'GET', verifyPath({ e2e: 'abc', code: '0000' }));
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual(
      expect.arrayContaining([
        ['e2e', 'END_TO_END_ID_INVALID'],
        ['code', 'RECEIPT_CODE_INVALID'],
      ]),
    );
  });

  it('when the OpenAPI document is read, then it lists the receipt and the public verification (without security)', async () => {
    const r = await call(api, undefined, 'GET', '/openapi.json');
    expect(r.body.paths['/v1/pix/transfers/{id}/receipt.pdf'].get.responses['200'].content['application/pdf']).toBeDefined();
    expect(r.body.paths['/v1/receipts/verify'].get.security).toBeUndefined();
  });
});
