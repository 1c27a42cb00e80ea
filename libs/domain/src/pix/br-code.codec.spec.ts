import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.value-object';
import { unwrap } from '../shared/result.util';
import { buildStaticBrCode, foldToAscii, parseBrCode } from './br-code.codec';
import { crc16Hex } from './crc16.util';
import { PixKey } from './pix-key.value-object';

/** BCB "Manual de Padrões para Iniciação do Pix", p.26. */
const OFFICIAL =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';

/** Re-signs a payload after tampering, so tests reach the checks behind the CRC. */
function resign(withoutCrc: string): string {
  const body = `${withoutCrc}6304`;
  return body + crc16Hex(body);
}

function errorCode(payload: string): string | undefined {
  const result = parseBrCode(payload);
  return result.ok ? undefined : result.error.code;
}

describe('parseBrCode: the official example', () => {
  it('parses every field', () => {
    expect(unwrap(parseBrCode(OFFICIAL))).toEqual({
      initiationMethod: undefined,
      key: '123e4567-e12b-12d1-a456-426655440000',
      url: undefined,
      description: undefined,
      merchantCategoryCode: '0000',
      amount: undefined,
      merchantName: 'Fulano de Tal',
      merchantCity: 'BRASILIA',
      postalCode: undefined,
      txid: undefined,
      crc: '1D3D',
    });
  });

  it('tolerates surrounding whitespace from copy and paste', () => {
    expect(parseBrCode(`  ${OFFICIAL}\n`).ok).toBe(true);
  });

  it('accepts a lower-case CRC', () => {
    expect(parseBrCode(OFFICIAL.replace(/1D3D$/, '1d3d')).ok).toBe(true);
  });

  it('accepts the GUI in upper case', () => {
    const upper = resign(OFFICIAL.slice(0, -8).replace('br.gov.bcb.pix', 'BR.GOV.BCB.PIX'));
    expect(unwrap(parseBrCode(upper)).key).toBe('123e4567-e12b-12d1-a456-426655440000');
  });
});

describe('parseBrCode: rejections', () => {
  it('rejects a wrong CRC', () => {
    expect(errorCode(OFFICIAL.replace(/1D3D$/, '1D3E'))).toBe('BR_CODE_CRC_MISMATCH');
  });

  it('rejects a tampered payload with the original CRC', () => {
    expect(errorCode(OFFICIAL.replace('Fulano de Tal', 'Fulano de Tel'))).toBe('BR_CODE_CRC_MISMATCH');
  });

  it.each([
    ['empty', ''],
    ['garbage', 'hello world'],
    ['truncated', OFFICIAL.slice(0, 60)],
    ['no CRC field', OFFICIAL.slice(0, -8)],
    ['CRC not hex', `${OFFICIAL.slice(0, -4)}ZZZZ`],
    ['non-numeric length', OFFICIAL.replace('5913Fulano', '59xxFulano')],
  ])('rejects %s as BR_CODE_INVALID', (_label, payload) => {
    expect(errorCode(payload)).toBe('BR_CODE_INVALID');
  });

  it('rejects a wrong payload format indicator', () => {
    expect(errorCode(resign(OFFICIAL.slice(0, -8).replace(/^000201/, '000202')))).toBe('BR_CODE_INVALID');
  });

  it('rejects a payload that does not start with field 00', () => {
    const body = OFFICIAL.slice(6, -8) + '000201';
    expect(errorCode(resign(body))).toBe('BR_CODE_INVALID');
  });

  it('rejects duplicated fields', () => {
    expect(errorCode(resign(OFFICIAL.slice(0, -8) + '5802BR'))).toBe('BR_CODE_INVALID');
  });

  it('rejects a non-PIX merchant account', () => {
    const other = resign(OFFICIAL.slice(0, -8).replace('br.gov.bcb.pix', 'br.gov.bcb.xyz'));
    expect(errorCode(other)).toBe('BR_CODE_NOT_PIX');
  });

  it('rejects another currency', () => {
    expect(errorCode(resign(OFFICIAL.slice(0, -8).replace('5303986', '5303840')))).toBe('BR_CODE_UNSUPPORTED');
  });

  it('rejects another country', () => {
    expect(errorCode(resign(OFFICIAL.slice(0, -8).replace('5802BR', '5802PT')))).toBe('BR_CODE_UNSUPPORTED');
  });

  it('rejects a code without merchant name', () => {
    expect(errorCode(resign(OFFICIAL.slice(0, -8).replace('5913Fulano de Tal', '')))).toBe('BR_CODE_INVALID');
  });

  it.each(['0.00', '1.999', 'abc', '-5.00'])('rejects amount %j', (amount) => {
    const body = OFFICIAL.slice(0, -8).replace('5802BR', `54${String(amount.length).padStart(2, '0')}${amount}5802BR`);
    const result = parseBrCode(resign(body));
    expect(result.ok ? undefined : result.error.field).toBe('amount');
  });

  it('rejects an unknown initiation method', () => {
    expect(errorCode(resign(OFFICIAL.slice(0, -8).replace(/^000201/, '000201010213')))).toBe('BR_CODE_INVALID');
  });

  it('rejects a merchant account with neither key nor URL', () => {
    const body = '000201' + '26180014br.gov.bcb.pix' + '520400005303986' + '5802BR5901A6001B62070503***';
    expect(errorCode(resign(body))).toBe('BR_CODE_INVALID');
  });
});

