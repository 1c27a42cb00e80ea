import { generateCpf } from '@krt/domain';
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, sniffImageType, validateProfileChanges, validateRegistration, type RawInput } from './registration.validation';

const NOW = new Date('2026-06-15T12:00:00Z');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
let seed = 7;
const cpf = generateCpf(() => (seed = (seed * 31 + 11) % 1000) % 10).value;

const valid = (): RawInput => ({
  fullName: 'Maria da Silva Souza',
  cpf,
  birthDate: '1990-05-17',
  email: 'Maria.Souza@Example.com',
  phone: '+5511988887777',
  cep: '01310-100',
  street: 'Avenida Paulista',
  number: '1000',
  neighborhood: 'Bela Vista',
  city: 'São Paulo',
  state: 'sp',
  password: 'Senha@Forte1',
  transactionPin: '4721',
  acceptTerms: 'true',
  acceptPrivacy: 'true',
  documentType: 'RG',
  documentNumber: '12.345.678-9',
  documentIssuer: 'SSP/SP',
  documentImage: { bytes: JPEG },
  selfieImage: { bytes: PNG },
});

const codes = (raw: RawInput) => {
  const r = validateRegistration(raw, NOW);
  return r.ok ? {} : Object.fromEntries(r.errors.map((e) => [e.field, e.code]));
};

