import { describe, expect, it } from 'vitest';
import {
  canonicalReceipt,
  formatAuthenticationCode,
  normaliseAuthenticationCode,
  parseReceiptKey,
  receiptAuthenticationCode,
  verifyAuthenticationCode,
  type ReceiptFields,
} from './receipt-authentication';

const KEY = Buffer.alloc(32, 7);
const fields: ReceiptFields = {
  endToEndId: 'E12345678202612061450abcdefghijk',
  amountCentavos: 15000n,
  status: 'COMPLETED',
  completedAt: '2026-12-06T17:50:01.123Z',
  description: 'Almoço de domingo',
  payerName: 'Maria da Silva Souza',
  payerCpf: '52998224725',
  payerAgency: '0001',
  payerAccount: '123456-7',
  receiverName: 'João Pereira Santos',
  receiverCpf: '11144477735',
  receiverAgency: '0001',
  receiverAccount: '765432-1',
};

describe('receipt authentication code', () => {
  it('when the same fields are signed twice, then the code is the same 32 base32 characters', () => {
    const code = receiptAuthenticationCode(KEY, fields);
    expect(code).toMatch(/^[A-Z2-7]{32}$/);
    expect(receiptAuthenticationCode(KEY, { ...fields })).toBe(code);
    expect(verifyAuthenticationCode(KEY, fields, code)).toBe(true);
  });

  it('when the code is typed in groups, lower case or with dashes, then it still verifies', () => {
    const code = receiptAuthenticationCode(KEY, fields);
    const grouped = formatAuthenticationCode(code);
    expect(grouped).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(verifyAuthenticationCode(KEY, fields, grouped)).toBe(true);
    expect(verifyAuthenticationCode(KEY, fields, grouped.toLowerCase().replace(/ /g, '-'))).toBe(true);
  });

  it('when any one field is changed, then the original code does not verify', () => {
    const code = receiptAuthenticationCode(KEY, fields);
    const changes: Partial<ReceiptFields>[] = [
      { endToEndId: 'E12345678202612061450abcdefghijx' },
      { amountCentavos: 15001n },
      { completedAt: '2026-12-06T17:50:02.123Z' },
      { description: 'Almoço de sábado' },
      { payerName: 'Maria da Silva Sousa' },
      { payerCpf: '52998224726' },
      { payerAgency: '0002' },
      { payerAccount: '123456-8' },
      { receiverName: 'João Pereira Santo' },
      { receiverCpf: '11144477736' },
      { receiverAgency: '0002' },
      { receiverAccount: '765432-2' },
    ];
    for (const change of changes) expect(verifyAuthenticationCode(KEY, { ...fields, ...change }, code), JSON.stringify(change, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(false);
  });

  it('when a field boundary moves (text shifted from one field to the next), then the canonical form differs', () => {
    const a = canonicalReceipt({ ...fields, payerName: 'Maria', payerCpf: '52998224725' });
    const b = canonicalReceipt({ ...fields, payerName: 'Maria5', payerCpf: '2998224725' });
    expect(a).not.toBe(b);
  });

  it('when another key signs, or the code is changed, truncated or not a code, then it does not verify', () => {
    const code = receiptAuthenticationCode(KEY, fields);
    expect(verifyAuthenticationCode(Buffer.alloc(32, 8), fields, code)).toBe(false);
    const flipped = (code[0] === 'A' ? 'B' : 'A') + code.slice(1);
    expect(verifyAuthenticationCode(KEY, fields, flipped)).toBe(false);
    expect(verifyAuthenticationCode(KEY, fields, code.slice(0, 31))).toBe(false);
    expect(verifyAuthenticationCode(KEY, fields, '')).toBe(false);
    expect(verifyAuthenticationCode(KEY, fields, `${code}A`)).toBe(false);
    expect(normaliseAuthenticationCode('0000 1111')).toBeUndefined();
  });

  it('when the configured key is short, then it is refused; 32 bytes in hex or base64 are accepted', () => {
    expect(() => parseReceiptKey('abcd')).toThrow(/32 bytes/);
    expect(parseReceiptKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseReceiptKey(Buffer.alloc(48, 1).toString('base64'))).toHaveLength(48);
  });
});
