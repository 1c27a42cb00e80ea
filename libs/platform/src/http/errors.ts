// One error shape for every API (RFC 9457 problem details + a machine-readable code and a pt-BR message).
// The shape itself is the public contract's (@krt/contracts); this file builds and maps errors to it.
import { type FieldError, type Problem } from '@krt/contracts';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export { fieldErrorSchema, problemSchema, type FieldError, type Problem } from '@krt/contracts';

/** An expected failure with an HTTP status, a stable code and a message the customer can read (pt-BR). */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: { errors?: FieldError[]; retryAfterSeconds?: number; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 423: 'Locked', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function problem(status: number, code: string, message: string, extra: Partial<Problem> & Record<string, unknown> = {}): Problem {
  return { type: `https://krt.bank/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: TITLES[status] ?? 'Error', status, code, message, ...extra };
}

/** Common errors, named once. */
export const Errors = {
  unauthenticated: () => new AppError(401, 'UNAUTHENTICATED', 'Sua sessão expirou ou não é válida. Entre novamente.'),
  forbidden: () => new AppError(403, 'FORBIDDEN', 'Você não tem permissão para esta operação.'),
  notFound: (what = 'Recurso') => new AppError(404, 'NOT_FOUND', `${what} não encontrado.`),
  validation: (errors: FieldError[]) => new AppError(422, 'VALIDATION_FAILED', 'Alguns dados estão inválidos. Verifique os campos.', { errors }),
  unavailable: (dependency: string, retryAfterSeconds = 5) =>
    new AppError(503, 'SERVICE_UNAVAILABLE', 'Serviço temporariamente indisponível. Tente novamente em instantes.', { retryAfterSeconds, extra: { dependency } }),
};

/** zod issues → field errors with Portuguese messages. A refinement may carry `params: { code }`. */
export function zodToFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    const custom = issue.code === 'custom' ? (issue.params as { code?: string } | undefined)?.code : undefined;
    return { field, code: custom ?? `INVALID_${issue.code.toUpperCase()}`, message: portugueseMessage(issue) };
  });
}

function portugueseMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.includes('received undefined') ? 'Campo obrigatório.' : 'Tipo de dado inválido.';
    case 'too_small':
      return issue.origin === 'string' ? `Deve ter pelo menos ${issue.minimum} caracteres.` : 'Valor abaixo do mínimo permitido.';
    case 'too_big':
      return issue.origin === 'string' ? `Deve ter no máximo ${issue.maximum} caracteres.` : 'Valor acima do máximo permitido.';
    case 'invalid_format':
      return 'Formato inválido.';
    case 'invalid_value':
      return `Valor inválido. Use um destes: ${issue.values.map(String).join(', ')}.`;
    case 'unrecognized_keys':
      return `Campos não permitidos: ${issue.keys.join(', ')}.`;
    case 'custom':
      return issue.message;
    default:
      return 'Valor inválido.';
  }
}
