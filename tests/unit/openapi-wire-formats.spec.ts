// The API description's wire formats (libs/platform/src/http/openapi.ts) against the domain's own parsers: every string a
// pattern allows is accepted by the parser (what the schema allows, validation accepts), and strings outside the
// pattern are refused where the parser is exactly as strict (amounts). Generated from the patterns by fast-check.
import { Cep, Cpf, detectPixKeyType, Email, Money, PixKey, Phone, generateCpf } from '@krt/domain';
import { CEP_WIRE, isSingleLineText, WIRE } from '@krt/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const matching = (pattern: string) => fc.stringMatching(new RegExp(pattern));
const runs = { numRuns: 300 };

describe('OpenAPI wire formats agree with the domain', () => {
  it('when an e-mail matches the schema, then Email.parse accepts it and it is detected as an e-mail key', () => {
    fc.assert(
      fc.property(matching(WIRE.email.pattern).filter((s) => s.length <= WIRE.email.maxLength), (s) => {
        expect(Email.parse(s).ok, s).toBe(true);
        expect(PixKey.detect(s).ok, s).toBe(true);
      }),
      runs,
    );
  });

  it('when a phone matches the schema, then Phone.parse accepts it and it is detected as a phone key', () => {
    fc.assert(
      fc.property(matching(WIRE.phone.pattern), (s) => {
        expect(Phone.parse(s).ok, s).toBe(true);
        expect(detectPixKeyType(s), s).toBe('PHONE');
      }),
      runs,
    );
  });

  it('when an EVP matches the schema, then it is a valid EVP key', () => {
    fc.assert(fc.property(matching(WIRE.evp.pattern), (s) => {
        expect(PixKey.parse('EVP', s).ok, s).toBe(true);
      }), runs);
  });

  it('when a CPF has the schema shape and valid check digits (format cpf), then Cpf.parse and the key detection accept it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, formatted) => {
        let n = seed;
        const cpf = generateCpf((max) => (n = (n * 1103515245 + 12345) % 2 ** 31) % max);
        const s = formatted ? cpf.format() : cpf.value;
        expect(new RegExp(WIRE.cpf.pattern).test(s), s).toBe(true);
        expect(Cpf.parse(s).ok).toBe(true);
        expect(PixKey.detect(s).ok, s).toBe(true);
      }),
      runs,
    );
  });

  it('when an amount matches the schema, then Money.parse accepts it (and a positive one is > 0); when it does not, Money.parse refuses it', () => {
    const [shape, nonZero] = WIRE.positiveAmount.allOf.map((p) => new RegExp(p.pattern));
    fc.assert(
      fc.property(matching(WIRE.amount.pattern), (s) => {
        const m = Money.parse(s);
        expect(m.ok, s).toBe(true);
        if (m.ok) expect(m.value.isPositive(), s).toBe(nonZero!.test(s));
      }),
      runs,
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^-?[0-9]{0,12}(\.[0-9]{0,4})?$/)).filter((s) => !shape!.test(s)),
        (s) => {
          expect(Money.parse(s).ok, s).toBe(false);
        },
      ),
      runs,
    );
  });

  it('when a CEP matches the schema, then Cep.parse accepts it', () => {
    const [shape, nonZero] = CEP_WIRE.allOf.map((p) => new RegExp(p.pattern));
    fc.assert(fc.property(matching(shape!.source).filter((s) => nonZero!.test(s)), (s) => {
        expect(Cep.parse(s).ok, s).toBe(true);
      }), runs);
  });

  it('when a text holds a control character or a lone surrogate, then it is not one line of text; the schema pattern agrees on control characters', () => {
    const pattern = new RegExp(WIRE.singleLine(10).pattern);
    for (const bad of ['a\u0000b', 'x\u0007', 'tab\there', '\u007f', 'x\ud800y', '\udfff']) expect(isSingleLineText(bad), JSON.stringify(bad)).toBe(false);
    for (const good of ['Aluguel de dezembro', 'Pão & café ☕', '😀 presente', '']) {
      expect(isSingleLineText(good), good).toBe(true);
      expect(pattern.test(good), good).toBe(true);
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(pattern.test(s)).toBe(!/[\u0000-\u001f\u007f]/.test(s));
      }), runs);
  });
});
