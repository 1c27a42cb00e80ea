// KYC application rules for onboarding (pure: no I/O, no clock): statuses and their transitions, the
// automatic decision, and the sanctions/PEP name screening.

export const APPLICATION_STATUSES = ['PENDING_KYC', 'PENDING_REVIEW', 'APPROVED', 'ACTIVE', 'REJECTED'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * PENDING_KYC → APPROVED → ACTIVE (every automatic check passed; ACTIVE once the Keycloak user exists), or
 * PENDING_KYC → PENDING_REVIEW → APPROVED / REJECTED (an admin decides).
 */
const TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  PENDING_KYC: ['APPROVED', 'PENDING_REVIEW'],
  PENDING_REVIEW: ['APPROVED', 'REJECTED'],
  APPROVED: ['ACTIVE'],
  ACTIVE: [],
  REJECTED: [],
};

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface WatchlistEntry {
  name: string;
  list: 'PEP' | 'SANCTIONS';
}

/** Lower case, no accents, only letters and single spaces: "  José  D'Ávila " → "jose davila". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A compiled watchlist: full-name matches, ignoring case, accents, punctuation and extra spaces. */
export class Watchlist {
  private readonly byName: Map<string, WatchlistEntry>;

  constructor(entries: readonly WatchlistEntry[]) {
    this.byName = new Map(entries.map((e) => [normaliseName(e.name), e]));
  }

  get size(): number {
    return this.byName.size;
  }

  match(fullName: string): WatchlistEntry | undefined {
    return this.byName.get(normaliseName(fullName));
  }
}

export interface KycChecks {
  cpfValid: boolean;
  adult: boolean;
  /** Name found on the sanctions/PEP sample list. */
  watchlist: WatchlistEntry | null;
  /** CPF, e-mail or phone already used by an application that was rejected. */
  previouslyRejected: ('cpf' | 'email' | 'phone')[];
}

export type KycReviewReason = 'CPF_INVALID' | 'UNDERAGE' | 'WATCHLIST_PEP' | 'WATCHLIST_SANCTIONS' | 'PREVIOUSLY_REJECTED';

export interface KycDecision {
  status: 'APPROVED' | 'PENDING_REVIEW';
  reasons: KycReviewReason[];
}

/** Approves automatically only when every check passes; anything else goes to manual review. */
export function decideKyc(checks: KycChecks): KycDecision {
  const reasons: KycReviewReason[] = [];
  if (!checks.cpfValid) reasons.push('CPF_INVALID');
  if (!checks.adult) reasons.push('UNDERAGE');
  if (checks.watchlist) reasons.push(checks.watchlist.list === 'PEP' ? 'WATCHLIST_PEP' : 'WATCHLIST_SANCTIONS');
  if (checks.previouslyRejected.length) reasons.push('PREVIOUSLY_REJECTED');
  return { status: reasons.length ? 'PENDING_REVIEW' : 'APPROVED', reasons };
}

/**
 * What the applicant is told. A review never says why (telling someone they matched a sanctions or PEP
 * list would tip them off); the reasons stay in the audit record for the reviewer.
 */
export const APPLICANT_MESSAGES: Record<ApplicationStatus, string | undefined> = {
  PENDING_KYC: 'Estamos verificando seus dados.',
  PENDING_REVIEW: 'Seu cadastro está em análise. Avisaremos assim que for concluída.',
  APPROVED: 'Cadastro aprovado. Estamos abrindo sua conta.',
  ACTIVE: undefined,
  REJECTED: undefined,
};
