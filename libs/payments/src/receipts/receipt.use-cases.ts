// PIX receipts: the PDF for a party of the transfer, and the public check of a receipt's authentication code.
//
// Only a COMPLETED transfer has a receipt: a receipt attests that the money moved. PENDING answers 409 RECEIPT_NOT_READY
// (ask again shortly); FAILED answers 409 RECEIPT_NOT_AVAILABLE (nothing moved; the transfer's page shows why it
// failed). The public check answers `{ valid: false }` for anything that is not the genuine code of a completed
// transfer's EndToEndId, the same way whether the EndToEndId exists or not, and then shows only non-sensitive fields
// (both names and CPFs masked, no description). Brute force is hopeless (160-bit codes); the BFF limits calls per IP.
import { Cpf, KRT_BANK_NAME, KRT_ISPB, maskPersonName, PixKey, type PixKeyType } from '@krt/domain';
import { AppError } from '@krt/platform/http';
import { accountIdOf } from '../accounts/account.queries';
import { apiAmount } from '../shared/money-format';
import { PaymentsErrors } from '../shared/payments.errors';
import type { PaymentsContext } from '../shared/payments.context';
import { receiptAuthenticationCode, verifyAuthenticationCode, type ReceiptFields } from './receipt-authentication';
import { renderReceiptPdf, type ReceiptParty } from './receipt-pdf';

export const ReceiptErrors = {
  notReady: () =>
    new AppError(409, 'RECEIPT_NOT_READY', 'O comprovante fica disponível quando o Pix for concluído. Tente novamente em instantes.'),
  notAvailable: () => new AppError(409, 'RECEIPT_NOT_AVAILABLE', 'Este Pix não foi concluído, por isso não tem comprovante.'),
};

/** The public page a receipt sends its reader to (apps/web: /comprovantes/verificar). */
export const RECEIPT_VERIFY_PATH = '/comprovantes/verificar';

interface ReceiptRow {
  id: string;
  end_to_end_id: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  amount: bigint;
  description: string;
  receiver_key_type: PixKeyType;
  receiver_key: string;
  completed_at: Date | null;
  refund_of: string | null;
  original_end_to_end_id: string | null;
  payer_account_id: string;
  payer_name: string;
  payer_cpf: string;
  payer_agency: string;
  payer_number: string;
  receiver_account_id: string;
  receiver_name: string;
  receiver_cpf: string;
  receiver_agency: string;
  receiver_number: string;
}

const SELECT = `SELECT t.id, t.end_to_end_id, t.status, t.amount, t.description, t.receiver_key_type, t.receiver_key, t.completed_at,
  t.refund_of, (SELECT o.end_to_end_id FROM pix_transfers o WHERE o.id = t.refund_of) AS original_end_to_end_id,
  t.payer_account_id, p.holder_name AS payer_name, p.holder_cpf AS payer_cpf, p.agency AS payer_agency, p.number AS payer_number,
  t.receiver_account_id, r.holder_name AS receiver_name, r.holder_cpf AS receiver_cpf, r.agency AS receiver_agency, r.number AS receiver_number
  FROM pix_transfers t JOIN accounts p ON p.id = t.payer_account_id JOIN accounts r ON r.id = t.receiver_account_id`;

const fieldsOf = (t: ReceiptRow & { completed_at: Date }): ReceiptFields => ({
  endToEndId: t.end_to_end_id,
  amountCentavos: BigInt(t.amount),
  status: 'COMPLETED',
  completedAt: t.completed_at.toISOString(),
  description: t.description,
  payerName: t.payer_name,
  payerCpf: t.payer_cpf,
  payerAgency: t.payer_agency,
  payerAccount: t.payer_number,
  receiverName: t.receiver_name,
  receiverCpf: t.receiver_cpf,
  receiverAgency: t.receiver_agency,
  receiverAccount: t.receiver_number,
});

function keyOf(ctx: PaymentsContext): Uint8Array {
  if (!ctx.receiptKey) throw new Error('PAYMENTS_RECEIPT_KEY is not configured in this process');
  return ctx.receiptKey;
}

const party = (name: string, cpf: string, agency: string, account: string, showName: boolean): ReceiptParty => ({
  name: showName ? name : maskPersonName(name),
  cpf: Cpf.of(cpf).mask(),
  bank: KRT_BANK_NAME,
  ispb: KRT_ISPB,
  agency,
  account,
});

export function receiptVerifyUrl(ctx: PaymentsContext): string {
  return `${(ctx.publicUrl ?? 'http://localhost:5000').replace(/\/+$/, '')}${RECEIPT_VERIFY_PATH}`;
}

/**
 * The receipt PDF of a transfer the caller is a party to (404 otherwise, as getTransfer). The reader's own name in
 * full, the other party's masked, CPFs masked; the code signs the stored fields, not what is printed.
 */
