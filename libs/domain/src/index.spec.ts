import { describe, expect, it } from 'vitest';
import * as domain from './index';

describe('@krt/domain public surface', () => {
  it.each([
    'DomainError', 'ok', 'err', 'fail', 'unwrap', 'Money', 'Cpf', 'generateCpf', 'Email', 'Phone', 'Cep',
    'PersonName', 'maskPersonName', 'BirthDate', 'checkAdult', 'PixKey', 'detectPixKeyType',
    'MAX_KEYS_PER_ACCOUNT', 'canRegisterAnotherKey', 'assertCpfKeyBelongsToHolder', 'generateEvpKey',
    'generateEndToEndId', 'isValidEndToEndId', 'KRT_ISPB', 'KRT_BANK_NAME', 'buildStaticBrCode', 'parseBrCode',
    'crc16CcittFalse', 'DEFAULT_PIX_LIMITS', 'validateCustomerLimits', 'isNightTime', 'nightWindowStart',
    'saoPauloDayStart', 'checkPixLimits', 'FRAUD_THRESHOLDS', 'scoreTransfer', 'KRT_AGENCY',
    'accountNumberWithCheckDigit', 'isValidAccountNumber', 'PASSWORD_POLICY_KEYCLOAK', 'checkPassword',
    'passwordStrength', 'assertBalanced', 'availableBalance', 'canReserve', 'transition', 'checkTransactionPin',
  ])('exports %s', (name) => {
    expect(domain).toHaveProperty(name);
  });

  it('every DomainError code has a Portuguese message', () => {
    for (const [code, message] of Object.entries(domain.DOMAIN_ERROR_MESSAGES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(message.length).toBeGreaterThan(5);
    }
  });
});