describe('parseBrCode: dynamic and optional fields', () => {
  it('reads a dynamic code with URL, amount, CEP and txid', () => {
    const url = 'pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25';
    const account = `0014br.gov.bcb.pix25${url.length}${url}`;
    const body =
      `000201010212` +
      `26${account.length}${account}` +
      `52040000530398654041.005802BR5905ACME 6009SAO PAULO610801310100` +
      `62290525ABCDEFGHIJKLMNOPQRSTUVWXY`;
    const parsed = unwrap(parseBrCode(resign(body)));
    expect(parsed.initiationMethod).toBe('DYNAMIC');
    expect(parsed.url).toBe(url);
    expect(parsed.key).toBeUndefined();
    expect(parsed.amount?.toApiString()).toBe('1.00');
    expect(parsed.merchantName).toBe('ACME ');
    expect(parsed.postalCode).toBe('01310100');
    expect(parsed.txid).toBe('ABCDEFGHIJKLMNOPQRSTUVWXY');
  });

  it('finds the PIX account in another template slot (26–51)', () => {
    const body = OFFICIAL.slice(0, -8).replace('2658', '2758');
    expect(unwrap(parseBrCode(resign(body))).key).toBe('123e4567-e12b-12d1-a456-426655440000');
  });
});

describe('buildStaticBrCode', () => {
  it('reproduces the official example byte for byte', () => {
    const built = buildStaticBrCode({
      key: '123e4567-e12b-12d1-a456-426655440000',
      merchantName: 'Fulano de Tal',
      merchantCity: 'BRASILIA',
    });
    expect(unwrap(built)).toBe(OFFICIAL);
  });

  it('round-trips build → parse with all optional fields', () => {
    const key = PixKey.of('EMAIL', 'loja@krt.com.br');
    const payload = unwrap(
      buildStaticBrCode({
        key,
        merchantName: 'Padaria São João',
        merchantCity: 'São Paulo',
        amount: Money.of('15.90'),
        txid: 'PEDIDO123',
        description: 'Pão de queijo',
      }),
    );
    const parsed = unwrap(parseBrCode(payload));
    expect(parsed.key).toBe('loja@krt.com.br');
    expect(parsed.merchantName).toBe('Padaria Sao Joao');
    expect(parsed.merchantCity).toBe('Sao Paulo');
    expect(parsed.amount?.equals(Money.of('15.90'))).toBe(true);
    expect(parsed.txid).toBe('PEDIDO123');
    expect(parsed.description).toBe('Pao de queijo');
    expect(payload).toMatch(/^[\x20-\x7e]+$/);
    expect(payload).toContain('540515.90');
  });

  it('cuts the name to 25 and the city to 15 characters', () => {
    const payload = unwrap(
      buildStaticBrCode({
        key: '+5511988887777',
        merchantName: 'Maria Aparecida da Silva Souza Pereira',
        merchantCity: 'São José dos Campos',
      }),
    );
    const parsed = unwrap(parseBrCode(payload));
    expect(parsed.merchantName).toBe('Maria Aparecida da Silva');
    expect(parsed.merchantName.length).toBeLessThanOrEqual(25);
    expect(parsed.merchantCity).toBe('Sao Jose dos Ca');
  });

  it('writes *** when there is no txid and accepts *** explicitly', () => {
    const a = unwrap(buildStaticBrCode({ key: 'a@b.co', merchantName: 'A', merchantCity: 'B' }));
    const b = unwrap(buildStaticBrCode({ key: 'a@b.co', merchantName: 'A', merchantCity: 'B', txid: '***' }));
    expect(a).toBe(b);
    expect(a).toContain('62070503***');
  });

  it.each(['', 'a'.repeat(26), 'pedido-1', 'pedido 1'])('rejects txid %j', (txid) => {
    const result = buildStaticBrCode({ key: 'a@b.co', merchantName: 'A', merchantCity: 'B', txid });
    expect(result.ok ? undefined : result.error.field).toBe('txid');
  });

  it('accepts a 25-character txid', () => {
    const txid = 'A'.repeat(25);
    const payload = unwrap(buildStaticBrCode({ key: 'a@b.co', merchantName: 'A', merchantCity: 'B', txid }));
    expect(unwrap(parseBrCode(payload)).txid).toBe(txid);
  });

  it('rejects a zero amount', () => {
    const result = buildStaticBrCode({ key: 'a@b.co', merchantName: 'A', merchantCity: 'B', amount: Money.ZERO });
    expect(result.ok ? undefined : result.error.code).toBe('PIX_AMOUNT_INVALID');
  });

  it('rejects an amount wider than 13 characters', () => {
    const amount = Money.fromCentavos(10_000_000_000_00n);
    const result = buildStaticBrCode({ key: 'a@b.co', merchantName: 'A', merchantCity: 'B', amount });
    expect(result.ok ? undefined : result.error.code).toBe('MONEY_TOO_LARGE');
  });

  it('rejects empty name, city or key', () => {
    const base = { key: 'a@b.co', merchantName: 'A', merchantCity: 'B' };
    const field = (r: ReturnType<typeof buildStaticBrCode>): string | undefined => (r.ok ? undefined : r.error.field);
    expect(field(buildStaticBrCode({ ...base, merchantName: ' ☺ ' }))).toBe('merchantName');
    expect(field(buildStaticBrCode({ ...base, merchantCity: '' }))).toBe('merchantCity');
    expect(field(buildStaticBrCode({ ...base, key: ' ' }))).toBe('key');
    expect(field(buildStaticBrCode({ ...base, key: 'k'.repeat(78) }))).toBe('key');
  });

  it('rejects a description that overflows the merchant account template', () => {
    const result = buildStaticBrCode({
      key: '123e4567-e89b-42d3-a456-426614174000',
      merchantName: 'A',
      merchantCity: 'B',
      description: 'x'.repeat(60),
    });
    expect(result.ok ? undefined : result.error.field).toBe('description');
  });
});

describe('foldToAscii', () => {
  it('removes accents, non-ASCII and extra spaces', () => {
    expect(foldToAscii('  Ação   Çedilha ñ 😀 ')).toBe('Acao Cedilha n');
  });
});
