// Receipts (issue #18): a transfer's PDF receipt for its payer or receiver, and the public check of a receipt's code.
import { createRoute, z } from '@hono/zod-openapi';
import { Money } from '@krt/domain';
import { receiptPdf, verifyReceipt, type PaymentsContext } from '@krt/payments';
import { json, problems, security } from '@krt/platform/http';
import { customerOf, type PaymentsApi } from './openapi-kit';
import * as S from './schemas';

/** The one /v1 path anyone may call without a token (paymentsApi's guard lets it through). */
export const PUBLIC_RECEIPT_PATHS = ['/v1/receipts/verify'];

export function registerReceiptRoutes(api: PaymentsApi, ctx: PaymentsContext): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/pix/transfers/{id}/receipt.pdf',
      tags: ['pix-transfers'],
      security,
      request: { params: S.idParams },
      responses: {
        200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The receipt (payer or receiver only), with its authentication code' },
        ...problems(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { endToEndId, pdf } = await receiptPdf(ctx, customerOf(c), c.req.valid('param').id);
      return c.body(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer, 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="comprovante-pix-${endToEndId}.pdf"`,
        'cache-control': 'private, no-store',
      });
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/receipts/verify',
      tags: ['receipts'],
      description: 'Public (no sign-in): whether the code is the genuine authentication code of the receipt of this EndToEndId. A wrong code answers { valid: false } and nothing else.',
      request: { query: S.receiptVerifyQuery },
      responses: { 200: json(S.receiptVerificationSchema, 'The verdict, with the non-sensitive fields when genuine'), ...problems(422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const verdict = await verifyReceipt(ctx, { endToEndId: q.e2e, code: q.code, amountCentavos: q.amount ? Money.of(q.amount).toCentavos() : undefined });
      c.header('cache-control', 'no-store');
      return c.json(verdict, 200);
    },
  );
}
