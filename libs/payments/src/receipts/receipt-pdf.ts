// The PIX receipt as a PDF (pdf-lib, standard Helvetica, A4, pt-BR): the BACEN receipt fields, the authentication code
// in groups of four and where to verify it. Rendering only: the data and the code come from receipt.use-cases.ts.
import { PDFDocument, PDFName, PDFString, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { brlNumber } from '../shared/money-format';
import { formatAuthenticationCode } from './receipt-authentication';

export interface ReceiptParty {
  name: string;
  cpf: string;
  bank: string;
  ispb: string;
  agency: string;
  account: string;
  key?: string;
}

export interface ReceiptDocument {
  endToEndId: string;
  amountCentavos: bigint;
  description: string;
  completedAt: Date;
  payer: ReceiptParty;
  receiver: ReceiptParty;
  code: string;
  /** The public page that checks the code. */
  verifyUrl: string;
  /** On a devolução: the EndToEndId of the PIX it returns. */
  refundOf?: { endToEndId: string };
  /** On a PIX: its devoluções so far (not failed), oldest first. */
  refunds?: { endToEndId: string; amountCentavos: bigint; at: Date; status: 'PENDING' | 'COMPLETED' }[];
}

/** The verification page with this receipt's EndToEndId and code filled in (the page checks them at once). */
export const prefilledVerifyUrl = (r: Pick<ReceiptDocument, 'verifyUrl' | 'endToEndId' | 'code'>) =>
  `${r.verifyUrl}?${new URLSearchParams({ e2e: r.endToEndId, codigo: r.code }).toString()}`;

const brasilia = new Intl.DateTimeFormat('pt-BR', {
  timeZone: 'America/Sao_Paulo',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** "06/12/2026, 14:50:01" in Brasília time. */
export const receiptDateTime = (at: Date) => brasilia.format(at).replace(',', ' às');

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const INK = rgb(0.12, 0.14, 0.2);
const MUTED = rgb(0.4, 0.43, 0.5);
const BRAND = rgb(0.05, 0.35, 0.6);

export async function renderReceiptPdf(r: ReceiptDocument): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const title = r.refundOf ? 'Comprovante de devolução Pix' : 'Comprovante de transferência Pix';
  doc.setTitle(`${r.refundOf ? 'Comprovante de devolução Pix' : 'Comprovante Pix'} ${r.endToEndId}`);
  doc.setSubject(title);
  doc.setAuthor('KRT Bank');
  doc.setCreator('KRT Bank');
  doc.setProducer('KRT Bank');
  doc.setLanguage('pt-BR');
  doc.setCreationDate(r.completedAt);
  doc.setModificationDate(r.completedAt);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const page = doc.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  let y = A4[1] - MARGIN;

  const text = (value: string, opts: { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb>; x?: number } = {}) => {
    const font = opts.font ?? regular;
    const size = opts.size ?? 10;
    for (const line of wrap(printable(value, font), font, size, width - ((opts.x ?? MARGIN) - MARGIN))) {
      page.drawText(line, { x: opts.x ?? MARGIN, y, size, font, color: opts.color ?? INK });
      y -= size * 1.35;
    }
  };
  const gap = (h: number) => (y -= h);
  const rule = () => {
    page.drawLine({ start: { x: MARGIN, y: y + 4 }, end: { x: MARGIN + width, y: y + 4 }, thickness: 0.5, color: MUTED });
    gap(10);
  };
  const field = (label: string, value: string, font: PDFFont = regular) => {
    text(label, { size: 8, color: MUTED });
    gap(-2);
    text(value, { font, size: 11 });
    gap(4);
  };
  const party = (title: string, p: ReceiptParty) => {
    text(title, { font: bold, size: 12, color: BRAND });
    gap(4);
    field('Nome', p.name);
    field('CPF', p.cpf);
    if (p.key) field('Chave Pix', p.key);
    field('Instituição', `${p.bank} (ISPB ${p.ispb})`);
    field('Agência e conta', `${p.agency} / ${p.account}`);
    gap(4);
  };

  text('KRT Bank', { font: bold, size: 20, color: BRAND });
  text(title, { font: bold, size: 14 });
  gap(6);
  rule();
  field(r.refundOf ? 'Valor devolvido' : 'Valor', `R$ ${brlNumber(r.amountCentavos)}`, bold);
  field('Data e hora (horário de Brasília)', receiptDateTime(r.completedAt));
  field('Situação', 'Concluído');
  field(r.refundOf ? 'ID da devolução' : 'ID da transação (EndToEndId)', r.endToEndId, mono);
  if (r.refundOf) field('Pix original (EndToEndId)', r.refundOf.endToEndId, mono);
  if (r.description) field('Descrição', r.description);
  if (r.refunds?.length) {
    const total = r.refunds.reduce((sum, x) => sum + x.amountCentavos, 0n);
    field('Valor devolvido deste Pix', `R$ ${brlNumber(total)}`);
    for (const x of r.refunds) {
      text(`Devolução de R$ ${brlNumber(x.amountCentavos)} em ${receiptDateTime(x.at)}${x.status === 'PENDING' ? ' (em processamento)' : ''}`, { size: 9 });
      text(x.endToEndId, { font: mono, size: 8, color: MUTED });
    }
    gap(4);
  }
  gap(4);
  rule();
  party(r.refundOf ? 'Quem devolveu' : 'Quem pagou', r.payer);
  party(r.refundOf ? 'Quem recebeu a devolução' : 'Quem recebeu', r.receiver);
  rule();
  text('Autenticação', { font: bold, size: 12, color: BRAND });
  gap(2);
  text(formatAuthenticationCode(r.code), { font: mono, size: 13 });
  gap(6);
  text('Confira se este comprovante é autêntico em', { size: 9, color: MUTED });
  const urlTop = y + 9;
  text(r.verifyUrl, { size: 9, color: BRAND });
  // The printed address is a link to the page with this receipt's data already filled in.
  linkTo(doc, page, prefilledVerifyUrl(r), [MARGIN, y + 9 * 1.35 - 2, MARGIN + regular.widthOfTextAtSize(r.verifyUrl, 9), urlTop]);
  text('informando o ID da transação (EndToEndId) e o código de autenticação acima.', { size: 9, color: MUTED });
  drawFooter(page, regular);
  return doc.save({ useObjectStreams: false });
}

function linkTo(doc: PDFDocument, page: PDFPage, url: string, rect: [number, number, number, number]) {
  const annotation = doc.context.register(
    doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: rect, Border: [0, 0, 0], A: { Type: 'Action', S: 'URI', URI: PDFString.of(url) } }),
  );
  page.node.set(PDFName.of('Annots'), doc.context.obj([annotation]));
}

function drawFooter(page: PDFPage, font: PDFFont) {
  const line = 'KRT Bank S.A. — documento emitido eletronicamente. Guarde este comprovante.';
  page.drawText(printable(line, font), { x: MARGIN, y: MARGIN / 2, size: 8, font, color: MUTED });
}

/** The standard fonts encode WinAnsi only: anything else (an emoji in a description) is shown as "?". */
function printable(value: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  return [...value.normalize('NFC')].map((ch) => (supported.has(ch.codePointAt(0)!) ? ch : '?')).join('');
}

function wrap(value: string, font: PDFFont, size: number, max: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of value.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= max || !current) current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  // A single word wider than the line (a long URL) is cut by characters.
  return (lines.concat(current)).flatMap((line) => {
    if (font.widthOfTextAtSize(line, size) <= max) return [line];
    const parts: string[] = [];
    let part = '';
    for (const ch of line) {
      if (font.widthOfTextAtSize(part + ch, size) > max) {
        parts.push(part);
        part = '';
      }
      part += ch;
    }
    return parts.concat(part);
  });
}
