// @krt/payments: the payments service's use cases and repositories (ledger, PIX keys, PIX saga, fraud, reads).
export * from './shared/clock';
export * from './shared/payments.context';
export * from './shared/payments.errors';
export * from './shared/money-format';
export * from './shared/payments.metrics';

export * from './accounts/account.repository';
export * from './accounts/balance-cache';
export * from './accounts/ledger';
export * from './accounts/open-account.use-case';
export * from './accounts/deposit.use-case';
export * from './accounts/account.queries';

export * from './keys/pix-keys.use-cases';
export * from './limits/limits.use-cases';
export * from './pin/transaction-pin.use-cases';

export * from './transfers/transfer.repository';
export * from './transfers/initiate-transfer.use-case';
export * from './transfers/refund-transfer.use-case';
export * from './transfers/settlement.use-cases';
export * from './transfers/payment-decision.use-case';
export * from './transfers/transfer.queries';

export * from './fraud/velocity-counter';
export * from './fraud/assess-transfer.use-case';

export * from './sweeper/deadline-sweeper';

export * from './statement/spending-category';
export * from './statement/statement.queries';

export * from './shared/read-routing';

export * from './receipts/receipt-authentication';
export * from './receipts/receipt-pdf';
export * from './receipts/receipt.use-cases';

export * from './admin/operator';
export * from './admin/deposit-requests.use-cases';
export * from './admin/account-admin.use-cases';