describe('validateRegistration', () => {
  it('when every field is valid, then it returns normalised values', () => {
    const r = validateRegistration(valid(), NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.email.value).toBe('maria.souza@example.com');
    expect(r.value.phone.toE164()).toBe('+5511988887777');
    expect(r.value.address).toMatchObject({ cep: '01310100', state: 'SP', complement: null });
    expect(r.value.document).toEqual({ type: 'RG', number: '123456789', issuer: 'SSP/SP' });
    expect(r.value.documentImage.contentType).toBe('image/jpeg');
    expect(r.value.selfieImage.contentType).toBe('image/png');
  });

  it('when several fields are wrong, then every one is reported with its code and a Portuguese message', () => {
    const r = validateRegistration({ ...valid(), cpf: '111.111.111-11', email: 'maria@', phone: '+1 555 0100', cep: '123', acceptPrivacy: 'false' }, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(r.errors.map((e) => [e.field, e.code]))).toEqual({
      cpf: 'CPF_INVALID',
      email: 'EMAIL_INVALID',
      phone: 'PHONE_INVALID',
      cep: 'CEP_INVALID',
      acceptPrivacy: 'CONSENT_REQUIRED',
    });
    expect(r.errors.find((e) => e.field === 'cpf')?.message).toBe('CPF inválido.');
  });

  it('when the applicant turns 18 tomorrow, then UNDERAGE; when today, then accepted', () => {
    expect(codes({ ...valid(), birthDate: '2008-06-16' })).toEqual({ birthDate: 'UNDERAGE' });
    expect(codes({ ...valid(), birthDate: '2008-06-15' })).toEqual({});
  });

  it('when the password breaks the realm policy or equals the CPF, then PASSWORD_WEAK naming the rules', () => {
    const r = validateRegistration({ ...valid(), password: 'fraca' }, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([expect.objectContaining({ field: 'password', code: 'PASSWORD_WEAK', message: expect.stringContaining('8 caracteres') })]);
    expect(codes({ ...valid(), password: cpf })).toMatchObject({ password: 'PASSWORD_WEAK' });
  });

  it('when the transaction PIN is missing, not 4 digits, obvious or the birth date, then REQUIRED / PIN_FORMAT / PIN_WEAK', () => {
    expect(codes({ ...valid(), transactionPin: '' })).toEqual({ transactionPin: 'REQUIRED' });
    expect(codes({ ...valid(), transactionPin: '12a4' })).toEqual({ transactionPin: 'PIN_FORMAT' });
    expect(codes({ ...valid(), transactionPin: '1234' })).toEqual({ transactionPin: 'PIN_WEAK' });
    expect(codes({ ...valid(), transactionPin: '1990' })).toEqual({ transactionPin: 'PIN_WEAK' });
    // Born 17 May: 1705 (DDMM) and 0517 (MMDD) are refused.
    expect(codes({ ...valid(), transactionPin: '1705' })).toEqual({ transactionPin: 'PIN_WEAK' });
    expect(codes({ ...valid(), transactionPin: '0517' })).toEqual({ transactionPin: 'PIN_WEAK' });
    const r = validateRegistration(valid(), NOW);
    expect(r.ok && r.value.transactionPin).toBe('4721');
  });

  it('when consent is missing, then CONSENT_REQUIRED for each', () => {
    const raw = valid();
    delete raw.acceptTerms;
    delete raw.acceptPrivacy;
    expect(codes(raw)).toEqual({ acceptTerms: 'CONSENT_REQUIRED', acceptPrivacy: 'CONSENT_REQUIRED' });
  });

  it('when an upload is over 5 MB, not an image, or missing, then FILE_TOO_LARGE / FILE_NOT_IMAGE / FILE_REQUIRED', () => {
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(JPEG);
    expect(codes({ ...valid(), documentImage: { bytes: big }, selfieImage: { bytes: new TextEncoder().encode('%PDF-1.7') } })).toEqual({
      documentImage: 'FILE_TOO_LARGE',
      selfieImage: 'FILE_NOT_IMAGE',
    });
    expect(codes({ ...valid(), selfieImage: undefined, documentImage: 'not a file' })).toEqual({ documentImage: 'FILE_REQUIRED', selfieImage: 'FILE_REQUIRED' });
  });

  it('when the document or address fields are malformed, then they are reported per field', () => {
    expect(codes({ ...valid(), documentType: 'PASSPORT', state: 'XX', street: '' })).toEqual({
      documentType: 'DOCUMENT_TYPE_INVALID',
      state: 'STATE_INVALID',
      street: 'REQUIRED',
    });
    expect(codes({ ...valid(), documentType: 'CNH', documentNumber: '123' })).toEqual({ documentNumber: 'DOCUMENT_NUMBER_INVALID' });
  });
});

describe('sniffImageType', () => {
  it('trusts magic bytes only', () => {
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(sniffImageType(new Uint8Array([0xff, 0xd8]))).toBeUndefined();
  });
});

describe('validateProfileChanges', () => {
  it('accepts a partial change and normalises it', () => {
    const r = validateProfileChanges({ phone: '(21) 99999-8888' });
    expect(r.ok && r.value.phone?.toE164()).toBe('+5521999998888');
  });

  it('reports nested address errors with their path and refuses fields that cannot change', () => {
    const r = validateProfileChanges({ cpf: '123', address: { cep: 'abc', street: 'Rua A', number: '1', neighborhood: 'B', city: 'C', state: 'SP' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([
      ['cpf', 'FIELD_NOT_ALLOWED'],
      ['address.cep', 'CEP_INVALID'],
    ]);
  });

  it('when nothing is sent, then NOTHING_TO_CHANGE', () => {
    expect(validateProfileChanges({})).toMatchObject({ ok: false, errors: [{ code: 'NOTHING_TO_CHANGE' }] });
  });

  it.each([[{}], [['São Paulo']], [42], [true]])('when an address line is not text (%j), then it is refused, never coerced', (city) => {
    const r = validateProfileChanges({ address: { cep: '01310-100', street: 'Av. Paulista', number: '1000', neighborhood: 'Bela Vista', city, state: 'SP' } });
    expect(r).toMatchObject({ ok: false, errors: [{ field: 'address.city', code: 'TEXT_INVALID' }] });
  });

  it('when the address carries keys it does not have, then they are ignored (the API document allows them)', () => {
    const r = validateProfileChanges({ address: { cep: '01310-100', street: 'Av. Paulista', number: '1000', neighborhood: 'Bela Vista', city: 'São Paulo', state: 'SP', extra: { x: 1 } } });
    expect(r.ok && r.value.address?.city).toBe('São Paulo');
  });
});
