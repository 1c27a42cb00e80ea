import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { BirthDate, Cep, Email, PersonName, Phone, PixKey, checkAdult, passwordRuleFailures } from '@krt/domain';
import { parseBrlInput } from '../core/format';
import { cpfMessage } from './field-messages';

/** Every validator here answers `{ msg: '<pt-BR message>' }`, shown next to the field. */
export type Msg = { msg: string };
const bad = (msg: string): Msg => ({ msg });
const text = (c: AbstractControl): string => (typeof c.value === 'string' ? c.value.trim() : c.value == null ? '' : String(c.value));

export const requiredMsg = (msg: string): ValidatorFn => (c) => (text(c) === '' ? bad(msg) : null);

export const cpfValidator: ValidatorFn = (c) => {
  const msg = cpfMessage(text(c));
  return msg ? bad(msg) : null;
};

export const nameValidator: ValidatorFn = (c) => {
  const v = text(c);
  if (!v) return bad('Informe seu nome completo.');
  return PersonName.parse(v).ok ? null : bad('Informe nome e sobrenome.');
};

export const emailValidator: ValidatorFn = (c) => {
  const v = text(c);
  if (!v) return bad('Informe seu e-mail.');
  return Email.parse(v).ok ? null : bad('E-mail inválido. Exemplo: nome@exemplo.com.br');
};

export const phoneValidator: ValidatorFn = (c) => {
  const v = text(c);
  if (!v) return bad('Informe seu celular.');
  return Phone.parse(v).ok ? null : bad('Celular inválido. Informe DDD e número, por exemplo (11) 98888-7777.');
};

export const cepValidator: ValidatorFn = (c) => {
  const v = text(c);
  if (!v) return bad('Informe o CEP.');
  return Cep.parse(v).ok ? null : bad('CEP inválido. Use 8 números, por exemplo 01310-100.');
};

/** dd/MM/yyyy → yyyy-MM-dd, or null. */
export function brDateToIso(v: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : null;
}

export const birthDateValidator = (now: () => Date = () => new Date()): ValidatorFn => (c) => {
  const v = text(c);
  if (!v) return bad('Informe sua data de nascimento.');
  const iso = brDateToIso(v);
  const parsed = iso ? BirthDate.parse(iso) : null;
  if (!parsed || !parsed.ok) return bad('Data inválida. Use o formato dd/mm/aaaa.');
  const adult = checkAdult(parsed.value, now());
  return adult.ok ? null : bad(adult.error.message);
};

export const passwordValidator = (username: () => string | undefined): ValidatorFn => (c) => {
  const v = typeof c.value === 'string' ? c.value : '';
  if (!v) return bad('Crie uma senha.');
  const failures = passwordRuleFailures(v, username());
  return failures.length ? bad(failures.map((f) => f.message).join(' ')) : null;
};

export const pixKeyValidator: ValidatorFn = (c) => {
  const v = text(c);
  if (!v) return bad('Informe a chave Pix de quem vai receber.');
  const key = PixKey.detect(v);
  return key.ok ? null : bad(key.error.message);
};

export const amountValidator = (opts: { refusal?: (centavos: bigint) => string | null } = {}): ValidatorFn => (c) => {
  const v = text(c);
  if (!v) return bad('Informe o valor.');
  const api = parseBrlInput(v);
  if (!api) return bad('Valor inválido. Use, por exemplo, 150,00.');
  const centavos = BigInt(api.replace('.', ''));
  if (centavos <= 0n) return bad('O valor deve ser maior que zero.');
  const refusal = opts.refusal?.(centavos);
  return refusal ? bad(refusal) : null;
};

export function errorOf(control: AbstractControl | null, show: boolean): string | null {
  if (!control || !show) return null;
  const errors: ValidationErrors | null = control.errors;
  return errors?.['msg'] ? String(errors['msg']) : null;
}
