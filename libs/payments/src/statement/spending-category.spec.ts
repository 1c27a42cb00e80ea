import { describe, expect, it } from 'vitest';
import { spendingCategory } from './spending-category';

describe('spendingCategory', () => {
  it('when the description names a known kind of expense, then the matching category is returned', () => {
    expect(spendingCategory('Supermercado Dia')).toBe('Mercado');
    expect(spendingCategory('almoço com a equipe')).toBe('Alimentação');
    expect(spendingCategory('Uber para casa')).toBe('Transporte');
    expect(spendingCategory('Aluguel de março')).toBe('Moradia');
    expect(spendingCategory('Farmácia')).toBe('Saúde');
  });

  it('when nothing is recognised, then it is a transfer', () => {
    expect(spendingCategory('Pix para Ana')).toBe('Transferências');
    expect(spendingCategory('')).toBe('Transferências');
  });
});
