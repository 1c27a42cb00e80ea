// The BFF and PIX receipts (issue #18): the PDF crosses the gateway byte for byte with its headers, only for a party of
// the transfer; the receipt check is public (no session) but still needs the anti-forgery header.
import { randomUUID } from 'node:crypto';
import { eventually, passwordGrant } from '@krt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../support/pdf-text';
import { BffClient, closeTestKit, depositTo, newBankCustomer, PASSWORD, PAYMENTS_URL, startBff, TEST_PIN, type TestBff, type TestCustomer } from './bff-test-kit';

type BankCustomer = TestCustomer & { accountId: string };
let bff: TestBff;
let alice: BankCustomer;
let bob: BankCustomer;
let carol: BankCustomer;
let aliceClient: BffClient;
let carolClient: BffClient;
let transfer: { id: string; endToEndId: string };

async function bytesThrough(client: BffClient, path: string) {
  const res = await fetch(`${bff.url}${path}`, { headers: { 'x-csrf': '1', cookie: client.cookieHeader() } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

beforeAll(async () => {
  bff = await startBff();
  [alice, bob, carol] = await Promise.all([newBankCustomer(), newBankCustomer(), newBankCustomer()]);
  await depositTo(alice.accountId, '200.00');
  aliceClient = new BffClient(bff);
  const bobClient = new BffClient(bff);
  carolClient = new BffClient(bff);
  expect((await aliceClient.signIn(alice.cpf)).status).toBe(204);
  expect((await bobClient.signIn(bob.cpf)).status).toBe(204);
  expect((await carolClient.signIn(carol.cpf)).status).toBe(204);
  const key = await bobClient.post('/api/v1/pix/keys', { type: 'EVP' });
  const sent = await aliceClient.post('/api/v1/pix/transfers', { key: key.body.value, amount: '31.40', description: 'Recibo pelo BFF', pin: TEST_PIN }, { headers: { 'idempotency-key': randomUUID() } });
  expect(sent.status).toBe(202);
  transfer = { id: sent.body.id, endToEndId: sent.body.endToEndId };
  await eventually(async () => ((await aliceClient.get(`/api/v1/pix/transfers/${transfer.id}`)).body.status === 'COMPLETED' ? true : undefined), {
    timeoutMs: 40_000,
    what: 'transfer completed',
  });
});
afterAll(async () => {
  await bff?.close();
  await closeTestKit();
});

describe('PIX receipt through the BFF', () => {
  it('when the payer downloads the receipt through the BFF, then the PDF bytes and headers are exactly what payments answered', async () => {
    const viaBff = await bytesThrough(aliceClient, `/api/v1/pix/transfers/${transfer.id}/receipt.pdf`);
    expect(viaBff.status).toBe(200);
    expect(viaBff.headers.get('content-type')).toBe('application/pdf');
    expect(viaBff.headers.get('content-disposition')).toBe(`attachment; filename="comprovante-pix-${transfer.endToEndId}.pdf"`);
    const { access_token } = await passwordGrant(alice.cpf, PASSWORD);
    const direct = await fetch(`${PAYMENTS_URL}/v1/pix/transfers/${transfer.id}/receipt.pdf`, { headers: { authorization: `Bearer ${access_token}` } });
    const directBytes = new Uint8Array(await direct.arrayBuffer());
    // The receipt is rendered deterministically (its dates are the transfer's), so the bytes must be identical.
    expect(Buffer.from(viaBff.bytes).equals(Buffer.from(directBytes))).toBe(true);
    expect(pdfText(viaBff.bytes)).toContain(transfer.endToEndId);
  });

  it('when a signed-in customer who is not a party asks, then 404; signed out, 401', async () => {
    expect((await bytesThrough(carolClient, `/api/v1/pix/transfers/${transfer.id}/receipt.pdf`)).status).toBe(404);
    expect((await bytesThrough(new BffClient(bff), `/api/v1/pix/transfers/${transfer.id}/receipt.pdf`)).status).toBe(401);
  });

  it('when someone without a session checks the code, then the BFF forwards it (public), and refuses it without X-CSRF', async () => {
    const pdf = await bytesThrough(aliceClient, `/api/v1/pix/transfers/${transfer.id}/receipt.pdf`);
    const code = pdfText(pdf.bytes).match(/(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}/)?.[0];
    expect(code).toBeDefined();
    const anonymous = new BffClient(bff);
    const path = `/api/v1/receipts/verify?${new URLSearchParams({ e2e: transfer.endToEndId, code: code! })}`;
    const ok = await anonymous.get(path);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ valid: true, receipt: { endToEndId: transfer.endToEndId, amount: '31.40' } });
    const wrong = await anonymous.get(`/api/v1/receipts/verify?${new URLSearchParams({ e2e: transfer.endToEndId, code: `${code!.slice(0, -1)}${code!.endsWith('A') ? 'B' : 'A'}` })}`);
    expect(wrong.body).toEqual({ valid: false });
    expect((await anonymous.get(path, { csrf: false })).status).toBe(403);
  });
});
