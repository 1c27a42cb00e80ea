// @krt/onboarding: onboarding use cases (registration, KYC review, provisioning, profile) and their adapters.
export * from './domain/kyc-application';
export * from './domain/registration.validation';
export * from './domain/contact-version';
export * from './application/onboarding.errors';
export * from './application/register-customer';
export * from './application/provision-customer';
export * from './application/review-application';
export * from './application/back-office';
export * from './application/customer-profile';
export * from './infra/customer.repository';
export * from './infra/keycloak-admin.client';
export * from './infra/password-vault';
export * from './infra/watchlist.loader';
