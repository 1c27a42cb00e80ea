// @krt/domain: pure KRT Bank domain rules. No I/O, no clock, no randomness of its own:
// time and random sources are always passed in.

export * from './shared/domain.error';
export * from './shared/result.util';

export * from './money/money.value-object';
export * from './money/brl-input.util';
export * from './time/sao-paulo-time.util';

export * from './customer/cpf.value-object';
export * from './customer/email.value-object';
export * from './customer/phone.value-object';
export * from './customer/cep.value-object';
export * from './customer/person-name.value-object';
export * from './customer/birth-date.value-object';

export * from './pix/pix-key.value-object';
export * from './pix/end-to-end-id.util';
export * from './pix/crc16.util';
export * from './pix/br-code.codec';
export * from './pix/pix-limits.policy';
export * from './pix/pix-refund.policy';
export * from './pix/pix-transfer.state-machine';
export * from './pix/transaction-pin.policy';

export * from './fraud/fraud-rules.policy';

export * from './account/account-number.value-object';

export * from './identity/password.policy';

export * from './ledger/journal-entry.rules';
