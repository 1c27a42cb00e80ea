import { describe, expect, it } from 'vitest';
import { foldName } from './back-office';

describe('foldName', () => {
  it('when a name has accents, capitals and extra spaces, then it is folded as the database folds full_name_search', () => {
    expect(foldName('  ÉRICA   Conceição ')).toBe('erica conceicao');
    expect(foldName("João D'Ávila-Ñúñez")).toBe("joao d'avila-nunez");
  });
});
