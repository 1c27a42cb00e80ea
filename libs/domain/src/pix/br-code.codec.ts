import { Money } from '../money/money.value-object';
import { type DomainErrorCode } from '../shared/domain.error';
import { fail, ok, type Result } from '../shared/result.util';
import { crc16Hex } from './crc16.util';
import { PIX_KEY_MAX_LENGTH, type PixKey } from './pix-key.value-object';

/**
 * BR Code / "Pix Copia e Cola": EMV Merchant-Presented QR payload, a sequence of
 * TLV fields `ID(2) + length(2) + value`. Layout (BCB Manual de Padrões para Iniciação do Pix):
 *   00 payload format "01" · 01 initiation method "11" static / "12" dynamic (optional)
 *   26 merchant account: 00 GUI "br.gov.bcb.pix", 01 key (static) or 25 URL (dynamic), 02 free text
 *   52 MCC "0000" · 53 currency "986" · 54 amount (optional) · 58 country "BR"
 *   59 merchant name (≤25) · 60 city (≤15) · 61 CEP (optional) · 62 → 05 txid or "***"
 *   63 CRC-16/CCITT-FALSE over everything up to and including "6304", 4 upper-case hex.
 */
export const PIX_GUI = 'br.gov.bcb.pix';
export const BR_CODE_MERCHANT_NAME_MAX = 25;
export const BR_CODE_MERCHANT_CITY_MAX = 15;
export const BR_CODE_TXID_MAX = 25;
const TXID_ABSENT = '***';
const TXID = /^[a-zA-Z0-9]{1,25}$/;
const TLV_MAX_VALUE_LENGTH = 99;
const AMOUNT_MAX_LENGTH = 13;

const ID = {
  payloadFormat: '00',
  initiationMethod: '01',
  merchantAccount: '26',
  mcc: '52',
  currency: '53',
  amount: '54',
  country: '58',
  merchantName: '59',
  merchantCity: '60',
  postalCode: '61',
  additionalData: '62',
  crc: '63',
} as const;
const ACCOUNT = { gui: '00', key: '01', description: '02', url: '25' } as const;
const TXID_ID = '05';

export interface StaticBrCodeInput {
  /** The receiver's key (a PixKey, or its canonical string). */
  readonly key: PixKey | string;
  /** Folded to ASCII without accents and cut to 25 characters. */
  readonly merchantName: string;
  /** Folded to ASCII without accents and cut to 15 characters. */
  readonly merchantCity: string;
  readonly amount?: Money;
  /** Up to 25 alphanumerics; omitted or `***` means "no txid". */
  readonly txid?: string;
  /** Free text shown to the payer (26-02); folded to ASCII. */
  readonly description?: string;
}

export interface ParsedBrCode {
  /** From field 01 when present. */
  readonly initiationMethod: 'STATIC' | 'DYNAMIC' | undefined;
  /** Static codes carry the key (26-01) … */
  readonly key: string | undefined;
  /** … dynamic codes a payload URL (26-25). */
  readonly url: string | undefined;
  readonly description: string | undefined;
  readonly merchantCategoryCode: string;
  readonly amount: Money | undefined;
  readonly merchantName: string;
  readonly merchantCity: string;
  readonly postalCode: string | undefined;
  /** undefined when the code says `***`. */
  readonly txid: string | undefined;
  readonly crc: string;
}

interface TlvField {
  readonly id: string;
  readonly value: string;
}

// ---------------------------------------------------------------- building

