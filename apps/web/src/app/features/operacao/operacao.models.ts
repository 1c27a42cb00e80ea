// Labels of the back office's statuses and reasons (pt-BR). The shapes of its API are the contract's (@krt/contracts).

export const APPLICATION_STATUS_LABEL: Record<string, string> = {
  PENDING_KYC: 'Em verificação automática',
  PENDING_REVIEW: 'Aguardando análise',
  APPROVED: 'Aprovada',
  ACTIVE: 'Ativa',
  REJECTED: 'Reprovada',
};

export const DEPOSIT_STATUS_LABEL: Record<string, string> = {
  PENDING: 'Aguardando aprovação',
  APPROVED: 'Aprovado',
  REJECTED: 'Recusado',
  EXPIRED: 'Expirado',
};

export const ACCOUNT_STATUS_LABEL: Record<string, string> = { ACTIVE: 'Ativa', BLOCKED: 'Bloqueada', CLOSED: 'Encerrada' };

export const TRANSFER_STATUS_LABEL: Record<string, string> = {
  PENDING: 'Em processamento',
  PROCESSING: 'Em processamento',
  COMPLETED: 'Concluído',
  FAILED: 'Não concluído',
  REJECTED: 'Recusado',
};

/** The status chip's class for a status. */
export function statusClass(status: string): 'ok' | 'pending' | 'err' {
  if (['ACTIVE', 'APPROVED'].includes(status)) return 'ok';
  if (['REJECTED', 'BLOCKED', 'EXPIRED', 'CLOSED'].includes(status)) return 'err';
  return 'pending';
}

export const REVIEW_REASON_LABEL: Record<string, string> = {
  WATCHLIST_PEP: 'Nome na lista de pessoas politicamente expostas (PEP)',
  WATCHLIST_SANCTIONS: 'Nome na lista de sanções',
  PREVIOUSLY_REJECTED: 'CPF, e-mail ou celular de um cadastro já reprovado',
  UNDERAGE: 'Menor de idade',
  CPF_INVALID: 'CPF inválido',
};
