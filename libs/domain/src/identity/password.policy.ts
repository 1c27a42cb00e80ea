import { type DomainErrorDetail } from '../shared/domain.error';
import { fail, ok, type Result } from '../shared/result.util';

/**
 * The Keycloak realm `krt-bank` password policy, verbatim. The realm export and this
 * library must agree: a test (or CI check) compares the realm's `passwordPolicy` with it.
 */
export const PASSWORD_POLICY_KEYCLOAK =
  'length(8) and upperCase(1) and lowerCase(1) and digits(1) and specialChars(1) and notUsername(undefined)';

export const PASSWORD_MIN_LENGTH = 8;

export type PasswordRuleCode =
  | 'PASSWORD_TOO_SHORT'
  | 'PASSWORD_NO_UPPERCASE'
  | 'PASSWORD_NO_LOWERCASE'
  | 'PASSWORD_NO_DIGIT'
  | 'PASSWORD_NO_SPECIAL_CHAR'
  | 'PASSWORD_EQUALS_USERNAME';

export interface PasswordRuleFailure extends DomainErrorDetail {
  readonly code: PasswordRuleCode;
}

// Keycloak iterates Java chars (UTF-16 code units) and uses Character.isUpperCase,
// isLowerCase, isDigit and isLetterOrDigit; these Unicode properties match them.
const UPPER = /\p{Uppercase}/u;
const LOWER = /\p{Lowercase}/u;
const DIGIT = /\p{Nd}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

interface PasswordRule {
  readonly code: PasswordRuleCode;
  readonly message: string;
  readonly passes: (password: string, username: string | undefined) => boolean;
}

const RULES: readonly PasswordRule[] = [
  {
    code: 'PASSWORD_TOO_SHORT',
    message: `A senha deve ter pelo menos ${PASSWORD_MIN_LENGTH} caracteres.`,
    passes: (p) => p.length >= PASSWORD_MIN_LENGTH,
  },
  {
    code: 'PASSWORD_NO_UPPERCASE',
    message: 'A senha deve ter pelo menos uma letra maiúscula.',
    passes: (p) => countUnits(p, (c) => UPPER.test(c)) >= 1,
  },
  {
    code: 'PASSWORD_NO_LOWERCASE',
    message: 'A senha deve ter pelo menos uma letra minúscula.',
    passes: (p) => countUnits(p, (c) => LOWER.test(c)) >= 1,
  },
  {
    code: 'PASSWORD_NO_DIGIT',
    message: 'A senha deve ter pelo menos um número.',
    passes: (p) => countUnits(p, (c) => DIGIT.test(c)) >= 1,
  },
  {
    code: 'PASSWORD_NO_SPECIAL_CHAR',
    message: 'A senha deve ter pelo menos um caractere especial (por exemplo ! @ # $ %).',
    passes: (p) => countUnits(p, (c) => !LETTER_OR_DIGIT.test(c)) >= 1,
  },
  {
    code: 'PASSWORD_EQUALS_USERNAME',
    message: 'A senha não pode ser igual ao seu usuário.',
    // Keycloak's notUsername compares exactly (case-sensitive).
    passes: (p, username) => username === undefined || p !== username,
  },
];

/**
 * Checks a password against the realm policy. On failure the error is
 * PASSWORD_POLICY_VIOLATION with `details` listing every rule that failed, in order.
 */
export function checkPassword(password: string, options: { username?: string } = {}): Result<void> {
  const failures = passwordRuleFailures(password, options.username);
  return failures.length === 0
    ? ok()
    : fail('PASSWORD_POLICY_VIOLATION', { field: 'password', details: failures });
}

export function passwordRuleFailures(password: string, username?: string): PasswordRuleFailure[] {
  return RULES.filter((rule) => !rule.passes(password, username)).map(({ code, message }) => ({ code, message }));
}

const COMMON_PASSWORDS = new Set([
  'password', 'senha', 'qwerty', 'abc123', '123456', '12345678', '123456789', 'admin', 'letmein',
  'iloveyou', 'welcome', 'brasil', 'mudar123', 'trocar', 'teste', 'krtbank',
]);

/**
 * A 0–4 meter for the sign-up screen (0 very weak … 4 strong). It is guidance only;
 * acceptance is decided by `checkPassword`.
 *   +1 length ≥ 8, +1 length ≥ 12, +1 length ≥ 20 (passphrases), +1 three character
 *   classes, +1 all four classes (upper, lower, digit, special); capped at 4.
 *   Shorter than 8 caps the score at 1.
 *   0 for a single repeated character or a common password (ignoring case, and
 *   ignoring trailing digits and symbols, so "Senha@123" counts as "senha").
 */
export function passwordStrength(password: string): 0 | 1 | 2 | 3 | 4 {
  if (password.length === 0 || isSingleRepeatedChar(password) || isCommon(password)) return 0;
  const classes = characterClasses(password);
  let score = 0;
  if (password.length >= PASSWORD_MIN_LENGTH) score++;
  if (password.length >= 12) score++;
  if (password.length >= 20) score++;
  if (classes >= 3) score++;
  if (classes === 4) score++;
  if (password.length < PASSWORD_MIN_LENGTH) score = Math.min(score, 1);
  return Math.min(score, 4) as 0 | 1 | 2 | 3 | 4;
}

function characterClasses(password: string): number {
  const tests = [UPPER, LOWER, DIGIT];
  const basic = tests.filter((re) => countUnits(password, (c) => re.test(c)) > 0).length;
  const special = countUnits(password, (c) => !LETTER_OR_DIGIT.test(c)) > 0 ? 1 : 0;
  return basic + special;
}

function isSingleRepeatedChar(password: string): boolean {
  return new Set(password).size === 1;
}

function isCommon(password: string): boolean {
  const stem = password.toLowerCase().replace(/[^\p{L}]+$/u, '');
  return COMMON_PASSWORDS.has(password.toLowerCase()) || COMMON_PASSWORDS.has(stem);
}

/** Counts UTF-16 code units satisfying `test` (as Keycloak's char loop does). */
function countUnits(text: string, test: (unit: string) => boolean): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (test(text.charAt(i))) count++;
  return count;
}
