// Payments' expected failures: stable codes and pt-BR messages, and the mapping of domain errors to HTTP.
import { DOMAIN_ERROR_MESSAGES, type DomainError, type DomainErrorCode } from '@krt/domain';
import { AppError } from '@krt/platform/http';

const SAO_PAULO_HH_MM = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export const PaymentsErrors = {
  accountNotFound: () => new AppError(404, 'ACCOUNT_NOT_FOUND', 'Conta não encontrada. Se você acabou de se cadastrar, aguarde alguns instantes.'),
  insufficientFunds: () => new AppError(422, 'SALDO_INSUFICIENTE', 'Saldo insuficiente.'),
  pixKeyNotFound: () => new AppError(404, 'PIX_KEY_NOT_FOUND', 'Chave Pix não encontrada.'),
  pixKeyAlreadyExists: () => new AppError(409, 'PIX_KEY_ALREADY_EXISTS', 'Esta chave Pix já está cadastrada.'),
  pixKeyLimitReached: () => new AppError(422, 'PIX_KEY_LIMIT_REACHED', DOMAIN_ERROR_MESSAGES.PIX_KEY_LIMIT_REACHED),
  cpfKeyNotHolder: () => new AppError(422, 'CPF_KEY_NOT_HOLDER', DOMAIN_ERROR_MESSAGES.PIX_KEY_CPF_NOT_HOLDER),
  evpValueNotAllowed: () =>
    new AppError(422, 'EVP_VALUE_NOT_ALLOWED', 'A chave aleatória é gerada pelo banco; não informe um valor.', {
      errors: [{ field: 'value', code: 'EVP_VALUE_NOT_ALLOWED', message: 'Não informe valor para chave aleatória.' }],
    }),
  keyValueRequired: () =>
    new AppError(422, 'VALIDATION_FAILED', 'Alguns dados estão inválidos. Verifique os campos.', {
      errors: [{ field: 'value', code: 'REQUIRED', message: 'Campo obrigatório.' }],
    }),
  pixKeyNotOwned: () => new AppError(404, 'PIX_KEY_NOT_FOUND', 'Chave Pix não encontrada.'),
  selfTransfer: () => new AppError(422, 'SELF_TRANSFER', 'Não é possível enviar um Pix para a sua própria conta.'),
  receiverUnavailable: () => new AppError(422, 'RECEIVER_ACCOUNT_UNAVAILABLE', 'A conta de destino não pode receber Pix no momento.'),
  idempotencyKeyMissing: () =>
    new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'Informe o cabeçalho Idempotency-Key (de 1 a 128 caracteres: letras, números, "-" ou "_").'),
  idempotencyKeyReused: () =>
    new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'Esta chave de idempotência já foi usada com outros dados. Gere uma nova para outro Pix.'),
  transferNotFound: () => new AppError(404, 'TRANSFER_NOT_FOUND', 'Transferência não encontrada.'),
  notTheReceiver: () => new AppError(422, 'NOT_THE_RECEIVER', 'Só quem recebeu um Pix pode devolvê-lo.'),
  invalidCursor: () =>
    new AppError(422, 'VALIDATION_FAILED', 'Alguns dados estão inválidos. Verifique os campos.', {
      errors: [{ field: 'cursor', code: 'INVALID_CURSOR', message: 'Cursor inválido.' }],
    }),
  notACustomer: () => new AppError(403, 'NOT_A_CUSTOMER', 'Esta operação é só para clientes com conta.'),
  // ── transaction PIN (issue #23) ──
  pinNotSet: (status: 403 | 409) => new AppError(status, 'PIN_NOT_SET', 'Crie a sua senha de transação para continuar.'),
  pinAlreadySet: () => new AppError(409, 'PIN_ALREADY_SET', 'Você já tem uma senha de transação. Para trocá-la, use “Alterar senha de transação”.'),
  pinWeak: (code: string, message: string) => new AppError(422, code, message, { errors: [{ field: 'pin', code, message }] }),
  pinInvalid: (attemptsLeft: number) =>
    new AppError(
      403,
      'PIN_INVALID',
      `Senha de transação incorreta. ${attemptsLeft === 1 ? 'Resta 1 tentativa' : `Restam ${attemptsLeft} tentativas`} antes do bloqueio do Pix.`,
      { extra: { attemptsLeft } },
    ),
  pinLocked: (lockedUntil: Date, now: Date) =>
    new AppError(423, 'PIN_LOCKED', `PIX bloqueado por 3 tentativas com a senha de transação errada. Tente de novo após ${SAO_PAULO_HH_MM.format(lockedUntil)}.`, {
      retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000)),
      extra: { lockedUntil: lockedUntil.toISOString(), attemptsLeft: 0 },
    }),
  // ── back office (issue #19) ──
  accountBlocked: () => new AppError(422, 'ACCOUNT_BLOCKED', 'Conta bloqueada. Fale com a central de atendimento.'),
  payeeAccountBlocked: () => new AppError(422, 'PAYEE_ACCOUNT_BLOCKED', 'A conta de destino está bloqueada e não pode receber Pix.'),
  accountAlreadyBlocked: () => new AppError(409, 'ACCOUNT_ALREADY_BLOCKED', 'Esta conta já está bloqueada.'),
  accountNotBlocked: () => new AppError(409, 'ACCOUNT_NOT_BLOCKED', 'Esta conta não está bloqueada.'),
  sandboxDepositsDisabled: () => new AppError(403, 'SANDBOX_DEPOSITS_DISABLED', 'Depósitos de teste (sandbox) estão desativados neste ambiente.'),
  depositRequestNotFound: () => new AppError(404, 'DEPOSIT_REQUEST_NOT_FOUND', 'Pedido de depósito não encontrado.'),
  depositRequestExpired: () => new AppError(409, 'DEPOSIT_REQUEST_EXPIRED', 'Este pedido de depósito expirou sem aprovação. Faça um novo pedido.'),
  depositRequestDecided: (status: string) =>
    new AppError(409, 'DEPOSIT_REQUEST_DECIDED', `Este pedido de depósito já foi ${status === 'APPROVED' ? 'aprovado' : status === 'REJECTED' ? 'recusado' : 'encerrado'}.`, { extra: { requestStatus: status } }),
  sameOperator: () => new AppError(403, 'SAME_OPERATOR', 'Quem pediu o depósito não pode aprová-lo: a aprovação precisa ser de outro operador.'),
  reauthenticationRequired: () => new AppError(403, 'REAUTHENTICATION_REQUIRED', 'Confirme sua senha para alterar a senha de transação.'),
};

/** HTTP status and public code of each domain error (default: 422 with the domain code). */
const DOMAIN_TO_HTTP: Partial<Record<DomainErrorCode, { status: 404 | 409 | 422; code?: string }>> = {
  INSUFFICIENT_FUNDS: { status: 422, code: 'SALDO_INSUFICIENTE' },
  PIX_KEY_CPF_NOT_HOLDER: { status: 422, code: 'CPF_KEY_NOT_HOLDER' },
  PIX_KEY_LIMIT_REACHED: { status: 422 },
};

export function fromDomainError(error: DomainError): AppError {
  const mapped = DOMAIN_TO_HTTP[error.code] ?? { status: 422 as const };
  const code = mapped.code ?? error.code;
  const message = error.code === 'INSUFFICIENT_FUNDS' ? 'Saldo insuficiente.' : error.message;
  return new AppError(mapped.status, code, message, error.field ? { errors: [{ field: error.field, code, message }] } : {});
}
