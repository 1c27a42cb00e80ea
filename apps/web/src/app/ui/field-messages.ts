// Field messages that need no @angular/forms: the sign-in page (the first visit, kept lean) checks its fields with
// these directly; the reactive-form validators in validators.ts use the same functions, so the wording is one.
import { Cpf } from '@krt/domain';

/** Why a typed CPF cannot be used (pt-BR), or null when it is a valid CPF, with or without dots and dash. */
export function cpfMessage(value: string): string | null {
  const v = value.trim();
  if (!v) return 'Informe o CPF.';
  if (v.replace(/\D/g, '').length < 11) return 'O CPF tem 11 números.';
  return Cpf.isValid(v) ? null : 'CPF inválido: confira os números (os dígitos verificadores não conferem).';
}
