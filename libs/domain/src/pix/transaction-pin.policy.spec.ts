import { describe, expect, it } from 'vitest';
import { checkTransactionPin } from './transaction-pin.policy';

const refused = (pin: string, birthDate?: string) => {
  const r = checkTransactionPin(pin, birthDate ? { birthDate } : {});
  return r.ok ? undefined : r.code;
};

describe('transaction PIN policy', () => {
  it('when the PIN is not exactly 4 ASCII digits, then PIN_FORMAT', () => {
    for (const pin of ['', '472', '47215', '47a1', ' 4721', '٤٧٢١', '4721\n']) expect(refused(pin)).toBe('PIN_FORMAT');
  });

  it('when every digit is the same, or the digits run up or down, then PIN_WEAK', () => {
    for (let i = 0; i <= 9; i++) expect(refused(String(i).repeat(4))).toBe('PIN_WEAK');
    for (const pin of ['0123', '1234', '3456', '6789', '9876', '5432', '3210']) expect(refused(pin)).toBe('PIN_WEAK');
  });

  it('when the PIN is ABAB or any year 1900–2029, then PIN_WEAK; 1899 and 2030 are not years we refuse', () => {
    for (const pin of ['1212', '9090', '0101']) expect(refused(pin)).toBe('PIN_WEAK');
    for (let y = 1900; y <= 2029; y++) expect(refused(String(y))).toBe('PIN_WEAK');
    expect(refused('1899')).toBeUndefined();
    expect(refused('2030')).toBeUndefined();
  });

  it('when the birth date is known, then its DDMM and MMDD are refused, and only with it', () => {
    expect(refused('2507', '1988-07-25')).toBe('PIN_WEAK');
    expect(refused('0725', '1988-07-25')).toBe('PIN_WEAK');
    expect(refused('2507')).toBeUndefined();
    expect(refused('0725')).toBeUndefined();
  });

  it('when the PIN is none of those, then it is accepted, with a pt-BR message on every refusal', () => {
    for (const pin of ['4721', '0852', '1357', '9035', '1122']) expect(checkTransactionPin(pin)).toEqual({ ok: true });
    const r = checkTransactionPin('1234');
    expect(!r.ok && r.message).toMatch(/senha de transação/);
  });
});
