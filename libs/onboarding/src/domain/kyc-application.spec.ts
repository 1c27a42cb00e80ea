import { describe, expect, it } from 'vitest';
import { Watchlist, canTransition, decideKyc, normaliseName } from './kyc-application';

describe('KYC application state machine', () => {
  it('allows the automatic path PENDING_KYC → APPROVED → ACTIVE and the review path PENDING_REVIEW → APPROVED/REJECTED', () => {
    expect(canTransition('PENDING_KYC', 'APPROVED')).toBe(true);
    expect(canTransition('APPROVED', 'ACTIVE')).toBe(true);
    expect(canTransition('PENDING_KYC', 'PENDING_REVIEW')).toBe(true);
    expect(canTransition('PENDING_REVIEW', 'APPROVED')).toBe(true);
    expect(canTransition('PENDING_REVIEW', 'REJECTED')).toBe(true);
  });

  it('refuses to skip provisioning or to reopen a decided application', () => {
    expect(canTransition('PENDING_KYC', 'ACTIVE')).toBe(false);
    expect(canTransition('PENDING_REVIEW', 'ACTIVE')).toBe(false);
    expect(canTransition('REJECTED', 'APPROVED')).toBe(false);
    expect(canTransition('ACTIVE', 'REJECTED')).toBe(false);
    expect(canTransition('APPROVED', 'REJECTED')).toBe(false);
  });
});

describe('sanctions/PEP screening', () => {
  const list = new Watchlist([{ name: 'Aurélio Benedito Tavares', list: 'PEP' }, { name: 'Otávio Quintela Barreto', list: 'SANCTIONS' }]);

  it('when the name differs only in case, accents and spaces, then it matches', () => {
    expect(list.match('  AURELIO   benedito TAVARES ')?.list).toBe('PEP');
    expect(list.match('otavio quintela barreto')?.list).toBe('SANCTIONS');
  });

  it('when the name is a different person, then it does not match', () => {
    expect(list.match('Aurélio Benedito')).toBeUndefined();
    expect(list.match('Maria Tavares')).toBeUndefined();
  });

  it('normalises punctuation away', () => {
    expect(normaliseName("Joana D'Ávila-Souza")).toBe('joana davilasouza');
  });
});

describe('automatic KYC decision', () => {
  const clean = { cpfValid: true, adult: true, watchlist: null, previouslyRejected: [] as ('cpf' | 'email' | 'phone')[] };

  it('when every check passes, then it approves', () => {
    expect(decideKyc(clean)).toEqual({ status: 'APPROVED', reasons: [] });
  });

  it('when the name is on the PEP list, then it goes to manual review', () => {
    expect(decideKyc({ ...clean, watchlist: { name: 'x', list: 'PEP' } })).toEqual({ status: 'PENDING_REVIEW', reasons: ['WATCHLIST_PEP'] });
  });

  it('when data was used by a rejected application or a check fails, then it goes to review with every reason', () => {
    expect(decideKyc({ ...clean, previouslyRejected: ['cpf'], adult: false, watchlist: { name: 'x', list: 'SANCTIONS' } })).toEqual({
      status: 'PENDING_REVIEW',
      reasons: ['UNDERAGE', 'WATCHLIST_SANCTIONS', 'PREVIOUSLY_REJECTED'],
    });
  });
});
