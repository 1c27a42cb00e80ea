export * from './keycloak-admin';
export * from './wait';
export * from './sandbox-deposit';
