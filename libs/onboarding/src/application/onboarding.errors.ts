// The onboarding API's expected failures (code + pt-BR message).
import { AppError } from '@krt/platform/http';

export const OnboardingErrors = {
  duplicate: (field: 'cpf' | 'email' | 'phone') => {
    const byField = {
      cpf: ['CPF_ALREADY_REGISTERED', 'Já existe um cadastro com este CPF.'],
      email: ['EMAIL_ALREADY_REGISTERED', 'Este e-mail já está cadastrado.'],
      phone: ['PHONE_ALREADY_REGISTERED', 'Este celular já está cadastrado.'],
    } as const;
    const [code, message] = byField[field];
    return new AppError(409, code, message, { errors: [{ field, code, message }] });
  },
  applicationNotFound: () => new AppError(404, 'APPLICATION_NOT_FOUND', 'Cadastro não encontrado.'),
  customerNotFound: () => new AppError(404, 'CUSTOMER_NOT_FOUND', 'Cliente não encontrado.'),
  reauthenticationRequired: () => new AppError(403, 'REAUTHENTICATION_REQUIRED', 'Confirme sua senha para alterar seu e-mail ou celular.'),
  documentNotFound: () => new AppError(404, 'DOCUMENT_NOT_FOUND', 'Documento não encontrado.'),
  notPendingReview: (status: string) =>
    new AppError(409, 'APPLICATION_NOT_PENDING_REVIEW', 'Este cadastro não está aguardando análise.', { extra: { applicationStatus: status } }),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, 'MUITAS_TENTATIVAS', `Muitas tentativas de cadastro. Tente novamente em ${retryAfterSeconds} segundos.`, { retryAfterSeconds }),
};