export async function receiptPdf(ctx: PaymentsContext, customerId: string, transferId: string): Promise<{ endToEndId: string; pdf: Uint8Array }> {
  const accountId = await accountIdOf(ctx, customerId);
  const { rows } = await ctx.pool.query<ReceiptRow>(`${SELECT} WHERE t.id = $1 AND (t.payer_account_id = $2 OR t.receiver_account_id = $2)`, [transferId, accountId]);
  const t = rows[0];
  if (!t) throw PaymentsErrors.transferNotFound();
  if (t.status === 'PENDING') throw ReceiptErrors.notReady();
  if (t.status !== 'COMPLETED' || !t.completed_at) throw ReceiptErrors.notAvailable();
  const completed = { ...t, completed_at: t.completed_at };
  const sent = t.payer_account_id === accountId;
  const code = receiptAuthenticationCode(keyOf(ctx), fieldsOf(completed));
  const { rows: refunds } = await ctx.pool.query<{ end_to_end_id: string; amount: bigint; created_at: Date; status: 'PENDING' | 'COMPLETED' }>(
    "SELECT end_to_end_id, amount, created_at, status FROM pix_transfers WHERE refund_of = $1 AND status <> 'FAILED' ORDER BY created_at, id",
    [t.id],
  );
  const pdf = await renderReceiptPdf({
    endToEndId: t.end_to_end_id,
    amountCentavos: BigInt(t.amount),
    description: t.description,
    completedAt: t.completed_at,
    payer: party(t.payer_name, t.payer_cpf, t.payer_agency, t.payer_number, sent),
    receiver: {
      ...party(t.receiver_name, t.receiver_cpf, t.receiver_agency, t.receiver_number, !sent),
      // A devolução goes back to the original's payer, not to a key.
      ...(t.refund_of ? {} : { key: PixKey.of(t.receiver_key_type, t.receiver_key).mask() }),
    },
    code,
    verifyUrl: receiptVerifyUrl(ctx),
    ...(t.original_end_to_end_id ? { refundOf: { endToEndId: t.original_end_to_end_id } } : {}),
    refunds: refunds.map((x) => ({ endToEndId: x.end_to_end_id, amountCentavos: BigInt(x.amount), at: x.created_at, status: x.status })),
  });
  return { endToEndId: t.end_to_end_id, pdf };
}

/** The code a completed transfer's receipt carries (tests and support tools; never exposed by a public route). */
export async function receiptCodeOf(ctx: PaymentsContext, transferId: string): Promise<string | undefined> {
  const { rows } = await ctx.pool.query<ReceiptRow>(`${SELECT} WHERE t.id = $1 AND t.status = 'COMPLETED'`, [transferId]);
  const t = rows[0];
  return t?.completed_at ? receiptAuthenticationCode(keyOf(ctx), fieldsOf({ ...t, completed_at: t.completed_at })) : undefined;
}

export type ReceiptVerification =
  | { valid: false }
  | {
      valid: true;
      receipt: {
        endToEndId: string;
        status: 'COMPLETED';
        amount: string;
        completedAt: string;
        payer: { name: string; cpf: string; bank: string; ispb: string };
        receiver: { name: string; cpf: string; bank: string; ispb: string };
      };
    };

/** A stand-in signed when the EndToEndId is unknown, so an unknown one costs the same as a wrong code. */
const NOBODY: ReceiptFields = {
  endToEndId: '',
  amountCentavos: 0n,
  status: 'COMPLETED',
  completedAt: new Date(0).toISOString(),
  description: '',
  payerName: '',
  payerCpf: '',
  payerAgency: '',
  payerAccount: '',
  receiverName: '',
  receiverCpf: '',
  receiverAgency: '',
  receiverAccount: '',
};

/**
 * Public: is `code` the genuine authentication code of the receipt of `endToEndId`? When `amountCentavos` is given
 * (the amount printed on the receipt in hand), it must match too. Anything else is `{ valid: false }`.
 */
export async function verifyReceipt(ctx: PaymentsContext, q: { endToEndId: string; code: string; amountCentavos?: bigint }): Promise<ReceiptVerification> {
  const key = keyOf(ctx);
  const { rows } = await ctx.pool.query<ReceiptRow>(`${SELECT} WHERE t.end_to_end_id = $1 AND t.status = 'COMPLETED'`, [q.endToEndId]);
  const t = rows[0];
  if (!t?.completed_at) {
    verifyAuthenticationCode(key, NOBODY, q.code);
    return { valid: false };
  }
  const fields = fieldsOf({ ...t, completed_at: t.completed_at });
  const genuine = verifyAuthenticationCode(key, fields, q.code);
  if (!genuine || (q.amountCentavos !== undefined && q.amountCentavos !== fields.amountCentavos)) return { valid: false };
  const pub = (name: string, cpf: string) => ({ name: maskPersonName(name), cpf: Cpf.of(cpf).mask(), bank: KRT_BANK_NAME, ispb: KRT_ISPB });
  return {
    valid: true,
    receipt: {
      endToEndId: t.end_to_end_id,
      status: 'COMPLETED',
      amount: apiAmount(fields.amountCentavos),
      completedAt: fields.completedAt,
      payer: pub(t.payer_name, t.payer_cpf),
      receiver: pub(t.receiver_name, t.receiver_cpf),
    },
  };
}
