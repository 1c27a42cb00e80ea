import { parseBrlInput } from '@krt/domain';
import { describe, expect, it } from 'vitest';
import { normalizeAmount } from '../../apps/web/src/app/ui/amount-input';
import { maskAmount, maskCpf } from '../../apps/web/src/app/ui/masks';

/** What the field shows after the customer typed `text` one key at a time (the mask runs on every input event). */
const typed = (text: string) => [...text].reduce((shown, key) => maskAmount(shown + key), '');
/** The amount the bank reads from what the field shows. */
const read = (text: string) => parseBrlInput(typed(text))?.toApiString() ?? null;

describe('maskAmount (amount typed in reais, key by key)', () => {
  it('when the customer types a comma for the decimals, then thousands are grouped and the amount is read as typed', () => {
    expect(typed('10,50')).toBe('10,50');
    expect(read('10,50')).toBe('10.50');
    expect(typed('1050,00')).toBe('1.050,00');
    expect(typed('1.050,00')).toBe('1.050,00');
    expect(read('1.050,00')).toBe('1050.00');
    expect(typed('1234567,891')).toBe('1.234.567,89');
  });

  it('when the customer types a point followed by one or two digits, then it is a decimal point, never more digits', () => {
    expect(typed('10.50')).toBe('10.50');
    expect(read('10.50')).toBe('10.50');
    expect(read('10.5')).toBe('10.50');
    expect(read('0.99')).toBe('0.99');
  });

  it('when the customer types points between groups of three, then they are thousands', () => {
    expect(typed('1.050')).toBe('1.050');
    expect(read('1.050')).toBe('1050.00');
    expect(read('1.234.567')).toBe('1234567.00');
  });

  it('when the customer types only digits, then thousands are grouped as they go', () => {
    expect(typed('10')).toBe('10');
    expect(read('10')).toBe('10.00');
    expect(typed('1050')).toBe('1.050');
    expect(read('1050')).toBe('1050.00');
    expect(typed('00025')).toBe('25');
  });

  it('when the customer types letters or a currency sign, then they are dropped', () => {
    expect(typed('R$ 12,3a4')).toBe('12,34');
  });

  it('when a point leaves digits that are neither decimals nor a thousands group, then the point becomes grouping again', () => {
    expect(typed('1.0505')).toBe('10.505');
  });
});

describe('normalizeAmount (the field once the customer leaves it)', () => {
  it('when the text is an amount, then it is shown the way it was read', () => {
    expect(normalizeAmount('10.50')).toBe('10,50');
    expect(normalizeAmount('10.5')).toBe('10,50');
    expect(normalizeAmount('1.050')).toBe('1.050,00');
    expect(normalizeAmount('10')).toBe('10,00');
    expect(normalizeAmount('1234567,8')).toBe('1.234.567,80');
  });

  it('when the text is not an amount, then it stays as typed for the validator to explain', () => {
    expect(normalizeAmount('')).toBe('');
    expect(normalizeAmount('1.234.5')).toBe('1.234.5');
  });
});

describe('maskCpf', () => {
  it('when a CPF is typed with or without punctuation, then it is shown with dots and dash', () => {
    expect(maskCpf('52998224725')).toBe('529.982.247-25');
    expect(maskCpf('529.982.247-25')).toBe('529.982.247-25');
  });
});