export function buildStaticBrCode(input: StaticBrCodeInput): Result<string> {
  const key = typeof input.key === 'string' ? input.key.trim() : input.key.value;
  if (key.length === 0 || key.length > PIX_KEY_MAX_LENGTH) return fail('PIX_KEY_INVALID', { field: 'key' });
  const name = foldToAscii(input.merchantName).slice(0, BR_CODE_MERCHANT_NAME_MAX).trim();
  if (name.length === 0) return invalid('merchantName', 'Informe o nome do recebedor.');
  const city = foldToAscii(input.merchantCity).slice(0, BR_CODE_MERCHANT_CITY_MAX).trim();
  if (city.length === 0) return invalid('merchantCity', 'Informe a cidade do recebedor.');
  const txid = input.txid ?? TXID_ABSENT;
  if (txid !== TXID_ABSENT && !TXID.test(txid)) {
    return invalid('txid', 'O identificador (txid) deve ter até 25 letras ou números.');
  }
  const amount = input.amount === undefined ? ok(undefined) : amountField(input.amount);
  if (!amount.ok) return amount;
  const account = merchantAccountField(key, input.description);
  if (!account.ok) return account;

  const body = [
    tlv(ID.payloadFormat, '01'),
    account.value,
    tlv(ID.mcc, '0000'),
    tlv(ID.currency, '986'),
    amount.value ?? '',
    tlv(ID.country, 'BR'),
    tlv(ID.merchantName, name),
    tlv(ID.merchantCity, city),
    tlv(ID.additionalData, tlv(TXID_ID, txid)),
    `${ID.crc}04`,
  ].join('');
  return ok(body + crc16Hex(body));
}

function amountField(amount: Money): Result<string> {
  if (!amount.isPositive()) return fail('PIX_AMOUNT_INVALID', { field: 'amount' });
  const text = amount.toApiString();
  if (text.length > AMOUNT_MAX_LENGTH) return fail('MONEY_TOO_LARGE', { field: 'amount' });
  return ok(tlv(ID.amount, text));
}

function merchantAccountField(key: string, description: string | undefined): Result<string> {
  const text = description === undefined ? '' : foldToAscii(description);
  const inner =
    tlv(ACCOUNT.gui, PIX_GUI) + tlv(ACCOUNT.key, key) + (text.length > 0 ? tlv(ACCOUNT.description, text) : '');
  if (inner.length > TLV_MAX_VALUE_LENGTH) {
    return invalid('description', 'A descrição é longa demais para o QR Code Pix.');
  }
  return ok(tlv(ID.merchantAccount, inner));
}

