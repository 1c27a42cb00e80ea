export * from './keycloak-admin';
export * from './wait';
