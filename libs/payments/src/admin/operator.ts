// The operator behind a back-office call (issue #19): who, for the audit log and the maker–checker rule.
export interface Operator {
  /** Keycloak user id (the token's `sub`). */
  id: string;
  /** Username (`preferred_username`). */
  name?: string | undefined;
  correlationId: string;
}
