import { HttpErrorResponse } from '@angular/common/http';
import type { FieldError } from '@krt/contracts';

/** A problem+json answer from the BFF, reduced to what the screens show. */
export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  errors: FieldError[];
  /** PIN_INVALID: wrong PINs left before PIX is locked. */
  attemptsLeft?: number;
  /** PIN_LOCKED: when PIX opens again. */
  lockedUntil?: string | null;
}

const FALLBACK: Record<number, string> = {
  0: 'Não foi possível falar com o banco. Verifique sua conexão e tente novamente.',
  401: 'Sua sessão expirou. Entre novamente.',
  403: 'Você não tem permissão para esta operação.',
  404: 'Não encontramos o que você procurou.',
  409: 'Esta operação entrou em conflito com outra. Tente novamente.',
  422: 'Verifique os dados informados.',
  429: 'Muitas tentativas. Aguarde um pouco e tente de novo.',
  503: 'O serviço está temporariamente indisponível. Tente novamente em instantes.',
  504: 'O banco demorou a responder. Tente novamente.',
};

export function toProblem(error: unknown): ApiProblem {
  if (error instanceof HttpErrorResponse) {
    const body = error.error as Partial<ApiProblem> & { errors?: FieldError[] } | string | null;
    const status = error.status;
    // Status 0: no answer (offline, connection dropped). What the browser puts in the error then ("Failed to fetch",
    // a ProgressEvent) is not for the customer.
    const parsed = status === 0 ? null : typeof body === 'string' ? safeJson(body) : body;
    return {
      status,
      code: (parsed && typeof parsed.code === 'string' && parsed.code) || `HTTP_${status}`,
      message:
        (parsed && typeof parsed.message === 'string' && parsed.message) ||
        FALLBACK[status] ||
        'Algo deu errado. Tente novamente em instantes.',
      errors: Array.isArray(parsed?.errors) ? parsed!.errors.filter((e) => e && typeof e.message === 'string') : [],
      ...(parsed && typeof parsed.attemptsLeft === 'number' ? { attemptsLeft: parsed.attemptsLeft } : {}),
      ...(parsed && typeof parsed.lockedUntil === 'string' ? { lockedUntil: parsed.lockedUntil } : {}),
    };
  }
  return { status: 0, code: 'UNKNOWN', message: 'Algo deu errado. Tente novamente em instantes.', errors: [] };
}

function safeJson(text: string): (Partial<ApiProblem> & { errors?: FieldError[] }) | null {
  try {
    return JSON.parse(text) as Partial<ApiProblem>;
  } catch {
    return null;
  }
}

/** Field errors by field name (first message wins). */
export function fieldErrors(problem: ApiProblem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem.errors) {
    const key = e.field.replace(/^body\./, '');
    out[key] ??= e.message;
  }
  return out;
}

/** The Retry-After of a refused answer (seconds), when the bank sent one. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof HttpErrorResponse)) return null;
  const value = Number(error.headers?.get('Retry-After'));
  return Number.isFinite(value) && value > 0 ? value : null;
}
