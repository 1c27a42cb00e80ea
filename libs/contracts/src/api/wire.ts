// Wire formats of the public API as JSON Schema, for the request schemas of the OpenAPI documents (the services' and
// the BFF's): the canonical form of each value the bank accepts (CPF, e-mail, phone, PIX key, amount, CEP, one-line
// text), written without look-arounds so any JSON Schema tool (and property-based generators) can use them.
// tests/unit/openapi-wire-formats.spec.ts keeps each one in step with the domain's own parser. Where a rule is beyond
// a regular expression (a CPF's check digits) the schema names a `format` and says so; clients and the fuzzer's
// hooks (scripts/schemathesis_hooks.py) generate real values for it.

const DDDS =
  '11|12|13|14|15|16|17|18|19|21|22|24|27|28|31|32|33|34|35|37|38|41|42|43|44|45|46|47|48|49|51|53|54|55|61|62|63|64|65|66|67|68|69|71|73|74|75|77|79|81|82|83|84|85|86|87|88|89|91|92|93|94|95|96|97|98|99';
/** A string schema (the `type` kept as its literal, so the object fits OpenAPI's SchemaObject). */
const str = <T extends object>(o: T) => ({ type: 'string' as const, ...o });

const ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]";

export const WIRE = {
  /** 11 digits, bare or as 000.000.000-00, with valid check digits (format `cpf`). */
  cpf: str({ format: 'cpf', pattern: '^([0-9]{11}|[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}-[0-9]{2})$', example: '123.456.789-09', description: 'CPF (11 dígitos, com ou sem pontuação) com dígitos verificadores válidos.' }),
  /** Lower-case dot-atom local part (at most 64), hostname labels, alphabetic TLD; at most 77 characters in all. */
  email: str({
    maxLength: 77,
    pattern: `^${ATOM}{1,32}(\\.${ATOM}{1,15})?@([a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\\.){1,2}[a-z]{2,10}$`,
    example: 'maria.silva@example.com',
  }),
  /** A Brazilian mobile in E.164: +55, a valid DDD, 9 and eight digits. */
  phone: str({ pattern: `^\\+55(${DDDS})9[0-9]{8}$`, example: '+5511988887777' }),
  /** A random key (EVP): a lower-case UUID v4. */
  evp: str({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$', example: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' }),
  /** A decimal amount in reais: at most 10 integer digits and 2 decimals. */
  amount: str({ pattern: '^[0-9]{1,10}(\\.[0-9]{1,2})?$', example: '1000.00' }),
  /** The same, greater than zero (some digit is not 0). */
  positiveAmount: str({ allOf: [{ pattern: '^[0-9]{1,10}(\\.[0-9]{1,2})?$' }, { pattern: '[1-9]' }], example: '150.00' }),
  /** Free text on one line: no control characters (C0, DEL). */
  singleLine: (maxLength: number, minLength = 0) => str({ minLength, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }),
};

/** Any PIX key in its canonical (DICT) form: CPF digits, e-mail, E.164 mobile or EVP. */
export const PIX_KEY_WIRE = str({
  anyOf: [{ ...WIRE.cpf, pattern: '^[0-9]{11}$|^[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}-[0-9]{2}$' }, WIRE.email, WIRE.phone, WIRE.evp],
  example: '+5511988887777',
  description: 'Chave Pix: CPF (com dígitos verificadores válidos), e-mail, celular +55 com DDD, ou chave aleatória (UUID v4).',
});

/** No control characters (C0, DEL) and no lone UTF-16 surrogate: what a one-line text field may hold. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isSingleLineText = (value: string) => !/[\u0000-\u001f\u007f]/.test(value) && !LONE_SURROGATE.test(value);

/**
 * The one refusal of a one-line text field that fails `isSingleLineText` (422 TEXT_INVALID): every service's schema
 * uses it, as `.refine(isSingleLineText, singleLineIssue())` or `ctx.addIssue({ code: 'custom', ...singleLineIssue() })`.
 * A new object each call: zod rewrites the params object it is given (its `message` becomes `error`).
 */
export const singleLineIssue = () => ({ message: 'Texto inválido: sem caracteres de controle.', params: { code: 'TEXT_INVALID' } });

/** Not blank: some character that is neither a control character nor JavaScript whitespace (what `trim()` removes). */
const VISIBLE = '[^\\u0000-\\u0020\\u007f\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';

/** A required one-line text field (trimmed by the service): 1..max characters as sent, no control characters, not blank. */
export const requiredText = (maxLength: number) => str({ minLength: 1, maxLength, allOf: [{ pattern: '^[^\\u0000-\\u001f\\u007f]*$' }, { pattern: VISIBLE }] });

/** CEP: 8 digits, optionally 00000-000, not all zeros. */
export const CEP_WIRE = str({ allOf: [{ pattern: '^[0-9]{5}-?[0-9]{3}$' }, { pattern: '[1-9]' }], example: '01310-100' });