function tlv(id: string, value: string): string {
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** Strips accents and anything outside printable ASCII, collapses spaces. */
export function foldToAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------- parsing

export function parseBrCode(payload: string): Result<ParsedBrCode> {
  if (typeof payload !== 'string') return invalid('brCode');
  const code = payload.trim();
  const fields = parseTlv(code);
  if (!fields) return invalid('brCode');
  const crcCheck = checkCrc(code, fields);
  if (!crcCheck.ok) return crcCheck;
  const byId = indexFields(fields);
  if (!byId || fields[0]?.id !== ID.payloadFormat || byId.get(ID.payloadFormat) !== '01') return invalid('brCode');
  return readFields(byId, crcCheck.value);
}

function readFields(byId: ReadonlyMap<string, string>, crc: string): Result<ParsedBrCode> {
  const initiation = readInitiationMethod(byId.get(ID.initiationMethod));
  if (!initiation.ok) return initiation;
  const account = readMerchantAccount(byId);
  if (!account.ok) return account;
  if (byId.get(ID.currency) !== '986' || byId.get(ID.country) !== 'BR') return brCodeError('BR_CODE_UNSUPPORTED');
  const amount = readAmount(byId.get(ID.amount));
  if (!amount.ok) return amount;
  const txid = readTxid(byId.get(ID.additionalData));
  if (!txid.ok) return txid;
  const mcc = byId.get(ID.mcc);
  const merchantName = byId.get(ID.merchantName);
  const merchantCity = byId.get(ID.merchantCity);
  if (mcc === undefined || !merchantName || !merchantCity) return invalid('brCode');
  return ok({
    initiationMethod: initiation.value,
    ...account.value,
    merchantCategoryCode: mcc,
    amount: amount.value,
    merchantName,
    merchantCity,
    postalCode: byId.get(ID.postalCode),
    txid: txid.value,
    crc,
  });
}

function checkCrc(code: string, fields: readonly TlvField[]): Result<string> {
  const last = fields[fields.length - 1];
  if (last?.id !== ID.crc || !/^[0-9A-Fa-f]{4}$/.test(last.value)) return invalid('brCode');
  const expected = crc16Hex(code.slice(0, -4));
  return last.value.toUpperCase() === expected ? ok(expected) : brCodeError('BR_CODE_CRC_MISMATCH');
}

function readInitiationMethod(value: string | undefined): Result<ParsedBrCode['initiationMethod']> {
  if (value === undefined) return ok(undefined);
  if (value === '11') return ok('STATIC');
  if (value === '12') return ok('DYNAMIC');
  return invalid('brCode');
}

type AccountInfo = Pick<ParsedBrCode, 'key' | 'url' | 'description'>;

/** Merchant account templates may sit anywhere in 26–51; the PIX one has GUI br.gov.bcb.pix. */
function readMerchantAccount(byId: ReadonlyMap<string, string>): Result<AccountInfo> {
  for (const [id, value] of byId) {
    if (Number(id) < 26 || Number(id) > 51) continue;
    const inner = parseTlv(value);
    const innerById = inner ? indexFields(inner) : null;
    if (!innerById) return invalid('brCode');
    if (innerById.get(ACCOUNT.gui)?.toLowerCase() !== PIX_GUI) continue;
    return accountInfo(innerById);
  }
  return brCodeError('BR_CODE_NOT_PIX');
}

function accountInfo(account: ReadonlyMap<string, string>): Result<AccountInfo> {
  const key = account.get(ACCOUNT.key);
  const url = account.get(ACCOUNT.url);
  if (!key && !url) return invalid('brCode');
  if (key !== undefined && key.length > PIX_KEY_MAX_LENGTH) return invalid('brCode');
  return ok({ key, url, description: account.get(ACCOUNT.description) });
}

function readAmount(value: string | undefined): Result<Money | undefined> {
  if (value === undefined) return ok(undefined);
  const amount = Money.parse(value);
  if (!amount.ok || !amount.value.isPositive()) return invalid('amount', 'O valor do QR Code Pix é inválido.');
  return amount;
}

function readTxid(value: string | undefined): Result<string | undefined> {
  if (value === undefined) return ok(undefined);
  const inner = parseTlv(value);
  const innerById = inner ? indexFields(inner) : null;
  if (!innerById) return invalid('brCode');
  const txid = innerById.get(TXID_ID);
  return ok(txid === undefined || txid === TXID_ABSENT ? undefined : txid);
}

/** Splits a TLV string; null when lengths or ids are malformed or the string is truncated. */
function parseTlv(text: string): TlvField[] | null {
  const fields: TlvField[] = [];
  let at = 0;
  while (at < text.length) {
    const header = text.slice(at, at + 4);
    if (!/^\d{4}$/.test(header)) return null;
    const length = Number(header.slice(2));
    const value = text.slice(at + 4, at + 4 + length);
    if (length === 0 || value.length !== length) return null;
    fields.push({ id: header.slice(0, 2), value });
    at += 4 + length;
  }
  return fields.length > 0 ? fields : null;
}

/** Map of id → value; null when an id repeats. */
function indexFields(fields: readonly TlvField[]): Map<string, string> | null {
  const byId = new Map<string, string>();
  for (const field of fields) {
    if (byId.has(field.id)) return null;
    byId.set(field.id, field.value);
  }
  return byId;
}

function invalid(field: string, message?: string): Result<never> {
  return fail('BR_CODE_INVALID', { field, ...(message === undefined ? {} : { message }) });
}

function brCodeError(code: DomainErrorCode): Result<never> {
  return fail(code, { field: 'brCode' });
}
