/**
 * Domain errors: a stable machine-readable `code` (safe to branch on, to map to HTTP
 * Problem Details, to count in metrics) plus a customer-facing message in pt-BR.
 *
 * Every code the domain can produce is listed in `DOMAIN_ERROR_MESSAGES`, so adapters
 * (BFF, payments, onboarding) can map them exhaustively.
 */
export const DOMAIN_ERROR_MESSAGES = {
  // Money
  MONEY_INVALID: 'Valor inválido. Use o formato 1500.00.',
  MONEY_NEGATIVE: 'O valor não pode ser negativo.',
  MONEY_TOO_MANY_DECIMALS: 'O valor deve ter no máximo duas casas decimais.',
  MONEY_TOO_LARGE: 'O valor excede o máximo permitido.',
  // Customer data
  CPF_INVALID: 'CPF inválido.',
  EMAIL_INVALID: 'E-mail inválido.',
  EMAIL_TOO_LONG: 'O e-mail deve ter no máximo 77 caracteres.',
  PHONE_INVALID: 'Celular inválido. Informe DDD e número, por exemplo (11) 98888-7777.',
  CEP_INVALID: 'CEP inválido.',
  PERSON_NAME_INVALID: 'Informe o nome completo.',
  BIRTH_DATE_INVALID: 'Data de nascimento inválida.',
  BIRTH_DATE_IN_FUTURE: 'A data de nascimento não pode estar no futuro.',
  CUSTOMER_UNDERAGE: 'É preciso ter 18 anos ou mais para abrir uma conta.',
  // PIX keys
  PIX_KEY_INVALID: 'Chave Pix inválida.',
  PIX_KEY_TYPE_UNKNOWN: 'Não reconhecemos o tipo dessa chave Pix.',
  PIX_KEY_LIMIT_REACHED: 'Você já tem o número máximo de 5 chaves Pix nesta conta.',
  PIX_KEY_CPF_NOT_HOLDER: 'A chave CPF deve ser o CPF do titular da conta.',
  // PIX transfers
  PIX_AMOUNT_INVALID: 'O valor do Pix deve ser maior que zero.',
  END_TO_END_ID_INVALID: 'Identificador da transação Pix (EndToEndId) inválido.',
  BR_CODE_INVALID: 'Código Pix Copia e Cola inválido.',
  BR_CODE_CRC_MISMATCH: 'Código Pix Copia e Cola inválido: dígito verificador (CRC) não confere.',
  BR_CODE_NOT_PIX: 'Este código não é um QR Code Pix.',
  BR_CODE_UNSUPPORTED: 'Este QR Code Pix não é aceito: somente reais (BRL) no Brasil.',
  LIMIT_PER_TRANSACTION_EXCEEDED: 'O valor excede o seu limite por transação Pix.',
  LIMIT_DAILY_EXCEEDED: 'O valor excede o seu limite diário de Pix.',
  LIMIT_NIGHT_EXCEEDED: 'O valor excede o limite noturno de Pix (20h às 6h).',
  LIMIT_ABOVE_DEFAULT: 'O limite pedido está acima do máximo permitido.',
  LIMIT_NEGATIVE: 'O limite não pode ser negativo.',
  LIMIT_INCONSISTENT: 'Os limites não são coerentes entre si.',
  PIX_TRANSFER_ILLEGAL_TRANSITION: 'Esta transferência Pix não pode mudar para esse estado.',
  // PIX devolução
  REFUND_NOT_ALLOWED: 'Só é possível devolver um Pix recebido e concluído.',
  REFUND_WINDOW_EXPIRED: 'O prazo para devolver este Pix (90 dias) terminou.',
  REFUND_EXCEEDS_ORIGINAL: 'O valor passa do que ainda pode ser devolvido deste Pix.',
  // Accounts and ledger
  ACCOUNT_NUMBER_INVALID: 'Número de conta inválido.',
  LEDGER_TOO_FEW_LINES: 'Lançamento contábil precisa de pelo menos duas partidas.',
  LEDGER_NON_POSITIVE_AMOUNT: 'Cada partida do lançamento deve ter valor maior que zero.',
  LEDGER_UNBALANCED: 'Lançamento contábil desbalanceado: débitos e créditos diferem.',
  LEDGER_NEGATIVE_BALANCE: 'O saldo não pode ficar negativo.',
  INSUFFICIENT_FUNDS: 'Saldo insuficiente.',
  // Identity
  PASSWORD_POLICY_VIOLATION: 'A senha não atende à política de segurança.',
  // Programming errors surfaced as domain errors (thrown, never returned)
  INVALID_ARGUMENT: 'Argumento inválido.',
} as const;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_MESSAGES;

/** One item of a multi-failure error (e.g. each password rule that failed). */
export interface DomainErrorDetail {
  readonly code: string;
  readonly message: string;
}

export interface DomainErrorOptions {
  /** Overrides the catalogue message (e.g. to include an amount). Keep it pt-BR. */
  readonly message?: string;
  /** The input field the error refers to, e.g. 'cpf', 'amount'. */
  readonly field?: string;
  readonly details?: readonly DomainErrorDetail[];
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly field: string | undefined;
  readonly details: readonly DomainErrorDetail[];

  constructor(code: DomainErrorCode, options: DomainErrorOptions = {}) {
    super(options.message ?? DOMAIN_ERROR_MESSAGES[code]);
    this.name = 'DomainError';
    this.code = code;
    this.field = options.field;
    this.details = options.details ?? [];
  }

  toJSON(): { code: DomainErrorCode; message: string; field?: string; details?: readonly DomainErrorDetail[] } {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.details.length === 0 ? {} : { details: this.details }),
    };
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** Throws an INVALID_ARGUMENT DomainError: for caller bugs, not for customer input. */
export function invalidArgument(message: string, field?: string): never {
  throw new DomainError('INVALID_ARGUMENT', { message, ...(field === undefined ? {} : { field }) });
}
